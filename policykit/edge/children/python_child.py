"""Run one Python Lambda@Edge handler: policykit starts this file in a child interpreter.

argv: code root, module file, function name, result fd, timeout (s), memory bound (MB). The event is
read from stdin.
The result goes on the result fd (never stdout, which is the handler's log), as lines of JSON:
{"phase": "loaded"} once the module is imported, then {"phase": "done", ...}.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
import traceback
from typing import Any

LAMBDA_PROVIDED = ("boto3", "botocore", "s3transfer", "awslambdaric")


class NetworkBlocked(OSError):
    """Raised by every attempt to reach the network: policykit never lets a handler go on the wire."""


def _blocked(*args: object, **kwargs: object) -> Any:
    raise NetworkBlocked("network access is not available when policykit runs a handler")


def _block_network() -> None:
    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket.socket, "sendto"),
                        (socket, "getaddrinfo"), (socket, "gethostbyname"), (socket, "create_connection")):
        setattr(owner, name, _blocked)


class Context:
    def __init__(self, name: str, timeout: float) -> None:
        self.function_name = name
        self.function_version = "1"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{name}:1"
        self.memory_limit_in_mb = "128"
        self.aws_request_id = "00000000-0000-4000-8000-000000000000"
        self.log_group_name = f"/aws/lambda/us-east-1.{name}"
        self.log_stream_name = "2026/01/01/[1]00000000000000000000000000000000"
        self._deadline = time.monotonic() + timeout

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _unavailable(exc: BaseException) -> str:
    if isinstance(exc, NetworkBlocked):
        return "it makes a network call (" + str(exc) + ")"
    if isinstance(exc, ModuleNotFoundError) and (exc.name or "").split(".")[0] in LAMBDA_PROVIDED:
        return f"it imports {exc.name}, which the Lambda runtime provides and this machine does not have"
    return ""


def _error(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _bound_memory(limit: int) -> None:
    """The address space this process may use, set here (not by the parent, which runs threads)."""
    try:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):  # no such limit on this system: the timeout still holds
        pass


def main() -> None:
    root, file, name, fd, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    _bound_memory(int(sys.argv[6]) * 1024 * 1024)
    channel = os.fdopen(fd, "w", encoding="utf-8")

    def send(message: dict[str, Any]) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    event = json.loads(sys.stdin.read())
    _block_network()
    sys.path.insert(0, root)
    os.chdir(root)
    module_name = os.path.splitext(os.path.relpath(file, root))[0].replace(os.sep, ".")
    try:
        import importlib

        module = importlib.import_module(module_name)
        handler = getattr(module, name, None)
        if not callable(handler):
            send({"phase": "done", "outcome": "usage", "detail": f"{os.path.basename(file)} has no function {name!r}"})
            return
    except BaseException as exc:  # the handler's own import failed: report it, never crash silently
        reason = _unavailable(exc)
        send({"phase": "done", "outcome": "unavailable" if reason else "error", "detail": reason or _error(exc)})
        return
    send({"phase": "loaded"})
    try:
        value = handler(event, Context(name, timeout))
    except BaseException as exc:
        reason = _unavailable(exc)
        send({"phase": "done", "outcome": "unavailable" if reason else "error", "detail": reason or _error(exc)})
        return
    try:
        text = json.dumps(value)
    except (TypeError, ValueError) as exc:
        send({"phase": "done", "outcome": "unserializable", "detail": f"the result cannot be sent as JSON: {exc}"})
        return
    channel.write('{"phase": "done", "outcome": "returned", "value": ' + text + "}\n")
    channel.flush()


if __name__ == "__main__":
    main()
