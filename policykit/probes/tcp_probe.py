"""TCP: can a connection to the origin port be opened at all?"""

from __future__ import annotations

from policykit.core.record import record
from policykit.probes.addresses import open_connection
from policykit.probes.budget import Step


@record
class TcpResult:
    address: str
    port: int
    status: str  # open | refused | timeout | cut | error
    detail: str = ""


def connect(address: str, port: int, step: Step, allow_private: bool) -> TcpResult:
    try:
        with open_connection(address, port, step.remaining(), allow_private):
            return TcpResult(address, port, "open")
    except ConnectionRefusedError:
        return TcpResult(address, port, "refused", "connection refused (nothing listens, or a firewall rejects)")
    except TimeoutError:
        if step.cut:
            return TcpResult(address, port, "cut", f"no answer: {step.timeout_words()}")
        return TcpResult(address, port, "timeout", f"no answer {step.timeout_words()} from this machine "
                         "(a firewall drops the packets, or admits only CloudFront's addresses)")
    except OSError as exc:
        return TcpResult(address, port, "error", exc.strerror or str(exc) or type(exc).__name__)
