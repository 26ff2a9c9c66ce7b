"""Invoke a handler once in a child process, bounded: its own process group, a minimal environment,
a timeout, capped output, and the result on a channel of its own (a pipe, not stdout).

`--edge` and `policykit edge run` execute the user's code: as with `sam local invoke`, use them
only on code you trust. The bounds keep a broken handler from hanging or flooding policykit;
they are not a security sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Literal

from policykit.core.errors import UsageError
from policykit.core.record import record

LOG_CAP = 64 * 1024  # bytes of the handler's output kept (the tail)
RESULT_CAP = 8 * 1024 * 1024  # bytes of result: past the largest response CloudFront accepts
INIT_TIMEOUT = 10.0  # seconds to load the code (Lambda's init phase limit)
LOG_TAIL_LINES = 20
# Memory a handler may use: Python's address space, Node.js's V8 heap. Lambda@Edge gives viewer-event functions
# 128 MB and origin-event ones up to 10,240 MB; a local run needs no more, and policykit's host keeps the rest.
MEMORY_MB = 1024


def _out_of_memory(detail: str = "") -> str:
    where = detail[detail.rfind(" at "):] if " at " in detail else ""  # MemoryError's `at file.py:12`
    return f"the handler ran out of memory (policykit's bound on a handler run: {MEMORY_MB:,} MB){where}"
PYTHON, NODE, CLOUDFRONT_JS = "python", "nodejs", "cloudfront-js"


@record
class Handler:
    """A handler to run: its file, the function's name, the runtime and the code's root directory."""

    file: Path  # as given (messages name it so)
    function: str
    runtime: str
    root: Path

    @property
    def spec(self) -> str:
        return f"{self.file}:{self.function}"


InvocationOutcome = Literal["returned", "timeout", "error", "unavailable", "unserializable"]
# What the children report when the handler is done (`usage`, a wrong function name, is raised as a usage error)
_REPORTED: dict[str, InvocationOutcome] = {"returned": "returned", "error": "error", "unavailable": "unavailable",
                                           "unserializable": "unserializable"}


@record
class Invocation:
    outcome: InvocationOutcome
    value: object = None  # what the handler returned, as JSON
    detail: str = ""
    log: str = ""


def parse_handler(spec: str, runtime: str | None = None) -> Handler:
    """`path/file.py:function`, `file.js:handler`, `file.mjs:handler`, or a directory with index.js (`dir:handler`)."""
    path_text, sep, function = spec.rpartition(":")
    if not sep:
        path_text, function = spec, "handler"
    if not function.isidentifier():
        raise UsageError(f"{spec}: {function!r} is not a function name (write FILE:FUNCTION, e.g. app.py:handler)")
    path = Path(path_text)
    if path.is_dir():
        index = next((path / n for n in ("index.js", "index.mjs", "index.cjs") if (path / n).is_file()), None)
        if index is None:
            raise UsageError(f"{path}: directory has no index.js, index.mjs or index.cjs")
        path = index
    if not path.is_file():
        raise UsageError(f"{path}: no such handler file")
    kind = _runtime_of(path, runtime)
    return Handler(file=path, function=function, runtime=kind, root=path.resolve().parent)


def _runtime_of(path: Path, runtime: str | None) -> str:
    suffix = path.suffix.lower()
    if runtime == CLOUDFRONT_JS:
        if suffix not in (".js", ".mjs", ".cjs"):
            raise UsageError(f"{path}: a CloudFront Function is JavaScript (.js)")
        return CLOUDFRONT_JS
    if suffix == ".py":
        return PYTHON
    if suffix in (".js", ".mjs", ".cjs"):
        return NODE
    raise UsageError(f"{path}: not a Python (.py) or Node.js (.js, .mjs) handler")


def node_path() -> str:
    found = shutil.which("node")
    if found is None:
        raise UsageError("node is not on PATH: install Node.js to run Node.js handlers and CloudFront Functions")
    return found


def child_env(root: Path) -> dict[str, str]:
    """What the child gets: no AWS credentials, no tokens, nothing of the caller's but a locale."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(root),
        "TZ": "UTC",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONIOENCODING": "utf-8",
        "AWS_REGION": "us-east-1",
        "AWS_LAMBDA_FUNCTION_NAME": "edge-function",
        "AWS_LAMBDA_FUNCTION_VERSION": "1",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "LAMBDA_TASK_ROOT": str(root),
        "NODE_OPTIONS": "",
    }


def _command(handler: Handler, fd: int, timeout: float) -> list[str]:
    children = resources.files("policykit.edge").joinpath("children")
    common = [str(handler.root), str(handler.file.resolve()), handler.function, str(fd), str(timeout)]
    if handler.runtime == PYTHON:
        # -S: the handler sees the standard library and its own package, never what is installed beside policykit
        # (boto3 among them: the Lambda runtime provides it, this machine need not)
        return [sys.executable, "-I", "-S", "-u", str(children.joinpath("python_child.py")), *common, str(MEMORY_MB)]
    return [node_path(), f"--max-old-space-size={MEMORY_MB}", str(children.joinpath("node_child.js")), *common,
            handler.runtime]


def invoke(handler: Handler, event: dict[str, object], timeout: float) -> Invocation:
    """Run the handler once on `event`; never raises for what the handler does."""
    result_read, result_write = os.pipe()
    try:
        command = _command(handler, result_write, timeout)
        process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=child_env(handler.root), cwd=handler.root, pass_fds=(result_write,), start_new_session=True)
    except BaseException:
        os.close(result_read)
        raise
    finally:
        os.close(result_write)
    return _collect(process, result_read, json.dumps(event).encode("utf-8"), timeout)


def _collect(process: subprocess.Popen[bytes], result_fd: int, event: bytes, timeout: float) -> Invocation:
    log = bytearray()
    channel = bytearray()
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(event)
        process.stdin.close()
    except BrokenPipeError:
        pass
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ, "log")
    selector.register(result_fd, selectors.EVENT_READ, "result")
    deadline = time.monotonic() + INIT_TIMEOUT
    loaded = timed_out = oversized = finished = False
    try:
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            for key, _ in selector.select(remaining):
                data = os.read(key.fd, 65536)
                if not data:
                    selector.unregister(key.fileobj)
                elif key.data == "log":
                    log.extend(data)
                    del log[:-LOG_CAP]  # keep the tail: the end of a log says what went wrong
                else:
                    channel.extend(data)
                    if len(channel) > RESULT_CAP:
                        oversized = True
                        break
                    # messages end with a newline, and JSON text has none inside: parse only then
                    phases = _phases(channel) if b"\n" in data else set()
                    if not loaded and "loaded" in phases:
                        loaded = True
                        deadline = time.monotonic() + timeout
                    if "done" in phases:
                        finished = True
            if oversized or finished:
                break
        if finished:
            _drain(selector, log)
    finally:
        selector.close()
        _kill_group(process)
        os.close(result_fd)
        process.stdout.close()
    text = _tail(log)
    if oversized:
        return Invocation("unserializable", detail=f"the result is larger than {RESULT_CAP // (1024 * 1024)} MB",
                          log=text)
    if timed_out:
        if loaded:
            return Invocation("timeout", detail=f"no result within {timeout:g} s", log=text)
        return Invocation("error", detail=f"loading the code took more than {INIT_TIMEOUT:g} s", log=text)
    return _outcome(channel, process.returncode, text)


def _drain(selector: selectors.BaseSelector, log: bytearray) -> None:
    """What the handler printed just before returning, still in the pipe."""
    for _ in range(16):
        ready = [key for key, _ in selector.select(0.05) if key.data == "log"]
        if not ready:
            return
        data = os.read(ready[0].fd, 65536)
        if not data:
            return
        log.extend(data)
        del log[:-LOG_CAP]


def _phases(channel: bytes | bytearray) -> set[str]:
    """The phases the child has reported in complete lines (`loaded`, `done`)."""
    found: set[str] = set()
    for line in bytes(channel).split(b"\n")[:-1]:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if isinstance(message, dict):
            found.add(str(message.get("phase")))
    return found


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End the child and everything it started (its own session and process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _outcome(channel: bytes | bytearray, returncode: int | None, log: str) -> Invocation:
    done: dict[str, object] | None = None
    for line in channel.decode("utf-8", "replace").splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(message, dict) and message.get("phase") == "done":
            done = message
    if done is None:
        if "heap out of memory" in log or "MemoryError" in log:
            return Invocation("error", detail=_out_of_memory(), log=log)
        return Invocation("error", detail=f"the process exited (code {returncode}) without returning", log=log)
    word = str(done.get("outcome"))
    if word == "usage":
        raise UsageError(str(done.get("detail")))
    outcome = _REPORTED.get(word, "error")
    detail = str(done.get("detail") or "")
    if outcome == "error" and detail.startswith("MemoryError"):
        detail = _out_of_memory(detail)
    return Invocation(outcome, value=done.get("value"), detail=detail, log=log)


def _tail(log: bytes | bytearray) -> str:
    lines = log.decode("utf-8", "replace").rstrip("\n").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])
