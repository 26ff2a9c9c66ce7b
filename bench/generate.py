"""Generated inputs for the benchmarks: CloudFormation templates with N distributions, one distribution
with N origins and M behaviors, and a directory of Terraform modules.

Each distribution looks like a real one (an S3 website origin and a load-balancer origin, aliases, a
viewer certificate, ordered behaviors, a Lambda@Edge association), so the policies do real work.
"""

from __future__ import annotations

from pathlib import Path

HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'

_SHARED = """\
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internet-facing
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 443
      Protocol: HTTPS
      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
  EdgeVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: arn:aws:lambda:us-east-1:123456789012:function:edge
"""

_DISTRIBUTION = """\
  Site{i}:
    Type: AWS::S3::Bucket
    Properties:
      WebsiteConfiguration:
        IndexDocument: index.html
  Distribution{i}:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases: [www{i}.example.com, api{i}.example.com]
        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/c{i}
          SslSupportMethod: sni-only
          MinimumProtocolVersion: TLSv1.2_2021
        Origins:
          - Id: site
            DomainName: !Select [1, !Split ["//", !GetAtt Site{i}.WebsiteURL]]
            CustomOriginConfig:
              OriginProtocolPolicy: {site_policy}
          - Id: api
            DomainName: api{i}.example.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        DefaultCacheBehavior:
          TargetOriginId: site
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
        CacheBehaviors:
          - PathPattern: /api/*
            TargetOriginId: api
            ViewerProtocolPolicy: https-only
            CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad
            OriginRequestPolicyId: 216adef6-5c7f-47e4-b989-5492eafa07d3
            LambdaFunctionAssociations:
              - EventType: origin-request
                LambdaFunctionARN: !Ref EdgeVersion
"""


def cfn_distributions(count: int) -> str:
    """A template with `count` distributions; every tenth has an error (PK101: HTTPS to an S3 website)."""
    parts = [HEAD, _SHARED]
    for i in range(count):
        parts.append(_DISTRIBUTION.format(i=i, site_policy="https-only" if i % 10 == 0 else "http-only"))
    return "".join(parts)


def cfn_origins_behaviors(origins: int, behaviors: int) -> str:
    """One distribution with `origins` origins and `behaviors` ordered behaviors spread over them."""
    lines = [HEAD, "  Distribution:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n",
             "      DistributionConfig:\n        Enabled: true\n        Origins:\n"]
    for i in range(origins):
        lines.append(f"          - Id: o{i}\n            DomainName: origin{i}.example.com\n"
                     "            CustomOriginConfig: {OriginProtocolPolicy: https-only}\n")
    lines.append("        DefaultCacheBehavior:\n          TargetOriginId: o0\n"
                 "          ViewerProtocolPolicy: redirect-to-https\n"
                 "          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6\n        CacheBehaviors:\n")
    for i in range(behaviors):
        lines.append(f"          - PathPattern: /p{i}/*\n            TargetOriginId: o{i % origins}\n"
                     "            ViewerProtocolPolicy: https-only\n"
                     "            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6\n")
    return "".join(lines)


TERRAFORM_MODULE = """
variable "env" {{
  default = "env{index}"
}}

locals {{
  host = "${{var.env}}.example.com"
}}

resource "aws_s3_bucket" "site" {{
  bucket = "site-{index}"
}}

resource "aws_s3_bucket_website_configuration" "site" {{
  bucket = aws_s3_bucket.site.id
  index_document {{
    suffix = "index.html"
  }}
}}

resource "aws_acm_certificate" "viewer" {{
  domain_name               = local.host
  subject_alternative_names = ["www.${{local.host}}"]
}}

resource "aws_cloudfront_distribution" "cdn" {{
  enabled = true
  aliases = [local.host, "www.${{local.host}}"]
  origin {{
    origin_id   = "site"
    domain_name = aws_s3_bucket_website_configuration.site.website_endpoint
    custom_origin_config {{
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "{policy}"
      origin_ssl_protocols   = ["TLSv1.2"]
    }}
  }}
  default_cache_behavior {{
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
  }}
  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}
  viewer_certificate {{
    acm_certificate_arn      = aws_acm_certificate.viewer.arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }}
}}
"""


def terraform_modules(directory: Path, count: int) -> Path:
    """`count` module directories under `directory`, every tenth with an error (PK101)."""
    for index in range(count):
        module = directory / f"module{index:03d}"
        module.mkdir(parents=True, exist_ok=True)
        policy = "https-only" if index % 10 == 0 else "http-only"
        (module / "main.tf").write_text(TERRAFORM_MODULE.format(index=index, policy=policy), encoding="utf-8")
    return directory


_REALISTIC_HEAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    Default: prod
    AllowedValues: [prod]
  Zone:
    Type: String
    Default: example.com
Mappings:
  StageSettings:
    prod:
      Zone: example.com
      MinTls: TLSv1.2_2021
Resources:
"""

_REALISTIC = """\
  Certificate{i}:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: !Sub "app{i}.${{Zone}}"
      SubjectAlternativeNames:
        - !Sub "origin{i}.${{Zone}}"
      ValidationMethod: DNS
  LoadBalancer{i}:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Scheme: internet-facing
      Type: application
      Subnets: [subnet-0a{i}, subnet-0b{i}]
  Listener{i}:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref LoadBalancer{i}
      Port: 443
      Protocol: HTTPS
      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06
      Certificates:
        - CertificateArn: !Ref Certificate{i}
      DefaultActions:
        - Type: fixed-response
          FixedResponseConfig: {{StatusCode: "404"}}
  CachePolicy{i}:
    Type: AWS::CloudFront::CachePolicy
    Properties:
      CachePolicyConfig:
        Name: !Sub "app{i}-${{Stage}}"
        DefaultTTL: 60
        MaxTTL: 3600
        MinTTL: 0
        ParametersInCacheKeyAndForwardedToOrigin:
          EnableAcceptEncodingGzip: true
          CookiesConfig: {{CookieBehavior: none}}
          HeadersConfig: {{HeaderBehavior: none}}
          QueryStringsConfig: {{QueryStringBehavior: all}}
  OriginRequestPolicy{i}:
    Type: AWS::CloudFront::OriginRequestPolicy
    Properties:
      OriginRequestPolicyConfig:
        Name: !Sub "app{i}-${{Stage}}"
        CookiesConfig: {{CookieBehavior: all}}
        HeadersConfig:
          HeaderBehavior: whitelist
          Headers: [Accept, Authorization]
        QueryStringsConfig: {{QueryStringBehavior: all}}
  Distribution{i}:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases:
          - !Sub
            - "app{i}.${{Domain}}"
            - Domain: !FindInMap [StageSettings, !Ref Stage, Zone]
        ViewerCertificate:
          AcmCertificateArn: !Ref Certificate{i}
          SslSupportMethod: sni-only
          MinimumProtocolVersion: !FindInMap [StageSettings, !Ref Stage, MinTls]
        Origins:
          - Id: alb
            DomainName: {origin}
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
              OriginSSLProtocols: [TLSv1.2]
        DefaultCacheBehavior:
          TargetOriginId: alb
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: !Ref CachePolicy{i}
          OriginRequestPolicyId: !Ref OriginRequestPolicy{i}
"""


def cfn_realistic(count: int) -> str:
    """A template shaped like real stacks: each distribution with its certificate, load balancer, HTTPS listener,
    cache policy and origin request policy (6 resources), names from a mapping and `!Sub`. Every tenth distribution
    reaches its load balancer by the balancer's own name, which the listener's certificate does not cover (PK201)."""
    parts = [_REALISTIC_HEAD]
    for i in range(count):
        origin = f"!GetAtt LoadBalancer{i}.DNSName" if i % 10 == 0 else f'!Sub "origin{i}.${{Zone}}"'
        parts.append(_REALISTIC.format(i=i, origin=origin))
    return "".join(parts)
