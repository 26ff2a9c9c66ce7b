"""The scope of a Terraform module (policykit/terraform/scope.py): variables from defaults, var files and the command
line, providers' Regions, names declared twice; a definition that uses itself is an error naming the cycle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit.core.values import Partial, Unknown
from policykit.facts.origins import endpoint_kind
from tests.helpers import RunCli, Write
from tests.templates import TF_COMMENTED, tf_default_behavior, tf_distribution, tf_origin
from tests.terraform.helpers import ids, models, one_input_error, only_distribution


def test_variables_from_defaults_var_files_and_command_line(write: Write, tmp_path: Path) -> None:
    main = write("m/main.tf", 'variable "policy" {\n  default = "http-only"\n}\n'
                 'variable "domain" {}\n'
                 'locals {\n  host = "${var.domain}.s3-website-us-east-1.amazonaws.com"\n}\n'
                 + tf_distribution(tf_origin("local.host", "var.policy") + tf_default_behavior()))
    dist = only_distribution(main.parent)
    assert dist.origins[0].protocol_policy == "http-only"
    assert isinstance(dist.origins[0].domain_name, Partial)
    assert endpoint_kind(dist.origins[0]) == "s3-website"
    assert "PK101" not in ids(main.parent)
    assert "PK101" in ids(main.parent, tf_vars={"policy": "https-only"})
    var_file = write("prod.tfvars", 'policy = "https-only"\ndomain = "site"\n')
    dist = only_distribution(main.parent, tf_var_files=(var_file,))
    assert dist.origins[0].domain_name == "site.s3-website-us-east-1.amazonaws.com"
    json_file = write("prod.tfvars.json", json.dumps({"policy": "match-viewer"}))
    assert only_distribution(main.parent, tf_var_files=(json_file,)).origins[0].protocol_policy == "match-viewer"
    write("m/terraform.tfvars", 'policy = "https-only"\n')
    assert only_distribution(main.parent).origins[0].protocol_policy == "https-only"
    assert only_distribution(main.parent, tf_vars={"policy": "http-only"}).origins[0].protocol_policy == "http-only"


def test_names_declared_twice_are_unknown_not_guessed(write: Write) -> None:
    """Unrelated files in one directory (test data, copies) must not lend each other values."""
    write("m/a.tf", 'locals {\n  origin = "a"\n}\n')
    write("m/b.tf", 'locals {\n  origin = "b"\n}\n')
    main = write("m/main.tf", tf_distribution(tf_origin('"origin.example.com"', origin_id="a")
                                          + tf_default_behavior("local.origin")))
    dist = only_distribution(main.parent)
    assert isinstance(dist.default_behavior.target_origin_id, Unknown)  # type: ignore[union-attr]
    assert "PK501" not in ids(main.parent)


def test_provider_region_of_certificate_and_function(write: Write) -> None:
    main = write("m/main.tf", """
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}
resource "aws_acm_certificate" "edge" {
  provider    = aws.us_east_1
  domain_name = "www.example.com"
}
resource "aws_lambda_function" "regional" {
  runtime = "nodejs20.x"
}
""")
    model = models(main.parent)[0]
    assert model.resources["aws_acm_certificate.edge"].region == "us-east-1"
    assert model.resources["aws_lambda_function.regional"].region == "eu-west-1"


def test_a_data_source_referring_to_itself_is_a_cycle_named_in_the_error(write: Write, run_cli: RunCli) -> None:
    main = write("m/main.tf", """
data "aws_cloudfront_cache_policy" "p" {
  name = data.aws_cloudfront_cache_policy.p.id
}
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  default_cache_behavior {
    cache_policy_id = data.aws_cloudfront_cache_policy.p.id
  }
}
""")
    policy = "data.aws_cloudfront_cache_policy.p"
    one_input_error(run_cli, main.parent, "cycle", f"{policy} -> {policy}")


@pytest.mark.parametrize("text, named", [
    ('locals {\n  a = local.b\n  b = local.a\n}\n', "local.a -> local.b -> local.a"),
    ('variable "v" {\n  default = var.v\n}\n', "var.v -> var.v"),
])
def test_cycles_of_locals_and_variables_are_named(write: Write, run_cli: RunCli, text: str, named: str) -> None:
    main = write("m/main.tf", text + TF_COMMENTED.format(comment="local.a" if "local" in text else "var.v"))
    assert named in one_input_error(run_cli, main.parent, "cycle")
