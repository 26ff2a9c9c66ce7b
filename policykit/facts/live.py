"""Facts of `scan --live` objects: what the probes saw, for the PK6xx policies to judge.

A step that was not run (not probed, an earlier step failed, a timeout that proves nothing)
is `Unknown` with the reason, so its policies report "not checked", never an error.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

from policykit.model.values import Unknown

# Typed as Any: the live objects live in policykit.probes, which the static path never imports.
Live = Any


# ---- live_origin -------------------------------------------------------------------------------

def dns_status(live: Live) -> str | Unknown:
    """How the origin domain resolved: ok, ip-literal, nxdomain, servfail, no-answer."""
    if live.dns is None:
        return Unknown(live.not_probed or "not resolved")
    if live.dns.status in ("timeout", "error"):
        return Unknown(f"DNS lookup of {live.host}: {live.dns.detail}")
    return str(live.dns.status)


def resolves_private_only(live: Live) -> bool | Unknown:
    """Do all the addresses of the origin domain lie in loopback/private/link-local/special ranges?"""
    status = dns_status(live)
    if isinstance(status, Unknown):
        return status
    return bool(live.dns.private_only)


def private_unreachable(live: Live) -> bool | Unknown:
    """Only private/special addresses, and --allow-private was not given: CloudFront cannot reach them."""
    private = resolves_private_only(live)
    return private if isinstance(private, Unknown) else private and not live.allow_private


def dns_problem(live: Live) -> str:
    """What is wrong with the answer, in words: NXDOMAIN, SERVFAIL, no A/AAAA record, only private addresses."""
    if live.dns is None:
        return ""
    words = {"nxdomain": "NXDOMAIN: the name does not exist", "servfail": "SERVFAIL: the resolver failed",
             "no-answer": "no A or AAAA record"}
    if live.dns.status in words:
        return words[live.dns.status]
    return "only loopback/private/link-local addresses" if live.dns.private_only else ""


def addresses(live: Live) -> list[str] | Unknown:
    """The A/AAAA answers for the origin domain."""
    return list(live.dns.addresses) if live.dns is not None else Unknown(live.not_probed or "not resolved")


def cname_chain(live: Live) -> list[str]:
    """The CNAME chain the origin domain resolves through."""
    return list(live.dns.cnames) if live.dns is not None else []


def dns_detail(live: Live) -> str:
    """The resolver's words when the origin domain did not resolve."""
    return str(live.dns.detail) if live.dns is not None else ""


def tcp_status(live: Live) -> str | Unknown:
    """TCP connect to the origin port: open, refused, timeout or error."""
    if live.tcp is None:
        return Unknown(live.not_probed or "not connected")
    return str(live.tcp.status)


def tcp_detail(live: Live) -> str:
    """Why the TCP connection failed."""
    return str(live.tcp.detail) if live.tcp is not None else ""


def dig_command(live: Live) -> str:
    """The `dig` command that shows what the resolver answers for the origin domain."""
    server = ""
    if live.nameservers:
        host, _, port = live.nameservers[0].rpartition(":") if ":" in live.nameservers[0] else (
            live.nameservers[0], "", "")
        server = f" @{host}" + (f" -p {port}" if port else "")
    return f"dig{server} {shlex.quote(live.host)} A {shlex.quote(live.host)} AAAA"


def connect_command(live: Live) -> str:
    """A command that opens the same TCP connection."""
    return f"nc -vz -w 5 {shlex.quote(live.address or live.host)} {live.port}"


# ---- live_name ---------------------------------------------------------------------------------

def _https(name: Live) -> bool:
    return name.endpoint is not None and name.endpoint.scheme == "https"


def tls_status(name: Live) -> str | Unknown | None:
    """The CloudFront-like handshake: ok, no-common-protocol, no-common-cipher (None over plain HTTP)."""
    if not _https(name):
        return None
    if name.tls is None:
        return Unknown(name.not_probed or "no handshake attempted")
    if name.tls.status in ("timeout", "failed", "refused", "not-offered"):
        return Unknown(f"TLS handshake with {name.name}: {name.tls.status}: {name.tls.detail}")
    return str(name.tls.status)


def tls_detail(name: Live) -> str:
    """Why the handshake failed, and what the server accepts instead."""
    return str(name.tls.detail) if name.tls is not None else ""


def offered_protocols(name: Live) -> list[str]:
    """The protocol versions CloudFront offers this origin (OriginSSLProtocols)."""
    return list(name.tls.offered) if name.tls is not None else []


def negotiated(name: Live) -> str:
    """Protocol and cipher the CloudFront-like handshake agreed on."""
    if name.tls is None or not name.tls.established:
        return "(none)"
    return f"{name.tls.protocol} {name.tls.cipher}"


def certificate_problems(name: Live) -> list[str] | Unknown:
    """What is wrong with the served chain: expired, not-yet-valid, self-signed, untrusted-root,
    incomplete-chain, wrong-order, name-mismatch, expiring-soon, untrusted."""
    if not _https(name):
        return []
    if name.chain is None:
        return Unknown(name.not_probed or "no certificate received")
    if not name.chain.certificates:
        return Unknown(name.chain.detail or "no certificate received")
    return list(name.chain.problems)


def certificate_names(name: Live) -> list[str]:
    """The DNS names of the served leaf certificate (SANs, or the CN without SANs)."""
    leaf = name.chain.leaf if name.chain is not None else None
    return list(leaf.names) if leaf else []


def certificate_chain(name: Live) -> str:
    """The served chain, in order: subject <- issuer."""
    if name.chain is None:
        return ""
    return "; ".join(f"[{i}] {c.subject} (issuer {c.issuer})" for i, c in enumerate(name.chain.certificates))


def certificate_validity(name: Live) -> str:
    """notBefore .. notAfter of the served leaf certificate."""
    leaf = name.chain.leaf if name.chain is not None else None
    return f"{leaf.not_before} .. {leaf.not_after}" if leaf else ""


def certificate_days_left(name: Live) -> int | Unknown:
    """Days until the served leaf certificate expires."""
    if name.chain is None or name.chain.days_left is None:
        return Unknown(name.not_probed or "no certificate received")
    return int(name.chain.days_left)


def missing_issuer(name: Live) -> str:
    """The issuer the served chain stops at: neither sent by the origin nor a trusted root."""
    return str(name.chain.missing_issuer) if name.chain is not None and name.chain.missing_issuer else "(none)"


def verify_error(name: Live) -> str:
    """What certificate path validation (no AIA, the configured roots) said."""
    return str(name.chain.verify_error) if name.chain is not None and name.chain.verify_error else "(none)"


def origin_status(name: Live) -> int | Unknown:
    """The HTTP status of `HEAD /` sent with this Host (and SNI)."""
    if name.head is None:
        return Unknown(name.not_probed or "no request sent")
    if name.head.status is None:
        return Unknown(f"HEAD {name.head.path}: {name.head.detail or 'no status line'}")
    return int(name.head.status)


def origin_status_line(name: Live) -> str:
    """The status line the origin answered `HEAD /` with."""
    return str(name.head.status_line) if name.head is not None else ""


def websocket_refused(name: Live) -> bool | Unknown:
    """Did the origin answer a WebSocket upgrade with anything but 101? (false when none was sent)"""
    if name.websocket is None:
        return Unknown(name.not_probed) if name.not_probed else False
    if name.websocket.status is None:  # no answer at all proves nothing about WebSocket support
        return Unknown(f"WebSocket upgrade to {name.name}: {name.websocket.detail or 'no response'}")
    return bool(name.websocket.status != 101)


def websocket_response(name: Live) -> str:
    """What the origin answered the upgrade request with."""
    if name.websocket is None:
        return ""
    ws = name.websocket
    return ws.status_line or ws.detail or "(no response)"


def websocket_request(name: Live) -> str:
    """The upgrade request that was sent."""
    return f"GET {name.websocket.path} (Host: {name.name})" if name.websocket is not None else ""


def openssl_command(name: Live) -> str:
    """The `openssl s_client` command that makes the same handshake."""
    endpoint = name.endpoint
    host = endpoint.address or endpoint.host if endpoint is not None else name.name
    port = endpoint.port if endpoint is not None else 443
    flags = {"TLSv1": "-tls1", "TLSv1.1": "-tls1_1", "TLSv1.2": "-tls1_2"}
    offered = offered_protocols(name)
    version = f" {flags[offered[-1]]}" if offered and offered[-1] in flags else " -no_tls1_3"
    return (f"openssl s_client -connect {shlex.quote(f'{host}:{port}')} -servername {shlex.quote(name.name)}"
            f"{version} -showcerts </dev/null")


def curl_command(name: Live) -> str:
    """A `curl` command that sends the same HEAD request."""
    endpoint = name.endpoint
    if endpoint is None:
        return ""
    scheme, port = endpoint.scheme, endpoint.port
    resolve = f"--resolve {shlex.quote(f'{name.name}:{port}:{endpoint.address}')} " if endpoint.address else ""
    return f"curl -sS -I {resolve}{scheme}://{name.name}:{port}/"


def websocket_command(name: Live) -> str:
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


LIVE_ORIGIN_FACTS: dict[str, Callable[[Any], Any]] = {fn.__name__: fn for fn in (
    dns_status, dns_problem, resolves_private_only, private_unreachable, addresses, cname_chain, dns_detail,
    tcp_status, tcp_detail, dig_command, connect_command,
)}
LIVE_NAME_FACTS: dict[str, Callable[[Any], Any]] = {fn.__name__: fn for fn in (
    tls_status, tls_detail, offered_protocols, negotiated, certificate_problems, certificate_names,
    certificate_chain, certificate_validity, certificate_days_left, missing_issuer, verify_error, origin_status,
    origin_status_line, websocket_refused, websocket_response, websocket_request, websocket_command, openssl_command,
    curl_command,
)}
