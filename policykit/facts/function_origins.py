"""Where a function sends the request, judged as CloudFront judges an origin: a Lambda@Edge `origin` object, or a
CloudFront Function's call of `cf.updateRequestOrigin`, `cf.selectRequestOriginById` or
`cf.createRequestOriginGroup` (runtime 2.0, viewer-request: the runtime refuses them elsewhere).

The rules are the configured origin's (facts sections 3, 4, 8.2 and 9.3, policykit/core/edge_rules.py and
policykit/core/name_rules.py); an origin id a function selects must be one of the distribution's.
https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/helper-functions-origin-modification.html
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from policykit.core.edge_rules import (
    MAX_ORIGIN_HEADER_NAME,
    MAX_ORIGIN_HEADER_VALUE,
    MAX_ORIGIN_HEADERS,
    REFUSED_ORIGIN_HEADERS,
    listed,
)
from policykit.core.name_rules import dns_name_problem, origin_path_text_problem
from policykit.model.function_runs import EdgeOrigin

SSL_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2")
FAILOVER_STATUS_CODES = (400, 403, 404, 416, 500, 502, 503, 504)  # facts 9.3
# (low, high) seconds of the timeouts a CloudFront Function may set (facts 3.2; a read timeout over 60 s needs a
# quota increase, so up to 180 is taken as possible)
TIMEOUT_RANGES = {"connectionTimeout": (1, 10), "readTimeout": (1, 180), "keepAliveTimeout": (1, 180)}


def domain_problem(domain: object) -> str:
    """Why an origin domain is not a DNS name CloudFront can use ("" if it is one)."""
    if not isinstance(domain, str) or not domain:
        return "the domain name is empty"
    if "://" in domain or "/" in domain:
        return f"the domain name {domain!r} has a scheme or a path"
    if ":" in domain:
        return f"the domain name {domain!r} has a colon (a port belongs in `port`)"
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        pass
    else:
        return f"the domain name {domain!r} is an IP address: CloudFront needs a DNS name"
    problem = dns_name_problem(domain)
    return f"the domain name {domain!r} is not a valid DNS name: {problem}" if problem else ""


def _int_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _port_problem(port: object) -> str:
    if isinstance(port, int) and not isinstance(port, bool) and not (port in (80, 443) or _int_in(port, 1024, 65535)):
        return f"port {port} is not 80, 443 or 1024-65535"
    return ""


def origin_problems(origin: EdgeOrigin) -> list[str]:
    """Everything CloudFront rejects in where the function sends the request."""
    if origin.helper == "selectRequestOriginById":
        return _selected_problems(origin)
    if origin.helper == "createRequestOriginGroup":
        return _group_problems(origin)
    if origin.helper == "updateRequestOrigin":
        return _update_problems(origin)
    out = [p for p in (domain_problem(origin.domain_name),) if p]
    if origin.origin_type == "custom":
        out.extend(p for p in (_port_problem(origin.port),) if p)
        if isinstance(origin.protocol, str) and origin.protocol not in ("http", "https"):
            out.append(f"protocol {origin.protocol!r} is not 'http' or 'https'")
        out.extend(_ssl_problems(origin.ssl_protocols))
    out.extend(_path_problems(origin.path_prefix, "path"))
    out.extend(_custom_header_problems(origin.custom_headers))
    return out


def _ssl_problems(protocols: object) -> list[str]:
    return [f"sslProtocols has {p!r} (allowed: {', '.join(SSL_PROTOCOLS)})"
            for p in (protocols if isinstance(protocols, list) else []) if p not in SSL_PROTOCOLS]


def _path_problems(prefix: object, name: str) -> list[str]:
    if not isinstance(prefix, str) or not prefix:
        return []
    problem = origin_path_text_problem(prefix)
    return [f"{name} {prefix!r} must start with '/' and not end with '/' ({problem})"] if problem else []


def _custom_header_problems(headers: Mapping[str, object]) -> list[str]:
    out: list[str] = []
    if len(headers) > MAX_ORIGIN_HEADERS:
        out.append(f"{len(headers)} custom headers (at most {MAX_ORIGIN_HEADERS})")
    for name, entries in headers.items():
        if listed(name.lower(), REFUSED_ORIGIN_HEADERS):
            out.append(f"custom header {name!r} is one CloudFront refuses to add")
        if len(name) > MAX_ORIGIN_HEADER_NAME:
            out.append(f"a custom header name is longer than {MAX_ORIGIN_HEADER_NAME} characters")
        for entry in entries if isinstance(entries, list) else []:
            value = entry.get("value") if isinstance(entry, dict) else None
            if isinstance(value, str) and len(value) > MAX_ORIGIN_HEADER_VALUE:
                out.append(f"the value of custom header {name!r} is longer than {MAX_ORIGIN_HEADER_VALUE} characters")
    return out


def _unknown_ids(origin: EdgeOrigin, ids: list[object]) -> list[str]:
    known = origin.known_origin_ids
    if known is None:
        return []
    have = ", ".join(repr(k) for k in known) or "none"
    return [f"the distribution has no origin {i!r} (its origins: {have})" for i in ids if isinstance(i, str)
            and i not in known]


def _selected_problems(origin: EdgeOrigin) -> list[str]:
    if not isinstance(origin.origin_id, str) or not origin.origin_id:
        return [f"the origin id given is {origin.origin_id!r}, not the id of one of the distribution's origins"]
    return _unknown_ids(origin, [origin.origin_id])


def _group_problems(origin: EdgeOrigin) -> list[str]:
    ids = origin.member_ids
    if not isinstance(ids, list) or len(ids) != 2 or not all(isinstance(i, str) and i for i in ids):
        return [f"originIds is {ids!r}: an origin group is exactly two origin ids (primary, then failover)"]
    out = _unknown_ids(origin, list(ids))
    criteria = origin.params.get("failoverCriteria")
    codes = criteria.get("statusCodes") if isinstance(criteria, dict) else None
    if not isinstance(codes, list) or not codes:
        out.append("failoverCriteria.statusCodes is missing: a group fails over on the status codes it lists")
    else:
        allowed = ", ".join(str(c) for c in FAILOVER_STATUS_CODES)
        out.extend(f"failover status code {c!r} is not one of {allowed}" for c in codes
                   if c not in FAILOVER_STATUS_CODES)
    return out


def _update_problems(origin: EdgeOrigin) -> list[str]:
    params = origin.params
    out = [domain_problem(origin.domain_name)] if "domainName" in params else []
    out.extend(_path_problems(origin.path_prefix, "originPath"))
    out.extend(_custom_header_problems(origin.custom_headers))
    attempts = params.get("connectionAttempts")
    if attempts is not None and not _int_in(attempts, 1, 3):
        out.append(f"connectionAttempts {attempts!r} is not 1, 2 or 3")
    timeouts = params.get("timeouts")
    for name, (low, high) in TIMEOUT_RANGES.items():
        value = timeouts.get(name) if isinstance(timeouts, dict) else None
        if value is not None and not _int_in(value, low, high):
            out.append(f"timeouts.{name} {value!r} is not {low}-{high} seconds")
    config = params.get("customOriginConfig")
    if isinstance(config, dict):
        out.extend(p for p in (_port_problem(config.get("port")),) if p)
        protocol = config.get("protocol")
        if protocol is not None and protocol not in ("http", "https"):
            out.append(f"customOriginConfig.protocol {protocol!r} is not 'http' or 'https'")
        out.extend(_ssl_problems(config.get("sslProtocols")))
    shield = params.get("originShield")
    if isinstance(shield, dict) and shield.get("enabled") is True and not shield.get("region"):
        out.append("originShield is enabled without a region: Origin Shield needs the Region it runs in")
    return [p for p in out if p]


def origin_invalid(origin: EdgeOrigin) -> bool:
    """Does CloudFront reject where the function sends the request?"""
    return bool(origin_problems(origin))


def origin_problem_text(origin: EdgeOrigin) -> str:
    """The origin's problems in one sentence, for messages."""
    return "; ".join(origin_problems(origin))
