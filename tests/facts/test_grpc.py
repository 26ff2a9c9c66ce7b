"""gRPC behaviors (policykit/facts/grpc.py): decided only on what is known, through origin groups too."""

from __future__ import annotations

from policykit.api import scan
from policykit.core.values import Unknown
from policykit.facts.grpc import grpc_problems, grpc_works
from policykit.model.cloudfront import CacheBehavior
from tests.facts.helpers import default_behavior
from tests.helpers import Write
from tests.templates import CFN_HEAD

TEMPLATE = """\
Parameters:
  Version: {Type: String, Default: VERSION}
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        HttpVersion: !Ref Version
        Origins:
          - {Id: a, DomainName: a.example.com, CustomOriginConfig: {OriginProtocolPolicy: https-only}}
          - {Id: b, DomainName: b.example.com, CustomOriginConfig: {OriginProtocolPolicy: PROTOCOL}}
        OriginGroups:
          Quantity: 1
          Items:
            - Id: pair
              FailoverCriteria: {StatusCodes: {Quantity: 1, Items: [503]}}
              Members: {Quantity: 2, Items: [{OriginId: a}, {OriginId: b}]}
        DefaultCacheBehavior:
          TargetOriginId: pair
          ViewerProtocolPolicy: https-only
          AllowedMethods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
          GrpcConfig: {Enabled: true}
"""


def pk505(text: str, write: Write) -> list[str]:
    result = scan([write("t.yaml", CFN_HEAD + text)])
    assert not any(f.policy_id == "PK006" for f in result.findings)
    return [f.message for f in result.findings if f.policy_id == "PK505" and not f.unknown]


def test_an_origin_group_member_over_plain_http_breaks_grpc(write: Write) -> None:
    found = pk505(TEMPLATE.replace("VERSION", "http2").replace("PROTOCOL", "http-only"), write)
    assert len(found) == 1 and "origin 'b' is reached over plain HTTP" in found[0]


def test_nothing_missing_is_no_finding(write: Write) -> None:
    assert pk505(TEMPLATE.replace("VERSION", "http2and3").replace("PROTOCOL", "match-viewer"), write) == []


def test_an_http_version_only_known_at_deployment_decides_nothing(write: Write) -> None:
    text = TEMPLATE.replace("  Version: {Type: String, Default: VERSION}\n", "  Version: {Type: String}\n")
    assert pk505(text.replace("PROTOCOL", "https-only"), write) == []


# The facts themselves (grpc_problems, grpc_works) on one behavior, without the policy.
ALL_METHODS = "[GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]"


def _grpc_behavior(write: Write, version: str = "http2", protocol: str = "https-only", methods: str = ALL_METHODS,
                   grpc: str = "true") -> CacheBehavior:
    text = (TEMPLATE.replace("VERSION", version).replace("PROTOCOL", protocol)
            .replace(f"AllowedMethods: {ALL_METHODS}", f"AllowedMethods: {methods}")
            .replace("GrpcConfig: {Enabled: true}", f"GrpcConfig: {{Enabled: {grpc}}}"))
    return default_behavior(write(f"g{abs(hash(text))}.yaml", CFN_HEAD + text))


def test_grpc_facts_of_a_behavior(write: Write) -> None:
    good = _grpc_behavior(write)
    assert grpc_problems(good) == [] and grpc_works(good) is True
    assert grpc_works(_grpc_behavior(write, grpc="false")) is True  # not gRPC: nothing to check
    assert grpc_problems(_grpc_behavior(write, version="http1.1")) == [
        "the distribution's HttpVersion is http1.1 (gRPC needs http2 or http2and3)"]
    assert grpc_problems(_grpc_behavior(write, version="http2and3")) == []
    plain = _grpc_behavior(write, protocol="http-only")
    assert grpc_problems(plain) == ["origin 'b' is reached over plain HTTP (http-only; gRPC is HTTPS end to end)"]
    assert grpc_works(plain) is False
    assert grpc_problems(_grpc_behavior(write, methods="[GET, HEAD]")) == ["its AllowedMethods (GET HEAD) lack POST"]
    assert isinstance(grpc_works(_grpc_behavior(write, methods="!Ref Methods")), Unknown)
