"""What a live scan may reach: only the endpoints and names the model declares."""

from __future__ import annotations

from policykit.core.location import Location
from policykit.core.name_rules import host_problem, origin_path_text_problem, request_path_problem, shown
from policykit.core.record import record
from policykit.facts import origins as origin_facts
from policykit.facts.viewer import is_websocket_name, websocket_by_path
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin
from policykit.model.live import Scheme
from policykit.probes.addresses import is_ip_literal


@record
class NamePlan:
    name: str
    loc: Location
    websocket_path: str | None  # the path to send an upgrade to, when a behavior serves WebSocket
    invalid: str = ""  # why this name is never sent (not a DNS name: PK307)


@record
class EndpointPlan:
    origin: Origin
    host: str
    port: int
    scheme: Scheme
    ssl_protocols: tuple[str, ...] | None
    names: tuple[NamePlan, ...]
    not_probed: str = ""  # set when the endpoint is not known before deployment
    head_path: str = "/"  # the path of the HEAD request after OriginPath (`policykit probe --path`)
    read_timeout: int | None = 30  # OriginReadTimeout, the wait for the first byte; None: only known at deployment


DEFAULT_READ_TIMEOUT = 30  # facts §3.2 row 4


def plan(dist: Distribution) -> list[EndpointPlan]:
    return [p for o in dist.origins if (p := _plan_origin(o)) is not None]


def _plan_origin(origin: Origin) -> EndpointPlan | None:
    host = origin.domain_name
    if origin.config_type == "vpc":
        return None  # reached inside the VPC, never over the internet: nothing to probe from here
    if not isinstance(host, str) or not host:
        return EndpointPlan(origin, str(host or ""), 0, "", None, (),
                            "the origin domain name is only known at deployment")
    if host_problem(host.rstrip(".")) and not is_ip_literal(host):
        # PK103 reports it on the template's line; nothing of it goes on the wire
        return EndpointPlan(origin, shown(host), 0, "", None, (), f"not probed: {host_problem(host.rstrip('.'))}")
    uses_https = origin_facts.uses_https(origin)
    protocols: tuple[str, ...] | None
    port: object
    scheme: Scheme
    if origin.config_type == "s3":
        scheme, port, protocols = "https", 443, ("TLSv1.2",)  # CloudFront always uses TLSv1.2 for S3 REST
    elif uses_https is True:
        scheme, port = "https", origin.https_port
        raw = origin.ssl_protocols
        protocols = tuple(str(p) for p in raw) if isinstance(raw, list) and all(isinstance(p, str) for p in raw) \
            else None
    elif origin.protocol_policy == "http-only":
        scheme, port, protocols = "http", origin.http_port, None
    else:
        return EndpointPlan(origin, host, 0, "", None, (), "the origin protocol policy is only known at deployment")
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    if not isinstance(port, int) or isinstance(port, bool):
        return EndpointPlan(origin, host, 0, scheme, None, (), "the origin port is only known at deployment")
    if not 0 < port < 65536:
        return EndpointPlan(origin, host, 0, scheme, None, (), f"not probed: port {port} is out of range")
    return EndpointPlan(origin, host.rstrip(".").lower(), port, scheme, protocols, _names(origin),
                        read_timeout=read_timeout(origin))


def read_timeout(origin: Origin) -> int | None:
    """How long CloudFront waits for the first byte of this origin's answer: OriginReadTimeout, 30 s when not
    written (facts §3.2 row 4); None when only known at deployment. A VPC origin's own read timeout (its
    VpcOriginConfig) would take the place of this one here; VPC origins are not probed (they are reached inside
    the VPC), so Origin.read_timeout is read as the model has it."""
    value = origin.read_timeout
    if value is None:
        return DEFAULT_READ_TIMEOUT
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _names(origin: Origin) -> tuple[NamePlan, ...]:
    dist = origin.distribution
    aliases = {a.name: a.loc for a in (dist.aliases if dist else []) if isinstance(a.name, str)}
    reaching = origin_facts.behaviors(origin)
    ws_paths = _websocket_paths(reaching)
    out: list[NamePlan] = []
    for name in origin_facts.validated_names(origin):
        # a name only known at deployment, or a wildcard alias, is not a name anyone can send
        if not isinstance(name, str) or "*" in name or name in {p.name for p in out}:
            continue
        loc = aliases.get(name) if name != origin.domain_name else None
        # a `ws.` alias is probed with an upgrade on `/`, other names only on WebSocket paths
        path = ws_paths[0] if ws_paths else ("/" if is_websocket_name(name) and reaching else None)
        invalid = host_problem(name.rstrip("."))
        out.append(NamePlan(shown(name) if invalid else name.rstrip(".").lower(),
                            loc or origin.location_of("domain_name"), path, invalid))
    return tuple(out)


def _websocket_paths(reaching: list[CacheBehavior]) -> list[str]:
    """Request paths of the behaviors declared, or looking, WebSocket by their path pattern."""
    paths = [request_path(b.path_pattern if isinstance(b.path_pattern, str) else None)
             for b in reaching if websocket_by_path(b) != "no"]
    return [p for p in paths if not request_path_problem(p)]  # a pattern that is not a path is never sent


def request_path(pattern: str | None) -> str:
    """A concrete path a path pattern matches: `/ws/*` -> `/ws/`, `*.io` -> `/`."""
    if not pattern:
        return "/"
    path = pattern.split("*", 1)[0].split("?", 1)[0]
    path = path if path.startswith("/") else "/" + path
    return path


def origin_path(origin: Origin) -> str:
    value = origin.origin_path
    return value.rstrip("/") if isinstance(value, str) else ""


def origin_path_problem(origin: Origin) -> str:
    """Why requests to this origin are not sent: its OriginPath is not valid (PK110); "" otherwise."""
    value = origin.origin_path
    if not isinstance(value, str):
        return ""
    problem = origin_path_text_problem(value) or (request_path_problem(value + "/") if value else "")
    return f"not sent: the OriginPath '{shown(value)}' is not valid ({problem})" if problem else ""
