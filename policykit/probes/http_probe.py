"""HTTP: does the origin answer at all (HEAD), and does it accept a WebSocket upgrade (RFC 6455)?

Requests carry no body and no credentials. For HTTPS the connection uses the parameters the
CloudFront-like handshake agreed on.
"""

from __future__ import annotations

import base64
import os
import socket
import ssl
from dataclasses import dataclass


@dataclass(frozen=True)
class HttpResult:
    method: str  # HEAD | GET (upgrade)
    host: str  # the Host header sent
    path: str
    status: int | None  # None: no status line
    status_line: str = ""
    detail: str = ""


def request(address: str, port: int, host: str, path: str, timeout: float,
            tls: ssl.SSLContext | None = None, sni: str = "", websocket: bool = False) -> HttpResult:
    method = "GET" if websocket else "HEAD"
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "User-Agent: policykit-live-probe"]
    if websocket:
        key = base64.b64encode(os.urandom(16)).decode("ascii")
        lines += ["Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                  "Sec-WebSocket-Version: 13"]
    else:
        lines.append("Connection: close")
    payload = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
    try:
        with socket.create_connection((address, port), timeout=timeout) as raw:
            raw.settimeout(timeout)
            stream: socket.socket = tls.wrap_socket(raw, server_hostname=sni or host) if tls else raw
            with stream:
                stream.sendall(payload)
                line = _status_line(stream)
    except TimeoutError:
        return HttpResult(method, host, path, None, detail=f"no response within {timeout:g} s")
    except (OSError, ssl.SSLError) as exc:
        return HttpResult(method, host, path, None, detail=str(exc) or type(exc).__name__)
    parts = line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
        return HttpResult(method, host, path, None, line, "not an HTTP response" if line else "connection closed")
    return HttpResult(method, host, path, int(parts[1]), line)


def _status_line(stream: socket.socket, limit: int = 8192) -> str:
    data = b""
    while b"\r\n" not in data and len(data) < limit:
        chunk = stream.recv(1024)
        if not chunk:
            break
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1").strip()
