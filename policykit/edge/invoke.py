"""Invoke a handler once in a child process, bounded: its own process group (and, where this machine allows it, its
own user, PID, mount and network namespaces: policykit/edge/sandbox.py), an environment with none of the caller's
secrets, a private temporary directory for its HOME and TMPDIR, a timeout, capped output and memory, and the result
on a channel of its own (a pipe, not stdout).

`--edge` and `policykit edge run` execute code from the repository: the namespaces are what contains a hostile
handler; where they cannot be made, the report says the handler ran without them.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Literal

from policykit.core.edge_rules import UnavailableReason
from policykit.core.errors import UsageError
from policykit.core.record import record
from policykit.edge import dependencies, runtimes, sandbox
from policykit.edge.events import JsonObject
from policykit.edge.handlers import CLOUDFRONT_JS, NODE, PYTHON, Handler, parse_handler

__all__ = ["CLOUDFRONT_JS", "NODE", "PYTHON", "Handler", "Invocation", "invoke", "parse_handler"]

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


InvocationOutcome = Literal["returned", "timeout", "error", "unavailable", "unserializable"]
# What the children report when the handler is done (`usage`, a wrong function name, is raised as a usage error)
_REPORTED: dict[str, InvocationOutcome] = {"returned": "returned", "error": "error", "unavailable": "unavailable",
                                           "unserializable": "unserializable"}
_REASONS: dict[str, UnavailableReason] = {"network": "network", "key value store": "key value store",
                                           "runtime": "runtime"}


@record
class Invocation:
    outcome: InvocationOutcome
    value: object = None  # what the handler returned, as JSON
    detail: str = ""
    log: str = ""
    reason: UnavailableReason | None = None  # why it could not run here (outcome "unavailable")
    origin: tuple[JsonObject, ...] = ()  # a CloudFront Function's origin changes: {"helper", "value"} in call order
    runtime_note: str = ""  # the function's runtime is not the one that ran it
    missing: str = ""  # as the child reports it: the package a failed import names
    syntax: bool = False  # as the child reports it: the code did not compile


def child_env(root: Path, home: Path) -> dict[str, str]:
    """What the child gets: no AWS credentials, no tokens, nothing of the caller's but a locale."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "TMPDIR": str(home),
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


def node_path() -> str:
    found = shutil.which("node")
    if found is None:
        raise UsageError("node is not on PATH: install Node.js to run Node.js handlers and CloudFront Functions")
    return found


def _command(handler: Handler, fd: int, timeout: float, python: runtimes.Python) -> list[str]:
    children = resources.files("policykit.edge").joinpath("children")
    common = [str(handler.root), str(handler.file.resolve()), handler.function, str(fd), str(timeout)]
    if handler.runtime == PYTHON:
        # -S: the handler sees the standard library and its own package, never what is installed beside policykit
        # (boto3 among them: the Lambda runtime provides it, this machine need not)
        return [python.executable, "-I", "-S", "-u", str(children.joinpath("python_child.py")), *common,
                str(MEMORY_MB)]
    # vm modules: a CloudFront Function of runtime 2.0 is an ES module run in a context of its own (the flag's
    # "experimental" warning is no part of the function's log)
    modules = ["--experimental-vm-modules", "--no-warnings"] if handler.runtime == CLOUDFRONT_JS else []
    return [node_path(), f"--max-old-space-size={MEMORY_MB}", *modules, str(children.joinpath("node_child.js")),
            *common, handler.runtime]


def invoke(handler: Handler, event: JsonObject, timeout: float, settings: JsonObject | None = None) -> Invocation:
    """Run the handler once on `event` (`settings`: what a CloudFront Function's runtime needs); never raises for
    what the handler does."""
    how = sandbox.isolation()
    if how.refused:
        return Invocation("unavailable", detail=how.notice, reason="isolation", log="(not run)")
    python = runtimes.python_for(handler.version) if handler.runtime == PYTHON else runtimes.Python("", "")
    home = Path(tempfile.mkdtemp(prefix="policykit-run-"))  # private (0700): the handler's HOME and TMPDIR
    result_read, result_write = os.pipe()
    try:
        try:
            command = sandbox.wrap(_command(handler, result_write, timeout, python), how)
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                env=child_env(handler.root, home), cwd=handler.root, pass_fds=(result_write,),
                start_new_session=True)
        except BaseException:
            os.close(result_read)
            raise
        finally:
            os.close(result_write)
        payload = json.dumps({"event": event, "settings": settings or {}}).encode("utf-8")
        found = _collect(process, result_read, payload, timeout)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return _judged(found, handler, python)


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
    """End the child and everything it started (its own session and process group; in a PID namespace, the
    namespace ends with its first process)."""
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
    origin = done.get("origin")
    decisions = tuple(d for d in origin if isinstance(d, dict)) if isinstance(origin, list) else ()
    found = Invocation(outcome, value=done.get("value"), detail=detail, log=log,
                       reason=_REASONS.get(str(done.get("reason"))) if outcome == "unavailable" else None,
                       origin=decisions)
    if outcome != "error":
        return found
    missing = done.get("missing")
    return replace(found, missing=missing if isinstance(missing, str) else "", syntax=done.get("syntax") is True)


def _judged(found: Invocation, handler: Handler, python: runtimes.Python) -> Invocation:
    """A missing module (declared, provided by Lambda, or neither) and code this machine's runtime cannot compile
    (the function's runtime is not here) told apart from a failure of the function."""
    note = runtimes.node_mismatch(handler.version) if handler.runtime == NODE else ""
    if found.outcome == "error" and found.missing:
        module = found.missing
        places = dependencies.places_for(handler.file, handler.root, handler.source)
        judged = dependencies.judge(module, handler.runtime, handler.version or None, places)
        if judged.verdict == "provided":
            return Invocation("unavailable", detail=judged.detail, log=found.log, reason="aws sdk", runtime_note=note)
        if judged.verdict == "declared":
            return Invocation("unavailable", detail=judged.detail, log=found.log, reason="dependency",
                              runtime_note=note)
        return Invocation("error", detail=f"{found.detail}: {judged.detail}", log=found.log, origin=found.origin,
                          runtime_note=note)
    if found.outcome == "error" and found.syntax and (not python.matches or note):
        why = runtimes.python_mismatch(python) if handler.runtime == PYTHON else note
        return Invocation("unavailable", detail=f"{why} ({found.detail})", log=found.log, reason="runtime",
                          runtime_note=note)
    return replace(found, runtime_note=note)


def _tail(log: bytes | bytearray) -> str:
    lines = log.decode("utf-8", "replace").rstrip("\n").splitlines()
    return "\n".join(lines[-LOG_TAIL_LINES:])
