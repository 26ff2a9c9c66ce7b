"""A module a handler imports but this machine does not have: declared (the deployed bundle has it), provided by
Lambda (the AWS SDK), or neither (a real failure: Lambda@Edge has no layers, so nothing else adds it).

Declared means named in the handler's manifest, looked up from the handler's directory up to its code root (and
the source directory a build came from): `package.json` (`dependencies`, `optionalDependencies`,
`peerDependencies`, `bundleDependencies`; not `devDependencies`, which a deployment bundle leaves out) and
`requirements.txt`. A requirement's distribution name is matched to the module imported as pip names them
(case, `-`, `_`, `.` alike), through the common names that differ (PyJWT is `jwt`), or when one contains the
other (`python-jose` is `jose`): a dependency that cannot be told apart is taken as declared, never as a failure.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from policykit.core.record import record

MAX_MANIFEST = 1024 * 1024  # bytes of a manifest read
PYTHON_PROVIDED = ("boto3", "botocore", "s3transfer", "awslambdaric")  # in every Python Lambda runtime
DEPLOYED_SECTIONS = ("dependencies", "optionalDependencies", "peerDependencies")
# Distributions whose import name is not their name (normalized: lowercase, `_` for `-` and `.`)
IMPORTED_AS = {
    "pyjwt": "jwt", "pyyaml": "yaml", "beautifulsoup4": "bs4", "pillow": "pil", "python_dateutil": "dateutil",
    "scikit_learn": "sklearn", "opencv_python": "cv2", "opencv_python_headless": "cv2", "protobuf": "google",
    "attrs": "attr", "pycryptodome": "crypto", "pycryptodomex": "cryptodome", "python_jose": "jose",
    "pymysql": "pymysql", "psycopg2_binary": "psycopg2", "pynacl": "nacl", "python_multipart": "multipart",
    "msgpack_python": "msgpack", "google_auth": "google", "setuptools": "pkg_resources", "typing_extensions":
    "typing_extensions", "aws_xray_sdk": "aws_xray_sdk", "aws_lambda_powertools": "aws_lambda_powertools",
}
Verdict = Literal["declared", "provided", "undeclared"]


@record
class Missing:
    """What a missing module is to the function, and the sentence that says so."""

    verdict: Verdict
    detail: str


def judge(module: str, language: str, runtime: str | None, places: list[Path]) -> Missing:
    """`module` (a package name) is missing here: is it declared in a manifest in `places`, provided by Lambda, or
    neither? `language` is python or nodejs; `runtime` the function's Runtime (nodejs20.x), when known."""
    if language == "python" and module in PYTHON_PROVIDED:
        return Missing("provided", f"it imports {module}, which the Lambda runtime provides and this machine does not "
                                   f"have")
    if language != "python":
        provided = _node_provided(module, runtime)
        if provided:
            return Missing("provided", provided)
    for manifest, declared in _manifests(language, places):
        if _declared_in(module, language, declared):
            command = (f"npm ci --omit=dev` in {manifest.parent}" if language != "python"
                       else f"pip install -r {manifest} -t {manifest.parent}`")
            return Missing("declared", f"dependency {module} is declared in {manifest} but not installed; run "
                                       f"`{command} (or build the function) and scan the built code")
    names = "package.json" if language != "python" else "requirements.txt"
    return Missing("undeclared", f"{module} is neither installed nor declared in a {names} of the function's code "
                                 f"(Lambda@Edge has no layers, so the deployed function fails the same way)")


def _node_provided(module: str, runtime: str | None) -> str:
    """Why the Node.js runtime has `module` ("" when it does not): SDK v3 (`@aws-sdk/*`) is in nodejs18.x and later,
    SDK v2 (`aws-sdk`) in nodejs16.x and earlier."""
    match = re.match(r"^nodejs(\d+)\.x$", (runtime or "").strip().lower())
    major = int(match.group(1)) if match else None
    said = f"it imports {module}, which the Lambda runtime provides and this machine does not have"
    if module.startswith("@aws-sdk/") and (major is None or major >= 18):
        return said
    if module == "aws-sdk" and (major is None or major <= 16):
        return said
    return ""


def _manifests(language: str, places: list[Path]) -> Iterator[tuple[Path, list[str]]]:
    name = "requirements.txt" if language == "python" else "package.json"
    seen: set[Path] = set()
    for place in places:
        manifest = place / name
        if manifest in seen or not manifest.is_file():
            continue
        seen.add(manifest)
        text = _read(manifest)
        if text is not None:
            yield manifest, _requirements(text) if language == "python" else _packages(text)


def _read(path: Path) -> str | None:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_MANIFEST + 1)
    except OSError:
        return None
    return data[:MAX_MANIFEST].decode("utf-8", "replace")


def _packages(text: str) -> list[str]:
    try:
        document = json.loads(text)
    except ValueError:
        return []
    if not isinstance(document, dict):
        return []
    names: list[str] = []
    for section in DEPLOYED_SECTIONS:
        value = document.get(section)
        if isinstance(value, dict):
            names.extend(str(k) for k in value)
    bundled = document.get("bundleDependencies", document.get("bundledDependencies"))
    if isinstance(bundled, list):
        names.extend(str(n) for n in bundled)
    return names


_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _requirements(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = _REQUIREMENT.match(line)
        if match:
            out.append(match.group(1))
    return out


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _declared_in(module: str, language: str, declared: list[str]) -> bool:
    if language != "python":
        return module in declared
    wanted = _normal(module)
    for name in declared:
        normal = _normal(name)
        if wanted in (normal, IMPORTED_AS.get(normal)):
            return True
        if normal not in IMPORTED_AS and len(wanted) >= 3 and (wanted in normal or normal in wanted):
            return True
    return False


def places_for(file: Path, root: Path, source: Path | None = None) -> list[Path]:
    """The directories a handler's manifest may be in: its own, up to its code root, then the build's source."""
    out: list[Path] = []
    here = file.resolve().parent
    top = root.resolve()
    while True:
        out.append(here)
        if here == top or top not in here.parents:
            break
        here = here.parent
    if source is not None:
        out.append(source)
    return out
