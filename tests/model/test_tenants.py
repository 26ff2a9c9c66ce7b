"""Multi-tenant distributions (policykit/model/tenants.py): `{{name}}` tenant parameters in origins, tenants' domains
and certificates, in CloudFormation, Terraform and deployed JSON."""

from __future__ import annotations

import json

from policykit.api import scan
from policykit.findings import ScanResult
from tests.helpers import Write

MULTI_TENANT = """\
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        ConnectionMode: tenant-only
        TenantConfig:
          ParameterDefinitions:
            - Name: origin_domain
              Definition: {StringSchema: {Required: DEFAULT_REQUIRED}}
        ViewerCertificate: {AcmCertificateArn: !Ref Wildcard, SslSupportMethod: sni-only}
        Origins:
          - Id: tenant-origin
            DomainName: "{{origin_domain}}"
            OriginPath: "/{{tenant_path}}"
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior:
          TargetOriginId: tenant-origin
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
  Wildcard:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: "*.saas.example.com"}
"""
TENANTS = """\
  Acme:
    Type: AWS::CloudFront::DistributionTenant
    Properties:
      DistributionId: !Ref Cdn
      Name: acme
      Domains: [acme.saas.example.com]
  Globex:
    Type: AWS::CloudFront::DistributionTenant
    Properties:
      DistributionId: !Ref Cdn
      Name: globex
      Domains: [www.globex.com, shop.globex.com]
      Customizations: {Certificate: {Arn: !Ref GlobexCertificate}}
  GlobexCertificate:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: www.globex.com}
  Initech:
    Type: AWS::CloudFront::DistributionTenant
    Properties:
      DistributionId: !Ref Cdn
      Name: initech
      Domains: [www.initech.com]
      ManagedCertificateRequest: {ValidationTokenHost: cloudfront}
  Umbrella:
    Type: AWS::CloudFront::DistributionTenant
    Properties:
      DistributionId: !Ref Cdn
      Name: umbrella
      Domains: [www.umbrella.com]
"""


def decided(result: ScanResult) -> list[tuple[str, str, str]]:
    return sorted((f.policy_id, f.subject, f.scenario) for f in result.findings
                  if not f.unknown and f.severity.value == "error")


def template(default: str = "") -> str:
    required = "true" if not default else f"false, DefaultValue: {json.dumps(default)}"
    return MULTI_TENANT.replace("DEFAULT_REQUIRED", required)


def test_a_tenant_parameter_in_the_origin_domain_is_no_bad_name(write: Write) -> None:
    result = scan([write("t.yaml", template())])
    assert decided(result) == [] and not result.errors
    assert sum(result.distributions.values()) == 1


def test_a_tenant_parameter_outside_a_multi_tenant_distribution_is_literal_text(write: Write) -> None:
    text = template().replace("        ConnectionMode: tenant-only\n", "")
    assert ("PK103", "origin 'tenant-origin'", "") in decided(scan([write("t.yaml", text)]))


def test_the_default_value_is_the_default_scenario(write: Write) -> None:
    # a tenant that does not set origin_domain gets the default: a URL, not a DNS name
    result = scan([write("t.yaml", template("https://origin.example.com"))])
    assert decided(result) == [("PK103", "origin 'tenant-origin'", "when {{origin_domain}}=https://origin.example.com")]
    good = scan([write("ok.yaml", template("origin.example.com"))])
    assert decided(good) == []


def test_tenant_domains_are_checked_against_their_certificate(write: Write) -> None:
    result = scan([write("t.yaml", template() + TENANTS)])
    # Globex's own certificate lacks shop.globex.com; Umbrella has none, so the distribution's *.saas.example.com
    # serves it; Acme is covered by it; Initech's certificate is CloudFront's (managed), not known here
    assert decided(result) == [("PK301", "domain 'shop.globex.com' of tenant Globex", ""),
                               ("PK301", "domain 'www.umbrella.com' of tenant Umbrella", "")]
    umbrella = next(f for f in result.findings if f.subject == "domain 'www.umbrella.com' of tenant Umbrella")
    assert "viewer certificate Wildcard" in umbrella.message and umbrella.resource == "Umbrella"
    assert umbrella.location.line == template().count("\n") + TENANTS.split("\n").index(
        "      Domains: [www.umbrella.com]") + 1


def test_a_multi_tenant_distribution_has_no_aliases_of_its_own(write: Write) -> None:
    # the default certificate with tenants: not PK302 (the tenants' domains are judged by PK301)
    text = (template() + TENANTS).replace("{AcmCertificateArn: !Ref Wildcard, SslSupportMethod: sni-only}",
                                          "{CloudFrontDefaultCertificate: true}")
    assert "PK302" not in {f.policy_id for f in scan([write("t.yaml", text)]).findings}


MULTITENANT_TF = """\
resource "aws_cloudfront_multitenant_distribution" "saas" {
  comment = "tenants"
  enabled = true
  origin {
    id          = "app"
    domain_name = "{{origin_domain}}"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = 60
    }
  }
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    allowed_methods {
      items          = ["GET", "HEAD"]
      cached_methods = ["GET", "HEAD"]
    }
  }
  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }
  viewer_certificate {
    acm_certificate_arn = "arn:aws:acm:us-east-1:111122223333:certificate/wildcard"
    ssl_support_method  = "sni-only"
  }
  tenant_config {
    parameter_definition {
      name = "origin_domain"
      definition {
        string_schema {
          required = true
        }
      }
    }
  }
}

resource "aws_cloudfront_distribution_tenant" "acme" {
  name            = "acme"
  distribution_id = aws_cloudfront_multitenant_distribution.saas.id
  domain {
    domain = "acme..example.com"
  }
}
"""


def test_terraform_multitenant_distribution_is_read(write: Write) -> None:
    result = scan([write("tf/main.tf", MULTITENANT_TF).parent])
    assert sum(result.distributions.values()) == 1
    found = decided(result)
    # the provider sends response_completion_timeout = 30 when it is not written: below the 60 s read timeout
    assert ("PK109", "ResponseCompletionTimeout of origin 'app'", "") in found
    assert ("PK307", "domain 'acme..example.com' of tenant aws_cloudfront_distribution_tenant.acme", "") in found
    assert "PK103" not in {f[0] for f in found}
    pk109 = next(f for f in result.findings if f.policy_id == "PK109" and "Completion" in f.subject)
    assert "30 (the AWS provider's default when it is not written)" in pk109.message


def test_terraform_multitenant_with_a_completion_timeout_written(write: Write) -> None:
    text = MULTITENANT_TF.replace('    domain_name = "{{origin_domain}}"\n',
                                  '    domain_name = "{{origin_domain}}"\n    response_completion_timeout = 90\n')
    assert "PK109" not in {f[0] for f in decided(scan([write("tf/main.tf", text).parent]))}


def test_deployed_multi_tenant_distribution(write: Write) -> None:
    config = {"ETag": "E1", "DistributionConfig": {
        "CallerReference": "x", "Comment": "", "Enabled": True, "ConnectionMode": "tenant-only",
        "TenantConfig": {"ParameterDefinitions": [
            {"Name": "origin_domain", "Definition": {"StringSchema": {"Required": True}}}]},
        "Origins": {"Quantity": 1, "Items": [{
            "Id": "app", "DomainName": "{{origin_domain}}", "OriginPath": "",
            "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only",
                                   "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "app", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"}}}
    result = scan([write("deployed.json", json.dumps(config, indent=1))])
    assert sum(result.distributions.values()) == 1 and decided(result) == []
