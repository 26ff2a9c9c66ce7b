"""Terraform expressions evaluated (policykit/terraform/evaluate.py, functions.py): values, `Unknown` or `Partial`,
never an exception; expressions that once crashed are unknown or values."""

from __future__ import annotations

from typing import Any

import pytest

from policykit.core.values import Partial, ResourceAttr, Unknown
from policykit.terraform.evaluate import evaluate_text, traverse
from policykit.terraform.shapes import attribute_value
from tests.helpers import RunCli, Write
from tests.templates import TF_COMMENTED, tf_default_behavior, tf_distribution, tf_origin
from tests.terraform.helpers import only_distribution, scans_without_errors


class _Scope:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def reference(self, root: str, path: list[Any]) -> Any:
        return traverse(self.values.get(root, Unknown(f"{root} unknown")), path)


def test_expressions_evaluate_to_values_or_unknown() -> None:
    scope = _Scope({"var": {"env": "prod", "on": True, "n": 2, "names": ["a", "b"]}, "local": {}})
    assert evaluate_text("plain", scope) == "plain"
    assert evaluate_text("${var.env}", scope) == "prod"
    assert evaluate_text("${var.n}", scope) == 2
    assert evaluate_text("www.${var.env}.example.com", scope) == "www.prod.example.com"
    assert evaluate_text('${var.on ? "https-only" : "http-only"}', scope) == "https-only"
    assert evaluate_text('${var.env == "prod" && var.on}', scope) is True
    assert evaluate_text('${format("%s-%d", var.env, 3)}', scope) == "prod-3"
    assert evaluate_text('${join(",", var.names)}', scope) == "a,b"
    assert evaluate_text('${lower("ABC")}', scope) == "abc"
    assert evaluate_text('${coalesce("", "x")}', scope) == "x"
    assert evaluate_text('${lookup({a = 1}, "b", 7)}', scope) == 7
    assert evaluate_text('${try(var.missing.deep, "fallback")}', scope) == "fallback"
    assert evaluate_text("$${literal}", scope) == "${literal}"
    unknown_condition = evaluate_text('${data.x.y.z ? "a" : "b"}', scope)
    assert isinstance(unknown_condition, Unknown)
    assert isinstance(evaluate_text("${sha256(var.env)}", scope), Unknown)
    assert evaluate_text("${[for x in var.names : upper(x)]}", scope) == ["A", "B"]
    partial = evaluate_text("${data.a.b.c}.example.com", scope)
    assert isinstance(partial, Partial) and partial.parts[-1] == ".example.com"
    assert evaluate_text("${var.names[*]}", scope) == ["a", "b"]
    assert isinstance(evaluate_text("${(((}", scope), Unknown)  # never an exception


def test_a_splat_over_a_list_a_single_object_and_null(write: Write) -> None:
    main = write("m/main.tf", """
variable "one" {
  default = { name = "a" }
}
variable "many" {
  default = [{ name = "b" }, { name = "c" }]
}
variable "none" {
  default = null
}
locals {
  names = concat(var.one[*].name, var.many[*].name, var.many.*.name, var.none[*].name)
}
""" + tf_distribution(tf_origin('"${join("-", local.names)}.example.com"') + tf_default_behavior()))
    assert only_distribution(main.parent).origins[0].domain_name == "a-b-c-b-c.example.com"


def test_for_expressions_and_functions_public_modules_use(write: Write) -> None:
    main = write("m/main.tf", """
variable "origins" {
  default = {
    app = { domain = "app.example.com", policy = "https-only" }
    api = { domain = "api.example.com" }
  }
}
locals {
  origins = [for id, o in var.origins : merge({ id = id, policy = "match-viewer" }, o) if id != "skip"]
  by_id   = { for o in local.origins : o.id => o }
  aliases = flatten([["www.example.com"], [for a in ["x", "y"] : format("%s.example.com", a)]])
  first   = one([for o in local.origins : o.id if o.id == "api"])
  policy  = coalesce(try(local.by_id.app.missing, null), lookup(local.by_id.app, "policy", "x"))
}
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  aliases = local.aliases
  dynamic "origin" {
    for_each = local.by_id
    content {
      origin_id   = origin.key
      domain_name = origin.value.domain
      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = origin.value.policy
        origin_ssl_protocols   = ["TLSv1.2"]
      }
    }
  }
  default_cache_behavior {
    target_origin_id       = local.first
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
  comment = "${local.policy}/${element(local.aliases, 4)}"
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
""")
    dist = only_distribution(main.parent)
    assert {o.id: (o.domain_name, o.protocol_policy) for o in dist.origins} == {
        "api": ("api.example.com", "match-viewer"), "app": ("app.example.com", "https-only")}
    assert [a.name for a in dist.aliases] == ["www.example.com", "x.example.com", "y.example.com"]
    assert dist.default_behavior is not None and dist.default_behavior.target_origin_id == "api"


def test_what_cannot_be_evaluated_is_unknown_with_the_expression(write: Write) -> None:
    main = write("m/main.tf", 'variable "names" {}\n' + tf_distribution(
        tf_origin('"${join("-", [for n in var.names : upper(n)])}.example.com"') + tf_default_behavior()))
    domain = only_distribution(main.parent).origins[0].domain_name
    assert isinstance(domain, Partial) and domain.parts[1] == ".example.com"  # the known text stays
    assert isinstance(domain.parts[0], Unknown)
    assert "[for n in var.names : upper(n)]: var.names has no value" in domain.parts[0].reason


class _FunctionUrlScope:
    def reference(self, root: str, path: list[Any]) -> Any:
        if root == "url":
            ref = ResourceAttr("aws_lambda_function_url.app", "function_url")
            return attribute_value("aws_lambda_function_url", ref)
        return Unknown(f"{root} is not known")


def test_function_url_to_origin_domain_keeps_the_aws_shape() -> None:
    # The Terraform twins of !Select [2, !Split ["/", !GetAtt Url.FunctionUrl]]
    scope = _FunctionUrlScope()
    for text in ('${split("/", url)[2]}', '${trimsuffix(trimprefix(url, "https://"), "/")}'):
        value = evaluate_text(text, scope)
        assert isinstance(value, Partial), text
        assert str(value) == "${aws_lambda_function_url.app}.lambda-url.${region}.on.aws"
        assert value.refs and value.refs[0].resource == "aws_lambda_function_url.app"
    # A prefix that is not there leaves the value as it was; one longer than the known text is undecided
    assert str(evaluate_text('${trimprefix(url, "http://")}', scope)) == "https://${aws_lambda_function_url.app}.lambda-url.${region}.on.aws/"
    assert isinstance(evaluate_text('${trimprefix(url, "https://x")}', scope), Unknown)
    # Dots may be inside the unknown labels: splitting on them is not decided
    assert isinstance(evaluate_text('${split(".", url)}', scope), Unknown)
    assert isinstance(evaluate_text('${split("/", other)}', scope), Unknown)


@pytest.mark.parametrize("comment", [
    'format("%s-sg", var.name)',  # var.name has no value: TypeError 'Unknown' is not subscriptable
    'join("-", [var.name, "x"])',
    'element([], 0)',
    'format("%s.%s", "x")',  # too few arguments
    'format("%999999999s", "x")',  # a width that would build a gigabyte
    '"x" * 400000000',  # Terraform has no string repetition: 3.9 GB before the type check
    "1e308 * 1e308",
    "99999999999999999999999999 * 99999999999999999999999999 * 99999999999999999999999999",
    "1 % 0",
    'lookup({}, "missing")',
    "one([1, 2])",
    'var.name[*].id',
    '[for x in var.name : x]',
    '{for k, v in {a = 1} : "same" => v}',
])
def test_expressions_that_crashed_are_unknown_or_values(write: Write, run_cli: RunCli, comment: str) -> None:
    main = write("m/main.tf", 'variable "name" {}\n' + TF_COMMENTED.format(comment=comment))
    scans_without_errors(run_cli, main.parent)


def test_format_with_an_unknown_argument_keeps_the_known_text(write: Write) -> None:
    main = write("m/main.tf", 'variable "name" {}\n' + TF_COMMENTED.replace(
        '"app.example.com"', 'format("%s.example.com", var.name)').format(comment='"c"'))
    domain = only_distribution(main.parent).origins[0].domain_name
    assert str(domain) == "${var.name}.example.com"
