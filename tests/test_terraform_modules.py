"""Terraform shapes public modules use (issue 10): splat, for expressions, local module outputs and
instances, a dynamic default behavior; what cannot be evaluated is unknown, never dropped."""

from __future__ import annotations

from policykit.api import ScanOptions, scan
from policykit.core.values import Partial, Unknown
from tests.helpers import Write
from tests.test_terraform import BEHAVIOR, DIST, models, only_distribution, origin

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
""" + DIST.format(body=origin('"${join("-", local.names)}.example.com"') + BEHAVIOR))
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
    main = write("m/main.tf", 'variable "names" {}\n' + DIST.format(
        body=origin('"${join("-", [for n in var.names : upper(n)])}.example.com"') + BEHAVIOR))
    domain = only_distribution(main.parent).origins[0].domain_name
    assert isinstance(domain, Partial) and domain.parts[1] == ".example.com"  # the known text stays
    assert isinstance(domain.parts[0], Unknown)
    assert "[for n in var.names : upper(n)]: var.names has no value" in domain.parts[0].reason


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
""" + DIST.replace("cloudfront_default_certificate = true",
                   "acm_certificate_arn = module.acm.certificate_arn\n    ssl_support_method = \"sni-only\"").format(
        body='  aliases = ["shop.example.com"]\n' + origin('"origin.example.com"') + BEHAVIOR)).parent
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


def test_count_over_known_values_and_unknown_dynamic_blocks_are_not_dropped(write: Write) -> None:
    main = write("m/main.tf", """
variable "behaviors" {}
locals {
  regions = ["a", "b", "c"]
}
resource "aws_cloudfront_distribution" "cdn" {
  count   = length(local.regions)
  enabled = true
""" + origin('"${local.regions[count.index]}.example.com"') + """
  dynamic "ordered_cache_behavior" {
    for_each = var.behaviors[*]
    content {
      path_pattern     = ordered_cache_behavior.value.path
      target_origin_id = "app"
    }
  }
""" + BEHAVIOR + "\n}\n")
    dists = [d for m in models(main.parent) for d in m.distributions]
    assert [d.origins[0].domain_name for d in dists] == ["a.example.com", "b.example.com", "c.example.com"]
    more = dists[0].ordered_behaviors.more
    assert more is not None and "var.behaviors[*]" in more.reason


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
