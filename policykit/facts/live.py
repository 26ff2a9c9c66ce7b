"""Facts of `scan --live` objects: what the probes saw, for the PK6xx policies to judge.

A step that was tried and failed (refused, timed out, closed, answered nothing) is a value the
policies judge: a verdict. Only a step that was not run (not probed, an earlier step failed, a
larger bound cut it short) is `Unknown` with the reason, so its policies say "not checked".
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from policykit.core.origin_tls import cloudfront_ciphers
from policykit.core.results import CertInfo, ChainResult, DnsStatus, HttpOutcome, TcpStatus, TlsStatus
from policykit.core.values import Unknown
from policykit.model.live import LiveName, LiveOrigin

# A certificate as data (evidence for machines, and the JSON of what the probes saw)
CertData = dict[str, str | int | bool | list[str]]

# ---- live_origin -------------------------------------------------------------------------------

def dns_status(live: LiveOrigin) -> str | Unknown:
    """How the origin domain resolved: ok, ip-literal, nxdomain, servfail, no-answer."""
    if live.dns is None:
        return Unknown(live.not_probed or "not resolved")
    if live.dns.status in (DnsStatus.TIMEOUT, DnsStatus.ERROR):
        return Unknown(f"DNS lookup of {live.host}: {live.dns.detail}")
    return str(live.dns.status)


def resolves_private_only(live: LiveOrigin) -> bool | Unknown:
    """Do all the addresses of the origin domain lie in loopback/private/link-local/special ranges?"""
    status = dns_status(live)
    if isinstance(status, Unknown) or live.dns is None:
        return status if isinstance(status, Unknown) else Unknown("not resolved")
    return bool(live.dns.private_only)


def private_unreachable(live: LiveOrigin) -> bool | Unknown:
    """Only private/special addresses, and --allow-private was not given: CloudFront cannot reach them."""
    private = resolves_private_only(live)
    return private if isinstance(private, Unknown) else private and not live.allow_private


def dns_problem(live: LiveOrigin) -> str:
    """What is wrong with the answer, in words: NXDOMAIN, SERVFAIL, no A/AAAA record, only private addresses."""
    if live.dns is None:
        return ""
    words = {DnsStatus.NXDOMAIN: "NXDOMAIN: the name does not exist",
             DnsStatus.SERVFAIL: "SERVFAIL: the resolver failed", DnsStatus.NO_ANSWER: "no A or AAAA record"}
    if live.dns.status in words:
        return words[live.dns.status]
    return "only loopback/private/link-local addresses" if live.dns.private_only else ""


def addresses(live: LiveOrigin) -> list[str] | Unknown:
    """The A/AAAA answers for the origin domain."""
    return list(live.dns.addresses) if live.dns is not None else Unknown(live.not_probed or "not resolved")


def cname_chain(live: LiveOrigin) -> list[str]:
    """The CNAME chain the origin domain resolves through."""
    return list(live.dns.cnames) if live.dns is not None else []


def dns_detail(live: LiveOrigin) -> str:
    """The resolver's words when the origin domain did not resolve, or why its answer was not probed."""
    if live.dns is None:
        return ""
    if live.dns.detail:
        return str(live.dns.detail)
    if live.dns.private_only and not live.allow_private:
        return (f"answered {', '.join(live.dns.addresses)}: not probed; pass --allow-private to probe it "
                "anyway (a test setup, or an origin reached through a VPC origin)")
    return f"answered {', '.join(live.dns.addresses)}" if live.dns.addresses else ""


def tcp_status(live: LiveOrigin) -> str | Unknown:
    """TCP connect to the origin port: open, refused, timeout or error."""
    if live.tcp is None:
        return Unknown(live.not_probed or "not connected")
    if live.tcp.status is TcpStatus.CUT:
        return Unknown(f"TCP {live.tcp.address}:{live.tcp.port}: {live.tcp.detail}")
    return str(live.tcp.status)


def tcp_detail(live: LiveOrigin) -> str:
    """Why the TCP connection failed."""
    return str(live.tcp.detail) if live.tcp is not None else ""


def dig_command(live: LiveOrigin) -> str:
    """The `dig` command that shows what the resolver answers for the origin domain."""
    server = ""
    if live.nameservers:
        host, _, port = live.nameservers[0].rpartition(":") if ":" in live.nameservers[0] else (
            live.nameservers[0], "", "")
        server = f" @{host}" + (f" -p {port}" if port else "")
    return f"dig{server} {shlex.quote(live.host)} A {shlex.quote(live.host)} AAAA"


def connect_command(live: LiveOrigin) -> str:
    """A command that opens the same TCP connection."""
    return f"nc -vz -w 5 {shlex.quote(live.address or live.host)} {live.port}"


# ---- live_name ---------------------------------------------------------------------------------

def certificate_data(cert: CertInfo, position: int) -> CertData:
    """A served certificate as data: its position in the chain, names, validity and fingerprint."""
    return {"position": position, "subject": cert.subject, "issuer": cert.issuer, "sans": list(cert.names),
            "not_before": cert.not_before, "not_after": cert.not_after, "sha256": cert.sha256, "ca": cert.is_ca}


def _leaf(chain: ChainResult | None) -> CertInfo | None:
    return chain.certificates[0] if chain is not None and chain.certificates else None


def _https(name: LiveName) -> bool:
    return name.endpoint is not None and name.endpoint.scheme == "https"


def tls_status(name: LiveName) -> str | Unknown | None:
    """The CloudFront-like handshake: ok, no-common-protocol, no-common-cipher, timeout, failed (None over HTTP)."""
    if not _https(name):
        return None
    if name.tls is None:
        return Unknown(name.not_probed or "no handshake attempted")
    if name.tls.status in (TlsStatus.CUT, TlsStatus.NOT_OFFERED):
        return Unknown(f"TLS handshake with {name.name}: {name.tls.detail}")
    return str(TlsStatus.FAILED if name.tls.status is TlsStatus.REFUSED else name.tls.status)


def tls_detail(name: LiveName) -> str:
    """Why the handshake failed, and what the server accepts instead."""
    return str(name.tls.detail) if name.tls is not None else ""


def offered_protocols(name: LiveName) -> list[str]:
    """The protocol versions CloudFront offers this origin (OriginSSLProtocols)."""
    return list(name.tls.offered) if name.tls is not None else []


def negotiated(name: LiveName) -> str:
    """Protocol and cipher the CloudFront-like handshake agreed on."""
    if name.tls is None or name.tls.status is not TlsStatus.OK:
        return "(none)"
    return f"{name.tls.protocol} {name.tls.cipher}"


def tls_session(name: LiveName) -> dict[str, str | list[str] | None] | None:
    """Protocol, cipher and the offer, as data (evidence for machines)."""
    if name.tls is None:
        return None
    return {"protocol": name.tls.protocol or None, "cipher": name.tls.cipher or None, "offered": list(name.tls.offered),
            "status": str(name.tls.status)}


def certificate_problems(name: LiveName) -> list[str] | Unknown:
    """What is wrong with the served chain: expired, not-yet-valid, self-signed, untrusted-root,
    incomplete-chain, wrong-order, name-mismatch, expiring-soon, untrusted."""
    if not _https(name):
        return []
    if name.chain is None:
        return Unknown(name.not_probed or "no certificate received")
    if not name.chain.certificates:
        return Unknown(name.chain.detail or "no certificate received")
    return [str(problem) for problem in name.chain.problems]


def certificate_names(name: LiveName) -> list[str]:
    """The DNS names of the served leaf certificate (SANs, or the CN without SANs)."""
    leaf = _leaf(name.chain)
    return list(leaf.names) if leaf else []


def certificate_chain(name: LiveName) -> str:
    """The served chain, in order: subject <- issuer."""
    if name.chain is None:
        return ""
    return "; ".join(f"[{i}] {c.subject} (issuer {c.issuer})" for i, c in enumerate(name.chain.certificates))


def served_chain(name: LiveName) -> list[CertData]:
    """The served chain as data: position, subject, issuer, SANs, not_before, not_after, sha256, ca."""
    if name.chain is None:
        return []
    return [certificate_data(c, i) for i, c in enumerate(name.chain.certificates)]


def trust_reason(name: LiveName) -> str:
    """Why the served chain does not verify to a root CloudFront trusts, in words."""
    return str(name.chain.trust_reason) if name.chain is not None and name.chain.trust_reason else "(none)"


def certificate_validity(name: LiveName) -> str:
    """notBefore .. notAfter of the served leaf certificate."""
    leaf = _leaf(name.chain)
    return f"{leaf.not_before} .. {leaf.not_after}" if leaf else ""


def certificate_days_left(name: LiveName) -> int | Unknown:
    """Days until the served leaf certificate expires."""
    if name.chain is None or name.chain.days_left is None:
        return Unknown(name.not_probed or "no certificate received")
    return int(name.chain.days_left)


def missing_issuer(name: LiveName) -> str:
    """The issuer the served chain stops at: neither sent by the origin nor a trusted root."""
    return str(name.chain.missing_issuer) if name.chain is not None and name.chain.missing_issuer else "(none)"


def verify_error(name: LiveName) -> str:
    """What certificate path validation (no AIA, the configured roots) said."""
    return str(name.chain.verify_error) if name.chain is not None and name.chain.verify_error else "(none)"


def origin_status(name: LiveName) -> int | Unknown:
    """The HTTP status of `HEAD /` sent with this Host (and SNI)."""
    if name.head is None:
        return Unknown(name.requests_not_sent or name.not_probed or "no request sent")
    if name.head.status is None:
        return Unknown(f"HEAD {name.head.path}: {name.head.detail or 'no status line'}")
    return int(name.head.status)


def http_outcome(name: LiveName) -> str | Unknown:
    """How the origin answered `HEAD /`: answered, timeout, closed, reset, not-http or error."""
    if name.head is None:
        return Unknown(name.requests_not_sent or name.not_probed or "no request sent")
    if name.head.outcome is HttpOutcome.CUT:
        return Unknown(f"HEAD {name.head.path}: {name.head.detail}")
    return str(name.head.outcome)


def http_detail(name: LiveName) -> str:
    """What happened to `HEAD /` when no status line came back."""
    return str(name.head.detail) if name.head is not None else ""


def read_timeout(name: LiveName) -> int:
    """The origin's OriginReadTimeout in seconds (30 when not written)."""
    origin = name.origin
    value = getattr(origin, "read_timeout", None)
    return value if isinstance(value, int) and not isinstance(value, bool) else 30


def origin_status_line(name: LiveName) -> str:
    """The status line the origin answered `HEAD /` with."""
    return str(name.head.status_line) if name.head is not None else ""


def websocket_refused(name: LiveName) -> bool | Unknown:
    """Did the origin answer a WebSocket upgrade with anything but 101, or not at all? (false when none was sent)"""
    if name.websocket is None:
        return Unknown(name.not_probed) if name.not_probed else False
    if name.websocket.outcome is HttpOutcome.CUT:
        return Unknown(f"WebSocket upgrade to {name.name}: {name.websocket.detail}")
    if name.websocket.status is None:  # tried: closed, reset, or no answer in time
        return True
    return bool(name.websocket.status != 101)


def websocket_timed_out(name: LiveName) -> bool:
    """The upgrade got no answer within the probe's timeout (CloudFront may wait longer)."""
    return name.websocket is not None and name.websocket.outcome is HttpOutcome.TIMEOUT


def websocket_response(name: LiveName) -> str:
    """What the origin answered the upgrade request with."""
    if name.websocket is None:
        return ""
    ws = name.websocket
    return ws.status_line or ws.detail or "(no response)"


def websocket_request(name: LiveName) -> str:
    """The upgrade request that was sent."""
    return f"GET {name.websocket.path} (Host: {name.name})" if name.websocket is not None else ""


def openssl_command(name: LiveName) -> str:
    """The `openssl s_client` command that makes the same handshake and checks the same name and roots."""
    endpoint = name.endpoint
    host = endpoint.address or endpoint.host if endpoint is not None else name.name
    port = endpoint.port if endpoint is not None else 443
    offered = offered_protocols(name) or ["TLSv1.2"]
    versions = "-tls1_2" if offered == ["TLSv1.2"] else f"-min_protocol {offered[0]} -max_protocol {offered[-1]}"
    trust = getattr(endpoint, "trust_store", "") if endpoint is not None else ""
    ciphers = ":".join(cloudfront_ciphers()) + ":@SECLEVEL=0"
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return (f"openssl s_client -connect {shlex.quote(target)} -servername {shlex.quote(name.name)}"
            f" -verify_hostname {shlex.quote(name.name)}{f' -CAfile {shlex.quote(trust)}' if trust else ''}"
            f" {versions} -cipher {shlex.quote(ciphers)} -showcerts </dev/null")


def curl_command(name: LiveName) -> str:
    """A `curl` command that sends the same HEAD request."""
    endpoint = name.endpoint
    if endpoint is None:
        return ""
    scheme, port = endpoint.scheme, endpoint.port
    resolve = f"--resolve {shlex.quote(f'{name.name}:{port}:{endpoint.address}')} " if endpoint.address else ""
    return f"curl -sS -I {resolve}{scheme}://{name.name}:{port}/"


def websocket_command(name: LiveName) -> str:
    """A `curl` command that sends the same WebSocket upgrade request."""
    endpoint = name.endpoint
    if endpoint is None or name.websocket is None:
        return ""
    port = endpoint.port
    resolve = f"--resolve {shlex.quote(f'{name.name}:{port}:{endpoint.address}')} " if endpoint.address else ""
    scheme = endpoint.scheme
    return (f"curl -sS -i --http1.1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' "
            f"-H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "
            f"{resolve}{scheme}://{name.name}:{port}{name.websocket.path}")


LIVE_ORIGIN_FACTS: dict[str, Callable[[LiveOrigin], object]] = {fn.__name__: fn for fn in (
    dns_status, dns_problem, resolves_private_only, private_unreachable, addresses, cname_chain, dns_detail,
    tcp_status, tcp_detail, dig_command, connect_command,
)}
LIVE_NAME_FACTS: dict[str, Callable[[LiveName], object]] = {fn.__name__: fn for fn in (
    tls_status, tls_detail, offered_protocols, negotiated, tls_session, certificate_problems, certificate_names,
    certificate_chain, served_chain, trust_reason, certificate_validity, certificate_days_left, missing_issuer,
    verify_error, origin_status, http_outcome, http_detail, read_timeout, origin_status_line, websocket_refused,
    websocket_timed_out, websocket_response, websocket_request, websocket_command, openssl_command, curl_command,
)}
# Read by policykit.facts on first use of a live object's fact (a scan without --live never imports this module)
FACTS = {"live_origin": LIVE_ORIGIN_FACTS, "live_name": LIVE_NAME_FACTS}
