"""What the probes saw, per origin endpoint and per name: once, for people and for machines.

The text report shows these lines once per endpoint and name instead of under every finding, with the commands
that reproduce each check (`dig`, `nc`, `openssl s_client`, `curl`); an endpoint or name no finding speaks of
gets one line (`summary`). JSON carries the same as data (policykit/reporters/json_report.py).
"""

from __future__ import annotations

from typing import cast

from policykit.core.results import TlsStatus
from policykit.facts import live, live_http, live_tls
from policykit.facts.live_http import seconds
from policykit.findings import EvidenceValue, Observed
from policykit.model.cloudfront import Distribution
from policykit.model.live import LiveName, LiveOrigin

# Evidence keys of the PK6xx policies that these lines already show in text.
ENDPOINT_KEYS = ("addresses", "cname_chain", "resolver", "command")
NAME_KEYS = ("certificates", "names", "validity", "negotiated", "offered", "command", "key", "trust", "verifier",
             "first_byte", "read_timeout")


def endpoint_data(live_origin: LiveOrigin) -> dict[str, EvidenceValue]:
    data: dict[str, EvidenceValue] = {"target": f"{live_origin.host}:{live_origin.port}",
                                      "scheme": live_origin.scheme}
    if live_origin.dns is not None:
        data["dns"] = {"status": str(live_origin.dns.status), "addresses": list(live_origin.dns.addresses),
                       "cname_chain": list(live_origin.dns.cnames), "detail": live_origin.dns.detail}
        data["commands"] = {"dig": live.dig_command(live_origin)}
    if live_origin.tcp is not None:
        data["tcp"] = {"address": live_origin.tcp.address, "port": live_origin.tcp.port,
                       "status": str(live_origin.tcp.status), "detail": live_origin.tcp.detail}
        data["commands"] = {"dig": live.dig_command(live_origin), "nc": live.connect_command(live_origin)}
    if live_origin.not_probed:
        data["not_probed"] = live_origin.not_probed
    return data


def _commands(name: LiveName) -> dict[str, EvidenceValue]:
    out: dict[str, EvidenceValue] = {}
    if name.tls is not None:
        out["openssl"] = live_tls.openssl_command(name)
    if name.head is not None:
        out["curl"] = live_http.curl_command(name)
    if name.websocket is not None:
        out["websocket"] = live_http.websocket_command(name)
    return out


def name_data(name: LiveName) -> dict[str, EvidenceValue]:
    data: dict[str, EvidenceValue] = {"name": name.name}
    if name.tls is not None:
        data["tls"] = {"status": str(name.tls.status), "offered": list(name.tls.offered),
                       "protocol": name.tls.protocol, "cipher": name.tls.cipher, "group": name.tls.group,
                       "signature_scheme": name.tls.sigalg, "detail": name.tls.detail, "note": name.tls.note,
                       "not_checked": list(live_tls.profile_not_checked(name))}
    if name.chain is not None:
        chain = [live_tls.certificate_data(c, i) for i, c in enumerate(name.chain.certificates)]
        data["chain"] = cast("list[EvidenceValue]", chain)  # JSON data (facts cannot name findings' type)
        data["chain_problems"] = [str(p) for p in name.chain.problems]
        if name.chain.trust_reason:
            data["trust"] = name.chain.trust_reason
        if name.chain.anchor:
            data["anchor"] = name.chain.anchor
        data["profile"] = [{"rule": b.rule.id, "verdict": b.verdict, "words": b.words, "facts": b.rule.facts,
                            "derived": b.rule.derived} for b in name.chain.breaches]
        data["browser_notes"] = list(name.chain.notes)
        if name.chain.detail:
            data["chain_detail"] = name.chain.detail
    for key, result in (("head", name.head), ("websocket", name.websocket)):
        if result is not None:
            data[key] = {"request": f"{result.method} {result.path}", "host": result.host, "status": result.status,
                         "status_line": result.status_line, "outcome": str(result.outcome), "detail": result.detail,
                         "first_byte_seconds": result.first_byte, "waited_seconds": result.waited or None,
                         **({"upgrade_problem": result.upgrade_problem} if key == "websocket" else {})}
    if name.head is not None:
        limit = live_http.origin_read_timeout(name)
        data["read_timeout"] = limit if isinstance(limit, int) else None
    differs = live_tls.openssl_differs(name)
    if differs != "(none)":
        data["openssl_differs"] = differs
    commands = _commands(name)
    if commands:
        data["commands"] = commands
    if name.not_probed:
        data["not_probed"] = name.not_probed
    return data


def _endpoint_lines(live_origin: LiveOrigin) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    if live_origin.dns is not None:
        lines.append(("resolved", _resolved(live_origin)))
    if live_origin.tcp is not None:
        lines.append(("tcp", f"{live_origin.tcp.address}:{live_origin.tcp.port} {live_origin.tcp.status}"
                      + (f" ({live_origin.tcp.detail})" if live_origin.tcp.detail else "")))
    if live_origin.not_probed:
        lines.append(("not probed", live_origin.not_probed))
    if live_origin.dns is not None:
        lines.append(("dig", live.dig_command(live_origin)))
    if live_origin.tcp is not None and live_origin.scheme == "http":
        lines.append(("nc", live.connect_command(live_origin)))
    return lines


def _resolved(live_origin: LiveOrigin) -> str:
    dns = live_origin.dns
    if dns is None:
        return ""
    detail = f": {dns.detail}" if dns.detail else ""
    answer = ", ".join(dns.addresses) or f"none ({dns.status}{detail})"
    if dns.cnames:
        answer += f" (via CNAME {' -> '.join(dns.cnames)})"
    return answer


def _handshake(name: LiveName) -> tuple[str, str] | None:
    tls = name.tls
    if tls is None:
        return None
    offered = ", ".join(tls.offered) or "(none)"
    if tls.status is TlsStatus.OK:
        curve = f", curve {tls.group}" if tls.group else ""
        scheme = f", signature scheme {tls.sigalg}" if tls.sigalg else ""
        return "negotiated", f"{tls.protocol} {tls.cipher}{curve}{scheme} (CloudFront's offer: {offered})"
    return "handshake", f"{tls.status}: {tls.detail} (CloudFront's offer: {offered})"


def _name_lines(name: LiveName) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    handshake = _handshake(name)
    if handshake:
        lines.append(handshake)
    if name.tls is not None and name.tls.note:
        lines.append(("as CloudFront", name.tls.note))
    if name.chain is not None and name.chain.certificates:
        lines.append(("chain as sent", f"{len(name.chain.certificates)} certificate(s), leaf first"
                      + (f" ({name.chain.detail})" if name.chain.detail else "")))
        for index, cert in enumerate(name.chain.certificates):
            sans = ", ".join(cert.sans) or "(none)"
            common = f"; CN {cert.common_name}" if cert.common_name else ""
            lines.append((f"  [{index}]", f"{cert.subject} (issuer {cert.issuer}); SANs {sans}{common}; "
                          f"{cert.key} key, signed with {cert.signature}; valid {cert.not_before} .. "
                          f"{cert.not_after}; sha256 {cert.sha256[:16]}..."))
        if name.chain.trust_reason:
            lines.append(("trust", name.chain.trust_reason))
        elif name.chain.anchor:
            lines.append(("trust", f"ends at the trusted root {name.chain.anchor}"))
        lines.extend(("CloudFront's profile", f"{b.verdict}: {b.words} ({b.rule.reference})")
                     for b in name.chain.breaches)
        lines.extend(("browser rule", note) for note in name.chain.notes)
    elif name.chain is not None and name.chain.detail:
        lines.append(("chain", name.chain.detail))
    if name.head is not None:
        lines.append((f"{name.head.method} {name.head.path}", _head(name)))
    if name.websocket is not None:
        answer = name.websocket.status_line or name.websocket.detail
        problem = f" ({name.websocket.upgrade_problem})" if name.websocket.upgrade_problem else ""
        lines.append(("upgrade " + name.websocket.path, answer + problem))
    if name.requests_not_sent:
        lines.append(("requests", name.requests_not_sent))
    if name.not_probed and name.tls is None:
        lines.append(("not probed", name.not_probed))
    not_checked = live_tls.profile_not_checked(name)
    if not_checked:
        lines.append(("not checked here", "; ".join(not_checked)))
    commands = _commands(name)
    lines.extend((tool, command) for tool, command in commands.items() if isinstance(command, str))
    differs = live_tls.openssl_differs(name)
    if differs != "(none)":
        lines.append(("openssl differs", differs))
    return lines


def _head(name: LiveName) -> str:
    head = name.head
    if head is None:
        return ""
    answer = head.status_line or head.detail
    limit = live_http.origin_read_timeout(name)
    timing = live_http.first_byte_words(name)
    if isinstance(limit, int) and timing:
        timing += f"; OriginReadTimeout {limit} s"
    return f"{answer} ({timing})" if timing else answer


def _endpoint_summary(live_origin: LiveOrigin) -> str:
    if live_origin.not_probed:
        return f"not probed: {live_origin.not_probed}"
    parts = [_resolved(live_origin)]
    if live_origin.tcp is not None:
        parts.append(f"TCP {live_origin.tcp.status}")
    return ", ".join(p for p in parts if p)


def _name_summary(name: LiveName) -> str:
    parts: list[str] = []
    tls = name.tls
    if tls is not None:
        if tls.status is TlsStatus.OK:
            parts.append(f"{tls.protocol} {tls.cipher}" + (f" ({tls.group})" if tls.group else ""))
        else:
            parts.append(f"handshake {tls.status}")
    leaf = name.chain.certificates[0] if name.chain is not None and name.chain.certificates else None
    if leaf is not None and name.chain is not None:
        to = f", chain of {len(name.chain.certificates)} to {name.chain.anchor}" if name.chain.anchor else ""
        parts.append(f"leaf {leaf.key} key signed with {leaf.signature}{to}")
    if name.head is not None:
        parts.append(f"HEAD {name.head.path} {name.head.status_line or name.head.outcome}"
                     + (f" in {seconds(name.head.first_byte)} s" if name.head.first_byte is not None else ""))
    if name.websocket is not None:
        parts.append(f"upgrade {name.websocket.status or name.websocket.outcome}")
    if not parts:
        parts.append(name.not_probed or name.requests_not_sent or "not probed")
    parts.extend(f"browser rule (not CloudFront's): {note}" for note in (name.chain.notes if name.chain else ()))
    return "; ".join(parts)


def observations(dist: Distribution, live_origins: tuple[LiveOrigin, ...]) -> list[Observed]:
    """What was seen at each endpoint and name of one distribution."""
    out: list[Observed] = []
    for live_origin in live_origins:
        where = f"{live_origin.scheme}://{live_origin.host}:{live_origin.port}"
        probed = live_origin.dns is not None
        out.append(Observed(live_origin.label, dist.resource, tuple(_endpoint_lines(live_origin)),
                            endpoint_data(live_origin), ENDPOINT_KEYS, summary=_endpoint_summary(live_origin),
                            target=where if probed else ""))
        for name in live_origin.names:
            sent = name.tls is not None or name.head is not None
            out.append(Observed(name.label, dist.resource, tuple(_name_lines(name)), name_data(name), NAME_KEYS,
                                endpoint=live_origin.label, summary=_name_summary(name),
                                target=f"{where} {name.name}" if sent else ""))
    return out
