"""Realistic, valid CloudFront configurations must give no error and no warning.

Each input under tests/integration/no_false_positives/ is a configuration people deploy (CDK and SAM output,
nested stacks, terraform-aws-modules-style dynamic blocks, ...). A finding on one of them is a false
positive: fix the fact, resolver or evaluator, never this list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.findings import Severity
from tests.helpers import Write
from tests.templates import CACHING_OPTIMIZED, tf_default_behavior, tf_distribution, tf_origin

HERE = Path(__file__).resolve().parent / "no_false_positives"
CFN = sorted(p for p in (HERE / "cfn").iterdir() if p.suffix in (".yaml", ".yml", ".json"))
TERRAFORM = sorted(p for p in (HERE / "tf").iterdir() if p.is_dir())

# Fn::ForEach::Name keys in Resources are refused by cfn/load.py's check_shape ("must be a mapping")
# before the model (which already reads them as unknown) sees them; load.py is being refactored
# by another engineer. Strict: this fails loudly once check_shape accepts them.
KNOWN_BROKEN: dict[str, str] = {}  # file name -> why it is still expected to fail (none today)


def _complaints(path: Path, options: ScanOptions) -> list[str]:
    result = scan([path], options)
    out = [f"input error: {error}" for error in result.errors]
    out += [f"{f.location} {f.severity.value} {f.policy_id}: {f.message}" for f in result.findings
            if not f.unknown and (f.severity in (Severity.ERROR, Severity.WARNING) or f.policy_id == "PK002")]
    if not result.files:
        out.append("not scanned (skipped as not a template)")
    return out


def _params(path: Path) -> list[pytest.param]:  # type: ignore[type-arg]
    marks = ([pytest.mark.xfail(strict=True, reason=KNOWN_BROKEN[path.name])]
             if path.name in KNOWN_BROKEN else [])
    return [pytest.param(path, id=path.name, marks=marks)]


@pytest.mark.parametrize("path", [p for path in CFN for p in _params(path)])
def test_valid_cloudformation_has_no_finding(path: Path) -> None:
    complaints = _complaints(path, ScanOptions(suppressions=False))
    assert not complaints, f"{path.name} is valid, yet:\n" + "\n".join(complaints)


@pytest.mark.parametrize("path", TERRAFORM, ids=[p.name for p in TERRAFORM])
def test_valid_terraform_module_has_no_finding(path: Path) -> None:
    complaints = _complaints(path, ScanOptions(suppressions=False))
    assert not complaints, f"{path.name} is valid, yet:\n" + "\n".join(complaints)


@pytest.mark.parametrize("tf_vars", [{"domain": "example.com"}, {"domain": "example.com", "enable_auth": "false"}])
def test_count_guarded_module_with_a_domain_has_no_finding(tf_vars: dict[str, str]) -> None:
    # The other side of every `count = local.has_domain ? 1 : 0`: a certificate, an alias and
    # (or not) the Lambda@Edge association.
    path = HERE / "tf" / "lambda-edge-count"
    complaints = _complaints(path, ScanOptions(suppressions=False, tf_vars=tf_vars))
    assert not complaints, "\n".join(complaints)


def test_the_scans_are_not_empty() -> None:
    # Guards against a fixture no longer being read as a template (no findings because no model).
    for path in [p for p in CFN if p.name not in KNOWN_BROKEN] + TERRAFORM:
        result = scan([path], ScanOptions(suppressions=False))
        assert sum(result.distributions.values()) >= 1, path.name


def test_null_arguments_are_not_written(write: Write) -> None:
    # Terraform: `x = null` is as if x were not written; modules pass optional settings that way.
    optional = ("      origin_read_timeout      = var.read_timeout\n"
                '      origin_keepalive_timeout = lookup({}, "keepalive", null)\n')
    cache_policy = f'    cache_policy_id        = "{CACHING_OPTIMIZED}"\n'
    body = tf_origin('"app.example.com"', custom_extra=optional) + tf_default_behavior(extra=cache_policy)
    module = write("m/main.tf", 'variable "read_timeout" {\n  default = null\n}\n'
                   + tf_distribution(body, name="d")).parent
    result = scan([module], ScanOptions(suppressions=False))
    assert not [f for f in result.findings if f.policy_id == "PK109"], [f.message for f in result.findings]
    # ...while a written timeout out of range still is a finding.
    result = scan([module], ScanOptions(suppressions=False, tf_vars={"read_timeout": "300"}))
    assert [f for f in result.findings if f.policy_id == "PK109" and not f.unknown]


def test_aliases_from_a_variable_point_at_the_aliases_argument(write: Write) -> None:
    module = write("m/main.tf", """
variable "aliases" {
  type = list(string)
}
resource "aws_cloudfront_distribution" "d" {
  enabled = true
  aliases = var.aliases
  origin {
    origin_id   = "app"
    domain_name = "app.example.com"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
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
""").parent
    # Given on the command line (or in a .tfvars file), the names have no line of their own.
    result = scan([module], ScanOptions(suppressions=False, tf_vars={"aliases": '["www.example.com"]'}))
    alias_findings = [f for f in result.findings if "www.example.com" in f.subject]
    assert alias_findings, [f.message for f in result.findings]  # PK302: aliases with the default certificate
    assert all(f.location.line == 7 for f in alias_findings), [str(f.location) for f in alias_findings]
