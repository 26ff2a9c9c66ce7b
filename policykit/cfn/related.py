"""CloudFormation resources a distribution depends on, mapped to model objects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policykit.cfn import beanstalk
from policykit.cfn.intrinsics import Resolver
from policykit.location import Location
from policykit.model.cloudfront import Problem
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
from policykit.model.values import Partial, Unknown


def _certificate(read: Reader, props: dict[str, Any]) -> Certificate:
    sans = read.strings(props, "SubjectAlternativeNames")
    return Certificate(
        domain_name=read.scalar(props, "DomainName"),
        subject_alternative_names=sans if isinstance(sans, list) else [sans],
        locs=read.locs(props, {"domain_name": "DomainName", "subject_alternative_names": "SubjectAlternativeNames"}),
    )


def _load_balancer(read: Reader, props: dict[str, Any]) -> LoadBalancer:
    groups = read.strings(props, "SecurityGroups")
    return LoadBalancer(
        scheme=read.scalar(props, "Scheme"),
        lb_type=read.scalar(props, "Type", "application"),
        security_group_refs=groups if isinstance(groups, list) else [groups],
        locs=read.locs(props, {"scheme": "Scheme", "lb_type": "Type", "security_groups": "SecurityGroups"}),
    )


def _classic_load_balancer(read: Reader, props: dict[str, Any]) -> LoadBalancer:
    balancer = _load_balancer(read, props)
    balancer.lb_type = "classic"
    for loc, item in read.items(props, "Listeners"):
        balancer.listeners.append(Listener(
            port=read.integer(item, "LoadBalancerPort"),
            protocol=_upper(read.scalar(item, "Protocol")),
            certificate_arns=[read.scalar(item, "SSLCertificateId")] if "SSLCertificateId" in item else [],
            loc=loc,
            locs=read.locs(item, {"port": "LoadBalancerPort", "protocol": "Protocol"}),
        ))
    return balancer


def _listener(read: Reader, props: dict[str, Any]) -> Listener:
    arns = [read.scalar(item, "CertificateArn") for _, item in read.items(props, "Certificates")]
    return Listener(
        port=read.integer(props, "Port"),
        protocol=_upper(read.scalar(props, "Protocol")),
        ssl_policy=read.scalar(props, "SslPolicy"),
        certificate_arns=arns,
        locs=read.locs(props, {"port": "Port", "protocol": "Protocol", "ssl_policy": "SslPolicy",
                               "certificate_arns": "Certificates"}),
    )


def _ingress_rule(read: Reader, loc: Location, item: dict[str, Any]) -> SecurityGroupRule:
    return SecurityGroupRule(
        protocol=str(read.scalar(item, "IpProtocol", "-1")).lower(),
        from_port=read.integer(item, "FromPort"),
        to_port=read.integer(item, "ToPort"),
        cidr=read.scalar(item, "CidrIp") or read.scalar(item, "CidrIpv6"),
        prefix_list=read.scalar(item, "SourcePrefixListId"),
        source_group=read.scalar(item, "SourceSecurityGroupId"),
        loc=loc,
    )


def _security_group(read: Reader, props: dict[str, Any]) -> SecurityGroup:
    rules = [_ingress_rule(read, loc, item) for loc, item in read.items(props, "SecurityGroupIngress")]
    return SecurityGroup(ingress=rules)


def _lambda_function(read: Reader, props: dict[str, Any]) -> LambdaFunction:
    architectures = read.strings(props, "Architectures")
    storage = read.mapping(props, "EphemeralStorage")
    return LambdaFunction(
        runtime=read.scalar(props, "Runtime"),
        memory_size=read.integer(props, "MemorySize", 128),
        timeout=read.integer(props, "Timeout", 3),
        architectures=architectures if isinstance(architectures, list) else [architectures],
        package_type=read.scalar(props, "PackageType", "Zip"),
        has_environment=_present(props, "Environment"),
        has_vpc_config=_present(props, "VpcConfig"),
        has_layers=_present(props, "Layers"),
        has_dead_letter_config=_present(props, "DeadLetterConfig"),
        ephemeral_storage=read.integer(storage, "Size", 512) if storage else 512,
        locs=read.locs(props, {
            "runtime": "Runtime", "memory_size": "MemorySize", "timeout": "Timeout",
            "architectures": "Architectures", "package_type": "PackageType", "has_environment": "Environment",
            "has_vpc_config": "VpcConfig", "has_layers": "Layers", "has_dead_letter_config": "DeadLetterConfig",
            "ephemeral_storage": "EphemeralStorage",
        }),
    )


def _present(props: dict[str, Any], key: str) -> bool | Unknown:
    """Is a (non-empty) property set? Unknown when it depends on a condition or a parameter."""
    value = props.get(key)
    if isinstance(value, (Unknown, Partial)):
        return Unknown(f"{key} is only known at deployment" + (f" ({value.reason})" if value.reason else ""))
    if isinstance(value, (dict, list, str)):
        # an empty Environment/Variables or Layers list is no restriction at the edge
        if key == "Environment" and isinstance(value, dict):
            variables = value.get("Variables")
            return bool(variables) if not isinstance(variables, (Unknown, Partial)) else Unknown(
                "the environment variables are only known at deployment")
        return bool(value)
    return value is not None


def _headers(read: Reader, config: dict[str, Any] | None) -> HeadersConfig:
    if not config:
        return HeadersConfig(behavior="none")
    headers = read.mapping(config, "HeadersConfig")
    if headers is None:
        return HeadersConfig(behavior=Unknown("HeadersConfig is not known") if "HeadersConfig" in config else "none")
    names = read.strings(headers, "Headers")
    return HeadersConfig(read.scalar(headers, "HeaderBehavior"), names if isinstance(names, list) else [names])


def _cache_policy(read: Reader, props: dict[str, Any]) -> RequestPolicy:
    config = read.mapping(props, "CachePolicyConfig")
    params = read.mapping(config, "ParametersInCacheKeyAndForwardedToOrigin") if config else None
    return RequestPolicy(policy_type="cache", name=read.scalar(config, "Name"), headers=_headers(read, params))


def _origin_request_policy(read: Reader, props: dict[str, Any]) -> RequestPolicy:
    config = read.mapping(props, "OriginRequestPolicyConfig")
    return RequestPolicy(policy_type="origin_request", name=read.scalar(config, "Name"),
                         headers=_headers(read, config))


def _cloudfront_function(read: Reader, props: dict[str, Any]) -> CloudFrontFunction:
    return CloudFrontFunction(name=read.scalar(props, "Name"), code=function_code(props.get("FunctionCode")))


BUILDERS: dict[str, Callable[[Reader, dict[str, Any]], Any]] = {
    "AWS::CertificateManager::Certificate": _certificate,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _load_balancer,
    "AWS::ElasticLoadBalancing::LoadBalancer": _classic_load_balancer,
    "AWS::ElasticLoadBalancingV2::Listener": _listener,
    "AWS::EC2::SecurityGroup": _security_group,
    "AWS::Lambda::Function": _lambda_function,
    "AWS::Serverless::Function": _lambda_function,
    "AWS::CloudFront::CachePolicy": _cache_policy,
    "AWS::CloudFront::OriginRequestPolicy": _origin_request_policy,
    "AWS::CloudFront::Function": _cloudfront_function,
}
# Built only when the resource is one (a load-balanced Elastic Beanstalk environment is a load balancer).
MAYBE_BUILDERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    beanstalk.ENVIRONMENT_TYPE: beanstalk.load_balancer,
}


def build_related(resolver: Resolver, problems: list[Problem]) -> dict[str, Any]:
    """Model objects for the related resources of a template, by logical id, linked together."""
    template = resolver.template
    objects: dict[str, Any] = {}
    links: list[tuple[str, str, dict[str, Any], Reader]] = []
    for logical_id, resource in template.resources.items():
        rtype = template.resource_type(logical_id)
        if rtype in MAYBE_BUILDERS and isinstance(resource, dict):
            built = MAYBE_BUILDERS[rtype](resolver.resolve(resource.get("Properties") or {}))
            if built is not None:
                built.resource = logical_id
                built.loc = Reader(template.file, logical_id, problems).loc(template.resources, logical_id)
                objects[logical_id] = built
            continue
        if rtype not in BUILDERS and rtype not in _LINKERS:
            continue
        read = Reader(template.file, logical_id, problems)
        props = resolver.resolve(resource.get("Properties") or {}) if isinstance(resource, dict) else {}
        if not isinstance(props, dict):
            continue
        if rtype in BUILDERS:
            obj = BUILDERS[rtype](read, props)
            obj.resource = logical_id
            obj.loc = read.loc(template.resources, logical_id)
            objects[logical_id] = obj
        links.append((logical_id, rtype, props, read))
    for logical_id, rtype, props, read in links:
        linker = _LINKERS.get(rtype)
        if linker:
            linker(objects, logical_id, props, read)
    return objects


def _link_listener(objects: dict[str, Any], logical_id: str, props: dict[str, Any], read: Reader) -> None:
    listener = objects.get(logical_id)
    target = ref_target(props.get("LoadBalancerArn"))
    balancer = objects.get(target.resource) if target else None
    if isinstance(listener, Listener) and isinstance(balancer, LoadBalancer):
        balancer.listeners.append(listener)
    if isinstance(listener, Listener):
        _link_certificates(objects, listener)


def _link_certificates(objects: dict[str, Any], listener: Listener) -> None:
    refs = [ref_target(arn) for arn in listener.certificate_arns]
    found = [objects.get(ref.resource) for ref in refs if ref]
    listener.certificates = [c for c in found if isinstance(c, Certificate)]


def _link_balancer(objects: dict[str, Any], logical_id: str, props: dict[str, Any], read: Reader) -> None:
    balancer = objects.get(logical_id)
    if not isinstance(balancer, LoadBalancer):
        return
    for group_ref in balancer.security_group_refs:
        ref = ref_target(group_ref)
        group = objects.get(ref.resource) if ref else None
        if isinstance(group, SecurityGroup):
            balancer.security_groups.append(group)


def _link_listener_certificate(objects: dict[str, Any], logical_id: str, props: dict[str, Any], read: Reader) -> None:
    target = ref_target(props.get("ListenerArn"))
    listener = objects.get(target.resource) if target else None
    if isinstance(listener, Listener):
        for _, item in read.items(props, "Certificates"):
            listener.certificate_arns.append(read.scalar(item, "CertificateArn"))
        _link_certificates(objects, listener)


def _link_ingress(objects: dict[str, Any], logical_id: str, props: dict[str, Any], read: Reader) -> None:
    target = ref_target(props.get("GroupId"))
    group = objects.get(target.resource) if target else None
    if isinstance(group, SecurityGroup):
        group.ingress.append(_ingress_rule(read, read.loc(props), props))


def _link_version(objects: dict[str, Any], logical_id: str, props: dict[str, Any], read: Reader) -> None:
    target = ref_target(props.get("FunctionName"))
    function = objects.get(target.resource) if target else None
    if isinstance(function, LambdaFunction):
        objects[logical_id] = function  # a version is its function, frozen


_LINKERS: dict[str, Callable[[dict[str, Any], str, dict[str, Any], Reader], None]] = {
    "AWS::ElasticLoadBalancingV2::Listener": _link_listener,
    "AWS::ElasticLoadBalancingV2::LoadBalancer": _link_balancer,
    "AWS::ElasticLoadBalancing::LoadBalancer": _link_balancer,
    "AWS::ElasticLoadBalancingV2::ListenerCertificate": _link_listener_certificate,
    "AWS::EC2::SecurityGroupIngress": _link_ingress,
    "AWS::Lambda::Version": _link_version,
}


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value
