"""Facts of the functions behind Lambda@Edge associations (policykit/facts/associated_functions.py): the Region,
what Lambda@Edge refuses, the event's quotas, IncludeBody on a response event, and two functions on one event."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.associated_functions import (
    body_on_response_event,
    conflict_kind,
    event_conflict,
    event_limit,
    function_region,
    function_settings,
    in_us_east_1,
    over_event_limit,
    rejected_at_edge,
)
from policykit.model.cloudfront import Distribution, EdgeAssociation
from policykit.model.derived import FunctionSetting
from tests.facts.helpers import distribution
from tests.helpers import Write

ARN = "arn:aws:lambda:{region}:123456789012:function:edge:3"


def _dist(write: Write, function: str, associations: str, functions: str = "", parameters: str = "") -> Distribution:
    text = f"""\
{parameters and "Parameters:" + chr(10) + parameters}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {{Handler: i.h, Code: {{ZipFile: x}}, Role: r, {function}}}
  FnVersion:
    Type: AWS::Lambda::Version
    Properties: {{FunctionName: !Ref Fn}}
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - {{Id: app, DomainName: a.example.com, CustomOriginConfig: {{OriginProtocolPolicy: https-only}}}}
        DefaultCacheBehavior:
          TargetOriginId: app
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
          LambdaFunctionAssociations:
{associations}{functions}"""
    return distribution(write(f"f{abs(hash(text))}.yaml", text))


def _association(event: str, arn: str = "!Ref FnVersion", extra: str = "") -> str:
    return f"            - {{EventType: {event}, LambdaFunctionARN: {arn}{extra}}}\n"


def _settings(write: Write, function: str, event: str = "viewer-request") -> dict[str, FunctionSetting]:
    return {s.name: s for s in function_settings(_dist(write, function, _association(event)))}


def _associations(dist: Distribution) -> list[EdgeAssociation]:
    assert dist.default_behavior is not None
    return list(dist.default_behavior.lambda_associations)


@pytest.mark.parametrize(("function", "name", "rejected"), [
    ("Runtime: nodejs20.x, Environment: {Variables: {A: b}}", "Environment", True),
    ("Runtime: nodejs20.x", "Environment", False),
    ("Runtime: nodejs20.x, VpcConfig: {SubnetIds: [s], SecurityGroupIds: [g]}", "VpcConfig", True),
    ("Runtime: nodejs20.x, Layers: [arn:aws:lambda:us-east-1:1:layer:l:1]", "Layers", True),
    ("Runtime: nodejs20.x, DeadLetterConfig: {TargetArn: t}", "DeadLetterConfig", True),
    ("Runtime: nodejs20.x, Architectures: [arm64]", "Architectures", True),
    ("Runtime: nodejs20.x, Architectures: [x86_64]", "Architectures", False),
    ("Runtime: nodejs20.x, PackageType: Image", "PackageType", True),
    ("Runtime: nodejs20.x, EphemeralStorage: {Size: 1024}", "EphemeralStorage", True),
    ("Runtime: nodejs20.x, EphemeralStorage: {Size: 512}", "EphemeralStorage", False),
    ("Runtime: nodejs20.x", "Runtime", False), ("Runtime: python3.12", "Runtime", False),
    ("Runtime: java21", "Runtime", True),
    ("Runtime: nodejs20.x, MemorySize: 10240", "MemorySize", False),  # a quota by event, not a refusal
])
def test_what_lambda_at_edge_refuses(write: Write, function: str, name: str, rejected: bool) -> None:
    assert rejected_at_edge(_settings(write, function)[name]) is rejected


def test_a_property_not_known_is_unknown(write: Write) -> None:
    found = _settings(write, "Runtime: !Ref R", "viewer-request")
    assert isinstance(rejected_at_edge(found["Runtime"]), Unknown)


@pytest.mark.parametrize(("event", "memory", "timeout", "over_memory", "over_timeout"), [
    ("viewer-request", 128, 5, False, False),
    ("viewer-request", 129, 6, True, True),
    ("viewer-response", 256, 5, True, False),
    ("origin-request", 3008, 30, False, False),
    ("origin-response", 3008, 31, False, True),
])
def test_quotas_by_event(write: Write, event: str, memory: int, timeout: int, over_memory: bool,
                         over_timeout: bool) -> None:
    found = _settings(write, f"Runtime: nodejs20.x, MemorySize: {memory}, Timeout: {timeout}", event)
    assert over_event_limit(found["MemorySize"]) is over_memory
    assert over_event_limit(found["Timeout"]) is over_timeout
    assert over_event_limit(found["Runtime"]) is False
    viewer = event.startswith("viewer")
    assert event_limit(found["MemorySize"]) == (
        "128 MB for viewer events" if viewer else "the Lambda maximum for origin events")
    assert event_limit(found["Timeout"]) == (
        "5 seconds for viewer events" if viewer else "30 seconds for origin events")


def test_the_function_region(write: Write) -> None:
    by_arn = _associations(_dist(write, "Runtime: nodejs20.x", _association(
        "viewer-request", f"'{ARN.format(region='eu-west-1')}'")))[0]
    assert function_region(by_arn) == "eu-west-1" and in_us_east_1(by_arn) is False
    east = _associations(_dist(write, "Runtime: nodejs20.x", _association(
        "viewer-request", f"'{ARN.format(region='us-east-1')}'")))[0]
    assert in_us_east_1(east) is True
    unknown = _associations(_dist(write, "Runtime: nodejs20.x", _association("viewer-request", "!Ref Arn"),
                                  parameters="  Arn: {Type: String}\n"))[0]
    assert isinstance(function_region(unknown), Unknown) and isinstance(in_us_east_1(unknown), Unknown)


def test_include_body_on_a_response_event(write: Write) -> None:
    found = _associations(_dist(write, "Runtime: nodejs20.x",
                                _association("viewer-request", extra=", IncludeBody: true")
                                + _association("origin-response", extra=", IncludeBody: true")
                                + _association("origin-request")))
    assert [body_on_response_event(a) for a in found] == [False, True, False]


def test_two_functions_on_one_event(write: Write) -> None:
    twice = _associations(_dist(write, "Runtime: nodejs20.x", _association("viewer-request")
                                + _association("origin-request") + _association("viewer-request")))
    assert [event_conflict(a) for a in twice] == [False, False, True]
    assert conflict_kind(twice[2]) == "another Lambda@Edge association for the same event type"
    cff = ("          FunctionAssociations:\n"
           "            - {EventType: viewer-request, FunctionARN: arn:aws:cloudfront::1:function/f}\n")
    with_function = _associations(_dist(write, "Runtime: nodejs20.x", _association("viewer-request")
                                        + _association("origin-request"), cff))
    assert [event_conflict(a) for a in with_function] == [True, False]
    assert conflict_kind(with_function[0]) == "a CloudFront Function on the same viewer event"
    unknown = _associations(_dist(write, "Runtime: nodejs20.x", _association("!Ref Event")
                                  + _association("origin-request"), parameters="  Event: {Type: String}\n"))
    assert isinstance(event_conflict(unknown[0]), Unknown) and isinstance(event_conflict(unknown[1]), Unknown)
