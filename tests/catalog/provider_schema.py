"""What the AWS provider accepts in the resources the Terraform examples of the catalog use, as its schema
declares them (terraform-provider-aws, internal/service/*: Required, Optional, MinItems/MaxItems and the
ValidateFunc of each argument): enough to refuse an unknown or misspelt argument, a missing required one, a block
given too often, and a literal the provider's own validation rejects at `terraform validate`, without the
provider binary. Arguments not listed are refused, so a new example using more of a resource adds it here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import hcl2

META = {"count", "for_each", "provider", "depends_on", "lifecycle", "tags", "tags_all"}  # every resource takes them


@dataclass(frozen=True)
class Block:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    blocks: dict[str, tuple[Block, int, int]] = field(default_factory=dict)  # name -> (block, min, max)
    values: dict[str, frozenset[str | int | bool]] = field(default_factory=dict)  # allowed literals
    ranges: dict[str, tuple[int, int]] = field(default_factory=dict)  # allowed whole numbers


def _block(required: str = "", optional: str = "", blocks: dict[str, tuple[Block, int, int]] | None = None,
           values: dict[str, frozenset[str | int | bool]] | None = None,
           ranges: dict[str, tuple[int, int]] | None = None) -> Block:
    return Block(frozenset(required.split()), frozenset(optional.split()), blocks or {}, values or {}, ranges or {})


MANY = 10_000
EVENT_TYPES = frozenset({"viewer-request", "viewer-response", "origin-request", "origin-response"})
_LAMBDA_ASSOCIATION = _block("event_type lambda_arn", "include_body", values={"event_type": EVENT_TYPES})
_FUNCTION_ASSOCIATION = _block("event_type function_arn", values={"event_type": EVENT_TYPES})
_FORWARDED = _block("query_string", "headers query_string_cache_keys",
                    {"cookies": (_block("forward", "whitelisted_names",
                                        values={"forward": frozenset({"none", "whitelist", "all"})}), 1, 1)})
_BEHAVIOR = ("allowed_methods cached_methods target_origin_id viewer_protocol_policy",
             "cache_policy_id compress default_ttl field_level_encryption_id max_ttl min_ttl origin_request_policy_id "
             "realtime_log_config_arn response_headers_policy_id smooth_streaming trusted_key_groups trusted_signers")
_BEHAVIOR_BLOCKS = {"forwarded_values": (_FORWARDED, 0, 1), "lambda_function_association": (_LAMBDA_ASSOCIATION, 0, 4),
                    "function_association": (_FUNCTION_ASSOCIATION, 0, 2),
                    "grpc_config": (_block("enabled"), 0, 1)}
_VIEWER_PROTOCOL = {"viewer_protocol_policy": frozenset({"allow-all", "https-only", "redirect-to-https"})}
_CUSTOM_ORIGIN = _block(
    "http_port https_port origin_protocol_policy origin_ssl_protocols", "origin_keepalive_timeout origin_read_timeout",
    values={"origin_protocol_policy": frozenset({"http-only", "https-only", "match-viewer"}),
            "origin_ssl_protocols": frozenset({"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"})},
    ranges={"origin_read_timeout": (1, 180), "origin_keepalive_timeout": (1, 180)})
_ORIGIN = _block(
    "domain_name origin_id", "connection_attempts connection_timeout origin_access_control_id origin_path",
    {"custom_origin_config": (_CUSTOM_ORIGIN, 0, 1), "s3_origin_config": (_block("origin_access_identity"), 0, 1),
     "custom_header": (_block("name value"), 0, MANY),
     "origin_shield": (_block("enabled", "origin_shield_region"), 0, 1)},
    ranges={"connection_attempts": (1, 3), "connection_timeout": (1, 10)})
_DISTRIBUTION = _block(
    "enabled", "aliases comment continuous_deployment_policy_id default_root_object http_version is_ipv6_enabled "
    "price_class retain_on_delete staging wait_for_deployment web_acl_id",
    {"origin": (_ORIGIN, 1, MANY),
     "origin_group": (_block("origin_id", blocks={"failover_criteria": (_block("status_codes"), 1, 1),
                                                  "member": (_block("origin_id"), 2, 2)}), 0, MANY),
     "default_cache_behavior": (_block(*_BEHAVIOR, blocks=_BEHAVIOR_BLOCKS, values=_VIEWER_PROTOCOL), 1, 1),
     "ordered_cache_behavior": (_block(_BEHAVIOR[0] + " path_pattern", _BEHAVIOR[1], _BEHAVIOR_BLOCKS,
                                       _VIEWER_PROTOCOL), 0, MANY),
     "restrictions": (_block(blocks={"geo_restriction": (_block(
         "restriction_type", "locations", values={"restriction_type": frozenset({"none", "whitelist", "blacklist"})}),
         1, 1)}), 1, 1),
     "viewer_certificate": (_block("", "acm_certificate_arn cloudfront_default_certificate iam_certificate_id "
                                       "minimum_protocol_version ssl_support_method", values={
         "ssl_support_method": frozenset({"sni-only", "vip", "static-ip"}),
         "minimum_protocol_version": frozenset({"SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018",
                                                "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"})}),
                            1, 1),
     "custom_error_response": (_block("error_code", "error_caching_min_ttl response_code response_page_path"),
                               0, MANY),
     "logging_config": (_block("bucket", "include_cookies prefix"), 0, 1)})
_ACTION = _block("type", "order target_group_arn", {
    "fixed_response": (_block("content_type", "message_body status_code"), 0, 1),
    "redirect": (_block("status_code", "host path port protocol query"), 0, 1),
    "forward": (_block(blocks={"target_group": (_block("arn", "weight"), 1, 5)}), 0, 1)},
    values={"type": frozenset({"forward", "redirect", "fixed-response", "authenticate-cognito", "authenticate-oidc"})})
_INGRESS = _block("from_port protocol to_port",
                  "cidr_blocks description ipv6_cidr_blocks prefix_list_ids security_groups self")

RESOURCES: dict[str, Block] = {
    "aws_cloudfront_distribution": _DISTRIBUTION,
    "aws_lb": _block("", "name name_prefix internal load_balancer_type security_groups subnets ip_address_type "
                         "enable_deletion_protection idle_timeout",
                     values={"load_balancer_type": frozenset({"application", "network", "gateway"})}),
    "aws_lb_listener": _block("load_balancer_arn", "port protocol ssl_policy certificate_arn alpn_policy",
                              {"default_action": (_ACTION, 1, MANY)},
                              values={"protocol": frozenset({"HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP",
                                                             "GENEVE"})},
                              ranges={"port": (1, 65535)}),
    "aws_security_group": _block("", "name name_prefix description vpc_id revoke_rules_on_delete",
                                 {"ingress": (_INGRESS, 0, MANY), "egress": (_INGRESS, 0, MANY)}),
    "aws_acm_certificate": _block("", "domain_name subject_alternative_names validation_method key_algorithm "
                                      "certificate_authority_arn private_key certificate_body certificate_chain",
                                  values={"validation_method": frozenset({"DNS", "EMAIL", "NONE"})}),
    "aws_lambda_function": _block(
        "function_name role", "runtime handler filename s3_bucket s3_key image_uri source_code_hash memory_size "
        "timeout publish architectures layers package_type description",
        {"environment": (_block("", "variables"), 0, 1), "ephemeral_storage": (_block("", "size"), 0, 1),
         "vpc_config": (_block("security_group_ids subnet_ids"), 0, 1),
         "dead_letter_config": (_block("target_arn"), 0, 1)},
        values={"architectures": frozenset({"x86_64", "arm64"}), "package_type": frozenset({"Zip", "Image"})},
        ranges={"memory_size": (128, 10240)}),
    "aws_cloudfront_function": _block("code name runtime", "comment publish key_value_store_associations",
                                      values={"runtime": frozenset({"cloudfront-js-1.0", "cloudfront-js-2.0"})}),
    "aws_s3_bucket": _block("", "bucket bucket_prefix force_destroy"),
    "aws_s3_bucket_website_configuration": _block("bucket", "expected_bucket_owner routing_rules", {
        "index_document": (_block("suffix"), 0, 1), "error_document": (_block("key"), 0, 1),
        "redirect_all_requests_to": (_block("host_name", "protocol"), 0, 1)}),
}
VARIABLE = _block("", "type default description sensitive nullable", {"validation": (_block(
    "condition error_message"), 0, MANY)})


def _literal(value: object) -> object:
    """A literal as written (`"x"` -> x); an expression (`${...}`) is None: only literals are checked."""
    if isinstance(value, str):
        if value.startswith("${"):
            return None
        return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    return value


def _check(where: str, node: dict[str, object], schema: Block) -> Iterator[str]:
    known = schema.required | schema.optional | set(schema.blocks) | META
    for name, value in node.items():
        if name.startswith("__"):
            continue  # the parser's own notes (`__is_block__`, `__comments__`)
        if name not in known:
            yield f"{where}: unknown argument or block '{name}'"
            continue
        if name in schema.blocks:
            block, least, most = schema.blocks[name]
            items = value if isinstance(value, list) else [value]
            if not least <= len(items) <= most:
                yield f"{where}: {len(items)} '{name}' block(s), the provider takes {least} to {most}"
            for index, item in enumerate(items):
                if isinstance(item, dict):
                    yield from _check(f"{where}.{name}[{index}]", item, block)
                else:
                    yield f"{where}: '{name}' is a block, not an argument"
            continue
        for item in value if isinstance(value, list) else [value]:
            literal = _literal(item)
            if literal is None:
                continue
            if name in schema.values and literal not in schema.values[name]:
                yield f"{where}.{name}: {literal!r} is not one the provider accepts"
            if name in schema.ranges and isinstance(literal, int):
                low, high = schema.ranges[name]
                if not low <= literal <= high:
                    yield f"{where}.{name}: {literal} is outside the provider's {low}-{high}"
    for name in sorted(schema.required):
        if name not in node:
            yield f"{where}: missing the required '{name}'"
    for name, (_, least, _) in schema.blocks.items():
        if least and name not in node:
            yield f"{where}: missing the required block '{name}'"


def provider_problems(text: str) -> list[str]:
    """What `terraform validate` with the AWS provider would refuse in the module `text` (see the docstring)."""
    document = hcl2.loads(text)
    problems: list[str] = []
    declared: set[str] = set()
    for entry in document.get("resource", []):
        for quoted_type, named in entry.items():
            kind = _literal(quoted_type)
            for quoted_name, body in named.items():
                address = f"{kind}.{_literal(quoted_name)}"
                declared.add(address)
                if kind not in RESOURCES:
                    problems.append(f"{address}: a resource type this check does not know (add it to RESOURCES)")
                    continue
                problems.extend(_check(address, body, RESOURCES[str(kind)]))
    for entry in document.get("variable", []):
        for quoted_name, body in entry.items():
            declared.add(f"var.{_literal(quoted_name)}")
            problems.extend(_check(f"variable {_literal(quoted_name)}", body, VARIABLE))
    for reference in sorted(set(_references(document))):
        if reference not in declared:
            problems.append(f"{reference}: referred to, never declared")
    return problems


_REFERENCE = re.compile(r"\b(aws_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*|var\.[A-Za-z_][A-Za-z0-9_]*)")


def _references(node: object) -> Iterator[str]:
    """The resources and variables the expressions of a parsed module refer to."""
    if isinstance(node, dict):
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)
    elif isinstance(node, str) and node.startswith("${"):
        yield from _REFERENCE.findall(node)
