"""How Terraform spells `aws_cloudfront_distribution` and `aws_cloudfront_multitenant_distribution` (and the resources
read around them), for the one model builder (policykit/model/build.py); how their blocks are read:
policykit/terraform/distributions.py. What the provider sends where the HCL does not show it: defaults here,
choices and omissions in policykit/terraform/provider.py."""

from __future__ import annotations

import dataclasses

from policykit.model.spelling import Related, Spelling

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
    "aws_cloudfront_function": Related("cloudfront_function", keys={
        "name": "name", "code": "code", "runtime": "runtime", "stores": "key_value_store_associations",
        "store_arn": ""}),
    "aws_cloudfrontkeyvaluestore_key": Related("key_value_store_key", keys={
        "store": "key_value_store_arn", "key": "key", "value": "value"}),
    "aws_cloudfront_distribution_tenant": Related("distribution_tenant", keys={
        "distribution_id": "distribution_id", "domains": "domain", "domain": "domain",
        "certificate_arn": "customizations.certificate.arn", "managed": "managed_certificate_request"}),
    "aws_cloudfront_vpc_origin": Related("vpc_origin", keys={
        "endpoint": "vpc_origin_endpoint_config", "arn": "arn", "http_port": "http_port", "https_port": "https_port",
        "protocol_policy": "origin_protocol_policy", "ssl_protocols": "origin_ssl_protocols.items"}),
}

# CloudFront-like resource types policykit does not read (PK010 says so for each resource): what each is.
NOT_READ: dict[str, str] = {
    "aws_lightsail_distribution": "a Lightsail distribution (a CloudFront distribution Lightsail manages)",
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
    tenant_parameter={"definitions": "tenant_config.parameter_definition", "name": "name",
                      "default": "definition.string_schema.default_value"},
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


# aws_cloudfront_multitenant_distribution (a framework resource: its blocks and names differ): the provider sends
# ConnectionMode tenant-only, and response_completion_timeout 30 when it is not written
# (multiTenantDistributionResource.Schema: int32default.StaticInt32(defaultResponseCompletionTimeout), 30), so an
# origin_read_timeout over 30 needs a response_completion_timeout beside it.
MULTITENANT = dataclasses.replace(
    SPELLING,
    distribution={**SPELLING.distribution, "ordered_behaviors": "cache_behavior"},
    origin={**SPELLING.origin, "id": "id"},
    custom_header={"name": "header_name", "value": "header_value"},
    origin_group={**SPELLING.origin_group, "id": "id"},
    behavior={**SPELLING.behavior, "allowed_methods": "allowed_methods.items"},
    lambda_association={**SPELLING.lambda_association, "lambda_arn": "lambda_function_arn"},
    defaults={"distribution": {"http_version": "http2", "connection_mode": "tenant-only"},
              "origin": {"response_completion_timeout": 30}},
)
