"""What a behavior targets (policykit/facts/indexes.py): ids compared by the rule for partly known strings, and the
distribution's deploy validity (one origin: a behavior whose target is not known targets it)."""

from __future__ import annotations

from policykit.api import scan
from policykit.findings import ScanResult
from tests.helpers import Write
from tests.templates import cfn_template, tf_default_behavior, tf_distribution, tf_origin

S3_ORIGIN = """\
  origin {
    origin_id   = "${aws_s3_bucket.b.id}-origin"
    domain_name = aws_s3_bucket.b.bucket_regional_domain_name
    s3_origin_config {
      origin_access_identity = ""
    }
  }"""
BUCKET = '\nresource "aws_s3_bucket" "b" {\n  bucket_prefix = "site"\n}\n'


def decided(result: ScanResult, policy_id: str) -> list[str]:
    return [f.message for f in result.findings if f.policy_id == policy_id and not f.unknown]


def not_checked(result: ScanResult, policy_id: str) -> list[str]:
    return [f.message for f in result.findings if f.policy_id == policy_id and f.unknown]


def test_a_partly_known_origin_id_cannot_be_a_literal_it_does_not_end_like(write: Write) -> None:
    # `${bucket}-origin` ends in "-origin": the literal target can never be it, whatever the bucket is called
    module = BUCKET + tf_distribution(S3_ORIGIN + tf_default_behavior('"mybucket.s3.amazonaws.com"'))
    result = scan([write("tf/main.tf", module).parent])
    assert len(decided(result, "PK501")) == 1 and not not_checked(result, "PK501")


def test_a_literal_the_partly_known_id_may_spell_is_not_decided(write: Write) -> None:
    module = BUCKET + tf_distribution(
        S3_ORIGIN + tf_origin('"api.example.com"', origin_id="api") + tf_default_behavior('"assets-origin"'))
    result = scan([write("tf/main.tf", module).parent])
    assert not decided(result, "PK501") and not_checked(result, "PK501")


def test_cloudformation_partly_known_id_and_literal_target(write: Write) -> None:
    template = cfn_template("""\
  Bucket:
    Type: AWS::S3::Bucket
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: !Sub "${Bucket}-origin"
            DomainName: !GetAtt Bucket.RegionalDomainName
            S3OriginConfig: {}
        DefaultCacheBehavior: {TargetOriginId: mybucket.s3.amazonaws.com, ViewerProtocolPolicy: https-only}
""")
    assert len(decided(scan([write("t.yaml", template)]), "PK501")) == 1


BEANSTALK = """\
  Env:
    Type: AWS::ElasticBeanstalk::Environment
    Properties:
      ApplicationName: app
      SolutionStackName: "64bit Amazon Linux 2023 v6.1.0 running Node.js 20"
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: !Sub "${AWS::StackName}-${AWS::Region}-eb"
            DomainName: !GetAtt Env.EndpointURL
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior:
          TargetOriginId: TARGET
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""


def test_the_same_sub_over_pseudo_parameters_names_the_same_origin(write: Write) -> None:
    # the Beanstalk load balancer's own name over HTTPS: PK201 is decided once the behavior is known to reach it
    template = cfn_template(BEANSTALK.replace("TARGET", '!Sub "${AWS::StackName}-${AWS::Region}-eb"'))
    result = scan([write("t.yaml", template)])
    assert len(decided(result, "PK201")) == 1
    assert not any(f.evidence for f in result.findings if f.policy_id == "PK201")  # nothing was assumed


def test_one_origin_and_a_target_not_known_deploys_only_if_it_targets_it(write: Write) -> None:
    template = cfn_template(BEANSTALK.replace("TARGET", "!ImportValue shared-origin-id"))
    result = scan([write("t.yaml", template)])
    finding = next(f for f in result.findings if f.policy_id == "PK201" and not f.unknown)
    evidence = dict(finding.evidence)["assumed_target"]
    assert isinstance(evidence, list) and "deploys it only if the behavior targets origin" in evidence[0]
    assert "${ImportValue shared-origin-id}" in evidence[0]


def test_two_origins_and_a_target_not_known_stay_undecided(write: Write) -> None:
    template = cfn_template(BEANSTALK.replace("TARGET", "!ImportValue shared-origin-id").replace(
        "        DefaultCacheBehavior:", "          - {Id: other, DomainName: other.example.com, "
        "CustomOriginConfig: {OriginProtocolPolicy: https-only}}\n        DefaultCacheBehavior:"))
    result = scan([write("t.yaml", template)])
    assert not decided(result, "PK201") and not_checked(result, "PK201")


def test_two_imports_of_other_exports_are_not_the_same_value(write: Write) -> None:
    template = cfn_template(BEANSTALK.replace("TARGET", "!ImportValue other-export").replace(
        '!Sub "${AWS::StackName}-${AWS::Region}-eb"', "!ImportValue origin-export").replace(
        "        DefaultCacheBehavior:", "          - {Id: other, DomainName: other.example.com, "
        "CustomOriginConfig: {OriginProtocolPolicy: https-only}}\n        DefaultCacheBehavior:"))
    result = scan([write("t.yaml", template)])
    assert not decided(result, "PK501") and not decided(result, "PK201")


ALB = 'resource "aws_lb" "app" {\n  subnets = ["subnet-1", "subnet-2"]\n}\n'
STACK = 'variable "stack" {\n  type = string\n}\n'


def test_terraform_the_same_template_over_a_variable_names_the_same_origin(write: Write) -> None:
    module = ALB + STACK + tf_distribution(tf_origin("aws_lb.app.dns_name", origin_id="${var.stack}-alb")
                                           + tf_default_behavior('"${var.stack}-alb"'))
    result = scan([write("tf/main.tf", module).parent])
    assert len(decided(result, "PK201")) == 1 and not not_checked(result, "PK501")


def test_terraform_one_origin_and_a_target_not_known(write: Write) -> None:
    module = ALB + 'variable "target" {\n  type = string\n}\n' + tf_distribution(
        tf_origin("aws_lb.app.dns_name") + tf_default_behavior("var.target"))
    result = scan([write("tf/main.tf", module).parent])
    finding = next(f for f in result.findings if f.policy_id == "PK201" and not f.unknown)
    assert "${var.target}" in dict(finding.evidence)["assumed_target"][0]
