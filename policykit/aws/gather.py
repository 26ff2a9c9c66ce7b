"""What stands behind one deployed distribution, read through a `Source` (AWS itself, or a saved directory), each
thing only when the distribution needs it: the viewer certificate's names, each origin load balancer (with its
listeners, their certificates and its security groups), each VPC origin, each custom cache and origin request
policy, each Lambda@Edge function version and CloudFront Function."""

from __future__ import annotations

from dataclasses import field

from policykit.aws.balancers import balancer_by_arn, balancer_by_dns, certificate, server_certificate_by_id
from policykit.aws.calls import Call, Source
from policykit.aws.related import (
    arn_region,
    cloudfront_function,
    lambda_function,
    request_policy,
    role_trusts_edge,
    unread_function,
    unread_load_balancer,
)
from policykit.core.data import load
from policykit.core.location import Location
from policykit.core.nodes import MDict
from policykit.core.record import record
from policykit.core.values import Number, Scalar, Text, Unknown
from policykit.model.reader import Reader
from policykit.model.related import Certificate, CloudFrontFunction, LambdaFunction, LoadBalancer, RequestPolicy

# The kinds of policy a behavior names, with the call that reads a custom one
_POLICIES = (("CachePolicyId", "cache", "GetCachePolicy"),
             ("OriginRequestPolicyId", "origin_request", "GetOriginRequestPolicy"))


@record(frozen=False)
class VpcEndpoint:
    """A VPC origin's endpoint: the load balancer it names (None for an instance) and how CloudFront connects."""

    balancer: LoadBalancer | None = None
    protocol_policy: Text | None = None
    http_port: Number | None = None
    https_port: Number | None = None
    ssl_protocols: list[Scalar] | Unknown | None = None
    locs: dict[str, Location] = field(default_factory=dict)


@record(frozen=False)
class Behind:
    """What stands behind one distribution, by what the distribution names it with."""

    viewer_certificate: Certificate | None = None
    balancers: dict[str, LoadBalancer] = field(default_factory=dict)  # by origin Id
    vpc_origins: dict[str, VpcEndpoint] = field(default_factory=dict)  # by origin Id
    policies: dict[tuple[str, str], RequestPolicy] = field(default_factory=dict)  # by (kind, id)
    functions: dict[str, LambdaFunction] = field(default_factory=dict)  # by the association's ARN
    cloudfront_functions: dict[str, CloudFrontFunction] = field(default_factory=dict)  # by FunctionARN


def _text(node: object, key: str) -> str:
    value = node.get(key) if isinstance(node, MDict) else None
    return value.strip() if isinstance(value, str) else ""


def _items(node: object, key: str) -> list[MDict]:
    value = node.get(key) if isinstance(node, MDict) else None
    items = value.get("Items") if isinstance(value, MDict) else None
    return [item for item in items if isinstance(item, MDict)] if isinstance(items, list) else []


def gather(source: Source, config: MDict) -> Behind:
    """Read what the DistributionConfig `config` (in the API's shape) names."""
    behind = Behind()
    viewer = config.get("ViewerCertificate")
    arn, iam_id = _text(viewer, "ACMCertificateArn"), _text(viewer, "IAMCertificateId")
    if arn:
        behind.viewer_certificate = certificate(source, arn)
    elif iam_id:
        behind.viewer_certificate = server_certificate_by_id(source, iam_id)
    for origin in _items(config, "Origins"):
        origin_id, domain = _text(origin, "Id"), _text(origin, "DomainName")
        vpc = origin.get("VpcOriginConfig")
        if isinstance(vpc, MDict) and _text(vpc, "VpcOriginId"):
            behind.vpc_origins[origin_id] = vpc_endpoint(source, _text(vpc, "VpcOriginId"))
        elif isinstance(origin.get("CustomOriginConfig"), MDict) and domain:
            balancer = balancer_by_dns(source, domain)
            if balancer is not None:
                behind.balancers[origin_id] = balancer
    behaviors = [b for b in [config.get("DefaultCacheBehavior")] if isinstance(b, MDict)]
    for behavior in [*behaviors, *_items(config, "CacheBehaviors")]:
        _behavior(source, behavior, behind)
    return behind


def _behavior(source: Source, behavior: MDict, behind: Behind) -> None:
    managed = load("managed_policies.json")
    for key, kind, operation in _POLICIES:
        policy_id = _text(behavior, key)
        if not policy_id or policy_id.lower() in managed[kind] or (kind, policy_id) in behind.policies:
            continue
        answer = source.ask(Call("cloudfront", operation, "", (("Id", policy_id),)))
        behind.policies[(kind, policy_id)] = request_policy(answer, kind, policy_id)
    for association in _items(behavior, "LambdaFunctionAssociations"):
        arn = _text(association, "LambdaFunctionARN")
        if arn and arn not in behind.functions:
            behind.functions[arn] = edge_function(source, arn)
    for association in _items(behavior, "FunctionAssociations"):
        arn = _text(association, "FunctionARN")
        if arn and arn not in behind.cloudfront_functions:
            name = arn.rsplit("/", 1)[-1]
            params = (("Name", name), ("Stage", "LIVE"))
            described = source.ask(Call("cloudfront", "DescribeFunction", "", params))
            code = source.ask(Call("cloudfront", "GetFunction", "", params)) if not described.error else described
            behind.cloudfront_functions[arn] = cloudfront_function(described, code, arn, name)


def edge_function(source: Source, arn: str) -> LambdaFunction:
    """The function version an association names (`aws lambda get-function`), and its code with `--edge`."""
    parts = arn.split(":")
    # arn:aws:lambda:REGION:ACCOUNT:function:NAME:QUALIFIER: the version is asked for as the Qualifier
    params = (("FunctionName", ":".join(parts[:7])), ("Qualifier", parts[7])) if len(parts) == 8 and parts[7] \
        else (("FunctionName", arn),)
    answer = source.ask(Call("lambda", "GetFunction", arn_region(arn) or "us-east-1", params))
    if answer.error:
        return unread_function(arn, answer.reason)
    function = lambda_function(answer, arn)
    role = function.execution_role
    if isinstance(role, str) and ":role/" in role:  # its trust: `aws iam get-role`
        trust = source.ask(Call("iam", "GetRole", "", (("RoleName", role.rsplit("/", 1)[-1]),)))
        function.role_trusts_edge = role_trusts_edge(trust)
    return function


def vpc_endpoint(source: Source, vpc_origin_id: str) -> VpcEndpoint:
    """`aws cloudfront get-vpc-origin`: the endpoint's load balancer, protocol policy and ports."""
    answer = source.ask(Call("cloudfront", "GetVpcOrigin", "", (("Id", vpc_origin_id),)))
    config = answer.document.get("VpcOrigin") if answer.document is not None else None
    endpoint = config.get("VpcOriginEndpointConfig") if isinstance(config, MDict) else None
    if answer.error or not isinstance(endpoint, MDict):
        reason = Unknown(answer.reason or "the answer holds no VpcOriginEndpointConfig")
        return VpcEndpoint(unread_load_balancer(vpc_origin_id, reason.reason), reason, reason, reason, reason)
    read = Reader(answer.file, vpc_origin_id, [])
    arn = _text(endpoint, "Arn")
    balancer = balancer_by_arn(source, arn) if ":elasticloadbalancing:" in arn else None
    protocols = endpoint.get("OriginSslProtocols")
    return VpcEndpoint(
        balancer=balancer, protocol_policy=read.text(endpoint, "OriginProtocolPolicy"),
        http_port=read.integer(endpoint, "HTTPPort", 80), https_port=read.integer(endpoint, "HTTPSPort", 443),
        ssl_protocols=read.strings(protocols, "Items") if isinstance(protocols, MDict) else None,
        locs=read.locs(endpoint, {"protocol_policy": "OriginProtocolPolicy", "http_port": "HTTPPort",
                                  "https_port": "HTTPSPort", "ssl_protocols": "OriginSslProtocols"}))

