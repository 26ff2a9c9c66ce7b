"""How Terraform spells `aws_cloudfront_distribution`, for the one model builder (policykit/model/build.py)."""

from __future__ import annotations

from policykit.core.location import Location
from policykit.core.nodes import MDict, MList
from policykit.core.values import MaybeMore, Partial, Unknown
from policykit.model.build import build_distribution
from policykit.model.cloudfront import Distribution
from policykit.model.index import TemplateIndex
from policykit.model.reader import Mapping, Reader, Scalar
from policykit.model.spelling import Related, Spelling
from policykit.terraform.module import UNKNOWN_BLOCKS

WEBSOCKET_TAG = "policykit:websocket"

_BALANCER_KEYS = {"internal": "internal", "lb_type": "load_balancer_type", "security_groups": "security_groups"}
_BALANCER_LOCS = {"scheme": "internal", "lb_type": "load_balancer_type", "security_groups": "security_groups"}
_LISTENER = Related("listener", keys={
    "port": "port", "protocol": "protocol", "ssl_policy": "ssl_policy", "certificate_arn": "certificate_arn",
    "load_balancer_arn": "load_balancer_arn"},
    locs={"port": "port", "protocol": "protocol", "ssl_policy": "ssl_policy", "certificate_arns": "certificate_arn"})
_RULE_KEYS = {"protocol": "protocol", "from_port": "from_port", "to_port": "to_port",
              "cidrs": "cidr_blocks,ipv6_cidr_blocks", "prefix": "prefix_list_ids"}

RELATED: dict[str, Related] = {
    "aws_acm_certificate": Related("certificate", keys={
        "domain_name": "domain_name", "subject_alternative_names": "subject_alternative_names"},
        locs={"domain_name": "domain_name", "subject_alternative_names": "subject_alternative_names"}),
    "aws_lb": Related("load_balancer", keys=_BALANCER_KEYS, locs=_BALANCER_LOCS),
    "aws_alb": Related("load_balancer", keys=_BALANCER_KEYS, locs=_BALANCER_LOCS),
    "aws_elb": Related("classic_load_balancer", keys={
        **_BALANCER_KEYS, "listeners": "listener", "listener_port": "lb_port", "listener_protocol": "lb_protocol",
        "listener_certificate": "ssl_certificate_id"}, locs=_BALANCER_LOCS),
    "aws_lb_listener": _LISTENER,
    "aws_alb_listener": _LISTENER,
    "aws_lb_listener_certificate": Related(links="listener_certificate", keys={
        "listener_arn": "listener_arn", "certificate_arn": "certificate_arn"}),
    "aws_security_group": Related("security_group", keys={"ingress": "ingress", **_RULE_KEYS,
                                                          "group": "security_groups"}),
    "aws_security_group_rule": Related(links="ingress_rule", keys={
        "group_id": "security_group_id", "only_type": "ingress", **_RULE_KEYS, "group": "source_security_group_id"}),
    "aws_vpc_security_group_ingress_rule": Related(links="ingress_rule", keys={
        "group_id": "security_group_id", "protocol": "ip_protocol", "from_port": "from_port", "to_port": "to_port",
        "cidrs": "cidr_ipv4,cidr_ipv6", "prefix": "prefix_list_id", "group": "referenced_security_group_id"}),
    "aws_lambda_function": Related("lambda_function", keys={
        "runtime": "runtime", "handler": "handler", "code": "terraform",
        "memory_size": "memory_size", "timeout": "timeout", "architectures": "architectures",
        "package_type": "package_type", "has_environment": "environment", "variables": "variables",
        "has_vpc_config": "vpc_config", "has_layers": "layers", "has_dead_letter_config": "dead_letter_config",
        "ephemeral_storage": "ephemeral_storage", "storage_size": "size"},
        locs={"runtime": "runtime", "memory_size": "memory_size", "timeout": "timeout",
              "architectures": "architectures", "package_type": "package_type", "has_environment": "environment",
              "has_vpc_config": "vpc_config", "has_layers": "layers", "has_dead_letter_config": "dead_letter_config",
              "ephemeral_storage": "ephemeral_storage"}),
    "aws_cloudfront_cache_policy": Related("cache_policy", keys={
        "name": "name", "headers_config": "parameters_in_cache_key_and_forwarded_to_origin.headers_config",
        "header_behavior": "header_behavior", "headers": "headers.items"}),
    "aws_cloudfront_origin_request_policy": Related("origin_request_policy", keys={
        "name": "name", "headers_config": "headers_config", "header_behavior": "header_behavior",
        "headers": "headers.items"}),
    "aws_cloudfront_function": Related("cloudfront_function", keys={"name": "name", "code": "code"}),
    "aws_cloudfront_vpc_origin": Related("vpc_origin", keys={
        "endpoint": "vpc_origin_endpoint_config", "arn": "arn", "http_port": "http_port", "https_port": "https_port",
        "protocol_policy": "origin_protocol_policy", "ssl_protocols": "origin_ssl_protocols.items"}),
}

SPELLING = Spelling(
    distribution={"enabled": "enabled", "http_version": "http_version", "connection_mode": "connection_mode",
                  "aliases": "aliases", "viewer_certificate": "viewer_certificate",
                  "origins": "origin", "origin_groups": "origin_group",
                  "default_behavior": "default_cache_behavior", "ordered_behaviors": "ordered_cache_behavior"},
    viewer_certificate={"acm_certificate_arn": "acm_certificate_arn", "iam_certificate_id": "iam_certificate_id",
                        "cloudfront_default": "cloudfront_default_certificate",
                        "minimum_protocol_version": "minimum_protocol_version",
                        "ssl_support_method": "ssl_support_method"},
    origin={"id": "origin_id", "domain_name": "domain_name", "origin_path": "origin_path",
            "connection_attempts": "connection_attempts", "connection_timeout": "connection_timeout",
            "response_completion_timeout": "response_completion_timeout", "origin_shield": "origin_shield",
            "custom_headers": "custom_header", "custom": "custom_origin_config", "s3": "s3_origin_config",
            "vpc": "vpc_origin_config"},
    custom_origin={"protocol_policy": "origin_protocol_policy", "http_port": "http_port",
                   "https_port": "https_port", "ssl_protocols": "origin_ssl_protocols",
                   "read_timeout": "origin_read_timeout", "keepalive_timeout": "origin_keepalive_timeout",
                   "mtls": "origin_mtls_config"},
    custom_header={"name": "name", "value": "value"},
    origin_group={"id": "origin_id", "member_ids": "member", "member_id": "origin_id",
                  "status_codes": "failover_criteria.status_codes"},
    behavior={"path_pattern": "path_pattern", "target_origin_id": "target_origin_id",
              "viewer_protocol_policy": "viewer_protocol_policy", "allowed_methods": "allowed_methods",
              "cache_policy_id": "cache_policy_id", "origin_request_policy_id": "origin_request_policy_id",
              "forwarded_values": "forwarded_values", "lambda_associations": "lambda_function_association",
              "function_associations": "function_association", "grpc": "grpc_config"},
    forwarded_values={"headers": "headers", "cookies": "cookies", "forward": "forward",
                      "query_string": "query_string"},
    lambda_association={"event_type": "event_type", "lambda_arn": "lambda_arn", "include_body": "include_body"},
    function_association={"event_type": "event_type", "function_arn": "function_arn"},
    origin_shield={"enabled": "enabled", "region": "origin_shield_region"},
    vpc_origin_config={"vpc_origin_id": "vpc_origin_id", "read_timeout": "origin_read_timeout",
                       "keepalive_timeout": "origin_keepalive_timeout"},
    s3_origin={"read_timeout": "origin_read_timeout"},
    mtls={"certificate_arn": "client_certificate_arn"},
    grpc={"enabled": "enabled"},
    lambda_arns={
        ("aws_lambda_alias", "arn"): "alias",
        ("aws_lambda_alias", "invoke_arn"): "alias",
        ("aws_lambda_alias", ""): "alias",
        ("aws_lambda_function", "qualified_arn"): "published",  # `publish` (default false) decides
        ("aws_lambda_function", "arn"): "unqualified",
        ("aws_lambda_function", "function_name"): "function-name",
        ("aws_lambda_function", "id"): "function-name",
    },
    lambda_qualifiers={
        ("aws_lambda_function", "version"): "published",  # `${f.arn}:${f.version}`: $LATEST without publish
        ("aws_lambda_alias", "name"): "alias",
    },
    related=RELATED,
    # the provider's schema default (resourceDistribution: http_version Default HttpVersionHttp2)
    defaults={"distribution": {"http_version": "http2"}},
)


class Terraform:
    """Terraform blocks: nested blocks are lists of bodies (one body in JSON syntax); dynamic ones may be unknown."""

    spelling = SPELLING

    def blocks(self, read: Reader, node: object, key: str) -> MaybeMore[tuple[Location, Mapping]]:
        if not isinstance(node, dict):
            return MaybeMore()
        value = node.get(key)
        out: MaybeMore[tuple[Location, Mapping]] = MaybeMore(more=_dynamic_unknown(node, key))
        if value is None:
            return out
        if isinstance(value, (Unknown, Partial)):
            return out.maybe(Unknown(value.reason or f"{key} is only known at plan time", at=read.loc(node, key)))
        if isinstance(value, dict):
            out.append((read.loc(node, key), value))
            return out
        if not isinstance(value, list):
            read.problem(node, key, f"{key} must be a block, not a single value")
            return out.maybe(Unknown(f"{key} has the wrong type"))
        for index, item in enumerate(value):
            if isinstance(item, dict):
                out.append((read.loc(value, index), item))
            elif isinstance(item, (Unknown, Partial)):
                out.maybe(Unknown(item.reason or f"a {key} block is only known at plan time"))
            elif item is not None:
                read.problem(value, index, f"each {key} must be a block")
        return out

    def located(self, read: Reader, node: object, key: str) -> tuple[Location, Mapping] | None:
        found = self.blocks(read, node, key)
        return found[0] if found else None

    def block(self, read: Reader, node: object, key: str) -> Mapping | Unknown | None:
        found = self.blocks(read, node, key)
        if found:
            return found[0][1]
        return found.more


TERRAFORM = Terraform()


def _dynamic_unknown(node: Mapping, key: str) -> Unknown | None:
    marker = node.get(UNKNOWN_BLOCKS)
    found = marker.get(key) if isinstance(marker, dict) else None
    return found if isinstance(found, Unknown) else None


def without_nulls(node: object) -> object:
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


def distribution(read: Reader, body: Mapping, address: str, loc: Location, index: TemplateIndex) -> Distribution:
    """The distribution an `aws_cloudfront_distribution` body (resolved, or a plan's values) declares."""
    cleaned = without_nulls(body)
    config = cleaned if isinstance(cleaned, dict) else {}
    return build_distribution(TERRAFORM, read, config, index, resource=address, loc=loc,
                              websocket_paths=_websocket_tag(config))


def _websocket_tag(body: Mapping) -> list[Scalar]:
    """A tag `policykit:websocket = "/ws/*,/socket.io/*"` declares which behaviors serve WebSocket."""
    tags = body.get("tags")
    value = tags.get(WEBSOCKET_TAG) if isinstance(tags, dict) else None
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [value] if isinstance(value, (Unknown, Partial)) else []
