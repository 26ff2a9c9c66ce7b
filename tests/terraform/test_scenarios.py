"""Deploy-time scenarios in Terraform: `bool` variables, `validation { contains([...], var.x) }`,
literals compared with `==`, `count = var.x ? 1 : 0`; tfvars / --var fix a scenario."""

from __future__ import annotations

from pathlib import Path

from policykit.api import ScanOptions, scan
from policykit.findings import Finding, ScanResult
from tests.helpers import Write
from tests.templates import CACHING_OPTIMIZED, tf_default_behavior, tf_distribution, tf_origin


def distribution(meta: str, protocol: str) -> str:
    """The distribution the scenarios vary: one origin `site`, an S3 website endpoint, `protocol` an expression."""
    cache_policy = f'    cache_policy_id        = "{CACHING_OPTIMIZED}"\n'
    return tf_distribution(tf_origin('"www.s3-website-us-east-1.amazonaws.com"', protocol, origin_id="site")
                           + tf_default_behavior('"site"', extra=cache_policy), meta=meta)

ENV = """
variable "env" {
  type    = string
  default = "dev"
  validation {
    condition     = contains(["dev", "staging", "prod"], var.env)
    error_message = "one of dev, staging, prod"
  }
}
"""


def module(write: Write, text: str, name: str = "main.tf") -> Path:
    return write(f"mod/{name}", text).parent


def pk101(result: ScanResult) -> list[Finding]:
    return [f for f in result.findings if f.policy_id == "PK101" and not f.unknown]


def test_validation_contains_is_a_finite_domain(write: Write) -> None:
    text = ENV + distribution(meta="", protocol='var.env == "prod" ? "https-only" : "http-only"')
    found = pk101(scan([module(write, text)]))
    assert [f.scenario for f in found] == ["when var.env=prod"]
    assert found[0].message.endswith("(when var.env=prod).")  # inside the sentence, before its full stop


def test_var_and_tfvars_fix_a_scenario(write: Write) -> None:
    text = ENV + distribution(meta="", protocol='var.env == "prod" ? "https-only" : "http-only"')
    directory = module(write, text)
    assert pk101(scan([directory], ScanOptions(tf_vars={"env": "dev"}))) == []
    fixed = pk101(scan([directory], ScanOptions(tf_vars={"env": "prod"})))
    assert len(fixed) == 1 and fixed[0].scenario == ""
    write("mod/terraform.tfvars", 'env = "staging"\n')
    assert pk101(scan([directory])) == []


def test_bool_count_makes_the_distribution_exist_in_its_scenario(write: Write) -> None:
    # Default false: `count = 0` dropped the distribution silently; a deploy with true returns 502.
    text = ('variable "create" {\n  type    = bool\n  default = false\n}\n'
            + distribution(meta="  count   = var.create ? 1 : 0\n", protocol='"https-only"'))
    result = scan([module(write, text)])
    assert sum(result.distributions.values()) == 1
    assert len(pk101(result)) == 1  # only one scenario has the distribution: no label needed
    assert result.never_deployed == ()


def test_count_zero_in_every_scenario_is_listed_as_never_deployed(write: Write) -> None:
    text = ('variable "create" {\n  type    = bool\n  default = false\n}\n'
            + distribution(meta="  count   = var.create ? 1 : 0\n", protocol='"https-only"'))
    result = scan([module(write, text)], ScanOptions(tf_vars={"create": "false"}))
    assert result.findings == ()
    assert len(result.never_deployed) == 1 and "aws_cloudfront_distribution.cdn" in result.never_deployed[0]


def test_bool_variable_in_a_conditional(write: Write) -> None:
    text = ('variable "secure" {\n  type = bool\n}\n'
            + distribution(meta="", protocol='var.secure ? "https-only" : "http-only"'))
    found = pk101(scan([module(write, text)]))
    assert [f.scenario for f in found] == ["when var.secure=true"]


def test_compared_string_without_a_domain_is_either_way(write: Write) -> None:
    # No validation: `env` defaults to prod, and any other value takes the other branch.
    text = ('variable "env" {\n  default = "prod"\n}\n'
            + distribution(meta="", protocol='var.env != "prod" ? "https-only" : "http-only"'))
    found = pk101(scan([module(write, text)]))
    assert [f.scenario for f in found] == ['when var.env is not "prod"']


def test_through_locals_and_impossible_combinations(write: Write) -> None:
    text = ENV + """
locals {
  is_prod  = var.env == "prod"
  not_prod = !local.is_prod
  protocol = local.is_prod && local.not_prod ? "https-only" : "http-only"
}
""" + distribution(meta="", protocol="local.protocol")
    assert pk101(scan([module(write, text)])) == []


def test_validation_values_used_directly_are_each_judged(write: Write) -> None:
    text = """
variable "protocol" {
  type    = string
  default = "http-only"
  validation {
    condition     = contains(["http-only", "https-only"], var.protocol)
    error_message = "http-only or https-only"
  }
}
""" + distribution(meta="", protocol="var.protocol")
    found = pk101(scan([module(write, text)]))
    assert [f.scenario for f in found] == ["when var.protocol=https-only"]


def test_resources_around_the_distribution_follow_the_scenario(write: Write) -> None:
    # The load balancer is internal only in prod: PK108 holds there, not at the default.
    text = ENV + """
resource "aws_lb" "app" {
  internal = var.env == "prod"
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"
}
""" + distribution(meta="", protocol='"http-only"').replace(
        'domain_name = "www.s3-website-us-east-1.amazonaws.com"', "domain_name = aws_lb.app.dns_name")
    found = [f for f in scan([module(write, text)]).findings if f.policy_id == "PK108" and not f.unknown]
    assert [f.scenario for f in found] == ["when var.env=prod"]
