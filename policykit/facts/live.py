"""Facts of `scan --live` objects: what the probes saw, for the PK6xx policies to judge.

A step that was tried and failed (refused, timed out, closed, answered nothing) is a value the
policies judge: a verdict. Only a step that was not run (not probed, an earlier step failed, a
larger bound cut it short) is `Unknown` with the reason, so its policies say "not checked".
The facts of an endpoint are here; a name's are in live_tls.py (the handshake, the chain) and
live_http.py (the answers, the read timeout, the upgrade).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable

from policykit.core.results import DnsStatus, TcpStatus
from policykit.core.values import Unknown
from policykit.facts import live_http, live_tls
from policykit.facts.live_tls import CertData, certificate_data
from policykit.model.live import LiveName, LiveOrigin

__all__ = ["FACTS", "CertData", "certificate_data"]

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


LIVE_ORIGIN_FACTS: dict[str, Callable[[LiveOrigin], object]] = {fn.__name__: fn for fn in (
    dns_status, dns_problem, resolves_private_only, private_unreachable, addresses, cname_chain, dns_detail,
    tcp_status, tcp_detail, dig_command, connect_command,
)}
LIVE_NAME_FACTS: dict[str, Callable[[LiveName], object]] = {fn.__name__: fn for fn in (
    live_tls.tls_status, live_tls.tls_detail, live_tls.offered_protocols, live_tls.negotiated, live_tls.tls_session,
    live_tls.certificate_problems, live_tls.certificate_names, live_tls.certificate_chain, live_tls.served_chain,
    live_tls.trust_reason, live_tls.certificate_validity, live_tls.certificate_days_left, live_tls.missing_issuer,
    live_tls.verify_error, live_tls.cloudfront_cannot_use, live_tls.cloudfront_may_refuse,
    live_tls.certificate_key_problems, live_tls.certificate_key, live_tls.key_unusable, live_tls.browser_notes,
    live_tls.profile_not_checked,
    live_tls.openssl_command, live_tls.openssl_differs,
    live_http.origin_status, live_http.http_outcome, live_http.http_detail, live_http.read_timeout,
    live_http.origin_read_timeout, live_http.first_byte_seconds, live_http.read_timeout_exceeded,
    live_http.first_byte_words, live_http.origin_status_line, live_http.websocket_refused,
    live_http.websocket_timed_out, live_http.websocket_response, live_http.websocket_problem,
    live_http.websocket_request, live_http.websocket_command, live_http.curl_command,
)}
# Read by policykit.facts on first use of a live object's fact (a scan without --live never imports this module)
FACTS = {"live_origin": LIVE_ORIGIN_FACTS, "live_name": LIVE_NAME_FACTS}
