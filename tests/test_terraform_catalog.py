"""Terraform mapping gaps found by the catalog's Terraform fixtures, each pinned by a focused test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from policykit.api import ScanOptions, scan
from policykit.terraform.hcl import load_hcl

Write = Callable[[str, str], Path]


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
