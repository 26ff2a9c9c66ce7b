"""PK006: a key written twice is a warning at the second key, naming the first one's line; the last value is used."""

from __future__ import annotations

import json
from pathlib import Path

from policykit.api import ScanOptions, scan
from policykit.core.nodes import Mark
from policykit.source.dupkeys import DuplicateKey
from policykit.source.json_loader import load_json
from policykit.source.yaml_loader import load_yaml
from policykit.terraform.hcl import parse_hcl
from tests.helpers import Write

TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
            CustomOriginConfig:
              OriginProtocolPolicy: http-only
        DefaultCacheBehavior: {TargetOriginId: app, ViewerProtocolPolicy: redirect-to-https}
"""


def test_yaml_loader_records_duplicates_and_keeps_the_last_value() -> None:
    found: list[DuplicateKey] = []
    root = load_yaml("a: 1\nb: 2\na: 3\n", "x.yaml", found)
    assert root["a"] == 3
    assert found == [DuplicateKey("a", Mark(1, 1), Mark(3, 1))]
    assert load_yaml("a: 1\na: 2\n", "x.yaml")["a"] == 2  # without a list: same value, nothing recorded


def test_json_loader_records_duplicates_and_keeps_the_last_value() -> None:
    found: list[DuplicateKey] = []
    root = load_json('{"a": 1,\n "b": {"c": 1, "c": 2},\n "a": 3}', "x.json", found)
    assert root["a"] == 3 and root["b"]["c"] == 2
    assert [(d.key, d.first.line, d.second.line) for d in found] == [("c", 2, 2), ("a", 1, 3)]


def test_cloudformation_yaml_duplicate_is_a_warning_at_the_second_key(write: Write) -> None:
    path = write("dup.yaml", TEMPLATE)
    result = scan([path], ScanOptions())
    assert not result.errors
    (finding,) = [f for f in result.findings if f.policy_id == "PK006"]
    assert finding.severity.value == "warning"
    assert (finding.location.line, finding.location.column) == (13, 13)
    assert "first at line 11" in finding.message and "CloudFormation deploys the last one" in finding.message
    # the value used is the last one: http-only, so PK206 (plain HTTP to the origin) fires
    assert any(f.policy_id == "PK206" and not f.unknown for f in result.findings)


def test_cloudformation_json_duplicate(write: Write) -> None:
    text = ('{"AWSTemplateFormatVersion": "2010-09-09",\n"Resources": {"B": {"Type": "AWS::S3::Bucket"},\n'
            '"B": {"Type": "AWS::S3::Bucket"}}}\n')
    result = scan([write("dup.json", text)], ScanOptions())
    assert not result.errors
    (finding,) = [f for f in result.findings if f.policy_id == "PK006"]
    assert finding.location.line == 3 and "first at line 2" in finding.message


def test_tfvars_json_plan_json_and_tf_json_duplicates(write: Write) -> None:
    module = write("mod/main.tf", 'variable "x" {}\n')
    write("mod/terraform.tfvars.json", '{"x": "a",\n "x": "b"}\n')
    result = scan([module.parent], ScanOptions())
    assert not result.errors
    (finding,) = [f for f in result.findings if f.policy_id == "PK006"]
    assert finding.location.file.endswith("terraform.tfvars.json") and finding.location.line == 2
    assert "Terraform uses the last one" in finding.message

    tf_json = write("j/main.tf.json", '{"resource": {"aws_s3_bucket": {"b": {"bucket": "x",\n"bucket": "y"}}}}\n')
    result = scan([tf_json], ScanOptions())
    assert [f.location.line for f in result.findings if f.policy_id == "PK006"] == [2]

    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {}}}
    text = json.dumps(plan)[:-1] + ',\n"terraform_version": "1.9.1"}'
    result = scan([write("plan.json", text)], ScanOptions())
    assert not result.errors
    assert [f.location.line for f in result.findings if f.policy_id == "PK006"] == [2]


def test_hcl_argument_set_twice_in_a_tf_and_a_tfvars_file(write: Write) -> None:
    """python-hcl2 keeps the last; Terraform 0.12+ refuses the file ("Attribute redefined"): a PK006 warning
    at the second, in any block and at the top of a .tfvars file, and the last value is what is read."""
    main = write("h/main.tf", """\
variable "env" {}
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    domain_name = "first.example.com"
    domain_name = "second.example.com"
    origin_id   = "o"
  }
  default_cache_behavior {
    target_origin_id       = "o"
    viewer_protocol_policy = "redirect-to-https"
  }
}
""")
    write("h/terraform.tfvars", 'env = "a"\nenv = "b"\n')
    result = scan([main.parent], ScanOptions())
    assert not result.errors
    found = sorted((Path(f.location.file).name, f.location.line, f.location.column, f.message)
                   for f in result.findings if f.policy_id == "PK006")
    assert found == [
        ("main.tf", 6, 5, "'domain_name' is set twice (first at line 5): Terraform refuses an argument set twice "
                          "(\"Attribute redefined\"); policykit reads the last one"),
        ("terraform.tfvars", 2, 1, "'env' is set twice (first at line 1): Terraform refuses an argument set twice "
                                   "(\"Attribute redefined\"); policykit reads the last one"),
    ]
    [_, cdn] = parse_hcl(main.read_text("utf-8"), str(main))
    assert cdn.body["origin"][0]["domain_name"] == "second.example.com"  # the last one is read
