"""Run one Python Lambda@Edge handler: policykit starts this file in a child interpreter (the function's runtime's
version when this machine has it, so it must run on every Python Lambda@Edge offers: 3.7 and later).

argv: code root, module file, function name, result fd, timeout (s), memory bound (MB). stdin: {"event": ...}.
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
from typing import NoReturn

# Audit events of a connection or a name lookup: raised in C, so `_socket` and ctypes-free tricks meet them too
NETWORK_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
                            "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo", "socket.bind"})


class NetworkBlocked(OSError):
    """Raised by each attempt to reach the network inside the runtime (the namespaces, where this machine has
    them, leave nothing to reach in the first place: policykit/edge/sandbox.py)."""


def _blocked(*args: object, **kwargs: object) -> NoReturn:
    raise NetworkBlocked("network access is not available when policykit runs a handler")


def _block_network() -> None:
    if hasattr(sys, "addaudithook"):  # 3.8+: a hook cannot be removed by the code it watches
        own = str(os.getpid())

        def hook(event: str, args: tuple[object, ...]) -> None:
            if event in NETWORK_EVENTS:
                _blocked()
            # without a PID namespace, at least Python code cannot read policykit's /proc/<ppid>/environ
            if event == "open" and args and isinstance(args[0], str) and args[0].startswith("/proc/") and (
                    args[0].split("/")[2].isdigit() and args[0].split("/")[2] != own):
                raise PermissionError(f"{args[0]}: another process's /proc is not readable from a handler")
        sys.addaudithook(hook)
        return
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


def _failure(exc: BaseException) -> dict[str, object]:
    """The done message of a handler (or its import) that raised: the parent tells a missing module that is
    declared, provided by Lambda or neither, and code this interpreter cannot compile, apart."""
    if isinstance(exc, NetworkBlocked):
        return {"outcome": "unavailable", "reason": "network", "detail": "it makes a network call (" + str(exc) + ")"}
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
    if isinstance(exc, SyntaxError) and exc.filename:
        where = f" at {os.path.basename(exc.filename)}:{exc.lineno}"
    message: dict[str, object] = {"outcome": "error", "detail": f"{type(exc).__name__}: {exc}{where}",
               "syntax": isinstance(exc, SyntaxError),
               "python": f"{sys.version_info[0]}.{sys.version_info[1]}"}
    if isinstance(exc, ModuleNotFoundError) and exc.name:
        message["missing"] = exc.name.split(".")[0]
    return message


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

    def send(message: dict[str, object]) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    event = json.loads(sys.stdin.read())["event"]
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
        send(dict(phase="done", **_failure(exc)))
        return
    send({"phase": "loaded"})
    try:
        value = handler(event, Context(name, timeout))
    except BaseException as exc:
        send(dict(phase="done", **_failure(exc)))
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
