"""Inputs the tests write into temporary directories: CloudFormation and Terraform distributions, deployed
distribution JSON, a user policy.

The builders give the common shapes (cfn_template + cfn_distribution, cfn_with_origins, tf_distribution + tf_origin
+ tf_default_behavior, deployed_distribution); a test passes what it varies. The constants are inputs several
test modules share, some with the lines their tests assert (BROKEN_LINE). A template whose exact lines or columns
only one test asserts, or a regression's minimal input, stays beside that test.
"""

from __future__ import annotations

from typing import Any

# Managed policies.
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # cache policy
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # cache policy
ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # origin request policy: forwards Host


# -- CloudFormation -------------------------------------------------------------------------------------------------

CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\n'


def cfn_template(resources: str, parameters: str = "") -> str:
    """A template of `resources` (cfn_distribution and others, indented by two) and `parameters` (likewise)."""
    return CFN_HEAD + (f"Parameters:\n{parameters}" if parameters else "") + "Resources:\n" + resources


def cfn_distribution(name: str = "Distribution", domain: str = "origin.example.com", protocol: str = "https-only", *,
                     origin_id: str = "app", viewer_protocol: str = "redirect-to-https",
                     cache_policy: str | None = CACHING_OPTIMIZED, extra: str = "", config_extra: str = "",
                     origin_extra: str = "", custom_extra: str = "", behavior_extra: str = "") -> str:
    """One AWS::CloudFront::Distribution resource with one custom origin, indented to sit under `Resources:`.

    More of it, each piece whole lines ending in a newline: `extra`, attributes before Properties (Condition,
    Metadata; indented by four); `config_extra`, more of DistributionConfig (Aliases, ViewerCertificate; by eight);
    `origin_extra`, more of the origin (OriginCustomHeaders; by twelve); `custom_extra`, more of its
    CustomOriginConfig (by fourteen); `behavior_extra`, more of the default cache behavior (by ten)."""
    cache = f"          CachePolicyId: {cache_policy}\n" if cache_policy else ""
    return (f"  {name}:\n    Type: AWS::CloudFront::Distribution\n{extra}    Properties:\n      DistributionConfig:\n"
            f"        Enabled: true\n{config_extra}        Origins:\n          - Id: {origin_id}\n"
            f"            DomainName: {domain}\n{origin_extra}            CustomOriginConfig:\n"
            f"              OriginProtocolPolicy: {protocol}\n{custom_extra}        DefaultCacheBehavior:\n"
            f"          TargetOriginId: {origin_id}\n          ViewerProtocolPolicy: {viewer_protocol}\n"
            f"{cache}{behavior_extra}")


def cfn_with_origins(origins: list[dict[str, Any]], aliases: tuple[str, ...] = (), forward_host: bool = False,
                     paths: tuple[tuple[str, str], ...] = ()) -> str:
    """A CloudFormation template with one distribution of custom origins, each a dict: id, domain, port, and
    optionally protocols, policy, path (YAML text, quoted as needed), read_timeout; the default behavior targets
    the first, `paths` adds (pattern, origin id) behaviors; `forward_host` forwards Host (ALL_VIEWER)."""
    lines = ["Resources:", "  Cdn:", "    Type: AWS::CloudFront::Distribution", "    Properties:",
             "      DistributionConfig:", "        Enabled: true"]
    if aliases:
        lines.append("        Aliases:")
        lines += [f"          - {a}" for a in aliases]
    lines.append("        Origins:")
    for origin in origins:
        lines += [f"          - Id: {origin['id']}", f"            DomainName: {origin['domain']}"]
        if "path" in origin:
            lines.append(f"            OriginPath: {origin['path']}")
        lines += ["            CustomOriginConfig:",
                  f"              OriginProtocolPolicy: {origin.get('policy', 'https-only')}"]
        port_key = "HTTPPort" if origin.get("policy") == "http-only" else "HTTPSPort"
        lines.append(f"              {port_key}: {origin['port']}")
        if origin.get("protocols"):
            lines.append(f"              OriginSSLProtocols: [{', '.join(origin['protocols'])}]")
        if origin.get("read_timeout"):
            lines.append(f"              OriginReadTimeout: {origin['read_timeout']}")
    policy = f"\n          OriginRequestPolicyId: {ALL_VIEWER}" if forward_host else ""
    nested = policy.replace("\n" + " " * 10, "\n" + " " * 12)
    lines.append(f"        DefaultCacheBehavior:\n          TargetOriginId: {origins[0]['id']}\n"
                 f"          ViewerProtocolPolicy: redirect-to-https\n"
                 f"          CachePolicyId: {CACHING_DISABLED}{policy}")
    if paths:
        lines.append("        CacheBehaviors:")
        for pattern, target in paths:
            lines.append(f"          - PathPattern: {pattern}\n            TargetOriginId: {target}\n"
                         f"            ViewerProtocolPolicy: https-only\n"
                         f"            CachePolicyId: {CACHING_DISABLED}{nested}")
    return "\n".join(lines) + "\n"


def cfn_with_ten_choices(domain: str, config_extra: str = "") -> str:
    """A distribution whose origin sends ten headers, each a parameter of two allowed values: 1,024 deploy-time
    combinations, past the default scenarios limit (a PK009 note)."""
    parameters = "".join(f"  P{i}: {{Type: String, Default: a, AllowedValues: [a, b]}}\n" for i in range(10))
    headers = "".join(f"              - {{HeaderName: X-{i}, HeaderValue: !Ref P{i}}}\n" for i in range(10))
    return cfn_template(cfn_distribution("Site", domain, origin_id="web", cache_policy=None, config_extra=config_extra,
                                         origin_extra="            OriginCustomHeaders:\n" + headers), parameters)


# PK101 fires on line BROKEN_LINE (OriginProtocolPolicy: https-only towards an S3 website endpoint); FIXED is clean.
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

# A second origin for BROKEN, to the same S3 website over HTTPS: one more PK101.
SECOND_S3_ORIGIN = """\
          - Id: second
            DomainName: !Select [1, !Split ["//", !GetAtt SiteBucket.WebsiteURL]]
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
"""


def with_resource_metadata(text: str, metadata: str) -> str:
    """Inserts `Metadata:` (indented YAML lines) into the Distribution resource."""
    return text.replace("    Type: AWS::CloudFront::Distribution\n",
                        "    Type: AWS::CloudFront::Distribution\n    Metadata:\n" + metadata)


# PK501 (its message lists every origin id) and PK301 on the alias ALIAS, which the certificate does not cover;
# SITE is it with the alias shop.example.com, in a git repository (the site_repo fixture).
ALIASED_SITE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: www.example.com
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases: [ALIAS]
        ViewerCertificate:
          AcmCertificateArn: !Ref Cert
          SslSupportMethod: sni-only
        Origins:
          - Id: web
            DomainName: www.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior: {TargetOriginId: Web, ViewerProtocolPolicy: redirect-to-https}
"""
SITE = ALIASED_SITE.replace("ALIAS", "shop.example.com")
# An alias that would clear a terminal and forge a finding line if it were printed as it is.
FORGING_ALIAS = '"evil\\e[2J.example.com\\nforged.yaml:1:1: error PK999 forged"'
# One more origin for ALIASED_SITE (it changes PK501's message, not its fingerprint).
EXTRA_ORIGIN = """\
          - Id: extra
            DomainName: extra.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
"""

# Only a warning: PK306 (viewer protocol allow-all) on an otherwise clean distribution.
WARNING_ONLY = cfn_template(cfn_distribution(domain="www.example.com", origin_id="web", viewer_protocol="allow-all",
                                             cache_policy=None))


# -- Terraform ------------------------------------------------------------------------------------------------------

TF_DEFAULT_CERTIFICATE = "cloudfront_default_certificate = true"


def tf_distribution(body: str, *, name: str = "cdn", meta: str = "", certificate: str = TF_DEFAULT_CERTIFICATE) -> str:
    """An `aws_cloudfront_distribution` resource around `body` (its origins and behaviors: tf_origin,
    tf_default_behavior), with no geo restriction and `certificate` in its viewer_certificate block; `meta`
    (`count`, `for_each`, each line indented by two) comes first."""
    return f"""
resource "aws_cloudfront_distribution" "{name}" {{
{meta}  enabled = true
{body}
  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}
  viewer_certificate {{
    {certificate}
  }}
}}
"""


def tf_origin(domain: str, policy: str = '"https-only"', origin_id: str = "app", protocols: str = '"TLSv1.2"', *,
              extra: str = "", custom_extra: str = "") -> str:
    """An `origin` block of a custom origin; `domain`, `policy`, `protocols`: HCL expressions (quote a literal).
    `extra`: more of the origin (custom_header blocks; lines indented by four), `custom_extra`: more of its
    custom_origin_config (by six); each line ends in a newline."""
    return f"""
  origin {{
    origin_id   = "{origin_id}"
    domain_name = {domain}
{extra}    custom_origin_config {{
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = {policy}
      origin_ssl_protocols   = [{protocols}]
{custom_extra}    }}
  }}"""


def tf_default_behavior(target: str = '"app"', extra: str = "") -> str:
    """The `default_cache_behavior` block: to `target` (an HCL expression), GET and HEAD, redirect-to-https; `extra`:
    more arguments and blocks, each line indented by four and ending in a newline."""
    return f"""
  default_cache_behavior {{
    target_origin_id       = {target}
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
{extra}  }}"""


# PK101: HTTPS to an S3 website endpoint.
TF_WEBSITE_OVER_HTTPS = tf_distribution(tf_origin('"site.s3-website-us-east-1.amazonaws.com"') + tf_default_behavior())

# The same S3 website over HTTPS, with a resource before it; IGNORE is replaced by a suppression comment.
TF_MODULE = """\
resource "aws_s3_bucket" "site" {
  bucket = "my-site"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_cloudfront_distribution" "cdn" {
  IGNORE
  enabled = true
  origin {
    origin_id   = "site"
    domain_name = aws_s3_bucket_website_configuration.site.website_endpoint
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"
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
"""

# The smallest distribution whose comment is an expression under test (`{comment}`).
TF_COMMENTED = """
resource "aws_cloudfront_distribution" "cdn" {{
  enabled = true
  comment = {comment}
  origin {{
    origin_id   = "app"
    domain_name = "app.example.com"
  }}
}}
"""

# Terraform suppression comments: one on a resource with an expiry, one for the whole module.
TF_SUPPRESSED = """\
resource "aws_cloudfront_distribution" "cdn" {
  comment = "braces } in strings { do not count"
  # policykit:ignore PK101 website endpoint, fixed in the next release expires=2999-12-31
  origin {
    domain_name = "x"
  }
}

# policykit:ignore PK201 module-wide: internal ALB
resource "aws_lb" "api" {
  name = "api"
}
"""


# -- Deployed distributions (`aws cloudfront get-distribution-config`) ---------------------------------------------

def deployed_distribution(origins: list[dict[str, Any]], aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    """What `aws cloudfront get-distribution-config` prints for custom HTTPS origins (each an `id`, a `domain` and a
    `port`); with aliases the default behavior forwards Host (the managed AllViewer origin request policy)."""
    items = [{"Id": o["id"], "DomainName": o["domain"], "OriginPath": "", "CustomHeaders": {"Quantity": 0},
              "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": o["port"], "OriginProtocolPolicy": "https-only",
                                     "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}
             for o in origins]
    behavior = {"TargetOriginId": origins[0]["id"], "ViewerProtocolPolicy": "redirect-to-https",
                "AllowedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"],
                                   "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}},
                "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}
    if aliases:
        behavior["OriginRequestPolicyId"] = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # AllViewer: Host forwarded
    return {"ETag": "E1", "DistributionConfig": {
        "CallerReference": "t", "Enabled": True, "Aliases": {"Quantity": len(aliases), "Items": list(aliases)},
        "Origins": {"Quantity": len(items), "Items": items}, "DefaultCacheBehavior": behavior,
        "ViewerCertificate": {"CloudFrontDefaultCertificate": False, "SSLSupportMethod": "sni-only",
                              "ACMCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                              "MinimumProtocolVersion": "TLSv1.2_2021"}}}


# -- Policies -------------------------------------------------------------------------------------------------------

# A user policy: every custom origin is a warning.
WARNING_POLICY = """\
id: PK950
title: Custom origins are reviewed by the platform team
severity: warning
applies_to: origin
condition:
  fact: endpoint_kind
  equals: custom
at: domain_name
message: "{label} of {distribution.label} is a custom origin ({domain_name})."
"""


# -- A user's repository (tests/helpers.py user_repository) ---------------------------------------------------------

# The README's own policy: an origin read timeout above 30 s is a warning.
READ_TIMEOUT_POLICY = """\
id: ACME001
title: Origin read timeout above our 30 s limit
severity: warning
applies_to: origin
condition:
  fact: read_timeout
  gt: 30
at: read_timeout
message: "{label} of {distribution.label} waits {read_timeout} s for the origin: our limit is 30 s."
fix: Lower OriginReadTimeout to 30 or less.
"""

# An S3 website origin whose protocol is a parameter: PK101 with its default (https-only), clean with http-only.
WEB_WITH_PROTO = cfn_template(
    cfn_distribution(domain="site.s3-website-us-east-1.amazonaws.com", protocol="!Ref Proto", origin_id="site"),
    "  Proto: {Type: String, Default: https-only}\n")
# The policy's fail fixture: a broken template on purpose (ACME001, and PK101 too).
SLOW_FIXTURE = WEB_WITH_PROTO.replace("              OriginProtocolPolicy: !Ref Proto\n",
                                      "              OriginProtocolPolicy: !Ref Proto\n"
                                      "              OriginReadTimeout: 60  # expect: ACME001\n")
