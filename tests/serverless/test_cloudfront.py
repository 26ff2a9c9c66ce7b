"""The distribution the framework makes of `cloudFront` events (policykit/serverless/cloudfront.py), as its
compile/events/cloud-front.js does: origins from URLs or objects, behaviors, the function's numbered version."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit import api
from policykit.core.errors import InputError
from policykit.model.related import LambdaFunction
from tests.helpers import Write, line_of
from tests.serverless.helpers import distribution_of, resources_of

EDGE = """\
service: shop
provider:
  name: aws
  runtime: nodejs20.x
  memorySize: 2048
  environment: {TABLE: orders}
functions:
  rewrite:
    handler: edge/rewrite.handler
    events:
      - cloudFront:
          eventType: origin-request
          origin: s3://shop-assets.s3.amazonaws.com/files
"""


def test_an_event_makes_the_distribution_with_the_numbered_version(write: Write) -> None:
    path = write("serverless.yml", EDGE)
    site = distribution_of(path)
    [origin] = site.origins
    assert (origin.id, origin.domain_name, origin.origin_path, origin.config_type) == (
        "s3/shop-assets.s3.amazonaws.com/files", "shop-assets.s3.amazonaws.com", "/files", "s3")
    behavior = site.default_behavior
    assert behavior is not None and site.ordered_behaviors == []
    assert (behavior.target_origin_id, behavior.viewer_protocol_policy, behavior.cache_policy_id) == (
        origin.id, "allow-all", "658327ea-f89d-4fab-a63d-7e88639e58f6")
    [association] = behavior.lambda_associations
    assert (association.event_type, association.arn_source) == ("origin-request", "version")
    function = association.function
    assert isinstance(function, LambdaFunction)
    # the framework's Lambda@Edge defaults: 128 MB and 5 s, the provider's memory ignored, no environment
    assert (function.memory_size, function.timeout, function.runtime, function.has_environment) == (
        128, 5, "nodejs20.x", False)


def test_the_event_distribution_has_no_pk401_and_points_at_the_event(write: Write) -> None:
    path = write("serverless.yml", EDGE)
    result = api.scan([path])
    assert result.distributions == {str(path): 1}
    assert [f for f in result.findings if f.policy_id in ("PK401", "PK403", "PK404") and not f.unknown] == []
    pk306 = [f for f in result.findings if f.policy_id == "PK306"]  # the framework's default viewer policy
    assert [f.location.line for f in pk306] == [line_of(path, "- cloudFront:")]


def test_a_url_origin_is_reached_with_match_viewer(write: Write) -> None:
    path = write("serverless.yml", EDGE.replace("s3://shop-assets.s3.amazonaws.com/files",
                                                "https://shop-site.s3-website-us-east-1.amazonaws.com"))
    [origin] = distribution_of(path).origins
    assert (origin.id, origin.protocol_policy, origin.origin_path) == (
        "custom/shop-site.s3-website-us-east-1.amazonaws.com", "match-viewer", None)
    pk101 = [f for f in api.scan([path]).findings if f.policy_id == "PK101"]
    assert [f.location.line for f in pk101] == [line_of(path, "origin: https://")]


def test_events_share_origins_and_get_a_default_behavior(write: Write) -> None:
    path = write("serverless.yml", """\
service: shop
provider: {name: aws}
custom:
  api:
    DomainName: api.example.com
    CustomOriginConfig: {OriginProtocolPolicy: https-only}
functions:
  auth:
    handler: h.auth
    timeout: 3
    events:
      - cloudFront:
          eventType: viewer-request
          pathPattern: /api/*
          origin: ${self:custom.api}
          isDefaultOrigin: true
      - cloudFront:
          eventType: viewer-request
          pathPattern: /files/*
          origin: s3://assets.s3.amazonaws.com
  headers:
    handler: h.headers
    events:
      - cloudFront:
          eventType: viewer-response
          pathPattern: /api/*
          origin: ${self:custom.api}
          cachePolicy: {id: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad}
""")
    site = distribution_of(path)
    assert [o.id for o in site.origins] == ["custom/api.example.com", "s3/assets.s3.amazonaws.com"]
    default = site.default_behavior
    assert default is not None
    assert (default.path_pattern, default.target_origin_id, list(default.lambda_associations)) == (
        None, "custom/api.example.com", [])
    api_behavior, files = site.ordered_behaviors
    assert (api_behavior.path_pattern, files.path_pattern) == ("/api/*", "/files/*")
    assert [a.event_type for a in api_behavior.lambda_associations] == ["viewer-request", "viewer-response"]
    assert api_behavior.cache_policy_id == "658327ea-f89d-4fab-a63d-7e88639e58f6"  # the first event's stays
    assert api_behavior.lambda_associations[0].function.timeout == 3  # type: ignore[union-attr]


def test_a_named_cache_policy_is_declared(write: Write) -> None:
    path = write("serverless.yml", EDGE.replace("""provider:
  name: aws""", """provider:
  name: aws
  cloudFront:
    cachePolicies:
      byHost:
        DefaultTTL: 0
        MaxTTL: 0
        MinTTL: 0
        ParametersInCacheKeyAndForwardedToOrigin:
          EnableAcceptEncodingGzip: false
          CookiesConfig: {CookieBehavior: none}
          QueryStringsConfig: {QueryStringBehavior: none}
          HeadersConfig: {HeaderBehavior: whitelist, Headers: [Host]}""").replace(
        "          origin: s3://", "          cachePolicy: {name: byHost}\n          origin: s3://"))
    assert resources_of(path)["CloudFrontCachePolicyByHost"]["Type"] == "AWS::CloudFront::CachePolicy"
    behavior = distribution_of(path).default_behavior
    assert behavior is not None and behavior.cache_policy is not None
    assert behavior.cache_policy.headers.headers == ["Host"]


def test_the_resources_distribution_is_merged_over_the_event_one(write: Write) -> None:
    path = write("serverless.yml", EDGE + """\
resources:
  Resources:
    CloudFrontDistribution:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Aliases: [shop.example.com]
          DefaultCacheBehavior:
            ViewerProtocolPolicy: redirect-to-https
""")
    site = distribution_of(path)
    assert [a.name for a in site.aliases] == ["shop.example.com"]
    behavior = site.default_behavior
    assert behavior is not None
    assert (behavior.viewer_protocol_policy, behavior.lambda_associations[0].arn_source) == (
        "redirect-to-https", "version")
    result = api.scan([path])
    assert [f.location.line for f in result.findings if f.policy_id == "PK302"] == [
        line_of(path, "Aliases: [shop.example.com]")]


@pytest.mark.parametrize(("events", "why"), [
    ("""      - cloudFront: {eventType: viewer-request, pathPattern: /a/*, origin: "https://a.example.com"}
      - cloudFront: {eventType: viewer-request, pathPattern: /b/*, origin: "https://b.example.com"}
""", "more than one origin but no cloudFront event has isDefaultOrigin"),
    ("""      - cloudFront: {eventType: viewer-request, pathPattern: /a/*, isDefaultOrigin: true,
                     origin: "https://a.example.com"}
      - cloudFront: {eventType: viewer-response, pathPattern: /b/*, isDefaultOrigin: true,
                     origin: "https://b.example.com"}
""", "more than one cloudFront event has isDefaultOrigin"),
    ("""      - cloudFront: {eventType: viewer-request, origin: a.example.com}
""", "is not a URL"),
    ("""      - cloudFront: {eventType: viewer-request, origin: "https://a.example.com", cachePolicy: {name: nope}}
""", "cache policy 'nope'"),
])
def test_what_the_framework_refuses_is_an_input_error(write: Write, tmp_path: Path, events: str, why: str) -> None:
    path = write("serverless.yml", f"""\
service: shop
provider: {{name: aws}}
functions:
  edge:
    handler: h.handler
    events:
{events}""")
    result = api.scan([path])
    assert [(e.file, why in e.message, "Serverless Framework refuses" in e.message) for e in result.errors] == [
        (str(path), True, True)]
    assert result.errors[0].line >= line_of(path, "- cloudFront")
    with pytest.raises(InputError):
        distribution_of(path)


def test_a_partly_known_origin_url_keeps_its_known_pieces(write: Write) -> None:
    path = write("serverless.yml", EDGE.replace("s3://shop-assets.s3.amazonaws.com/files",
                                                "https://${opt:bucket}.s3-website-us-east-1.amazonaws.com/site"))
    [origin] = distribution_of(path).origins
    assert str(origin.domain_name) == "${opt:bucket}.s3-website-us-east-1.amazonaws.com"
    assert origin.origin_path == "/site"
    assert str(origin.id) == "custom/${opt:bucket}.s3-website-us-east-1.amazonaws.com/site"
    assert "PK101" in {f.policy_id for f in api.scan([path]).findings}  # an S3 website, whatever the bucket


def test_an_origin_object_with_an_intrinsic_domain_gets_the_framework_id(write: Write) -> None:
    path = write("serverless.yml", EDGE.replace("origin: s3://shop-assets.s3.amazonaws.com/files", """origin:
            DomainName: !GetAtt Assets.RegionalDomainName
            S3OriginConfig: {}""") + """\
resources:
  Resources:
    Assets: {Type: AWS::S3::Bucket}
""")
    [origin] = distribution_of(path).origins
    assert origin.id == "s3/FnGetAttAssetsRegionalDomainName"
    assert distribution_of(path).default_behavior.target_origin_id == origin.id  # type: ignore[union-attr]
