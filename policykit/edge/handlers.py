"""A handler to run: its file, function, language and code root, and the runtime the function declares."""

from __future__ import annotations

import re
from pathlib import Path

from policykit.core.errors import UsageError
from policykit.core.record import record

PYTHON, NODE, CLOUDFRONT_JS = "python", "nodejs", "cloudfront-js"
# `--runtime` and a template's Runtime: a language, or a language and version
_RUNTIME = re.compile(r"^(?:python(?:\d+\.\d+)?|nodejs(?:\d+\.x)?|cloudfront-js(?:-[12]\.0)?)$")


@record
class Handler:
    """A handler to run: its file, the function's name, the language and the code's root directory."""

    file: Path  # as given (messages name it so)
    function: str
    runtime: str  # python | nodejs | cloudfront-js
    root: Path
    version: str = ""  # the function's Runtime as declared (python3.12, nodejs20.x, cloudfront-js-2.0); "" unknown
    source: Path | None = None  # the directory the code was built from (its manifests), when it is built code

    @property
    def spec(self) -> str:
        return f"{self.file}:{self.function}"

    @property
    def cloudfront_version(self) -> str:
        """The CloudFront Functions runtime: 1.0 only when declared so (2.0, the current one, runs 1.0's code too
        unless it uses 1.0's own string methods)."""
        return "1.0" if self.version == "cloudfront-js-1.0" else "2.0"


def parse_handler(spec: str, runtime: str | None = None) -> Handler:
    """`path/file.py:function`, `file.js:handler`, `file.mjs:handler`, or a directory with index.js (`dir:handler`);
    `runtime` as `--runtime` gives it (python, python3.12, nodejs20.x, cloudfront-js-2.0, ...; None: from the file)."""
    path_text, sep, function = spec.rpartition(":")
    if not sep:
        path_text, function = spec, "handler"
    if not function.isidentifier():
        raise UsageError(f"{spec}: {function!r} is not a function name (write FILE:FUNCTION, e.g. app.py:handler)")
    if runtime is not None and not _RUNTIME.match(runtime):
        raise UsageError(f"--runtime {runtime}: write python, python3.12, nodejs, nodejs20.x, cloudfront-js, "
                         "cloudfront-js-1.0 or cloudfront-js-2.0")
    path = Path(path_text)
    if path.is_dir():
        index = next((path / n for n in ("index.js", "index.mjs", "index.cjs") if (path / n).is_file()), None)
        if index is None:
            raise UsageError(f"{path}: directory has no index.js, index.mjs or index.cjs")
        path = index
    if not path.is_file():
        raise UsageError(f"{path}: no such handler file")
    kind = runtime_of(path, runtime)
    version = runtime if runtime is not None and runtime != kind else ""
    return Handler(file=path, function=function, runtime=kind, root=path.resolve().parent, version=version)


def language(runtime: str | None) -> str | None:
    """python, nodejs or cloudfront-js for a Runtime (`python3.12`, `nodejs20.x`, `cloudfront-js-2.0`)."""
    text = (runtime or "").strip().lower()
    for kind in (CLOUDFRONT_JS, PYTHON, NODE):
        if text.startswith(kind):
            return kind
    return None


def runtime_of(path: Path, runtime: str | None) -> str:
    suffix = path.suffix.lower()
    wanted = language(runtime)
    if wanted == CLOUDFRONT_JS:
        if suffix not in (".js", ".mjs", ".cjs"):
            raise UsageError(f"{path}: a CloudFront Function is JavaScript (.js)")
        return CLOUDFRONT_JS
    found = PYTHON if suffix == ".py" else NODE if suffix in (".js", ".mjs", ".cjs") else None
    if found is None:
        raise UsageError(f"{path}: not a Python (.py) or Node.js (.js, .mjs) handler")
    if wanted is not None and wanted != found:
        raise UsageError(f"{path}: --runtime {runtime} does not match the file's language ({found})")
    return found
