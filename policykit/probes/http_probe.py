"""HTTP: does the origin answer at all (HEAD), and does it accept a WebSocket upgrade (RFC 6455)?

Requests carry no body and no credentials, and are built from validated parts only: a Host that
is a DNS name (policykit.core.name_rules) and a path of printable ASCII without spaces. For HTTPS
the connection uses the parameters the CloudFront-like handshake agreed on.
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
from typing import Literal

from policykit.core.name_rules import host_problem, request_path_problem
from policykit.core.results import HttpOutcome, HttpResult
from policykit.probes.addresses import open_connection
from policykit.probes.deadlines import Step

STATUS_LINE_LIMIT = 8192  # bytes read for the status line


class UnsafeRequest(ValueError):
    """A Host or path that is not valid on the wire reached the request builder (a bug upstream)."""


def build_request(method: str, host: str, path: str, websocket: bool) -> bytes:
    for problem in (host_problem(host), request_path_problem(path)):
        if problem:
            raise UnsafeRequest(problem)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "User-Agent: policykit-live-probe"]
    if websocket:
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        lines += ["Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                  "Sec-WebSocket-Version: 13"]
    else:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def request(address: str, port: int, host: str, path: str, step: Step, allow_private: bool,
            tls: ssl.SSLContext | None = None, websocket: bool = False) -> HttpResult:
    method: Literal["HEAD", "GET"] = "GET" if websocket else "HEAD"
    payload = build_request(method, host, path, websocket)

    def result(outcome: HttpOutcome, detail: str, line: str = "") -> HttpResult:
        return HttpResult(method, host, path, None, line, detail, outcome)

    try:
        with open_connection(address, port, step.remaining(), allow_private) as raw:
            raw.settimeout(max(step.remaining(), 0.001))
            stream: socket.socket = tls.wrap_socket(raw, server_hostname=host) if tls else raw
            with stream:
                stream.settimeout(max(step.remaining(), 0.001))
                stream.sendall(payload)
                line = _status_line(stream, step)
    except TimeoutError:
        return result(HttpOutcome.CUT if step.cut else HttpOutcome.TIMEOUT, f"no response {step.timeout_words()}")
    except ConnectionResetError:
        return result(HttpOutcome.RESET, "the origin reset the connection without answering")
    except (OSError, ssl.SSLError) as exc:
        return result(HttpOutcome.ERROR, str(exc) or type(exc).__name__)
    parts = line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        if not line:
            return result(HttpOutcome.CLOSED, "the origin closed the connection without answering")
        return result(HttpOutcome.NOT_HTTP, "the origin answered with something that is not an HTTP status line", line)
    return HttpResult(method, host, path, int(parts[1]), line)


def _status_line(stream: socket.socket, step: Step) -> str:
    """The first line of the answer, read against the step's deadline (a server sending one byte
    a second cannot stretch it: each read gets only the time that is left)."""
    data = b""
    while b"\r\n" not in data and len(data) < STATUS_LINE_LIMIT:
        remaining = step.remaining()
        if remaining <= 0:
            raise TimeoutError
        stream.settimeout(remaining)
        chunk = stream.recv(1024)
        if not chunk:
            break
        data += chunk
    text = data.split(b"\r\n", 1)[0].decode("latin-1").strip()
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)[:200]
