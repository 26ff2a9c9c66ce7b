"""The silvermine plugin's `lambdaAtEdge` associations (policykit/serverless/plugin.py)."""

from __future__ import annotations

import pytest

from policykit import api
from tests.helpers import Write, line_of
from tests.serverless.helpers import distribution_of

SERVICE = """\
service: site
provider:
  name: aws
  environment: {STAGE: dev}
plugins:
  - '@silvermine/serverless-plugin-cloudfront-lambda-edge'
functions:
  auth:
    handler: auth.handler
    memorySize: 128
    timeout: 5
    lambdaAtEdge:
      distribution: WebDistribution
      eventType: viewer-request
  headers:
    handler: headers.handler
    memorySize: 128
    timeout: 5
    lambdaAtEdge:
      - distribution: WebDistribution
        eventType: origin-response
        pathPattern: /api/*
resources:
  Resources:
    WebDistribution:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Enabled: true
          Origins:
            - Id: web
              DomainName: web.example.com
              CustomOriginConfig: {OriginProtocolPolicy: https-only}
          DefaultCacheBehavior: {TargetOriginId: web, ViewerProtocolPolicy: redirect-to-https}
          CacheBehaviors:
            - PathPattern: /api/*
              TargetOriginId: web
              ViewerProtocolPolicy: https-only
"""


def test_the_plugin_associates_the_numbered_version(write: Write) -> None:
    path = write("serverless.yml", SERVICE)
    web = distribution_of(path, "WebDistribution")
    assert web.default_behavior is not None
    [auth] = web.default_behavior.lambda_associations
    [headers] = web.ordered_behaviors[0].lambda_associations
    assert [(a.event_type, a.arn_source, a.include_body) for a in (auth, headers)] == [
        ("viewer-request", "version", False), ("origin-response", "version", False)]
    assert auth.function is not None and auth.function.has_environment is False  # the plugin removes it
    assert auth.loc.line == line_of(path, "distribution: WebDistribution")
    result = api.scan([path])
    assert [f for f in result.findings if f.policy_id.startswith("PK4") and not f.unknown] == []


def test_without_the_plugin_listed_nothing_is_associated(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace("  - '@silvermine/serverless-plugin-cloudfront-lambda-edge'\n",
                                                   "  - serverless-offline\n"))
    web = distribution_of(path, "WebDistribution")
    assert web.default_behavior is not None and list(web.default_behavior.lambda_associations) == []


def test_the_plugin_listed_under_modules_and_unscoped(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace(
        "  - '@silvermine/serverless-plugin-cloudfront-lambda-edge'\n",
        "  modules:\n    - serverless-plugin-cloudfront-lambda-edge\n"))
    web = distribution_of(path, "WebDistribution")
    assert web.default_behavior is not None and len(web.default_behavior.lambda_associations) == 1


def test_a_function_over_the_edge_quota_is_found(write: Write) -> None:
    path = write("serverless.yml", SERVICE.replace("    memorySize: 128\n    timeout: 5\n    lambdaAtEdge:\n"
                                                   "      distribution",
                                                   "    memorySize: 1024\n    lambdaAtEdge:\n      distribution"))
    result = api.scan([path])
    pk404 = sorted((f.location.line, f.subject) for f in result.findings if f.policy_id == "PK404")
    # 1024 MB, and the framework's default 6 s timeout (over viewer-request's 5 s), at the function
    assert [line for line, _ in pk404] == [line_of(path, "  auth:"), line_of(path, "memorySize: 1024")]


@pytest.mark.parametrize(("change", "why"), [
    (("distribution: WebDistribution\n      eventType: viewer", "distribution: Nope\n      eventType: viewer"),
     "names distribution 'Nope'"),
    (("pathPattern: /api/*\nresources", "pathPattern: /img/*\nresources"), "path pattern '/img/*'"),
    (("  auth:\n    handler: auth.handler\n", "  auth:\n    handler: auth.handler\n    versionFunction: false\n"),
     "is not versioned"),
])
def test_what_the_plugin_refuses_is_an_input_error(write: Write, change: tuple[str, str], why: str) -> None:
    old, new = change
    assert old in SERVICE
    path = write("serverless.yml", SERVICE.replace(old, new))
    result = api.scan([path])
    assert len(result.errors) == 1 and why in result.errors[0].message, result.errors
