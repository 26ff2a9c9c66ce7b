"""What stands behind an origin, drawn from what the model links to it (`Origin.target`): a load balancer with its
listeners and their certificates; any other kind by its kind and name. A new kind is one entry of `BEHIND`."""

from __future__ import annotations

from collections.abc import Callable

from policykit.model.cloudfront import Origin
from policykit.model.related import Listener, LoadBalancer
from policykit.outlines.draft import Drafts, places, shown


def listener_key(listener: Listener) -> str:
    return f"listener:{listener.resource or id(listener)}"


def _load_balancer(variant: Drafts, origin: Origin) -> list[str]:
    """The load balancer, its listeners and their certificates; the origin links to the load balancer."""
    balancer = origin.target
    assert isinstance(balancer, LoadBalancer)
    key = f"lb:{balancer.resource}"
    groups = [place for group in balancer.security_groups for rule in (group, *group.ingress) for place in places(rule)]
    variant.hop(key, "load_balancer", f"load balancer {balancer.resource}", places=[*places(balancer), *groups],
                mentions=[origin.label], lines=[f"{shown(balancer.lb_type or 'application')}, "
                                                f"{shown(balancer.scheme or 'internet-facing')}",
                                                f"security groups: {len(balancer.security_groups) or 'none'} declared"])
    for listener in balancer.listeners:
        listener_hop = listener_key(listener)
        lines = [f"policy {shown(listener.ssl_policy)}"] if listener.ssl_policy is not None else []
        unlinked = len(listener.certificate_arns) - len(listener.certificates)
        if unlinked > 0:
            lines.append(f"{unlinked} certificate(s) not declared here")
        variant.hop(listener_hop, "listener", f"listener {shown(listener.protocol)} {shown(listener.port)}",
                    lines=lines, places=places(listener), mentions=[origin.label])
        variant.link(key, listener_hop)
        for certificate in listener.certificates:
            cert_key = f"cert:{certificate.resource}"
            variant.hop(cert_key, "certificate", f"certificate {certificate.resource}",
                        lines=[f"covers {shown(certificate.names)}"], places=places(certificate),
                        mentions=[origin.label])
            variant.link(listener_hop, cert_key)
    return [key]


def generic(variant: Drafts, origin: Origin) -> list[str]:
    """What stands behind an origin when no entry of BEHIND draws its kind: its kind and name."""
    target = origin.target
    if target is None:
        return []
    key = f"{target.kind}:{target.resource}"
    variant.hop(key, target.kind, f"{target.kind.replace('_', ' ')} {target.resource}", places=places(target),
                mentions=[origin.label])
    return [key]


# What stands behind an origin, by the type of `Origin.target`: each draws its hops and returns those the origin
# links to.
BEHIND: dict[type, Callable[[Drafts, Origin], list[str]]] = {LoadBalancer: _load_balancer}
