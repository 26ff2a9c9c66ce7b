"""Origin load balancer facts: listeners CloudFront needs, scheme, security groups.

They hold when the origin's domain is a load balancer declared in the same template or
module (`!GetAtt Alb.DNSName`, `aws_lb.app.dns_name`): `Origin.target` is then the
`LoadBalancer`. Anything not declared here is Unknown, never an error.
"""

from __future__ import annotations

import ipaddress

from policykit.core.truth import Truth, any_true
from policykit.core.values import MaybeMore, Number, Unknown, reason_of
from policykit.facts.indexes import targeting
from policykit.model.cloudfront import Origin, OriginGroup
from policykit.model.related import Listener, LoadBalancer, SecurityGroupRule

# Listener protocols that carry HTTP / HTTPS from CloudFront (TCP passes either through).
_CARRIES = {"HTTP": {"HTTP", "TCP", "TCP_UDP"}, "HTTPS": {"HTTPS", "TLS", "SSL", "TCP", "TCP_UDP"}}


def load_balancer(origin: Origin) -> LoadBalancer | None:
    """The load balancer declared here whose DNS name is the origin domain, if any."""
    return origin.target if isinstance(origin.target, LoadBalancer) else None


def _reaching_behaviors_allow_http(origin: Origin) -> Truth:
    """Can a viewer reach this origin over plain HTTP (a behavior with allow-all)?"""
    dist = origin.distribution
    values: list[Truth] = []
    every = dist.behaviors if dist else MaybeMore()
    for behavior in every:
        found = targeting(behavior)
        target = found.target
        if target is None and isinstance(found.exists, Unknown):
            values.append(Unknown(f"a TargetOriginId is not known ({found.exists.reason})"))
            continue
        if target is not origin and not (isinstance(target, OriginGroup) and origin.id in target.member_ids):
            continue
        policy = behavior.viewer_protocol_policy
        if isinstance(policy, str):
            values.append(policy == "allow-all")
        else:
            values.append(Unknown(reason_of(policy, "the viewer protocol policy is not known")))
    return any_true(values, more=every.more)


def origin_protocols(origin: Origin) -> list[tuple[str, Number | None]] | Unknown:
    """(protocol, port) pairs CloudFront uses to reach the custom origin."""
    policy = origin.protocol_policy
    if not isinstance(policy, str):
        return Unknown(reason_of(policy, "the origin protocol policy is not known"))
    if policy == "http-only":
        return [("HTTP", origin.http_port)]
    if policy == "https-only":
        return [("HTTPS", origin.https_port)]
    if policy == "match-viewer":
        # HTTPS viewers always exist; HTTP viewers only reach the origin through an allow-all behavior.
        pairs: list[tuple[str, Number | None]] = [("HTTPS", origin.https_port)]
        plain = _reaching_behaviors_allow_http(origin)
        if isinstance(plain, Unknown):
            return plain
        if plain:
            pairs.append(("HTTP", origin.http_port))
        return pairs
    return Unknown(f"unexpected origin protocol policy {policy}")


def _listener_serves(listener: Listener, protocol: str, port: int) -> Truth:
    if not isinstance(listener.port, int) or isinstance(listener.port, bool):
        return Unknown(reason_of(listener.port, "a listener port is not known"))
    if not isinstance(listener.protocol, str):
        return Unknown(reason_of(listener.protocol, "a listener protocol is not known"))
    return listener.port == port and listener.protocol in _CARRIES[protocol]


def missing_listeners(origin: Origin) -> list[str] | Unknown:
    """`PROTOCOL:port` CloudFront uses that no listener of the origin load balancer serves."""
    balancer = load_balancer(origin)
    if balancer is None:
        return Unknown("the origin is not a load balancer declared here")
    if origin.config_type not in ("custom", "vpc"):  # a VPC origin: its endpoint's protocol policy and ports
        return Unknown("the origin has no CustomOriginConfig or VpcOriginConfig")
    if not balancer.listeners:
        # listeners may be declared in another stack or module: do not guess
        return Unknown(f"no listener of {balancer.resource} is declared here")
    pairs = origin_protocols(origin)
    if isinstance(pairs, Unknown):
        return pairs
    missing: list[str] = []
    for protocol, port in pairs:
        if not isinstance(port, int) or isinstance(port, bool):
            return Unknown(reason_of(port, "the origin port is not known"))
        served = any_true(_listener_serves(listener, protocol, port) for listener in balancer.listeners)
        if isinstance(served, Unknown):
            return served
        if not served:
            missing.append(f"{protocol}:{port}")
    return missing


def has_listener_for_origin(origin: Origin) -> Truth:
    """Does the origin load balancer (declared here) listen on every protocol and port CloudFront uses?"""
    missing = missing_listeners(origin)
    return missing if isinstance(missing, Unknown) else not missing


def load_balancer_internal(origin: Origin) -> Truth:
    """Is the origin a load balancer declared here with Scheme internal (unreachable from CloudFront)?"""
    balancer = load_balancer(origin)
    if balancer is None:
        return False
    scheme = balancer.scheme
    if scheme is None:
        return False  # the default is internet-facing
    if not isinstance(scheme, str):
        return Unknown(reason_of(scheme, "the load balancer scheme is not known"))
    return scheme.lower() == "internal"


def _port_in_rule(rule: SecurityGroupRule, port: int) -> Truth:
    protocol = rule.protocol
    if not isinstance(protocol, str):
        return Unknown("a rule protocol is not known")
    if protocol in ("-1", "all"):
        return True
    if protocol not in ("tcp", "6"):
        return False
    low, high = rule.from_port, rule.to_port
    if not isinstance(low, int) or not isinstance(high, int):
        return Unknown("a rule port range is not known")
    if low == -1 and high == -1:
        return True
    return low <= port <= high


def _source_admits_cloudfront(rule: SecurityGroupRule) -> Truth:
    """0.0.0.0/0, ::/0 and a managed prefix list admit CloudFront; a security group source does not."""
    if rule.prefix_list is not None:
        return True if isinstance(rule.prefix_list, str) else Unknown(
            reason_of(rule.prefix_list, "the prefix list is not known"))
    if rule.cidr is not None:
        if not isinstance(rule.cidr, str):
            return Unknown(reason_of(rule.cidr, "a rule CIDR is not known"))
        try:
            return ipaddress.ip_network(rule.cidr.strip(), strict=False).prefixlen == 0
        except ValueError:
            return Unknown(f"a rule CIDR is not a network: {rule.cidr}")
    if rule.source_group is not None:
        return False  # CloudFront edge servers are not members of any security group
    return Unknown("a rule has no source that is known")


def admits_cloudfront(origin: Origin) -> Truth:
    """Do the origin load balancer's security groups admit CloudFront on the ports it uses?"""
    balancer = load_balancer(origin)
    if balancer is None:
        return Unknown("the origin is not a load balancer declared here")
    if origin.config_type == "vpc":
        # CloudFront reaches a VPC origin from the security group it creates in the VPC, not the prefix list
        return Unknown("a VPC origin connects from the CloudFront-managed security group of the VPC")
    if isinstance(balancer.lb_type, str) and balancer.lb_type == "network" and not balancer.security_group_refs:
        return True  # a network load balancer without security groups filters nothing
    if not balancer.security_group_refs or len(balancer.security_groups) != len(balancer.security_group_refs):
        return Unknown("a security group of the load balancer is not declared here")
    pairs = origin_protocols(origin)
    if isinstance(pairs, Unknown):
        return pairs
    for _, port in pairs:
        if not isinstance(port, int) or isinstance(port, bool):
            return Unknown(reason_of(port, "the origin port is not known"))
        admitted = any_true(
            _both(_port_in_rule(rule, port), _source_admits_cloudfront(rule))
            for group in balancer.security_groups for rule in group.ingress)
        if admitted is not True:
            return admitted
    return True


def _both(left: Truth, right: Truth) -> Truth:
    if left is False or right is False:
        return False
    if isinstance(left, Unknown):
        return left
    if isinstance(right, Unknown):
        return right
    return True


def security_group_names(origin: Origin) -> list[str]:
    """Logical ids (or addresses) of the origin load balancer's security groups declared here."""
    balancer = load_balancer(origin)
    return [g.resource for g in balancer.security_groups] if balancer else []


def vpc_origin_note(origin: Origin) -> str:
    """How CloudFront reaches the origin when it is a VPC origin declared here (for messages); empty otherwise."""
    vpc = origin.vpc_origin
    return f" (reached through the VPC origin {vpc.resource}, whose protocol and ports CloudFront uses)" if vpc else ""
