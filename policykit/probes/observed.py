"""What the probes saw, per origin endpoint and per name: once, for people and for machines.

The text report shows these lines once per endpoint and name instead of under every finding;
JSON findings carry the same data as structured evidence (policykit/facts/live.py).
"""

from __future__ import annotations

from typing import cast

from policykit.core.results import TlsStatus
from policykit.facts.live import certificate_data
from policykit.findings import EvidenceValue, Observed
from policykit.model.cloudfront import Distribution
from policykit.model.live import LiveName, LiveOrigin

# Evidence keys of the PK6xx policies that these lines already show in text.
ENDPOINT_KEYS = ("addresses", "cname_chain", "resolver")
NAME_KEYS = ("certificates", "names", "validity", "negotiated", "offered")


def endpoint_data(live: LiveOrigin) -> dict[str, EvidenceValue]:
    data: dict[str, EvidenceValue] = {"target": f"{live.host}:{live.port}", "scheme": live.scheme}
    if live.dns is not None:
        data["dns"] = {"status": str(live.dns.status), "addresses": list(live.dns.addresses),
                       "cname_chain": list(live.dns.cnames), "detail": live.dns.detail}
    if live.tcp is not None:
        data["tcp"] = {"address": live.tcp.address, "port": live.tcp.port, "status": str(live.tcp.status),
                       "detail": live.tcp.detail}
    if live.not_probed:
        data["not_probed"] = live.not_probed
    return data


def name_data(name: LiveName) -> dict[str, EvidenceValue]:
    data: dict[str, EvidenceValue] = {"name": name.name}
    if name.tls is not None:
        data["tls"] = {"status": str(name.tls.status), "offered": list(name.tls.offered),
                       "protocol": name.tls.protocol, "cipher": name.tls.cipher, "detail": name.tls.detail}
    if name.chain is not None:
        chain = [certificate_data(c, i) for i, c in enumerate(name.chain.certificates)]
        data["chain"] = cast("list[EvidenceValue]", chain)  # JSON data (facts cannot name findings' type)
        data["chain_problems"] = [str(p) for p in name.chain.problems]
        if name.chain.trust_reason:
            data["trust"] = name.chain.trust_reason
    for key, result in (("head", name.head), ("websocket", name.websocket)):
        if result is not None:
            data[key] = {"request": f"{result.method} {result.path}", "host": result.host, "status": result.status,
                         "status_line": result.status_line, "outcome": str(result.outcome), "detail": result.detail}
    if name.not_probed:
        data["not_probed"] = name.not_probed
    return data


def _endpoint_lines(live: LiveOrigin) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    if live.dns is not None:
        detail = f": {live.dns.detail}" if live.dns.detail else ""
        answer = ", ".join(live.dns.addresses) or f"none ({live.dns.status}{detail})"
        if live.dns.cnames:
            answer += f" (via CNAME {' -> '.join(live.dns.cnames)})"
        lines.append(("resolved", answer))
    if live.tcp is not None:
        lines.append(("tcp", f"{live.tcp.address}:{live.tcp.port} {live.tcp.status}"
                      + (f" ({live.tcp.detail})" if live.tcp.detail else "")))
    if live.not_probed:
        lines.append(("not probed", live.not_probed))
    return lines


def _name_lines(name: LiveName) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    if name.tls is not None:
        offered = ", ".join(name.tls.offered) or "(none)"
        if name.tls.status is TlsStatus.OK:
            lines.append(("negotiated", f"{name.tls.protocol} {name.tls.cipher} (CloudFront's offer: {offered})"))
        else:
            lines.append(("handshake", f"{name.tls.status}: {name.tls.detail} (CloudFront's offer: {offered})"))
    if name.chain is not None and name.chain.certificates:
        lines.append(("chain as sent", f"{len(name.chain.certificates)} certificate(s), leaf first"))
        for index, cert in enumerate(name.chain.certificates):
            sans = ", ".join(cert.names) or "(none)"
            lines.append((f"  [{index}]", f"{cert.subject} (issuer {cert.issuer}); SANs {sans};"
                          f" valid {cert.not_before} .. {cert.not_after}; sha256 {cert.sha256[:16]}..."))
        if name.chain.trust_reason:
            lines.append(("trust", name.chain.trust_reason))
    elif name.chain is not None and name.chain.detail:
        lines.append(("chain", name.chain.detail))
    if name.head is not None:
        lines.append((f"{name.head.method} {name.head.path}", name.head.status_line or name.head.detail))
    if name.websocket is not None:
        lines.append(("upgrade " + name.websocket.path, name.websocket.status_line or name.websocket.detail))
    if name.requests_not_sent:
        lines.append(("requests", name.requests_not_sent))
    if name.not_probed and name.tls is None:
        lines.append(("not probed", name.not_probed))
    return lines


def observations(dist: Distribution, live_origins: tuple[LiveOrigin, ...]) -> list[Observed]:
    """What was seen at each endpoint and name of one distribution."""
    out: list[Observed] = []
    for live in live_origins:
        out.append(Observed(live.label, dist.resource, tuple(_endpoint_lines(live)), endpoint_data(live),
                            ENDPOINT_KEYS))
        for name in live.names:
            out.append(Observed(name.label, dist.resource, tuple(_name_lines(name)), name_data(name), NAME_KEYS,
                                endpoint=live.label))
    return out
