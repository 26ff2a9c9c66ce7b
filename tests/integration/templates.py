"""Small templates the integration tests write into temporary directories."""

from __future__ import annotations

# PK101 fires on line 16 (OriginProtocolPolicy: https-only towards an S3 website endpoint).
BROKEN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SiteBucket:
    Type: AWS::S3::Bucket
    Properties:
      WebsiteConfiguration:
        IndexDocument: index.html
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: site
            DomainName: !Select [1, !Split ["//", !GetAtt SiteBucket.WebsiteURL]]
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""

FIXED = BROKEN.replace("OriginProtocolPolicy: https-only", "OriginProtocolPolicy: http-only")

BROKEN_LINE = 17


def with_resource_metadata(text: str, metadata: str) -> str:
    """Inserts `Metadata:` (indented YAML lines) into the Distribution resource."""
    return text.replace("    Type: AWS::CloudFront::Distribution\n",
                        "    Type: AWS::CloudFront::Distribution\n    Metadata:\n" + metadata)
