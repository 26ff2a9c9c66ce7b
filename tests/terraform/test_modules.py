"""Terraform modules as public modules write them (policykit/terraform/module.py, scope.py): local and remote
module calls, outputs, several instances, a dynamic default behavior over a splat; what cannot be evaluated is
unknown, never dropped."""

from __future__ import annotations

from policykit.api import ScanOptions, scan
from policykit.core.values import Unknown
from tests.helpers import Write
from tests.templates import tf_default_behavior, tf_distribution, tf_origin
from tests.terraform.helpers import models, only_distribution

# The shape of a public CloudFront module: the default behavior is a dynamic block over a splat,
# its Lambda@Edge associations a dynamic block over a lookup of that object.
CDN_MODULE = """
variable "default_cache_behavior" {}
variable "domain" {}
resource "aws_cloudfront_distribution" "this" {
  enabled = true
  origin {
    origin_id   = "app"
    domain_name = var.domain
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  dynamic "default_cache_behavior" {
    for_each = var.default_cache_behavior[*]
    iterator = i
    content {
      target_origin_id       = i.value["target_origin_id"]
      viewer_protocol_policy = i.value["viewer_protocol_policy"]
      allowed_methods        = lookup(i.value, "allowed_methods", ["GET", "HEAD"])
      cached_methods         = ["GET", "HEAD"]
      dynamic "lambda_function_association" {
        for_each = lookup(i.value, "lambda_function_association", {})
        iterator = l
        content {
          event_type   = l.key
          lambda_arn   = l.value.lambda_arn
          include_body = lookup(l.value, "include_body", null)
        }
      }
    }
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
output "domain_name" {
  value = aws_cloudfront_distribution.this.domain_name
}
"""

EDGE = """
resource "aws_lambda_function" "edge" {
  function_name = "edge"
  role          = "arn:aws:iam::123456789012:role/edge"
  runtime       = "nodejs18.x"
  handler       = "index.handler"
  filename      = "edge.zip"
}
"""


def _call(behavior: str, name: str = "cdn") -> str:
    return f"""
module "{name}" {{
  source                 = "./cdn"
  domain                 = "app.example.com"
  default_cache_behavior = {behavior}
}}
"""


def test_a_dynamic_default_behavior_over_a_splat_is_kept_with_its_edge_functions(write: Write) -> None:
    write("root/cdn/main.tf", CDN_MODULE)
    root = write("root/main.tf", EDGE + _call("""{
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    lambda_function_association = {
      viewer-request = { lambda_arn = aws_lambda_function.edge.arn }
    }
  }""")).parent
    dist = only_distribution(root)
    assert dist.resource == "module.cdn.aws_cloudfront_distribution.this"
    behavior = dist.default_behavior
    assert behavior is not None and behavior.target_origin_id == "app"
    assert [a.event_type for a in behavior.lambda_associations] == ["viewer-request"]
    # the unversioned ARN (the function's own `arn`) was hidden when the splat dropped the behavior
    result = scan([root], ScanOptions())
    assert not result.errors
    assert any(f.policy_id == "PK401" and not f.unknown for f in result.findings)


def test_module_outputs_resolve_to_the_module_resource(write: Write) -> None:
    write("root/acm/main.tf", """
variable "domain" {}
resource "aws_acm_certificate" "this" {
  domain_name       = var.domain
  validation_method = "DNS"
}
output "certificate_arn" {
  value = aws_acm_certificate.this.arn
}
""")
    root = write("root/main.tf", """
module "acm" {
  source = "./acm"
  domain = "www.example.com"
}
""" + tf_distribution('  aliases = ["shop.example.com"]\n' + tf_origin('"origin.example.com"') + tf_default_behavior(),
                    certificate='acm_certificate_arn = module.acm.certificate_arn\n'
                                '    ssl_support_method = "sni-only"')).parent
    dist = only_distribution(root)
    assert dist.viewer_certificate is not None
    certificate = dist.viewer_certificate.certificate
    assert certificate is not None and certificate.domain_name == "www.example.com"
    result = scan([root], ScanOptions())
    assert not result.errors
    assert any(f.policy_id == "PK301" and not f.unknown for f in result.findings)  # shop. is not covered


def test_a_module_called_twice_and_with_for_each_is_several_instances(write: Write) -> None:
    write("root/cdn/main.tf", CDN_MODULE)
    behavior = '{ target_origin_id = "app", viewer_protocol_policy = "allow-all" }'
    root = write("root/main.tf", _call(behavior, "one") + _call(behavior, "two") + """
module "many" {
  for_each               = toset(["a", "b"])
  source                 = "./cdn"
  domain                 = "${each.key}.example.com"
  default_cache_behavior = { target_origin_id = "app", viewer_protocol_policy = "allow-all" }
}
locals {
  domains = [for k, m in module.many : m.domain_name]
}
""").parent
    found = {d.resource: d.origins[0].domain_name for m in models(root) for d in m.distributions}
    assert found == {
        "module.one.aws_cloudfront_distribution.this": "app.example.com",
        "module.two.aws_cloudfront_distribution.this": "app.example.com",
        'module.many["a"].aws_cloudfront_distribution.this': "a.example.com",
        'module.many["b"].aws_cloudfront_distribution.this': "b.example.com",
    }


def test_a_dynamic_default_behavior_over_an_unknown_is_maybe_more_not_none(write: Write) -> None:
    # the module scanned alone: its default behavior comes from a variable without a value
    root = write("alone/main.tf", CDN_MODULE).parent
    dist = only_distribution(root)
    assert dist.default_behavior is None
    more = dist.behaviors.more
    assert isinstance(more, Unknown) and "var.default_cache_behavior[*]" in more.reason
    # what depends on the behaviors is "not checked", never silently clean
    result = scan([root], ScanOptions())
    assert not result.errors
    assert any(f.unknown and "default_cache_behavior" in f.message for f in result.findings)


def test_local_modules_are_followed_remote_ones_noted(write: Write) -> None:
    write("root/modules/cdn/main.tf", 'variable "policy" {}\nvariable "bucket" {}\n'
          + tf_distribution(tf_origin('"${var.bucket}.s3-website-us-east-1.amazonaws.com"', "var.policy")
                            + tf_default_behavior()))
    main = write("root/main.tf", """
module "cdn" {
  source = "./modules/cdn"
  policy = "https-only"
  bucket = "site"
}
module "remote" {
  source  = "terraform-aws-modules/cloudfront/aws"
  version = "3.0.0"
}
""")
    result = scan([main.parent], ScanOptions())
    assert not result.errors
    fired = [f for f in result.findings if f.policy_id == "PK101" and not f.unknown]
    assert fired and fired[0].resource == "module.cdn.aws_cloudfront_distribution.cdn"
    assert fired[0].location.file.endswith("modules/cdn/main.tf")
    notes = [f for f in result.findings if "module.remote" in f.message]
    # a visible info finding, not an `unknown` one hidden behind --show-unknown
    assert notes and not notes[0].unknown and notes[0].severity.value == "info"
    assert notes[0].policy_id == "PK005" and notes[0].location.line == 7
