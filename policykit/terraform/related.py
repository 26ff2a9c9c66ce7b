"""Terraform resources a distribution depends on, mapped to the model's related objects and linked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policykit.model.reader import Reader
from policykit.model.refs import ref_target
from policykit.model.related import (
    Certificate,
    CloudFrontFunction,
    HeadersConfig,
    LambdaFunction,
    Listener,
    LoadBalancer,
    RequestPolicy,
    SecurityGroup,
    SecurityGroupRule,
    function_code,
)
from policykit.model.values import Unknown
from policykit.terraform.spelling import TERRAFORM


def blocks(read: Reader, node: Any, key: str) -> list[tuple[Any, dict[str, Any]]]:
    return list(TERRAFORM.blocks(read, node, key))


def block(read: Reader, node: Any, key: str) -> dict[str, Any] | None:
    found = TERRAFORM.block(read, node, key)
    return found if isinstance(found, dict) else None


def _strings(read: Reader, node: Any, key: str) -> list[Any]:
    if not isinstance(node, dict) or node.get(key) is None:
        return []
    values = read.strings(node, key)
    return values if isinstance(values, list) else [values]


def _certificate(read: Reader, body: dict[str, Any]) -> Certificate:
    return Certificate(domain_name=read.scalar(body, "domain_name"),
                       subject_alternative_names=_strings(read, body, "subject_alternative_names"),
                       locs=read.locs(body, {"domain_name": "domain_name",
                                             "subject_alternative_names": "subject_alternative_names"}))


def _load_balancer(read: Reader, body: dict[str, Any]) -> LoadBalancer:
    internal = read.boolean(body, "internal", False)
    scheme: Any = ("internal" if internal else "internet-facing") if isinstance(internal, bool) else internal
    return LoadBalancer(scheme=scheme, lb_type=read.scalar(body, "load_balancer_type", "application"),
                        security_group_refs=_strings(read, body, "security_groups"),
                        locs=read.locs(body, {"scheme": "internal", "lb_type": "load_balancer_type",
                                              "security_groups": "security_groups"}))


def _classic_load_balancer(read: Reader, body: dict[str, Any]) -> LoadBalancer:
    balancer = _load_balancer(read, body)
    balancer.lb_type = "classic"
    for loc, item in blocks(read, body, "listener"):
        protocol = read.scalar(item, "lb_protocol")
        balancer.listeners.append(Listener(
            port=read.integer(item, "lb_port"), protocol=protocol.upper() if isinstance(protocol, str) else protocol,
            certificate_arns=[read.scalar(item, "ssl_certificate_id")] if item.get("ssl_certificate_id") else [],
            loc=loc, locs=read.locs(item, {"port": "lb_port", "protocol": "lb_protocol"})))
    return balancer


def _listener(read: Reader, body: dict[str, Any]) -> Listener:
    protocol = read.scalar(body, "protocol")
    return Listener(port=read.integer(body, "port"),
                    protocol=protocol.upper() if isinstance(protocol, str) else protocol,
                    ssl_policy=read.scalar(body, "ssl_policy"),
                    certificate_arns=[read.scalar(body, "certificate_arn")] if body.get("certificate_arn") else [],
                    locs=read.locs(body, {"port": "port", "protocol": "protocol", "ssl_policy": "ssl_policy",
                                          "certificate_arns": "certificate_arn"}))


def _rules(read: Reader, item: dict[str, Any], loc: Any, keys: dict[str, str]) -> list[SecurityGroupRule]:
    """One rule per source (CIDR, prefix list, group) of an ingress block or rule resource."""
    protocol = read.scalar(item, keys["protocol"], "-1")
    base = {"protocol": str(protocol).lower() if isinstance(protocol, (str, int)) else protocol,
            "from_port": read.integer(item, "from_port"), "to_port": read.integer(item, "to_port"), "loc": loc}
    rules = [SecurityGroupRule(cidr=cidr, **base) for key in keys["cidrs"].split(",")
             for cidr in (_strings(read, item, key) if key.endswith("s") else
                          [read.scalar(item, key)] if item.get(key) is not None else [])]
    rules += [SecurityGroupRule(prefix_list=p, **base) for p in (
        _strings(read, item, keys["prefix"]) if keys["prefix"].endswith("s") else
        [read.scalar(item, keys["prefix"])] if item.get(keys["prefix"]) is not None else [])]
    rules += [SecurityGroupRule(source_group=g, **base) for g in (
        _strings(read, item, keys["group"]) if keys["group"].endswith("s") else
        [read.scalar(item, keys["group"])] if item.get(keys["group"]) is not None else [])]
    return rules or [SecurityGroupRule(**base)]


_BLOCK_KEYS = {"protocol": "protocol", "cidrs": "cidr_blocks,ipv6_cidr_blocks", "prefix": "prefix_list_ids",
               "group": "security_groups"}
_RULE_KEYS = {"protocol": "protocol", "cidrs": "cidr_blocks,ipv6_cidr_blocks", "prefix": "prefix_list_ids",
              "group": "source_security_group_id"}
_VPC_RULE_KEYS = {"protocol": "ip_protocol", "cidrs": "cidr_ipv4,cidr_ipv6", "prefix": "prefix_list_id",
                  "group": "referenced_security_group_id"}


def _security_group(read: Reader, body: dict[str, Any]) -> SecurityGroup:
    return SecurityGroup(ingress=[rule for loc, item in blocks(read, body, "ingress")
                                  for rule in _rules(read, item, loc, _BLOCK_KEYS)])


def _lambda_function(read: Reader, body: dict[str, Any]) -> LambdaFunction:
    storage = block(read, body, "ephemeral_storage")
    return LambdaFunction(
        runtime=read.scalar(body, "runtime"), memory_size=read.integer(body, "memory_size", 128),
        timeout=read.integer(body, "timeout", 3), architectures=_strings(read, body, "architectures") or ["x86_64"],
        package_type=read.scalar(body, "package_type", "Zip"),
        has_environment=bool(blocks(read, body, "environment")), has_vpc_config=bool(blocks(read, body, "vpc_config")),
        has_layers=bool(body.get("layers")), has_dead_letter_config=bool(blocks(read, body, "dead_letter_config")),
        ephemeral_storage=read.integer(storage, "size", 512) if storage else 512,
        locs=read.locs(body, {"runtime": "runtime", "memory_size": "memory_size", "timeout": "timeout",
                              "architectures": "architectures", "package_type": "package_type",
                              "has_environment": "environment", "has_vpc_config": "vpc_config",
                              "has_layers": "layers", "has_dead_letter_config": "dead_letter_config",
                              "ephemeral_storage": "ephemeral_storage"}))


def _headers(read: Reader, config: dict[str, Any] | None) -> HeadersConfig:
    if config is None:
        return HeadersConfig(behavior="none")
    headers = block(read, config, "headers")
    names = _strings(read, headers, "items") if headers else []
    behavior = read.scalar(config, "header_behavior", "none")
    return HeadersConfig(behavior, names)


def _cache_policy(read: Reader, body: dict[str, Any]) -> RequestPolicy:
    params = block(read, body, "parameters_in_cache_key_and_forwarded_to_origin")
    return RequestPolicy(policy_type="cache", name=read.scalar(body, "name"),
                         headers=_headers(read, block(read, params, "headers_config") if params else None))


def _origin_request_policy(read: Reader, body: dict[str, Any]) -> RequestPolicy:
    return RequestPolicy(policy_type="origin_request", name=read.scalar(body, "name"),
                         headers=_headers(read, block(read, body, "headers_config")))


def _cloudfront_function(read: Reader, body: dict[str, Any]) -> CloudFrontFunction:
    return CloudFrontFunction(name=read.scalar(body, "name"), code=function_code(body.get("code")))


BUILDERS: dict[str, Callable[[Reader, dict[str, Any]], Any]] = {
    "aws_acm_certificate": _certificate,
    "aws_lb": _load_balancer,
    "aws_alb": _load_balancer,
    "aws_elb": _classic_load_balancer,
    "aws_lb_listener": _listener,
    "aws_alb_listener": _listener,
    "aws_security_group": _security_group,
    "aws_lambda_function": _lambda_function,
    "aws_cloudfront_cache_policy": _cache_policy,
    "aws_cloudfront_origin_request_policy": _origin_request_policy,
    "aws_cloudfront_function": _cloudfront_function,
}


def link(objects: dict[str, Any], rtype: str, address: str, body: dict[str, Any], read: Reader) -> None:
    """Attach listeners to balancers, certificates to listeners, rules and groups to balancers."""
    own = objects.get(address)
    if isinstance(own, Listener):
        balancer = _target(objects, body.get("load_balancer_arn"))
        if isinstance(balancer, LoadBalancer):
            balancer.listeners.append(own)
        found = [_target(objects, arn) for arn in own.certificate_arns]
        own.certificates = [c for c in found if isinstance(c, Certificate)]
    elif isinstance(own, LoadBalancer):
        own.security_groups = [g for g in (_target(objects, r) for r in own.security_group_refs)
                               if isinstance(g, SecurityGroup)]
    elif rtype == "aws_lb_listener_certificate":
        listener = _target(objects, body.get("listener_arn"))
        certificate = _target(objects, body.get("certificate_arn"))
        if isinstance(listener, Listener):
            listener.certificate_arns.append(body.get("certificate_arn"))
            if isinstance(certificate, Certificate):
                listener.certificates.append(certificate)
    elif rtype in ("aws_vpc_security_group_ingress_rule", "aws_security_group_rule"):
        if rtype == "aws_security_group_rule" and body.get("type") != "ingress":
            return
        group = _target(objects, body.get("security_group_id"))
        if isinstance(group, SecurityGroup):
            keys = _VPC_RULE_KEYS if rtype.startswith("aws_vpc") else _RULE_KEYS
            group.ingress.extend(_rules(read, body, read.loc(body), keys))


def _target(objects: dict[str, Any], value: Any) -> Any:
    ref = ref_target(value)
    return objects.get(ref.resource) if ref else None


LINKED = frozenset({"aws_lb_listener", "aws_alb_listener", "aws_lb", "aws_alb", "aws_elb",
                    "aws_lb_listener_certificate", "aws_vpc_security_group_ingress_rule", "aws_security_group_rule"})


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)
