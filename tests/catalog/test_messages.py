"""Messages that must match what they quote: PK204 names the list it judges and says what is wrong with it,
in CloudFormation and Terraform."""

from __future__ import annotations

import pytest

from policykit.api import scan
from policykit.findings import Severity
from tests.helpers import Write

CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig: {{OriginProtocolPolicy: https-only, OriginSSLProtocols: [{protocols}]}}
        DefaultCacheBehavior: {{TargetOriginId: app, ViewerProtocolPolicy: redirect-to-https}}
"""

TF = """
resource "aws_cloudfront_distribution" "cdn" {{
  enabled = true
  origin {{
    origin_id   = "app"
    domain_name = "app.example.com"
    custom_origin_config {{
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = [{tf_protocols}]
    }}
  }}
  default_cache_behavior {{
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }}
  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}
  viewer_certificate {{
    cloudfront_default_certificate = true
  }}
}}
"""


@pytest.mark.parametrize(("protocols", "severity", "says", "never"), [
    (["TLSv1.2", "SSLv3"], Severity.WARNING, "the list has TLSv1.2", "without TLSv1.2"),
    (["TLSv1", "TLSv1.1"], Severity.ERROR, "without TLSv1.2 a modern origin refuses", "SSLv3"),
    (["SSLv3"], Severity.ERROR, "without TLSv1.2", "the list has TLSv1.2"),
])
@pytest.mark.parametrize("fmt", ["cfn", "tf"])
def test_pk204_message_matches_the_list(write: Write, fmt: str, protocols: list[str], severity: Severity,
                                        says: str, never: str) -> None:
    if fmt == "cfn":
        path = write("t.yaml", CFN.format(protocols=", ".join(protocols)))
    else:
        path = write("mod/main.tf", TF.format(tf_protocols=", ".join(f'"{p}"' for p in protocols))).parent
    found = [f for f in scan([path]).findings if f.policy_id == "PK204" and not f.unknown]
    assert len(found) == 1 and found[0].severity is severity
    assert ", ".join(protocols) in found[0].message
    assert says in found[0].message and never not in found[0].message
