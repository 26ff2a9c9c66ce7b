"""TCP: can a connection to the origin port be opened at all?"""

from __future__ import annotations

import socket
from dataclasses import dataclass


@dataclass(frozen=True)
class TcpResult:
    address: str
    port: int
    status: str  # open | refused | timeout | error
    detail: str = ""


def connect(address: str, port: int, timeout: float) -> TcpResult:
    try:
        with socket.create_connection((address, port), timeout=timeout):
            return TcpResult(address, port, "open")
    except ConnectionRefusedError:
        return TcpResult(address, port, "refused", "connection refused (nothing listens, or a firewall rejects)")
    except TimeoutError:
        return TcpResult(address, port, "timeout", f"no answer within {timeout:g} s (a firewall drops the packets?)")
    except OSError as exc:
        return TcpResult(address, port, "error", exc.strerror or str(exc))
