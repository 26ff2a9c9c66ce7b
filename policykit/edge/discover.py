"""Find a function's code on this machine, from what the model says about it (`scan --edge`)."""

from __future__ import annotations

import os
from pathlib import Path

from policykit.core.record import record
from policykit.core.values import FileText
from policykit.edge.invoke import CLOUDFRONT_JS, NODE, PYTHON, Handler
from policykit.edge.unzip import UnzipError, unpack
from policykit.model.related import CloudFrontFunction, FunctionCode, LambdaFunction

_SUFFIXES = {PYTHON: (".py",), NODE: (".js", ".mjs", ".cjs")}


@record
class Found:
    """A handler to run, or why there is none (an info note, never an error)."""

    handler: Handler | None = None
    missing: str = ""
    code_file: str = ""  # what messages name as the function's code


def _runtime(value: object) -> str | None:
    text = str(value).lower() if isinstance(value, str) else ""
    if text.startswith("python"):
        return PYTHON
    if text.startswith("nodejs"):
        return NODE
    return None


def lambda_handler(function: LambdaFunction, workdir: Path) -> Found:
    code = function.code
    if code is None or code.kind in ("s3", "image", "unknown"):
        return Found(missing=(code.reason if code else "the function's code is not declared") + ": not run")
    handler = function.handler
    if not isinstance(handler, str) or "." not in handler:
        return Found(missing="its Handler is not known: not run")
    module, _, name = handler.rpartition(".")
    runtime = _runtime(function.runtime)
    if code.kind == "inline":
        return _inline(code, module, name, runtime, workdir / function.resource.replace("/", "_"))
    root = _code_root(code, workdir / function.resource.replace("/", "_"))
    if isinstance(root, str):
        return Found(missing=root)
    return _module_file(root, module, name, runtime)


def _inline(code: FunctionCode, module: str, name: str, runtime: str | None, directory: Path) -> Found:
    if runtime is None:
        return Found(missing="its Runtime is not known, so the inline code cannot be run")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / (module.replace(".", "/") + _SUFFIXES[runtime][0])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(code.inline or "", encoding="utf-8")
    return Found(Handler(file=path, function=name, runtime=runtime, root=directory.resolve()),
                 code_file="inline Code.ZipFile / InlineCode")


def _code_root(code: FunctionCode, unpack_to: Path) -> Path | str:
    """The directory holding the code: the path itself, its parent (a single file), or the unpacked zip."""
    path = Path(code.base or ".") / (code.path or ".")
    if path.is_dir():
        return path
    if path.is_file() and path.suffix.lower() == ".zip":
        unpack_to.mkdir(parents=True, exist_ok=True)
        try:
            unpack(path, unpack_to)
        except UnzipError as exc:
            return str(exc)
        except OSError as exc:
            return f"{path} cannot be unpacked: {exc.strerror or exc}"
        return unpack_to
    if path.is_file():
        return path.parent
    return f"its code {path} is not on this machine (build or package it first): not run"


def _module_file(root: Path, module: str, name: str, runtime: str | None) -> Found:
    relative = module.replace(".", "/") if runtime == PYTHON else module
    kinds = [runtime] if runtime else [PYTHON, NODE]
    for kind in kinds:
        for suffix in _SUFFIXES[kind]:
            candidate = root / (relative + suffix)
            if candidate.is_file():
                return Found(Handler(file=candidate, function=name, runtime=kind, root=root.resolve()),
                             code_file=os.path.relpath(candidate) if not _is_temporary(candidate) else candidate.name)
    return Found(missing=f"no {relative}{'/'.join(_SUFFIXES[kinds[0]])} for the handler in {root}: not run")


def _is_temporary(path: Path) -> bool:
    import tempfile

    return str(path.resolve()).startswith(str(Path(tempfile.gettempdir()).resolve()))


MAX_CODE_FILE = 1024 * 1024  # bytes of a CloudFront Function's code file read (CloudFront takes 10 KB)


def _code_file(code: FileText) -> str | Found:
    """The text of Terraform's `code = file(...)`, or why it is not run."""
    path = Path(code.path) if Path(code.path).is_absolute() else Path(code.base or ".") / code.path
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_CODE_FILE + 1)
    except OSError as exc:
        return Found(missing=f"its code file {path} cannot be read ({exc.strerror or exc}): not run")
    if len(data) > MAX_CODE_FILE:
        return Found(missing=f"its code file {path} is larger than {MAX_CODE_FILE // 1024} KB: not run")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return Found(missing=f"its code file {path} is not UTF-8 text: not run")


def cloudfront_handler(function: CloudFrontFunction, workdir: Path) -> Found:
    code = function.code  # the source as written, or Unknown (a file(), a parameter)
    if isinstance(code, FileText):
        read = _code_file(code)
        if isinstance(read, Found):
            return read
        code = read
    if not isinstance(code, str):
        reason = getattr(code, "reason", "") or "its code is not declared inline"
        return Found(missing=f"its code is not known here ({reason}): not run")
    directory = workdir / function.resource.replace("/", "_")
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "function.js"
    path.write_text(code, encoding="utf-8")
    return Found(Handler(file=path, function="handler", runtime=CLOUDFRONT_JS, root=directory.resolve()),
                 code_file="FunctionCode")
