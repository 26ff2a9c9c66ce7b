"""CloudFormation templates into the model (policykit/cfn/build.py): the CloudFront-like resources it does not read
are said (PK010), never passed over."""

from __future__ import annotations

from policykit.api import scan
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template

STREAMING = """\
  Rtmp:
    Type: AWS::CloudFront::StreamingDistribution
    Properties:
      StreamingDistributionConfig:
        Enabled: true
        Comment: media
        S3Origin: {DomainName: media.s3.amazonaws.com, OriginAccessIdentity: ""}
        TrustedSigners: {Enabled: false}
  Lightsail:
    Type: AWS::Lightsail::Distribution
    Properties:
      DistributionName: site
      BundleId: small_1_0
      Origin: {Name: site-instance, ProtocolPolicy: https-only}
      DefaultCacheBehavior: {Behavior: cache}
"""


def test_cloudfront_like_resources_not_read_are_said(write: Write) -> None:
    result = scan([write("t.yaml", cfn_template(STREAMING + cfn_distribution()))])
    notes = {f.resource: f for f in result.findings if f.policy_id == "PK010"}
    assert set(notes) == {"Rtmp", "Lightsail"}
    assert notes["Rtmp"].severity.value == "info" and notes["Rtmp"].location.line == 3
    assert "AWS::CloudFront::StreamingDistribution" in notes["Rtmp"].message
    assert "not checked" in notes["Lightsail"].message
    assert sum(result.distributions.values()) == 1  # the distribution beside them is read


def test_a_template_with_only_an_unread_distribution_is_not_silent(write: Write) -> None:
    result = scan([write("t.yaml", cfn_template(STREAMING))])
    assert [f.policy_id for f in result.findings] == ["PK010", "PK010"] and not result.errors


def test_resources_read_with_their_distribution_are_not_pk010(write: Write) -> None:
    text = cfn_template(cfn_distribution() + """\
  Group:
    Type: AWS::CloudFront::ConnectionGroup
    Properties: {Name: group, Enabled: true}
  Origin:
    Type: AWS::CloudFront::VpcOrigin
    Properties:
      VpcOriginEndpointConfig: {Name: app, Arn: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1"}
""")
    assert "PK010" not in {f.policy_id for f in scan([write("t.yaml", text)]).findings}
