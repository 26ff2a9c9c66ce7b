"""HTTP: does the origin answer (HEAD), how soon, and does it accept a WebSocket upgrade as a client checks it?

Requests carry no body and no credentials, and are built from validated parts only: a Host that is a DNS name
(policykit.core.name_rules) and a path of printable ASCII without spaces. For HTTPS the connection uses the
parameters the CloudFront-like handshake agreed on.

The time from the request sent to the answer's first byte is measured against the origin's OriginReadTimeout
(facts §3.2): the caller may let the first byte come later than the step's deadline (`answer_by`), up to the read
timeout and a margin. A 101 answer to an upgrade is checked as an RFC 6455 client checks it (§4.1): Upgrade,
Connection and the Sec-WebSocket-Accept computed from the key sent (facts §6 row 3).
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import ssl
import time
from typing import Literal

from policykit.core.name_rules import host_problem, request_path_problem
from policykit.core.record import record
from policykit.core.results import HttpOutcome, HttpResult
from policykit.probes.addresses import open_connection
from policykit.probes.deadlines import Step

STATUS_LINE_LIMIT = 8192  # bytes read for the status line (and, for an upgrade, the header block)
WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3


class UnsafeRequest(ValueError):
    """A Host or path that is not valid on the wire reached the request builder (a bug upstream)."""


def websocket_accept(key: str) -> str:
    """The Sec-WebSocket-Accept an origin must answer for `key` (RFC 6455 §4.2.2)."""
    return base64.b64encode(hashlib.sha1((key + WEBSOCKET_GUID).encode("ascii")).digest()).decode("ascii")


def build_request(method: str, host: str, path: str, websocket: bool, key: str = "") -> bytes:
    for problem in (host_problem(host), request_path_problem(path)):
        if problem:
            raise UnsafeRequest(problem)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "User-Agent: policykit-live-probe"]
    if websocket:
        key = key or base64.b64encode(os.urandom(16)).decode("ascii")
        lines += ["Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                  "Sec-WebSocket-Version: 13"]
    else:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


@record
class _Wait:
    """How long the first byte may take: until `answer_by` (monotonic); `extended`: past the step's deadline."""

    answer_by: float
    extended: bool


def request(address: str, port: int, host: str, path: str, step: Step, allow_private: bool,
            tls: ssl.SSLContext | None = None, websocket: bool = False, answer_by: float | None = None
            ) -> HttpResult:
    """One request; the first byte of the answer may come until `answer_by` (the step's deadline by default),
    the rest of the status line (and an upgrade's headers) within the step's time after it."""
    method: Literal["HEAD", "GET"] = "GET" if websocket else "HEAD"
    key = base64.b64encode(os.urandom(16)).decode("ascii")
    payload = build_request(method, host, path, websocket, key)
    wait = _Wait(max(answer_by, step.at), True) if answer_by is not None and answer_by > step.at else \
        _Wait(step.at, False)
    sent_at = 0.0
    first: float | None = None

    def result(outcome: HttpOutcome, detail: str, line: str = "") -> HttpResult:
        waited = 0.0 if first is not None or not sent_at else time.monotonic() - sent_at
        return HttpResult(method, host, path, None, line, detail, outcome, first, round(waited, 3))

    try:
        with open_connection(address, port, step.remaining(), allow_private) as raw:
            raw.settimeout(max(step.remaining(), 0.001))
            stream: socket.socket = tls.wrap_socket(raw, server_hostname=host) if tls else raw
            with stream:
                stream.settimeout(max(step.remaining(), 0.001))
                stream.sendall(payload)
                sent_at = time.monotonic()
                data = _first_bytes(stream, wait.answer_by)
                first = round(time.monotonic() - sent_at, 6) if data else None
                head = _rest(stream, data, max(step.at, time.monotonic() + step.seconds), websocket)
    except TimeoutError:
        if first is None and wait.extended:
            return result(HttpOutcome.TIMEOUT, f"no response within {wait.answer_by - sent_at:.1f} s")
        return result(HttpOutcome.CUT if step.cut and first is None else HttpOutcome.TIMEOUT,
                      f"no response {step.timeout_words()}")
    except ConnectionResetError:
        return result(HttpOutcome.RESET, "the origin reset the connection without answering")
    except (OSError, ssl.SSLError) as exc:
        return result(HttpOutcome.ERROR, str(exc) or type(exc).__name__)
    text = head.decode("latin-1")
    line = _printable(text.split("\r\n", 1)[0].strip())[:200]
    parts = line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        if not line:
            return result(HttpOutcome.CLOSED, "the origin closed the connection without answering")
        return result(HttpOutcome.NOT_HTTP, "the origin answered with something that is not an HTTP status line", line)
    status = int(parts[1])
    problem = upgrade_problem(text, key) if websocket and status == 101 else ""
    return HttpResult(method, host, path, status, line, first_byte=first, upgrade_problem=problem)


def upgrade_problem(head: str, key: str) -> str:
    """What makes a 101 answer fail at an RFC 6455 client (§4.1): "" when the upgrade is complete."""
    headers: dict[str, list[str]] = {}
    for raw in head.split("\r\n")[1:]:
        name, colon, value = raw.partition(":")
        if colon:
            headers.setdefault(name.strip().lower(), []).append(value.strip())
    upgrade = headers.get("upgrade", [])
    if not any(v.lower() == "websocket" for v in upgrade):
        return "the 101 answer has no Upgrade: websocket header"
    if not any("upgrade" in (t.strip().lower() for t in v.split(",")) for v in headers.get("connection", [])):
        return "the 101 answer has no Connection: Upgrade header"
    accept = headers.get("sec-websocket-accept", [])
    if not accept:
        return "the 101 answer has no Sec-WebSocket-Accept header"
    expected = websocket_accept(key)
    if accept != [expected]:
        shown = _printable(", ".join(accept))[:80]
        return f"the 101 answer's Sec-WebSocket-Accept is {shown}, not {expected}, the value for the key sent"
    return ""


def _first_bytes(stream: socket.socket, answer_by: float) -> bytes:
    """What the first read returns, waiting until `answer_by` at most (b"": the origin closed)."""
    remaining = answer_by - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    stream.settimeout(remaining)
    return stream.recv(1024)


def _rest(stream: socket.socket, data: bytes, until: float, whole_head: bool) -> bytes:
    """The status line (or, for an upgrade, the whole header block), read against one deadline: a server
    sending one byte a second cannot stretch it, each read gets only the time that is left."""
    end = b"\r\n\r\n" if whole_head else b"\r\n"
    while data and end not in data and len(data) < STATUS_LINE_LIMIT:
        remaining = until - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        stream.settimeout(remaining)
        chunk = stream.recv(1024)
        if not chunk:
            break
        data += chunk
    return data[:STATUS_LINE_LIMIT]


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
