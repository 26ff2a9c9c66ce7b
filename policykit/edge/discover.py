"""Find a function's code on this machine, from what the model says about it (`scan --edge`).

The repository is untrusted: what it names is read only inside the scanned tree (the directory given to `scan`,
or the directory of the file given), links resolved first; what policykit writes (inline code, unpacked zips) goes
only under its private work directory. A handler or code path that leaves either is "could not run here" (reason:
path), and nothing outside is read, written or run.
"""

from __future__ import annotations

import os
from pathlib import Path

from policykit.core.edge_rules import UnavailableReason
from policykit.core.record import record
from policykit.core.values import FileText
from policykit.edge.handlers import CLOUDFRONT_JS, NODE, PYTHON, Handler, language
from policykit.edge.unzip import UnzipError, unpack
from policykit.model.related import CloudFrontFunction, FunctionCode, LambdaFunction

_SUFFIXES = {PYTHON: (".py",), NODE: (".js", ".mjs", ".cjs")}
MAX_CODE_FILE = 1024 * 1024  # bytes of a CloudFront Function's code file read (CloudFront takes 10 KB)


@record
class Found:
    """A handler to run, or why there is none (an info note, never an error)."""

    handler: Handler | None = None
    missing: str = ""
    reason: UnavailableReason | None = None
    code_file: str = ""  # what messages name as the function's code


def _not_run(missing: str, reason: UnavailableReason) -> Found:
    return Found(missing=missing, reason=reason)


def inside(path: Path, top: Path) -> bool:
    """Is `path` (links resolved) `top` or under it?"""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return False
    base = top.resolve()
    return resolved == base or base in resolved.parents


def _outside(path: Path, tree: Path) -> Found:
    return _not_run(f"its code {path} is outside the scanned tree {tree} (scan a directory that holds both the "
                    f"template and the code): not read", "path")


def _private(workdir: Path, resource: str) -> Path:
    """A directory of the work directory for one function (its name made a single path component)."""
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in resource).lstrip(".") or "function"
    return workdir / name


def lambda_handler(function: LambdaFunction, workdir: Path, tree: Path) -> Found:
    code = function.code
    if code is None or code.kind in ("s3", "image", "unknown"):
        return _not_run((code.reason if code else "the function's code is not declared") + ": not run",
                        "source not here")
    handler = function.handler
    if not isinstance(handler, str) or "." not in handler:
        return _not_run("its Handler is not known: not run", "source not here")
    module, _, name = handler.rpartition(".")
    version = function.runtime if isinstance(function.runtime, str) else ""
    runtime = language(version)
    if runtime == CLOUDFRONT_JS:
        runtime = None
    if code.kind == "inline":
        return _inline(code, module, name, runtime, version, _private(workdir, function.resource))
    root = _code_root(code, _private(workdir, function.resource), tree)
    if isinstance(root, Found):
        return root
    source = None
    built = _sam_build(code, function.resource, tree)
    if built is not None:
        root, source = built, root
    return _module_file(root, module, name, runtime, version, source)


def _relative_module(module: str, runtime: str | None) -> str | None:
    """The handler's module as a relative path, or None when it is absolute or leaves its directory."""
    relative = module.replace(".", "/") if runtime == PYTHON else module
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        return None
    return relative


def _inline(code: FunctionCode, module: str, name: str, runtime: str | None, version: str,
            directory: Path) -> Found:
    if runtime is None:
        return _not_run("its Runtime is not known, so the inline code cannot be run", "runtime")
    relative = _relative_module(module, runtime)
    if relative is None:
        return _not_run(f"its Handler {module}.{name} names a file outside its code: not run", "path")
    path = directory / (relative + _SUFFIXES[runtime][0])
    directory.mkdir(parents=True, exist_ok=True)
    if not inside(path.parent, directory):
        return _not_run(f"its Handler {module}.{name} names a file outside its code: not run", "path")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code.inline or "", encoding="utf-8")
    return Found(Handler(file=path, function=name, runtime=runtime, root=directory.resolve(), version=version),
                 code_file="inline Code.ZipFile / InlineCode")


def _code_root(code: FunctionCode, unpack_to: Path, tree: Path) -> Path | Found:
    """The directory holding the code: the path itself, its parent (a single file), or the unpacked zip."""
    path = Path(code.base or ".") / (code.path or ".")
    if not inside(path, tree):
        return _outside(path, tree)
    if path.is_dir():
        return path
    if path.is_file() and path.suffix.lower() == ".zip":
        unpack_to.mkdir(parents=True, exist_ok=True)
        try:
            unpack(path, unpack_to)
        except UnzipError as exc:
            return _not_run(str(exc), "archive")
        except OSError as exc:
            return _not_run(f"{path} cannot be unpacked: {exc.strerror or exc}", "archive")
        return unpack_to
    if path.is_file():
        return path.parent
    return _not_run(f"its code {path} is not on this machine (build or package it first): not run",
                    "source not here")


def _sam_build(code: FunctionCode, resource: str, tree: Path) -> Path | None:
    """`sam build`'s output for the function (`.aws-sam/build/<LogicalId>` beside the template), when it exists: the
    code as deployed, with its dependencies installed."""
    built = Path(code.base or ".") / ".aws-sam" / "build" / resource
    return built if resource and built.is_dir() and inside(built, tree) else None


def _module_file(root: Path, module: str, name: str, runtime: str | None, version: str,
                 source: Path | None = None) -> Found:
    kinds = [runtime] if runtime else [PYTHON, NODE]
    for kind in kinds:
        relative = _relative_module(module, kind)
        if relative is None:
            return _not_run(f"its Handler {module}.{name} names a file outside its code: not run", "path")
        for suffix in _SUFFIXES[kind]:
            candidate = root / (relative + suffix)
            if candidate.is_file():
                if not inside(candidate, root):
                    return _not_run(f"its Handler {module}.{name} names a file outside its code: not run", "path")
                return Found(Handler(file=candidate, function=name, runtime=kind, root=root.resolve(),
                                     version=version, source=source),
                             code_file=os.path.relpath(candidate) if not _is_temporary(candidate) else candidate.name)
    shown = module.replace(".", "/") if runtime == PYTHON else module
    return _not_run(f"no {shown}{'/'.join(_SUFFIXES[kinds[0]])} for the handler in {root}: not run",
                    "source not here")


def _is_temporary(path: Path) -> bool:
    import tempfile

    return str(path.resolve()).startswith(str(Path(tempfile.gettempdir()).resolve()))


def _code_file(code: FileText, tree: Path) -> str | Found:
    """The text of Terraform's `code = file(...)`, read only inside the scanned tree, or why it is not run."""
    path = Path(code.path) if Path(code.path).is_absolute() else Path(code.base or ".") / code.path
    if not inside(path, tree):
        return _outside(path, tree)
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_CODE_FILE + 1)
    except OSError as exc:
        return _not_run(f"its code file {path} cannot be read ({exc.strerror or exc}): not run", "source not here")
    if len(data) > MAX_CODE_FILE:
        return _not_run(f"its code file {path} is larger than {MAX_CODE_FILE // 1024} KB: not run", "source not here")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _not_run(f"its code file {path} is not UTF-8 text: not run", "source not here")


def cloudfront_handler(function: CloudFrontFunction, workdir: Path, tree: Path) -> Found:
    code = function.code  # the source as written, or Unknown (a file(), a parameter)
    if isinstance(code, FileText):
        read = _code_file(code, tree)
        if isinstance(read, Found):
            return read
        code = read
    if not isinstance(code, str):
        reason = getattr(code, "reason", "") or "its code is not declared inline"
        return _not_run(f"its code is not known here ({reason}): not run", "source not here")
    directory = _private(workdir, function.resource)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "function.js"
    path.write_text(code, encoding="utf-8")
    version = function.runtime if isinstance(function.runtime, str) else ""
    return Found(Handler(file=path, function="handler", runtime=CLOUDFRONT_JS, root=directory.resolve(),
                         version=version), code_file="FunctionCode")
