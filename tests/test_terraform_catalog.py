"""Terraform mapping gaps found by the catalog's Terraform fixtures, each pinned by a focused test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policykit.api import ScanOptions, scan
from policykit.core.values import Partial, ResourceAttr, Unknown
from policykit.terraform.evaluate import evaluate_text
from policykit.terraform.hcl import load_hcl
from policykit.terraform.shapes import attribute_value
from tests.helpers import Write


def finding_lines(directory: Path, policy_id: str) -> list[int]:
    result = scan([directory], ScanOptions())
    return sorted(f.location.line for f in result.findings if f.policy_id == policy_id and not f.unknown)


def test_items_of_a_multi_line_list_are_at_their_own_lines(write: Write) -> None:
    # The line break after `[` used to count as the first item: each item took the previous line.
    path = write("m/main.tf", 'resource "x" "y" {\n  aliases = [\n    "www.example.com",  # first\n'
                              '    "ws.example.com",\n  ]\n  one_line = ["a", "b"]\n}\n')
    body = load_hcl(path)[0].body
    assert [mark.line for mark in body["aliases"].marks] == [3, 4]
    assert [(mark.line, mark.column) for mark in body["one_line"].marks] == [(6, 15), (6, 20)]


def test_alias_finding_points_at_the_alias_line(write: Write) -> None:
    path = write("cdn/main.tf", """
resource "aws_acm_certificate" "origin" {
  domain_name = "www.example.com"
}

resource "aws_lb" "app" {
  subnets = ["subnet-1"]
}

resource "aws_lb_listener" "app" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.origin.arn
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  aliases = [
    "www.example.com",
    "ws.example.com",
  ]
  origin {
    origin_id   = "app"
    domain_name = aws_lb.app.dns_name
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id         = "app"
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["GET", "HEAD"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3"
  }
}
""")
    assert finding_lines(path.parent, "PK202") == [21]


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


def test_function_url_origin_is_checked_not_unknown(write: Write) -> None:
    path = write("url/main.tf", """
resource "aws_lambda_function_url" "app" {
  function_name      = "app"
  authorization_type = "NONE"
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "raw"
    domain_name = aws_lambda_function_url.app.function_url
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "host"
    domain_name = split("/", aws_lambda_function_url.app.function_url)[2]
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "raw"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}
""")
    result = scan([path.parent], ScanOptions())
    pk103 = [(f.location.line, f.unknown) for f in result.findings if f.policy_id == "PK103"]
    assert pk103 == [(11, False)]  # the raw URL fires; the host taken out of it is a DNS name
