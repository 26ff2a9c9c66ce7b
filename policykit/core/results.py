"""What the live probes saw: typed, frozen values with no behaviour, one per step (as sslyze's scan attempts).

The probes (policykit/probes) make them; the live objects of the model (policykit/model/live.py) hold them and
the facts (policykit/facts/live.py) read them, so they live here, below both. A status says how the step ended:
a step tried and failed is a verdict (refused, timeout, nxdomain); `cut` says a larger bound (per origin, per
run) left the step no time, which proves nothing.
"""

from __future__ import annotations

import enum
from typing import Literal

from policykit.core.origin_tls import Breach
from policykit.core.record import record


class Status(str, enum.Enum):
    """A status word: equal to, and shown as, its value (`ok`, `no-common-cipher`), in messages and JSON."""

    _value_: str

    def __str__(self) -> str:
        return str(self.value)


class DnsStatus(Status):
    OK = "ok"
    IP_LITERAL = "ip-literal"  # the origin is an address: nothing to resolve
    NXDOMAIN = "nxdomain"
    SERVFAIL = "servfail"
    NO_ANSWER = "no-answer"
    TIMEOUT = "timeout"
    ERROR = "error"


class TcpStatus(Status):
    OPEN = "open"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    CUT = "cut"
    ERROR = "error"


class TlsStatus(Status):
    OK = "ok"
    NO_COMMON_PROTOCOL = "no-common-protocol"
    NO_COMMON_CIPHER = "no-common-cipher"
    TIMEOUT = "timeout"
    REFUSED = "refused"
    FAILED = "failed"
    NOT_OFFERED = "not-offered"  # only what this machine cannot offer (SSLv3, RC4-MD5...) would do: not checked
    CUT = "cut"


class ChainProblem(Status):
    EXPIRED = "expired"
    NOT_YET_VALID = "not-yet-valid"
    SELF_SIGNED = "self-signed"
    UNTRUSTED_ROOT = "untrusted-root"
    INCOMPLETE_CHAIN = "incomplete-chain"
    WRONG_ORDER = "wrong-order"
    NAME_MISMATCH = "name-mismatch"
    EXPIRING_SOON = "expiring-soon"
    UNTRUSTED = "untrusted"  # the path reaches a trusted root and still breaks a rule


class HttpOutcome(Status):
    ANSWERED = "answered"
    TIMEOUT = "timeout"
    CLOSED = "closed"
    RESET = "reset"
    NOT_HTTP = "not-http"
    ERROR = "error"
    CUT = "cut"


@record
class DnsResult:
    host: str
    status: DnsStatus
    addresses: tuple[str, ...] = ()
    cnames: tuple[str, ...] = ()  # the CNAME chain, in order
    detail: str = ""
    # every answer is loopback, private, link-local or otherwise not publicly routable
    private_only: bool = False


@record
class TcpResult:
    address: str
    port: int
    status: TcpStatus
    detail: str = ""


@record
class TlsResult:
    address: str
    port: int
    sni: str
    offered: tuple[str, ...]  # protocol versions offered
    status: TlsStatus
    protocol: str = ""
    cipher: str = ""
    chain: tuple[bytes, ...] = ()  # DER, in the order the server sent it (for a failed handshake: to a broader offer)
    detail: str = ""
    group: str = ""  # the ECDHE curve, when the handshake that agreed offered only that one
    sigalg: str = ""  # the handshake signature scheme, where this Python reports it
    not_checked: tuple[str, ...] = ()  # ids of profile rules (core/origin_tls.py) this handshake could not apply
    note: str = ""  # how the offer was narrowed to CloudFront's (another certificate for what CloudFront offers)


@record
class CertInfo:
    subject: str
    issuer: str
    names: tuple[str, ...]  # what CloudFront matches: the SAN's DNS and IP names, or the CN without DNS names
    not_before: str
    not_after: str
    sha256: str = ""
    is_ca: bool = False
    sans: tuple[str, ...] = ()  # the subjectAltName as sent (printable, escaped)
    common_name: str = ""
    key: str = ""  # "RSA 2048", "ECDSA P-256", "Ed25519"
    signature: str = ""  # "ECDSA SHA256", "RSA-PKCS1 SHA1"


@record
class ChainResult:
    sni: str
    certificates: tuple[CertInfo, ...]  # as served, the leaf first
    problems: tuple[ChainProblem, ...]
    verify_error: str = ""  # the verifier's own text (evidence, not the reason)
    days_left: int | None = None  # of the leaf
    detail: str = ""
    missing_issuer: str = ""  # the issuer the chain stops at: neither sent nor trusted
    trust_reason: str = ""  # why the chain does not verify, in words
    breaches: tuple[Breach, ...] = ()  # what CloudFront cannot use (keys, signatures), by its profile
    notes: tuple[str, ...] = ()  # rules browsers apply and CloudFront does not: never a verdict
    anchor: str = ""  # the trusted root the path ends at


@record
class HttpResult:
    method: Literal["HEAD", "GET"]  # GET: a WebSocket upgrade
    host: str  # the Host header sent
    path: str
    status: int | None  # None: no status line
    status_line: str = ""
    detail: str = ""
    outcome: HttpOutcome = HttpOutcome.ANSWERED
    first_byte: float | None = None  # seconds from the request sent to the answer's first byte
    waited: float = 0.0  # seconds waited after sending without a first byte
    wait_limit: str = ""  # the option that kept the wait short of the read timeout (--origin-timeout)
    needed_bound: int = 0  # the value of that option that lets the wait cover the read timeout
    upgrade_problem: str = ""  # what makes a 101 answer fail at an RFC 6455 client ("" when none)
