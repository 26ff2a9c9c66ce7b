"""CloudFormation template -> the normalized model."""

from __future__ import annotations

import itertools
from typing import Any

from policykit.cfn.conditions import undecided_conditions
from policykit.cfn.intrinsics import Resolver
from policykit.cfn.reader import Reader
from policykit.cfn.related import build_related, ref_target
from policykit.cfn.template import Template
from policykit.model.cloudfront import (
    Alias,
    CacheBehavior,
    CustomHeader,
    Distribution,
    EdgeAssociation,
    ForwardedValues,
    FunctionAssociation,
    Model,
    Origin,
    OriginGroup,
    Problem,
    ViewerCertificate,
)
from policykit.model.related import Certificate, LambdaFunction, RequestPolicy
from policykit.model.values import Unknown

DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"
MAX_SCENARIO_CONDITIONS = 4  # 16 combinations; beyond that values stay unknown


def template_to_model(template: Template) -> Model:
    """Build the model; a distribution whose values depend on undecided conditions appears once per scenario."""
    model = Model(template.file)
    base = Resolver(template)
    model.resources = build_related(base, model.problems)
    for logical_id, resource in template.resources.items():
        if template.resource_type(logical_id) != DISTRIBUTION_TYPE or not isinstance(resource, dict):
            continue
        names = undecided_conditions(base, resource)
        if not names or len(names) > MAX_SCENARIO_CONDITIONS:
            _add(model, template, base, logical_id, resource, "")
            continue
        for values in itertools.product((True, False), repeat=len(names)):
            scenario = dict(zip(names, values, strict=True))
            label = "when " + " and ".join(f"{n} is {str(v).lower()}" for n, v in scenario.items())
            _add(model, template, Resolver(template, scenario), logical_id, resource, label)
    return model


def _add(model: Model, template: Template, resolver: Resolver, logical_id: str,
         resource: dict[str, Any], scenario: str) -> None:
    if "Condition" in resource and resolver.condition(resource["Condition"]) is False:
        return  # the distribution does not exist in this scenario
    problems: list[Problem] = [] if scenario else model.problems
    read = Reader(template.file, logical_id, problems, logical_id)
    props = resolver.resolve(resource.get("Properties") or {})
    config = read.mapping(props, "DistributionConfig") if isinstance(props, dict) else None
    distribution = Distribution(resource=logical_id, loc=read.loc(template.resources, logical_id),
                                scenario=scenario)
    if config is not None:
        types = {name: template.resource_type(name) for name in template.resources}
        _fill(distribution, read, config, model.resources, types)
    distribution.websocket_paths = _websocket_metadata(resource)
    model.distributions.append(distribution)
    if scenario:  # problems are the same in every scenario: keep the first scenario's
        known = {(p.message, p.location) for p in model.problems}
        model.problems.extend(p for p in problems if (p.message, p.location) not in known)


def _fill(dist: Distribution, read: Reader, config: dict[str, Any], resources: dict[str, Any],
          types: dict[str, str]) -> None:
    dist.enabled = read.boolean(config, "Enabled", True)
    dist.locs = read.locs(config, {"enabled": "Enabled", "aliases": "Aliases", "origins": "Origins",
                                   "viewer_certificate": "ViewerCertificate",
                                   "default_behavior": "DefaultCacheBehavior"})
    dist.loc = read.loc(config)
    for field_name, key in (("aliases", "Aliases"), ("origins", "Origins"), ("behaviors", "CacheBehaviors")):
        listed = read.listing(config, key)
        if isinstance(listed, Unknown):
            dist.unknowns[field_name] = listed
        elif config.get(key) is not None and not isinstance(config[key], list):
            # PK002 reports the wrong type; the list stays unknown, so no policy reads it as empty
            dist.unknowns[field_name] = Unknown(f"{key} has the wrong type")
    aliases = read.strings(config, "Aliases")
    if isinstance(aliases, list):
        dist.aliases = [Alias(name=name, distribution=dist, resource=dist.resource,
                              loc=read.loc(config["Aliases"], index))
                        for index, name in enumerate(aliases)]
    dist.viewer_certificate = _viewer_certificate(read, config, resources, dist)
    for index, item in read.items(config, "Origins"):
        dist.origins.append(_origin(read, item, read.loc(config["Origins"], index), dist, resources))
    groups = read.mapping(config, "OriginGroups")
    if groups is not None:
        for index, item in read.items(groups, "Items"):
            dist.origin_groups.append(_origin_group(read, item, read.loc(groups["Items"], index), dist))
    default = read.mapping(config, "DefaultCacheBehavior")
    if default is not None:
        dist.default_behavior = _behavior(read, default, read.loc(config, "DefaultCacheBehavior"), dist, resources,
                                           types)
    for index, item in read.items(config, "CacheBehaviors"):
        behavior = _behavior(read, item, read.loc(config["CacheBehaviors"], index), dist, resources, types)
        dist.ordered_behaviors.append(behavior)


def _viewer_certificate(read: Reader, config: dict[str, Any], resources: dict[str, Any],
                        dist: Distribution) -> ViewerCertificate | None:
    node = read.mapping(config, "ViewerCertificate")
    if node is None:
        return None
    arn = read.scalar(node, "AcmCertificateArn")
    ref = ref_target(arn)
    certificate = resources.get(ref.resource) if ref else None
    return ViewerCertificate(
        acm_certificate_arn=arn,
        iam_certificate_id=read.scalar(node, "IamCertificateId"),
        cloudfront_default=read.boolean(node, "CloudFrontDefaultCertificate"),
        minimum_protocol_version=read.scalar(node, "MinimumProtocolVersion"),
        ssl_support_method=read.scalar(node, "SslSupportMethod"),
        certificate=certificate if isinstance(certificate, Certificate) else None,
        resource=dist.resource,
        loc=read.loc(config, "ViewerCertificate"),
        locs=read.locs(node, {"acm_certificate_arn": "AcmCertificateArn", "iam_certificate_id": "IamCertificateId",
                              "cloudfront_default": "CloudFrontDefaultCertificate",
                              "minimum_protocol_version": "MinimumProtocolVersion",
                              "ssl_support_method": "SslSupportMethod"}),
    )


def _origin(read: Reader, node: dict[str, Any], loc: Any, dist: Distribution,
            resources: dict[str, Any]) -> Origin:
    domain = read.scalar(node, "DomainName")
    ref = ref_target(domain)
    origin = Origin(
        id=read.scalar(node, "Id"), domain_name=domain, origin_path=read.scalar(node, "OriginPath"),
        connection_attempts=read.integer(node, "ConnectionAttempts"),
        connection_timeout=read.integer(node, "ConnectionTimeout"),
        target_ref=ref, target=resources.get(ref.resource) if ref else None,
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, {"id": "Id", "domain_name": "DomainName", "origin_path": "OriginPath",
                              "connection_attempts": "ConnectionAttempts",
                              "connection_timeout": "ConnectionTimeout", "custom_headers": "OriginCustomHeaders"}),
    )
    custom = read.mapping(node, "CustomOriginConfig")
    if custom is not None:
        origin.config_type = "custom"
        origin.protocol_policy = read.scalar(custom, "OriginProtocolPolicy")
        origin.http_port = read.integer(custom, "HTTPPort", 80)
        origin.https_port = read.integer(custom, "HTTPSPort", 443)
        protocols = read.strings(custom, "OriginSSLProtocols") if "OriginSSLProtocols" in custom else None
        origin.ssl_protocols = protocols
        origin.read_timeout = read.integer(custom, "OriginReadTimeout")
        origin.keepalive_timeout = read.integer(custom, "OriginKeepaliveTimeout")
        origin.locs.update(read.locs(custom, {
            "protocol_policy": "OriginProtocolPolicy", "http_port": "HTTPPort", "https_port": "HTTPSPort",
            "ssl_protocols": "OriginSSLProtocols", "read_timeout": "OriginReadTimeout",
            "keepalive_timeout": "OriginKeepaliveTimeout"}))
        origin.locs.setdefault("config_type", read.loc(node, "CustomOriginConfig"))
    elif "S3OriginConfig" in node:
        origin.config_type = "s3"
        origin.locs["config_type"] = read.loc(node, "S3OriginConfig")
    elif "VpcOriginConfig" in node:
        origin.config_type = "vpc"
        origin.locs["config_type"] = read.loc(node, "VpcOriginConfig")
    for index, header in read.items(node, "OriginCustomHeaders"):
        origin.custom_headers.append(CustomHeader(
            name=read.scalar(header, "HeaderName"), value=read.scalar(header, "HeaderValue"),
            origin=origin, resource=dist.resource, loc=read.loc(node["OriginCustomHeaders"], index),
            locs=read.locs(header, {"name": "HeaderName", "value": "HeaderValue"})))
    return origin


def _origin_group(read: Reader, node: dict[str, Any], loc: Any, dist: Distribution) -> OriginGroup:
    members = read.mapping(node, "Members")
    criteria = read.mapping(node, "FailoverCriteria")
    codes = read.mapping(criteria, "StatusCodes") if criteria else None
    status = read.strings(codes, "Items") if codes else []
    return OriginGroup(
        id=read.scalar(node, "Id"),
        member_ids=[read.scalar(m, "OriginId") for _, m in read.items(members, "Items")] if members else [],
        status_codes=status if isinstance(status, list) else [status],
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, {"id": "Id", "member_ids": "Members", "status_codes": "FailoverCriteria"}),
    )


def _behavior(read: Reader, node: dict[str, Any], loc: Any, dist: Distribution,
              resources: dict[str, Any], types: dict[str, str]) -> CacheBehavior:
    cache_policy_id = read.scalar(node, "CachePolicyId")
    request_policy_id = read.scalar(node, "OriginRequestPolicyId")
    methods = read.strings(node, "AllowedMethods") if "AllowedMethods" in node else ["GET", "HEAD"]
    behavior = CacheBehavior(
        path_pattern=read.scalar(node, "PathPattern"),
        target_origin_id=read.scalar(node, "TargetOriginId"),
        viewer_protocol_policy=read.scalar(node, "ViewerProtocolPolicy"),
        allowed_methods=methods,
        cache_policy_id=cache_policy_id,
        origin_request_policy_id=request_policy_id,
        cache_policy=_linked_policy(cache_policy_id, resources),
        origin_request_policy=_linked_policy(request_policy_id, resources),
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, {"path_pattern": "PathPattern", "target_origin_id": "TargetOriginId",
                              "viewer_protocol_policy": "ViewerProtocolPolicy", "allowed_methods": "AllowedMethods",
                              "cache_policy_id": "CachePolicyId", "origin_request_policy_id": "OriginRequestPolicyId",
                              "forwarded_values": "ForwardedValues",
                              "lambda_associations": "LambdaFunctionAssociations"}),
    )
    forwarded = read.mapping(node, "ForwardedValues")
    if forwarded is not None:
        headers = read.strings(forwarded, "Headers")
        cookies = read.mapping(forwarded, "Cookies")
        behavior.forwarded_values = ForwardedValues(
            headers=headers, cookies=read.scalar(cookies, "Forward") if cookies else None,
            query_string=read.boolean(forwarded, "QueryString"))
        if "Headers" in forwarded:
            behavior.locs["forwarded_values"] = read.loc(forwarded, "Headers")
    for index, item in read.items(node, "LambdaFunctionAssociations"):
        arn = read.scalar(item, "LambdaFunctionARN")
        ref = ref_target(arn)
        function = resources.get(ref.resource) if ref else None
        behavior.lambda_associations.append(EdgeAssociation(
            event_type=read.scalar(item, "EventType"), lambda_arn=arn,
            # only a bare reference says what the ARN is: `${Fn.Arn}:7` is a version, not `Fn.Arn`
            arn_source=_arn_source(ref if isinstance(arn, Unknown) else None, types),
            include_body=read.boolean(item, "IncludeBody", False),
            function=function if isinstance(function, LambdaFunction) else None,
            behavior=behavior, resource=dist.resource, loc=read.loc(node["LambdaFunctionAssociations"], index),
            locs=read.locs(item, {"event_type": "EventType", "lambda_arn": "LambdaFunctionARN",
                                  "include_body": "IncludeBody"})))
    for index, item in read.items(node, "FunctionAssociations"):
        behavior.function_associations.append(FunctionAssociation(
            event_type=read.scalar(item, "EventType"), function_arn=read.scalar(item, "FunctionARN"),
            behavior=behavior, resource=dist.resource, loc=read.loc(node["FunctionAssociations"], index),
            locs=read.locs(item, {"event_type": "EventType", "function_arn": "FunctionARN"})))
    return behavior


_LAMBDA_TARGETS = {
    ("AWS::Lambda::Version", ""): "version",
    ("AWS::Lambda::Alias", ""): "alias",
    ("AWS::Lambda::Function", ""): "function-name",
    ("AWS::Lambda::Function", "Arn"): "unqualified",
    ("AWS::Serverless::Function", ""): "function-name",
    ("AWS::Serverless::Function", "Arn"): "unqualified",
    ("AWS::Serverless::Function", "Version"): "version",
    ("AWS::Serverless::Function", "Alias"): "alias",
}


def _arn_source(ref: Any, types: dict[str, str]) -> str | None:
    """What `!Ref X` / `!GetAtt X.Arn` names, from the type of X."""
    if ref is None:
        return None
    return _LAMBDA_TARGETS.get((types.get(ref.resource, ""), ref.attribute))


def _linked_policy(policy_id: Any, resources: dict[str, Any]) -> RequestPolicy | None:
    ref = ref_target(policy_id)
    policy = resources.get(ref.resource) if ref else None
    return policy if isinstance(policy, RequestPolicy) else None


def _websocket_metadata(resource: dict[str, Any]) -> list[Any]:
    """`Metadata: {policykit: {websocket: [path patterns]}}` declares which behaviors serve WebSocket."""
    metadata = resource.get("Metadata")
    own = metadata.get("policykit") if isinstance(metadata, dict) else None
    paths = own.get("websocket") if isinstance(own, dict) else None
    if isinstance(paths, str):
        return [paths]
    return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []
