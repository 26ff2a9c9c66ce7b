"""TCP: can a connection to the origin port be opened at all?"""

from __future__ import annotations

from policykit.core.results import TcpResult, TcpStatus
from policykit.probes.addresses import open_connection
from policykit.probes.deadlines import Step


def connect(address: str, port: int, step: Step, allow_private: bool) -> TcpResult:
    try:
        with open_connection(address, port, step.remaining(), allow_private):
            return TcpResult(address, port, TcpStatus.OPEN)
    except ConnectionRefusedError:
        return TcpResult(address, port, TcpStatus.REFUSED,
                         "connection refused (nothing listens, or a firewall rejects)")
    except TimeoutError:
        if step.cut:
            return TcpResult(address, port, TcpStatus.CUT, f"no answer: {step.timeout_words()}")
        return TcpResult(address, port, TcpStatus.TIMEOUT, f"no answer {step.timeout_words()} from this machine "
                         "(a firewall drops the packets, or admits only CloudFront's addresses)")
    except OSError as exc:
        return TcpResult(address, port, TcpStatus.ERROR, exc.strerror or str(exc) or type(exc).__name__)
