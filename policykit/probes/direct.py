"""`policykit probe HOST[:PORT]`: the live checks on one origin, no template needed.

The target becomes a one-origin distribution and the plan of its probes (so the PK6xx policies and every
reporter work unchanged; `policykit.api.probe` probes and judges it), with the names CloudFront would send:
the origin domain, or each viewer Host given with --host/--sni. Findings have no template: their location is
empty and their resource is the target `host:port` (reporters show it as the location; fingerprints come from
target, name and policy).
"""

from __future__ import annotations

from policykit.core.name_rules import host_problem, request_path_problem
from policykit.core.record import record
from policykit.core.values import MaybeMore
from policykit.model.cloudfront import CacheBehavior, Distribution, Model, Origin
from policykit.model.live import Scheme
from policykit.probes.addresses import is_ip_literal
from policykit.probes.targets import EndpointPlan, NamePlan

SSL_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2")


@record
class Target:
    host: str
    port: int
    scheme: str  # https | http
    names: tuple[str, ...] = ()  # SNI and Host CloudFront sends; empty: the host itself
    ssl_protocols: tuple[str, ...] | None = None  # OriginSSLProtocols; None: CloudFront's broadest offer
    websocket_path: str | None = None
    path: str = "/"
    read_timeout: int = 30  # OriginReadTimeout (--read-timeout): the first byte's deadline at CloudFront

    @property
    def label(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_target(text: str, scheme: str) -> tuple[str, int]:
    """`HOST`, `HOST:PORT`, `[IPv6]:PORT` or a bare IPv6 address; ValueError with the reason."""
    bad = next((c for c in text if not c.isprintable()), "")
    if bad:
        raise ValueError(f"it contains the control character {bad!r}")
    host, port = text.strip(), ""
    if host.startswith("["):
        host, _, rest = host[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif host.count(":") == 1:
        host, port = host.split(":")
    default = 443 if scheme == "https" else 80
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise ValueError("the port must be a number from 1 to 65535")
    host = host.rstrip(".").lower()
    if not is_ip_literal(host) and host_problem(host):
        raise ValueError(host_problem(host))
    return host, int(port) if port else default


def check(target: Target) -> str:
    """"" for a target whose every part may go on the wire; otherwise what is wrong."""
    for name in target.names:
        if host_problem(name):
            return host_problem(name)
    for path in (target.path, target.websocket_path):
        if path is not None and request_path_problem(path):
            return request_path_problem(path)
    bad = [p for p in target.ssl_protocols or () if p not in SSL_PROTOCOLS]
    if bad:
        return f"--ssl-protocols: {', '.join(bad)} is not one of {', '.join(SSL_PROTOCOLS)}"
    return ""


class ProbedTarget(Distribution):
    """The stand-in distribution of a probed target: messages say "the probe of host:port"."""

    @property
    def label(self) -> str:
        return f"the probe of {self.resource}"


def model_of(target: Target) -> tuple[Model, EndpointPlan]:
    label = target.label
    origin = Origin(id=target.host, domain_name=target.host, config_type="custom",
                    protocol_policy="https-only" if target.scheme == "https" else "http-only",
                    http_port=target.port, https_port=target.port,
                    ssl_protocols=list(target.ssl_protocols) if target.ssl_protocols is not None else None,
                    read_timeout=target.read_timeout, resource=label)
    dist = ProbedTarget(resource=label, origins=MaybeMore([origin]))
    origin.distribution = dist
    if target.websocket_path is not None:
        # the user asked for the upgrade: WebSocket is declared, so a refusal is an error (PK611)
        dist.default_behavior = CacheBehavior(target_origin_id=origin.id, distribution=dist, resource=label)
        dist.websocket_paths = ["*"]
    names = target.names or (target.host,)
    scheme: Scheme = "https" if target.scheme == "https" else "http"
    plan = EndpointPlan(origin, target.host, target.port, scheme, target.ssl_protocols,
                        tuple(NamePlan(n, origin.loc, target.websocket_path) for n in dict.fromkeys(names)),
                        head_path=target.path, read_timeout=target.read_timeout)
    return Model(file="", distributions=[dist]), plan
