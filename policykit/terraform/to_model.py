"""Resolved Terraform resource bodies -> the same normalized model the CloudFormation loader fills."""

from __future__ import annotations

from typing import Any

from policykit.cfn.reader import Reader
from policykit.cfn.related import ref_target
from policykit.location import Location
from policykit.model.cloudfront import (
    Alias,
    CacheBehavior,
    CustomHeader,
    Distribution,
    EdgeAssociation,
    ForwardedValues,
    FunctionAssociation,
    Origin,
    OriginGroup,
    ViewerCertificate,
)
from policykit.model.related import Certificate, LambdaFunction, RequestPolicy
from policykit.model.values import Partial, Unknown
from policykit.source.nodes import MDict, MList
from policykit.terraform.module import UNKNOWN_BLOCKS

WEBSOCKET_TAG = "policykit:websocket"


def blocks(read: Reader, node: Any, key: str) -> list[tuple[Location, dict[str, Any]]]:
    """Nested blocks `key` of a body (a list of bodies, or one body in JSON syntax), with locations."""
    value = node.get(key) if isinstance(node, dict) else None
    if value is None or isinstance(value, (Unknown, Partial)):
        return []
    if isinstance(value, dict):
        return [(read.loc(node, key), value)]
    if not isinstance(value, list):
        read.problem(node, key, f"{key} must be a block, not a single value")
        return []
    out = []
    for index, item in enumerate(value):
        if isinstance(item, dict):
            out.append((read.loc(value, index), item))
        elif item is not None and not isinstance(item, (Unknown, Partial)):
            read.problem(value, index, f"each {key} must be a block")
    return out


def block(read: Reader, node: Any, key: str) -> dict[str, Any] | None:
    found = blocks(read, node, key)
    return found[0][1] if found else None


def unknown_blocks(node: Any, key: str) -> Unknown | None:
    marker = node.get(UNKNOWN_BLOCKS) if isinstance(node, dict) else None
    return marker.get(key) if isinstance(marker, dict) else None


def without_nulls(node: Any) -> Any:
    """The body with every argument set to null left out: Terraform treats `x = null` as not written.

    Modules pass optional settings as `lookup(v, "origin_read_timeout", null)`; read as a value,
    null would be a setting "that is not a number" instead of CloudFront's default.
    """
    if isinstance(node, MDict):
        out = MDict(node.mark)
        for key, value in node.items():
            if value is not None:
                out.set(key, without_nulls(value), node.key_marks.get(key, node.mark), node.mark_of(key))
        return out
    if isinstance(node, MList):
        items = MList(node.mark)
        for index, item in enumerate(node):
            items.add(without_nulls(item), node.mark_of(index))
        return items
    return node


def distribution(read: Reader, body: dict[str, Any], address: str, loc: Location,
                 resources: dict[str, Any], types: dict[str, str]) -> Distribution:
    body = without_nulls(body)
    dist = Distribution(resource=address, loc=loc)
    dist.enabled = read.boolean(body, "enabled", True)
    dist.locs = read.locs(body, {"enabled": "enabled", "aliases": "aliases", "origins": "origin",
                                 "viewer_certificate": "viewer_certificate",
                                 "default_behavior": "default_cache_behavior"})
    for field_name, key in (("origins", "origin"), ("behaviors", "ordered_cache_behavior"),
                            ("origin_groups", "origin_group")):
        unknown = unknown_blocks(body, key)
        if unknown is not None:
            dist.unknowns[field_name] = unknown
    aliases = read.strings(body, "aliases") if body.get("aliases") is not None else []
    if isinstance(aliases, Unknown):
        dist.unknowns["aliases"] = aliases
    else:
        # Aliases from a variable have no marks of their own: point at the `aliases` argument.
        dist.aliases = [Alias(name=name, distribution=dist, resource=address,
                              loc=_located(read.loc(body["aliases"], index), read.loc(body, "aliases")))
                        for index, name in enumerate(aliases)]
    dist.viewer_certificate = _viewer_certificate(read, body, resources, dist)
    for origin_loc, node in blocks(read, body, "origin"):
        dist.origins.append(_origin(read, node, origin_loc, dist, resources))
    for group_loc, node in blocks(read, body, "origin_group"):
        dist.origin_groups.append(_origin_group(read, node, group_loc, dist))
    for behavior_loc, node in blocks(read, body, "default_cache_behavior")[:1]:
        dist.default_behavior = _behavior(read, node, behavior_loc, dist, resources, types, default=True)
    for behavior_loc, node in blocks(read, body, "ordered_cache_behavior"):
        dist.ordered_behaviors.append(_behavior(read, node, behavior_loc, dist, resources, types))
    dist.websocket_paths = _websocket_tag(body)
    return dist


def _located(loc: Location, fallback: Location) -> Location:
    return loc if loc.line else fallback


def _viewer_certificate(read: Reader, body: dict[str, Any], resources: dict[str, Any],
                        dist: Distribution) -> ViewerCertificate | None:
    found = blocks(read, body, "viewer_certificate")
    if not found:
        return None
    loc, node = found[0]
    arn = read.scalar(node, "acm_certificate_arn")
    ref = ref_target(arn)
    certificate = resources.get(ref.resource) if ref else None
    return ViewerCertificate(
        acm_certificate_arn=arn, iam_certificate_id=read.scalar(node, "iam_certificate_id"),
        cloudfront_default=read.boolean(node, "cloudfront_default_certificate"),
        minimum_protocol_version=read.scalar(node, "minimum_protocol_version"),
        ssl_support_method=read.scalar(node, "ssl_support_method"),
        certificate=certificate if isinstance(certificate, Certificate) else None,
        resource=dist.resource, loc=loc,
        locs=read.locs(node, {"acm_certificate_arn": "acm_certificate_arn", "iam_certificate_id": "iam_certificate_id",
                              "cloudfront_default": "cloudfront_default_certificate",
                              "minimum_protocol_version": "minimum_protocol_version",
                              "ssl_support_method": "ssl_support_method"}))


def _origin(read: Reader, node: dict[str, Any], loc: Location, dist: Distribution,
            resources: dict[str, Any]) -> Origin:
    domain = read.scalar(node, "domain_name")
    ref = ref_target(domain)
    origin = Origin(
        id=read.scalar(node, "origin_id"), domain_name=domain, origin_path=read.scalar(node, "origin_path"),
        connection_attempts=read.integer(node, "connection_attempts"),
        connection_timeout=read.integer(node, "connection_timeout"),
        target_ref=ref, target=resources.get(ref.resource) if ref else None,
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, {"id": "origin_id", "domain_name": "domain_name", "origin_path": "origin_path",
                              "connection_attempts": "connection_attempts",
                              "connection_timeout": "connection_timeout", "custom_headers": "custom_header"}))
    custom = block(read, node, "custom_origin_config")
    if custom is not None:
        origin.config_type = "custom"
        origin.protocol_policy = read.scalar(custom, "origin_protocol_policy")
        origin.http_port = read.integer(custom, "http_port", 80)
        origin.https_port = read.integer(custom, "https_port", 443)
        if custom.get("origin_ssl_protocols") is not None:
            origin.ssl_protocols = read.strings(custom, "origin_ssl_protocols")
        origin.read_timeout = read.integer(custom, "origin_read_timeout")
        origin.keepalive_timeout = read.integer(custom, "origin_keepalive_timeout")
        origin.locs.update(read.locs(custom, {
            "protocol_policy": "origin_protocol_policy", "http_port": "http_port", "https_port": "https_port",
            "ssl_protocols": "origin_ssl_protocols", "read_timeout": "origin_read_timeout",
            "keepalive_timeout": "origin_keepalive_timeout"}))
        origin.locs.setdefault("config_type", read.loc(node, "custom_origin_config"))
    elif block(read, node, "s3_origin_config") is not None or "s3_origin_config" in node:
        origin.config_type = "s3"
        origin.locs["config_type"] = read.loc(node, "s3_origin_config")
    elif node.get("vpc_origin_config"):
        origin.config_type = "vpc"
        origin.locs["config_type"] = read.loc(node, "vpc_origin_config")
    if unknown_blocks(node, "custom_origin_config") is not None:
        origin.config_type = unknown_blocks(node, "custom_origin_config")
    for header_loc, header in blocks(read, node, "custom_header"):
        origin.custom_headers.append(CustomHeader(
            name=read.scalar(header, "name"), value=read.scalar(header, "value"), resource=dist.resource,
            loc=header_loc, locs=read.locs(header, {"name": "name", "value": "value"})))
    return origin


def _origin_group(read: Reader, node: dict[str, Any], loc: Location, dist: Distribution) -> OriginGroup:
    criteria = block(read, node, "failover_criteria")
    codes = read.strings(criteria, "status_codes") if criteria else []
    return OriginGroup(
        id=read.scalar(node, "origin_id"),
        member_ids=[read.scalar(member, "origin_id") for _, member in blocks(read, node, "member")],
        status_codes=codes if isinstance(codes, list) else [codes],
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, {"id": "origin_id", "member_ids": "member", "status_codes": "failover_criteria"}))


def _behavior(read: Reader, node: dict[str, Any], loc: Location, dist: Distribution, resources: dict[str, Any],
              types: dict[str, str], default: bool = False) -> CacheBehavior:
    cache_policy_id = read.scalar(node, "cache_policy_id")
    request_policy_id = read.scalar(node, "origin_request_policy_id")
    methods = read.strings(node, "allowed_methods") if node.get("allowed_methods") is not None else ["GET", "HEAD"]
    behavior = CacheBehavior(
        path_pattern=None if default else read.scalar(node, "path_pattern"),
        target_origin_id=read.scalar(node, "target_origin_id"),
        viewer_protocol_policy=read.scalar(node, "viewer_protocol_policy"),
        allowed_methods=methods, cache_policy_id=cache_policy_id, origin_request_policy_id=request_policy_id,
        cache_policy=_linked_policy(cache_policy_id, resources),
        origin_request_policy=_linked_policy(request_policy_id, resources),
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, {"path_pattern": "path_pattern", "target_origin_id": "target_origin_id",
                              "viewer_protocol_policy": "viewer_protocol_policy", "allowed_methods": "allowed_methods",
                              "cache_policy_id": "cache_policy_id",
                              "origin_request_policy_id": "origin_request_policy_id",
                              "forwarded_values": "forwarded_values",
                              "lambda_associations": "lambda_function_association"}))
    forwarded = block(read, node, "forwarded_values")
    if forwarded is not None:
        headers = read.strings(forwarded, "headers") if forwarded.get("headers") is not None else []
        cookies = block(read, forwarded, "cookies")
        behavior.forwarded_values = ForwardedValues(
            headers=headers, cookies=read.scalar(cookies, "forward") if cookies else None,
            query_string=read.boolean(forwarded, "query_string"))
        if "headers" in forwarded:
            behavior.locs["forwarded_values"] = read.loc(forwarded, "headers")
    for item_loc, item in blocks(read, node, "lambda_function_association"):
        arn = read.scalar(item, "lambda_arn")
        ref = ref_target(arn)
        function = resources.get(ref.resource) if ref else None
        behavior.lambda_associations.append(EdgeAssociation(
            event_type=read.scalar(item, "event_type"), lambda_arn=arn,
            arn_source=_arn_source(ref, types), include_body=read.boolean(item, "include_body", False),
            function=function if isinstance(function, LambdaFunction) else None,
            behavior=behavior, resource=dist.resource, loc=item_loc,
            locs=read.locs(item, {"event_type": "event_type", "lambda_arn": "lambda_arn",
                                  "include_body": "include_body"})))
    for item_loc, item in blocks(read, node, "function_association"):
        behavior.function_associations.append(FunctionAssociation(
            event_type=read.scalar(item, "event_type"), function_arn=read.scalar(item, "function_arn"),
            behavior=behavior, resource=dist.resource, loc=item_loc,
            locs=read.locs(item, {"event_type": "event_type", "function_arn": "function_arn"})))
    if unknown_blocks(node, "lambda_function_association") is not None:
        behavior.unknowns["lambda_associations"] = unknown_blocks(node, "lambda_function_association")
    return behavior


def _arn_source(ref: Any, types: dict[str, str]) -> str | None:
    """What `aws_lambda_function.f.qualified_arn` and friends name, from the referenced resource type."""
    if ref is None:
        return None
    rtype = types.get(ref.resource, "")
    if rtype == "aws_lambda_alias" and ref.attribute in ("arn", "invoke_arn", ""):
        return "alias"
    if rtype != "aws_lambda_function":
        return None
    if ref.attribute == "qualified_arn":  # `publish` (default false) decides: a version, or $LATEST
        publish = types.get(f"{ref.resource}#publish")
        return "version" if publish == "true" else "latest" if publish == "false" else None
    return {"arn": "unqualified", "function_name": "function-name", "id": "function-name"}.get(ref.attribute)


def _linked_policy(policy_id: Any, resources: dict[str, Any]) -> RequestPolicy | None:
    ref = ref_target(policy_id)
    policy = resources.get(ref.resource) if ref else None
    return policy if isinstance(policy, RequestPolicy) else None


def _websocket_tag(body: dict[str, Any]) -> list[Any]:
    """A tag `policykit:websocket = "/ws/*,/socket.io/*"` declares which behaviors serve WebSocket."""
    tags = body.get("tags")
    value = tags.get(WEBSOCKET_TAG) if isinstance(tags, dict) else None
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [value] if isinstance(value, (Unknown, Partial)) else []


def is_list(value: Any) -> bool:
    return isinstance(value, (list, MList))
