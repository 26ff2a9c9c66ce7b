"""Benchmark: 100 generated Terraform modules scan in under 5 seconds.

Run: python3 bench/bench_terraform.py  (exit code 1 when too slow)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykit.api import ScanOptions, scan

MODULES = 100
LIMIT_SECONDS = 5.0

MODULE = """
variable "env" {{
  default = "env{index}"
}}

locals {{
  host = "${{var.env}}.example.com"
}}

resource "aws_s3_bucket" "site" {{
  bucket = "site-{index}"
}}

resource "aws_lb" "app" {{
  internal = false
}}

resource "aws_acm_certificate" "viewer" {{
  domain_name               = local.host
  subject_alternative_names = ["www.${{local.host}}"]
}}

resource "aws_lambda_function" "edge" {{
  function_name = "edge-{index}"
  runtime       = "nodejs20.x"
  publish       = true
}}

resource "aws_cloudfront_distribution" "cdn" {{
  enabled = true
  aliases = [local.host, "www.${{local.host}}"]
  origin {{
    origin_id   = "site"
    domain_name = aws_s3_bucket.site.website_endpoint
    custom_origin_config {{
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "{policy}"
      origin_ssl_protocols   = ["TLSv1.2"]
    }}
  }}
  origin {{
    origin_id   = "api"
    domain_name = aws_lb.app.dns_name
    custom_origin_config {{
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }}
  }}
  default_cache_behavior {{
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    lambda_function_association {{
      event_type = "viewer-request"
      lambda_arn = aws_lambda_function.edge.qualified_arn
    }}
  }}
  ordered_cache_behavior {{
    path_pattern           = "/api/*"
    target_origin_id       = "api"
    viewer_protocol_policy = "https-only"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }}
  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}
  viewer_certificate {{
    acm_certificate_arn = aws_acm_certificate.viewer.arn
    ssl_support_method  = "sni-only"
  }}
}}
"""


def generate(root: Path) -> None:
    for index in range(MODULES):
        module = root / f"module{index:03d}"
        module.mkdir()
        policy = "https-only" if index % 2 else "http-only"
        (module / "main.tf").write_text(MODULE.format(index=index, policy=policy), encoding="utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        generate(root)
        start = time.perf_counter()
        result = scan([root], ScanOptions())
        elapsed = time.perf_counter() - start
    distributions = sum(result.distributions.values())
    fired = sum(1 for f in result.findings if f.policy_id == "PK101" and not f.unknown)
    print(f"{MODULES} modules, {distributions} distributions, {len(result.findings)} findings "
          f"in {elapsed:.2f} s (limit {LIMIT_SECONDS} s)")
    assert not result.errors, result.errors[:3]
    assert distributions == MODULES
    assert fired == MODULES // 2, fired
    if elapsed >= LIMIT_SECONDS:
        print("too slow", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
