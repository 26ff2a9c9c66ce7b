"""Hypothesis strategies for hostile inputs: CloudFormation (YAML with short tags, JSON), HCL, .tf.json,
plan JSON and tfvars. Shapes are drawn from what the loaders and the model builder look at (the
distribution's fields, intrinsic functions, Terraform blocks and functions), with every field also
given values of the wrong type, intrinsics of the wrong arity, references in cycles and to nothing."""

from __future__ import annotations

import functools
import json
from typing import Any

import yaml
from hypothesis import strategies as st

# -- shared scalars ----------------------------------------------------------------------------------

# Names the generated inputs declare, so references hit a target, miss it, or point back at themselves.
PARAMS = ("P0", "P1", "P2")
CONDITIONS = ("C0", "C1")
MAPPINGS = ("M0",)
RESOURCES = ("D0", "D1", "Bucket", "Alb", "Listener", "Cert", "EdgeVersion", "Fn")
HOSTS = ("origin.example.com", "b.s3.amazonaws.com", "b.s3-website-us-east-1.amazonaws.com",
         "x.elb.amazonaws.com", "api.execute-api.us-east-1.amazonaws.com", "10.0.0.1", "*.example.com",
         "ws.example.com", "a..b", "", " ", "-", "x.lambda-url.us-east-1.on.aws")
WORDS = ("https-only", "http-only", "match-viewer", "allow-all", "redirect-to-https", "TLSv1", "TLSv1.2",
         "SSLv3", "sni-only", "vip", "static-ip", "TLSv1.2_2021", "origin-request", "viewer-request",
         "AllViewer", "Host", "Sec-WebSocket-Key", "us-east-1", "eu-west-1", "HTTPS", "HTTP", "443", "80",
         "true", "false", "null", "${AWS::Region}", "${P0}", "${D0.DomainName}", "${!Literal}", "${", "}",
         "arn:aws:lambda:us-east-1:123456789012:function:f:1", "arn:aws:acm:eu-west-1:1:certificate/x")

texts = st.one_of(
    st.sampled_from(HOSTS + WORDS + PARAMS + RESOURCES),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text("abc.-*${}:/ \t\n\\\"'", max_size=10),
)
numbers = st.one_of(
    st.integers(-3, 70000), st.sampled_from([0, 1, 80, 443, 65535, 65536, -1, 2**63, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True), st.just(10**400),
)
scalars = st.one_of(texts, numbers, st.booleans(), st.none())


# -- CloudFormation ----------------------------------------------------------------------------------

class Tagged:
    """A value written with a short-form YAML tag (`!Ref x`, `!GetAtt a.b`, `!If [...]`)."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag, self.value = tag, value


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, "" if data.value is None else str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)

INTRINSICS = ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::FindInMap",
              "Fn::ImportValue", "Fn::Base64", "Fn::GetAZs", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not",
              "Condition", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform", "Fn::ForEach::X",
              "Fn::Nope")
names = st.sampled_from(PARAMS + CONDITIONS + MAPPINGS + RESOURCES + ("AWS::Region", "AWS::NoValue",
                                                                        "AWS::URLSuffix", "Missing", ""))


def _intrinsic(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """An intrinsic with an argument of any shape: the right one, a wrong arity, the wrong type."""
    args = st.one_of(
        names,
        st.lists(st.one_of(names, children), max_size=4),  # any arity
        st.tuples(names, st.sampled_from(["Arn", "DomainName", "DNSName", "WebsiteURL", "RegionalDomainName",
                                          "Nope", ""])).map(list),  # GetAtt-like
        st.tuples(st.one_of(texts, names), st.lists(children, max_size=3)).map(list),  # Join/Select/Split-like
        st.tuples(st.sampled_from((*CONDITIONS, "Missing")), children, children).map(list),  # If-like
        st.tuples(st.sampled_from((*MAPPINGS, "Missing")), children, children).map(list),  # FindInMap-like
        st.tuples(numbers, children).map(list),  # Select [.inf, ...]
        children,
    )
    long_form = st.builds(lambda key, arg: {key: arg}, st.sampled_from(INTRINSICS), args)
    short_form = st.builds(lambda key, arg: Tagged("!" + key.removeprefix("Fn::"), arg),
                           st.sampled_from(INTRINSICS), args)
    return st.one_of(long_form, short_form)


@functools.cache
def cfn_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    return st.recursive(
        st.one_of(scalars, names),
        lambda children: st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.one_of(st.sampled_from(("Id", "DomainName", "Ref", "Fn::If", "Type")), texts),
                            children, max_size=3),
            _intrinsic(children),
        ),
        max_leaves=max_leaves,
    )


def _maybe(plausible: st.SearchStrategy[Any], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the field's own shape; sometimes anything at all."""
    return st.one_of(plausible, plausible, values)


def _fields(fields: dict[str, st.SearchStrategy[Any]], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A mapping with a random subset of `fields`, each plausible or random."""
    return st.fixed_dictionaries({}, optional={k: _maybe(v, values) for k, v in fields.items()})


@functools.cache
def _distribution(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    hosts = st.one_of(st.sampled_from(HOSTS), values)
    origin_ids = st.sampled_from(("web", "s3", "api", "missing", ""))
    custom = _fields({"OriginProtocolPolicy": st.sampled_from(("https-only", "http-only", "match-viewer")),
                      "HTTPPort": numbers, "HTTPSPort": numbers, "OriginSSLProtocols": st.lists(st.sampled_from(
                          ("TLSv1", "TLSv1.1", "TLSv1.2", "SSLv3")), max_size=3),
                      "OriginReadTimeout": numbers, "OriginKeepaliveTimeout": numbers}, values)
    origin = _fields({"Id": origin_ids, "DomainName": hosts, "CustomOriginConfig": custom,
                      "S3OriginConfig": _fields({"OriginAccessIdentity": texts}, values),
                      "OriginCustomHeaders": st.lists(_fields({"HeaderName": texts, "HeaderValue": texts}, values),
                                                      max_size=2),
                      "OriginPath": texts, "OriginAccessControlId": values}, values)
    behavior = _fields({
        "TargetOriginId": origin_ids, "PathPattern": texts,
        "ViewerProtocolPolicy": st.sampled_from(("allow-all", "https-only", "redirect-to-https")),
        "CachePolicyId": st.sampled_from(("658327ea-f89d-4fab-a63d-7e88639e58f6", "x")),
        "OriginRequestPolicyId": st.sampled_from(("216adef6-5c7f-47e4-b989-5492eafa07d3", "y")),
        "ForwardedValues": _fields({"Headers": st.lists(st.sampled_from(("Host", "*", "Origin")), max_size=2),
                                    "QueryString": st.booleans()}, values),
        "LambdaFunctionAssociations": st.lists(_fields({
            "EventType": st.sampled_from(("origin-request", "viewer-request", "origin-response", "x")),
            "LambdaFunctionARN": values, "IncludeBody": values}, values), max_size=2),
        "FunctionAssociations": st.lists(_fields({"EventType": texts, "FunctionARN": values}, values), max_size=2),
        "AllowedMethods": st.lists(st.sampled_from(("GET", "HEAD", "POST", "OPTIONS")), max_size=4),
    }, values)
    config = _fields({
        "Enabled": st.booleans(), "Origins": st.lists(origin, max_size=3), "DefaultCacheBehavior": behavior,
        "CacheBehaviors": st.lists(behavior, max_size=3), "Aliases": st.lists(hosts, max_size=3),
        "ViewerCertificate": _fields({"AcmCertificateArn": values, "SslSupportMethod": texts,
                                      "MinimumProtocolVersion": texts, "CloudFrontDefaultCertificate": values},
                                     values),
        "OriginGroups": _fields({"Quantity": numbers, "Items": st.lists(values, max_size=2)}, values),
    }, values)
    return st.fixed_dictionaries({"Type": st.just("AWS::CloudFront::Distribution")},
                                 optional={"Properties": _maybe(st.fixed_dictionaries(
                                     {"DistributionConfig": config}), values),
                                     "Condition": st.sampled_from((*CONDITIONS, "Missing")),
                                     "Metadata": values, "DependsOn": values})


_OTHER_TYPES = ("AWS::S3::Bucket", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancingV2::Listener",
                "AWS::CertificateManager::Certificate", "AWS::Lambda::Version", "AWS::Lambda::Function",
                "AWS::EC2::SecurityGroup", "AWS::CloudFront::Function", "AWS::ApiGateway::RestApi", "Custom::X")


@st.composite
def cfn_templates(draw: st.DrawFn) -> dict[str, Any]:
    values = cfn_values()
    template: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09"}
    if draw(st.booleans()):
        template["Parameters"] = draw(st.dictionaries(st.sampled_from(PARAMS), _fields({
            "Type": st.sampled_from(("String", "Number", "CommaDelimitedList", "List<Number>",
                                     "AWS::SSM::Parameter::Value<String>", "Nope")),
            "Default": values, "AllowedValues": st.lists(values, max_size=3)}, values), max_size=3))
    if draw(st.booleans()):
        template["Mappings"] = draw(st.dictionaries(st.sampled_from(MAPPINGS), st.dictionaries(
            texts, st.dictionaries(texts, values, max_size=2), max_size=2), max_size=1))
    if draw(st.booleans()):
        template["Conditions"] = draw(st.dictionaries(st.sampled_from(CONDITIONS), values, max_size=2))
    resources = draw(st.dictionaries(st.sampled_from(("D0", "D1")), _distribution(values), min_size=1, max_size=2))
    others = draw(st.dictionaries(st.sampled_from(RESOURCES[2:]), st.fixed_dictionaries(
        {"Type": st.sampled_from(_OTHER_TYPES)}, optional={"Properties": st.dictionaries(
            st.sampled_from(("Scheme", "Port", "Protocol", "SslPolicy", "LoadBalancerArn", "DomainName",
                             "SubjectAlternativeNames", "WebsiteConfiguration", "FunctionName", "Runtime",
                             "Code", "SecurityGroupIngress", "Certificates")), values, max_size=4),
            "Condition": st.sampled_from(CONDITIONS)}), max_size=4))
    template["Resources"] = {**resources, **others}
    if draw(st.booleans()):
        template["Outputs"] = draw(st.dictionaries(texts, values, max_size=2))
    if draw(st.integers(0, 9)) == 0:  # a section of the wrong type
        section = draw(st.sampled_from(("Parameters", "Mappings", "Conditions", "Resources", "Outputs")))
        template[section] = draw(values)
    return template


def _plain(value: Any) -> Any:
    """Short-form tags as their long form, for JSON."""
    if isinstance(value, Tagged):
        key = value.tag[1:] if value.tag[1:] in ("Ref", "Condition") else "Fn::" + value.tag[1:]
        return {key: _plain(value.value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def cfn_yaml(template: dict[str, Any]) -> str:
    return yaml.dump(template, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=None)


def cfn_json(template: dict[str, Any]) -> str:
    return json.dumps(_plain(template), ensure_ascii=False, indent=1)


@st.composite
def yaml_twists(draw: st.DrawFn, text: str) -> str:
    """Anchors and aliases, a cut, or a stray character: what hand-edited YAML looks like."""
    choice = draw(st.integers(0, 5))
    lines = text.splitlines(keepends=True)
    if choice == 0 and len(lines) > 2:
        index = draw(st.integers(1, len(lines) - 1))
        return "".join(lines[:index])  # truncated
    if choice == 1 and lines:
        index = draw(st.integers(0, len(lines) - 1))
        junk = draw(st.sampled_from(["\t", "- ", ": ", "{", "]", "&a ", "*a ", "*nowhere", "!Ref", "? ", "|\n",
                                     "%YAML 1.1\n", "---\n", "...\n", "\x00", "\ufeff"]))
        return "".join(lines[:index]) + junk + "".join(lines[index:])
    if choice == 2:  # an alias list at the end, maybe referring to itself
        return text + "Metadata: &m\n  A: &a [x, y, z]\n  B: [*a, *a, *a]\n  C: " + draw(
            st.sampled_from(["*a", "*m", "*b", "[*a, *a]"])) + "\n"
    return text


# -- Terraform ---------------------------------------------------------------------------------------

TF_FUNCTIONS = ("format", "element", "join", "split", "lookup", "concat", "merge", "length", "upper", "lower",
                "replace", "substr", "coalesce", "try", "can", "tostring", "tonumber", "tolist", "toset", "tomap",
                "jsonencode", "jsondecode", "cidrsubnet", "flatten", "distinct", "keys", "values", "zipmap",
                "range", "min", "max", "abs", "ceil", "floor", "trimprefix", "trimsuffix", "trimspace", "regex",
                "regexall", "startswith", "endswith", "contains", "one", "sum", "formatlist", "base64encode",
                "file", "templatefile", "nonsense", "strrev", "chomp", "index", "slice", "reverse", "sort",
                "compact", "coalescelist", "alltrue", "anytrue", "pow", "log", "signum", "parseint", "format")
TF_REFS = ("var.name", "var.env", "var.list", "var.nope", "local.host", "local.a", "local.b", "local.self",
           "aws_s3_bucket.site.bucket_regional_domain_name", "aws_s3_bucket.site.website_endpoint",
           "aws_lb.app.dns_name", "aws_acm_certificate.cert.arn", "aws_lambda_function.edge.qualified_arn",
           "data.aws_lb.x.dns_name", "data.aws_x.self.y", "module.m.out", "each.value", "each.key",
           "count.index", "self.x", "path.module", "terraform.workspace", "aws_cloudfront_distribution.cdn.id",
           "aws_s3_bucket.site[0].id", "aws_nope.x.y")

tf_strings = st.one_of(
    st.sampled_from(HOSTS + WORDS).map(lambda s: json.dumps(s)),
    st.builds(lambda a, r, b: json.dumps(a)[:-1] + "${" + r + "}" + json.dumps(b)[1:],
              st.sampled_from(("", "x-", "https://")), st.sampled_from(TF_REFS), st.sampled_from(("", ".example.com"))),
    st.text("abc.-%s%d${}~\\\"", max_size=8).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(('"%{ if true }x%{ endif }"', '"${"', '"\\u00e9"', '"\\ud800"', '"$${x}"')),
)
tf_numbers = st.one_of(st.integers(-5, 70000).map(str),
                       st.sampled_from(("1e308", "1e999", "9" * 400, "0.5", "-0", "443", "400000000")))


@functools.cache
def tf_expressions(max_leaves: int = 10) -> st.SearchStrategy[str]:
    leaves = st.one_of(tf_strings, tf_numbers, st.sampled_from(("true", "false", "null")), st.sampled_from(TF_REFS))
    return st.recursive(leaves, lambda e: st.one_of(
        st.builds(lambda f, args: f"{f}({', '.join(args)})", st.sampled_from(TF_FUNCTIONS), st.lists(e, max_size=4)),
        st.lists(e, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.sampled_from(("a", "b", "host", '"k"')), e), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}"),
        st.builds(lambda c, a, b: f"{c} ? {a} : {b}", e, e, e),
        st.builds(lambda a, op, b: f"{a} {op} {b}", e, st.sampled_from(("+", "-", "*", "/", "%", "==", "!=", "<",
                                                                       "&&", "||")), e),
        st.builds(lambda a: f"[for x in {a} : x]", e),
        st.builds(lambda a: f"{{for k, v in {a} : k => v}}", e),
        st.builds(lambda a: f"{a}[*].id", e),
        st.builds(lambda a, i: f"{a}[{i}]", e, e),
        st.builds(lambda a: f"-{a}", e), st.builds(lambda a: f"!{a}", e), st.builds(lambda a: f"({a})", e),
    ), max_leaves=max_leaves)


_CDN_ATTRS = ("enabled", "aliases", "domain_name", "origin_id", "origin_protocol_policy", "http_port",
              "https_port", "origin_ssl_protocols", "target_origin_id", "viewer_protocol_policy",
              "cache_policy_id", "acm_certificate_arn", "ssl_support_method", "minimum_protocol_version",
              "lambda_arn", "event_type", "for_each", "count", "bucket", "internal", "port", "protocol",
              "ssl_policy", "load_balancer_arn", "subject_alternative_names", "publish", "runtime", "default",
              "source", "value", "host", "a", "b", "self")
_CDN_BLOCKS = ("origin", "custom_origin_config", "default_cache_behavior", "ordered_cache_behavior",
               "viewer_certificate", "lambda_function_association", "forwarded_values", "restrictions",
               "geo_restriction", "origin_group", "member", "dynamic", "content", "lifecycle")


@functools.cache
def tf_bodies(depth: int = 2) -> st.SearchStrategy[str]:
    expr = tf_expressions()
    attribute = st.builds(lambda k, v: f"{k} = {v}\n", st.sampled_from(_CDN_ATTRS), expr)
    heredoc = st.builds(lambda k, m, body, end: f"{k} = <<{m}\n{body}\n{end}\n", st.sampled_from(_CDN_ATTRS),
                        st.sampled_from(("EOT", "-EOT")), st.text("ab ${}\n", max_size=10),
                        st.sampled_from(("EOT", "  EOT", "EOT  ", "EOF")))
    if depth == 0:
        return st.lists(st.one_of(attribute, heredoc), max_size=4).map("".join)
    block = st.builds(lambda name, labels, body: f"{name} {labels}{{\n{body}}}\n", st.sampled_from(_CDN_BLOCKS),
                      st.sampled_from(("", '"origin" ', '"x" "y" ')), tf_bodies(depth - 1))
    return st.lists(st.one_of(attribute, attribute, heredoc, block), max_size=5).map("".join)


_TOP_BLOCKS = (
    ('resource "aws_cloudfront_distribution" "cdn"', 2), ('resource "aws_s3_bucket" "site"', 1),
    ('resource "aws_lb" "app"', 1), ('resource "aws_lb_listener" "https"', 1),
    ('resource "aws_acm_certificate" "cert"', 1), ('resource "aws_lambda_function" "edge"', 1),
    ('data "aws_lb" "x"', 1), ('data "aws_x" "self"', 1), ('variable "name"', 0), ('variable "env"', 0),
    ("locals", 0), ('module "m"', 0), ('output "out"', 0), ("terraform", 1), ('provider "aws"', 1),
    ('resource "aws_cloudfront_distribution"', 1), ("resource", 0),
)


@st.composite
def hcl_modules(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.sampled_from(_TOP_BLOCKS), min_size=1, max_size=6))
    if draw(st.booleans()):
        blocks.insert(0, _TOP_BLOCKS[0])
    text = "".join(f"{head} {{\n{draw(tf_bodies(depth))}}}\n\n" for head, depth in blocks)
    return draw(hcl_twists(text))


@st.composite
def hcl_twists(draw: st.DrawFn, text: str) -> str:
    choice = draw(st.integers(0, 6))
    if choice == 0 and text:  # a cut
        return text[: draw(st.integers(0, len(text)))]
    if choice == 1:
        index = draw(st.integers(0, len(text)))
        junk = draw(st.sampled_from(["{", "}", '"', "${", "=", "\n", "<<EOT\n", "# x\n", "/*", "\x00", "\ufeff",
                                     "locals { a = 1 }\n", 'a = 1\na {\n}\n']))
        return text[:index] + junk + text[index:]
    return text


@st.composite
def tfvars(draw: st.DrawFn) -> str:
    items = draw(st.lists(st.tuples(st.sampled_from(("name", "env", "list", "nope", "a")), tf_expressions(6)),
                          max_size=4))
    return draw(hcl_twists("".join(f"{k} = {v}\n" for k, v in items)))


@functools.cache
def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.sampled_from(HOSTS + WORDS), st.text(max_size=6, alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cs",))), st.integers(-2, 70000), st.booleans(), st.none(),
        st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["${var.name}", "${local.a}",
                                                                             "${format(\"%s\", var.x)}",
                                                                             "${aws_s3_bucket.site.id}"]))
    return st.recursive(leaves, lambda c: st.one_of(st.lists(c, max_size=3),
                                                    st.dictionaries(st.sampled_from(_CDN_ATTRS + _CDN_BLOCKS), c,
                                                                    max_size=4)), max_leaves=max_leaves)


@st.composite
def tf_json_documents(draw: st.DrawFn) -> Any:
    values = json_values()
    resource = st.dictionaries(st.sampled_from(("aws_cloudfront_distribution", "aws_s3_bucket", "aws_lb",
                                                "aws_lb_listener", "aws_acm_certificate")),
                               st.dictionaries(st.sampled_from(("cdn", "site", "app")), _maybe(
                                   st.dictionaries(st.sampled_from(_CDN_ATTRS + _CDN_BLOCKS), values, max_size=6),
                                   values), max_size=2), max_size=3)
    return draw(st.fixed_dictionaries({}, optional={
        "resource": _maybe(resource, values), "variable": values, "locals": values, "module": values,
        "data": values, "output": values, "terraform": values}))


@st.composite
def plan_documents(draw: st.DrawFn) -> Any:
    values = json_values()
    resource = _fields({
        "address": st.sampled_from(("aws_cloudfront_distribution.cdn", "aws_s3_bucket.site", "module.m.aws_lb.x",
                                    "x")),
        "mode": st.sampled_from(("managed", "data")),
        "type": st.sampled_from(("aws_cloudfront_distribution", "aws_s3_bucket", "aws_lb", "aws_lb_listener")),
        "name": st.sampled_from(("cdn", "site", "app")), "index": st.one_of(st.integers(0, 3), texts),
        "values": st.dictionaries(st.sampled_from(_CDN_ATTRS + _CDN_BLOCKS), values, max_size=6),
        "sensitive_values": values,
    }, values)
    module = st.recursive(_fields({"resources": st.lists(resource, max_size=3)}, values),
                          lambda m: _fields({"resources": st.lists(resource, max_size=2),
                                             "child_modules": st.lists(m, max_size=2),
                                             "address": st.just("module.m")}, values), max_leaves=3)
    change = _fields({"address": texts, "type": st.sampled_from(("aws_cloudfront_distribution", "aws_lb")),
                      "name": texts, "change": _fields({"actions": st.lists(texts, max_size=2), "after": values,
                                                        "after_unknown": values, "before": values}, values)},
                     values)
    return draw(st.fixed_dictionaries(
        {"format_version": _maybe(st.just("1.2"), values), "terraform_version": st.just("1.9.0")},
        optional={"planned_values": _maybe(_fields({"root_module": module}, values), values),
                  "resource_changes": _maybe(st.lists(change, max_size=3), values),
                  "configuration": values, "prior_state": values, "variables": values}))


# -- deployed distributions: the JSON `aws cloudfront get-distribution(-config)` prints ------------------------

def _api_list(items: st.SearchStrategy[Any], values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The API's `{"Quantity": n, "Items": [...]}`, with a Quantity that may not match, or be of any type."""
    return st.lists(items, max_size=3).flatmap(lambda found: _fields(
        {"Quantity": st.one_of(st.just(len(found)), st.integers(-1, 5)), "Items": st.just(found)}, values))


@st.composite
def deployed_documents(draw: st.DrawFn) -> Any:
    values = json_values()
    words = st.sampled_from(HOSTS + WORDS + ("GET", "HEAD", "OPTIONS", "viewer-request", "origin-response",
                                              "sni-only", "vip", "TLSv1.2_2021", "o0", "o1"))
    origin_ids = st.sampled_from(("o0", "o1", "missing"))
    lambda_arn = st.sampled_from(("arn:aws:lambda:us-east-1:111122223333:function:edge:3",
                                  "arn:aws:lambda:us-east-1:111122223333:function:edge", "x"))
    origin = _fields({
        "Id": origin_ids, "DomainName": st.sampled_from(HOSTS), "OriginPath": st.sampled_from(("", "/app", "app/")),
        "CustomHeaders": _api_list(_fields({"HeaderName": words, "HeaderValue": words}, values), values),
        "CustomOriginConfig": _fields({
            "HTTPPort": st.integers(-1, 70000), "HTTPSPort": st.integers(-1, 70000),
            "OriginProtocolPolicy": words, "OriginSslProtocols": _api_list(words, values),
            "OriginReadTimeout": st.integers(0, 200), "OriginKeepaliveTimeout": st.integers(0, 200)}, values),
        "S3OriginConfig": _fields({"OriginAccessIdentity": words}, values),
        "ConnectionAttempts": st.integers(0, 5), "ConnectionTimeout": st.integers(0, 20)}, values)
    behavior = {
        "TargetOriginId": origin_ids, "ViewerProtocolPolicy": words,
        "AllowedMethods": _fields({"Quantity": st.integers(0, 7), "Items": st.lists(words, max_size=3),
                                   "CachedMethods": _api_list(words, values)}, values),
        "CachePolicyId": st.sampled_from(("658327ea-f89d-4fab-a63d-7e88639e58f6", "custom-id", "")),
        "OriginRequestPolicyId": st.sampled_from(("216adef6-5c7f-47e4-b989-5492eafa07d3", "custom-id")),
        "ForwardedValues": _fields({"QueryString": st.booleans(), "Headers": _api_list(words, values),
                                    "Cookies": _fields({"Forward": words}, values)}, values),
        "LambdaFunctionAssociations": _api_list(_fields({"LambdaFunctionARN": lambda_arn, "EventType": words,
                                                         "IncludeBody": st.booleans()}, values), values),
        "FunctionAssociations": _api_list(_fields({"FunctionARN": lambda_arn, "EventType": words}, values), values)}
    config = _fields({
        "Origins": _api_list(origin, values),
        "DefaultCacheBehavior": _fields(behavior, values),
        "CacheBehaviors": _api_list(_fields({**behavior, "PathPattern": st.sampled_from(("/api/*", "*", ""))},
                                            values), values),
        "Aliases": _api_list(st.sampled_from(("www.example.com", "*.example.com", "ws.example.com")), values),
        "ViewerCertificate": _fields({"ACMCertificateArn": words, "SSLSupportMethod": words,
                                      "MinimumProtocolVersion": words, "CloudFrontDefaultCertificate": st.booleans()},
                                     values),
        "OriginGroups": _api_list(_fields({
            "Id": st.just("g0"), "FailoverCriteria": _fields({"StatusCodes": _api_list(st.integers(0, 600), values)},
                                                             values),
            "Members": _api_list(_fields({"OriginId": origin_ids}, values), values)}, values), values),
        "Enabled": st.booleans(), "IsIPV6Enabled": st.booleans()}, values)
    shape = draw(st.sampled_from(("config", "distribution")))
    if shape == "config":
        return draw(st.fixed_dictionaries({"DistributionConfig": config}, optional={"ETag": words}))
    return draw(st.fixed_dictionaries({"Distribution": _fields({"Id": words, "DistributionConfig": config}, values)},
                                      optional={"ETag": words}))


@st.composite
def cache_policy_documents(draw: st.DrawFn) -> Any:
    """What `aws cloudfront get-cache-policy` prints beside a deployed distribution (a custom policy)."""
    values = json_values()
    headers = _fields({"HeaderBehavior": st.sampled_from(("none", "whitelist", "allViewer")),
                       "Headers": _api_list(st.sampled_from(("Host", "Origin", "Sec-WebSocket-Key")), values)},
                      values)
    config = _fields({"Name": st.just("custom"), "ParametersInCacheKeyAndForwardedToOrigin": _fields(
        {"HeadersConfig": headers}, values)}, values)
    return draw(st.fixed_dictionaries({"CachePolicy": _fields({"Id": st.just("custom-id"),
                                                                "CachePolicyConfig": config}, values)}))


# -- Serverless Framework ----------------------------------------------------------------------------

# Variables of every kind the reader resolves or keeps unknown, nested, cyclic, broken, pointing outside.
SERVERLESS_VARIABLES = (
    "${self:service}", "${self:custom.domain}", "${self:custom}", "${self:}", "${self:custom.loop}",
    "${self:resources}", "${self:functions.edge.events}", "${opt:stage, 'dev'}", "${sls:stage}", "${env:X, 3}",
    "${ssm:/a/${sls:stage}}", "${file(./x.yml):a}", "${file(./x.yml)}", "${file(../y.yml):a, 'f'}",
    "${file(./x.js):a}", "${self:custom.${opt:s, 'domain'}}", "${strToBool(${env:B})}", "${cf:stack.out}",
    "${", "}", "${opt:}", "${file()}", "${self:custom.domain, self:nope, 'z'}", "${AWS::Region}", "${!Literal}",
)


@st.composite
def serverless_services(draw: st.DrawFn) -> dict[str, str]:
    """A service file (and the file it may include): `custom` values, `cloudFront` events, the plugin, and the
    resources of a generated template, with variables anywhere a value is."""
    variables = st.sampled_from(SERVERLESS_VARIABLES)
    values = st.one_of(cfn_values(), variables, st.builds(lambda a, b, c: f"{a}{b}{c}", texts, variables, texts))
    origin = st.one_of(st.sampled_from(("s3://b.s3.amazonaws.com/files", "https://a.example.com:8443/x/",
                                        "https://${self:custom.domain}", "a.example.com", "", "s3://")), values)
    event = _fields({"eventType": st.sampled_from(("viewer-request", "origin-response", "nope")),
                     "origin": origin, "pathPattern": st.sampled_from(("/a/*", "/b/*", "")),
                     "isDefaultOrigin": st.booleans(), "includeBody": st.booleans(),
                     "behavior": st.dictionaries(st.sampled_from(("ViewerProtocolPolicy", "CachePolicyId",
                                                                  "ForwardedValues", "MinTTL")), values, max_size=2),
                     "cachePolicy": _fields({"id": values, "name": st.sampled_from(("p", "nope"))}, values)}, values)
    function = _fields({"handler": texts, "memorySize": numbers, "timeout": numbers, "versionFunction": values,
                        "events": st.lists(st.fixed_dictionaries({"cloudFront": event}) | values, max_size=3),
                        "lambdaAtEdge": _fields({"distribution": st.sampled_from(("D0", "D1", "Nope")),
                                                 "eventType": values, "pathPattern": values}, values),
                        "vpc": values, "environment": values, "url": st.booleans()}, values)
    template = draw(cfn_templates())
    resources: Any = {k: v for k, v in template.items() if k != "AWSTemplateFormatVersion"}
    if draw(st.booleans()):
        resources = [resources, "${file(./x.yml)}", {"extensions": {"EdgeLambdaFunction": {"Properties": {
            "MemorySize": draw(values)}}}}]
    service: dict[str, Any] = {
        "service": draw(values),
        "provider": draw(_fields({"name": st.just("aws"), "stage": values, "memorySize": numbers,
                                  "cloudFront": st.just({"cachePolicies": {"p": {"DefaultTTL": 0}}})}, values)),
        "custom": draw(st.dictionaries(st.sampled_from(("domain", "loop", "origin")), values, max_size=3)),
        "plugins": draw(st.sampled_from(([], ["serverless-plugin-cloudfront-lambda-edge"], "${opt:p}"))),
        "functions": draw(st.dictionaries(st.sampled_from(("edge", "other")), function, max_size=2)),
        "resources": resources,
    }
    included = draw(st.dictionaries(st.sampled_from(("a", "Resources")), values, max_size=2))
    return {"serverless.yml": draw(yaml_twists(cfn_yaml(service))), "x.yml": cfn_yaml(included)}


# -- configuration (.policykit.yaml) ---------------------------------------------------------------------------

# Paths a hostile configuration may name: out of the checkout by `..`, absolute ({OUTSIDE} is the directory that
# holds a secret, written at check time), a file, the checkout itself, nothing, a forged line.
CONFIG_PATHS = ("../outside", "{OUTSIDE}", "/", "..", ".", "mine", "mine/../../outside", "t.yaml", "missing", "",
                "~", "mine\n::warning::FORGED", "/etc/passwd", "../outside/ACME901-secret.yaml")
POLICY_PATTERNS = ("*", "PK*", "PK1*", "PK101", "PK5O1", "ACME*", "ACME900", "[", "?*", "pk301", "nope")
LIMIT_NAMES = ("file_bytes", "document_values", "alias_chars", "cfn_string_chars", "terraform_steps",
               "terraform_string_bytes", "terraform_items", "scenarios", "nonsense")
LIVE_KEYS = ("timeout", "origin_timeout", "run_timeout", "concurrency", "allow_private", "nameservers",
             "trust_store", "expiry_warning_days", "retries")
NAMESERVERS = ("127.0.0.1", "127.0.0.3:6379", "169.254.169.254", "10.0.0.2:53", "[::1]:53", "8.8.8.8",
               "dns.example.test", "host:notaport", "")
config_scalars = st.one_of(
    scalars, st.sampled_from(CONFIG_PATHS + POLICY_PATTERNS + NAMESERVERS + ("error", "warning", "info", "fatal")),
    st.sampled_from([1, 5, 16, 300, 3600, 3601, 10**9, 2**31, 2**64, -1, 0.001, 1e308]))


def _config_value(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The value a key takes: mostly its own kind, sometimes of another type or nested wrongly."""
    return st.one_of(plausible, plausible, plausible, config_scalars, st.lists(config_scalars, max_size=3),
                     st.dictionaries(st.sampled_from(("a", "pattern", "x")), config_scalars, max_size=2))


@st.composite
def config_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A configuration with any of its keys (and an unknown one), each given a plausible, hostile or mistyped value."""
    patterns = st.lists(st.sampled_from(POLICY_PATTERNS) | config_scalars, max_size=4)
    keys: dict[str, st.SearchStrategy[Any]] = {
        "policies": st.lists(st.sampled_from(CONFIG_PATHS), max_size=3),
        "enable": patterns,
        "disable": patterns,
        "severity": st.dictionaries(st.sampled_from(POLICY_PATTERNS[3:]), st.sampled_from(("error", "warning",
                                                                                               "info", "fatal"))),
        "severity_threshold": st.sampled_from(("error", "warning", "info", "none")),
        "baseline": st.sampled_from(CONFIG_PATHS),
        "files": st.lists(st.fixed_dictionaries({"pattern": st.sampled_from(("*", "t.yaml", "**/*", "["))},
                                                optional={"params": st.dictionaries(st.sampled_from(("Env", "P0")),
                                                                                    config_scalars, max_size=2),
                                                          "vars": st.dictionaries(st.just("x"), config_scalars,
                                                                                  max_size=1)}), max_size=2),
        "live": st.dictionaries(st.sampled_from(LIVE_KEYS), st.one_of(
            config_scalars, st.lists(st.sampled_from(NAMESERVERS), max_size=2))),
        "limits": st.dictionaries(st.sampled_from(LIMIT_NAMES), config_scalars, max_size=3),
        "unknown_key": config_scalars,
    }
    chosen = draw(st.lists(st.sampled_from(sorted(keys)), unique=True, max_size=5))
    return {key: draw(_config_value(keys[key])) for key in chosen}


@st.composite
def config_texts(draw: st.DrawFn) -> str:
    """A configuration file's text: a document dumped as YAML, sometimes twisted (an alias, a tag, a duplicate
    key, a document that is not a mapping, bytes that are not text)."""
    text = yaml.safe_dump(_plain(draw(config_documents())), allow_unicode=True, default_flow_style=False)
    twist = draw(st.sampled_from(("none", "none", "none", "alias", "tag", "duplicate", "list", "cut", "surrogate")))
    if twist == "alias":
        text = "base: &b {timeout: 1}\n" + text + "live: *b\n"
    elif twist == "tag":
        text = "live: !!python/object:os.system {}\n" + text
    elif twist == "duplicate":
        text += "disable: ['*']\ndisable: []\n"
    elif twist == "list":
        text = "- " + text.replace("\n", "\n  ")
    elif twist == "cut":
        text = text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    elif twist == "surrogate":
        text += "policies: ['\udcff']\n"
    return text
