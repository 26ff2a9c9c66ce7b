"""Cache behavior facts (policykit/facts/behaviors.py): which viewer headers reach the origin, by a managed or
declared policy or the legacy ForwardedValues, and which origin the behavior targets."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.behaviors import (
    assumed_target,
    forwarded_headers,
    forwards_host,
    target,
    target_assumed,
    target_exists,
    target_ids,
)
from policykit.model.cloudfront import CacheBehavior
from tests.facts.helpers import default_behavior
from tests.helpers import Write
from tests.templates import ALL_VIEWER, cfn_distribution, cfn_template

ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CORS_CUSTOM_ORIGIN = "59781a5b-3903-41f3-afcb-af62929ccde1"  # forwards Origin and the CORS request headers
BY_ORP = "          OriginRequestPolicyId: !Ref Orp\n"
POLICY = """\
  Orp:
    Type: AWS::CloudFront::OriginRequestPolicy
    Properties:
      OriginRequestPolicyConfig:
        Name: p
        HeadersConfig: {HeaderBehavior: BEHAVIOR, Headers: HEADERS}
        CookiesConfig: {CookieBehavior: none}
        QueryStringsConfig: {QueryStringBehavior: none}
"""


def _behavior(write: Write, behavior: str = "", resources: str = "", parameters: str = "") -> CacheBehavior:
    text = cfn_template(resources + cfn_distribution("Site", behavior_extra=behavior), parameters)
    return default_behavior(write(f"b{abs(hash(text))}.yaml", text))


@pytest.mark.parametrize(("behavior", "resources", "expected"), [
    (f"          OriginRequestPolicyId: {ALL_VIEWER}\n", "", True),
    (f"          OriginRequestPolicyId: {ALL_VIEWER_EXCEPT_HOST}\n", "", False),
    (f"          OriginRequestPolicyId: {CORS_CUSTOM_ORIGIN}\n", "", False),
    (BY_ORP, POLICY.replace("BEHAVIOR", "allExcept").replace("HEADERS", "[Host]"), False),
    (BY_ORP, POLICY.replace("BEHAVIOR", "allExcept").replace("HEADERS", "[Accept]"), True),
    (BY_ORP, POLICY.replace("BEHAVIOR", "whitelist").replace("HEADERS", "[host]"), True),
    (BY_ORP, POLICY.replace("BEHAVIOR", "none").replace("HEADERS", "[]"), False),
    ("          ForwardedValues: {QueryString: false, Headers: [Host]}\n", "", True),
    ("          ForwardedValues: {QueryString: false, Headers: ['*']}\n", "", True),
    ("          ForwardedValues: {QueryString: false, Headers: [Accept]}\n", "", False),
    ("", "", False),  # the cache policy alone (CachingOptimized) forwards no header
])
def test_forwards_host_by_every_kind_of_policy(write: Write, behavior: str, resources: str, expected: bool) -> None:
    assert forwards_host(_behavior(write, behavior, resources)) is expected


def test_forwards_host_is_unknown_when_a_policy_or_a_name_is_not_known(write: Write) -> None:
    assert isinstance(forwards_host(_behavior(
        write, "          OriginRequestPolicyId: 00000000-aaaa-bbbb-cccc-000000000000\n")), Unknown)
    assert isinstance(forwards_host(_behavior(
        write, "          OriginRequestPolicyId: !Ref Policy\n", parameters="  Policy: {Type: String}\n")), Unknown)
    assert isinstance(forwards_host(_behavior(
        write, "          ForwardedValues: {QueryString: false, Headers: [!Ref Header]}\n",
        parameters="  Header: {Type: String}\n")), Unknown)
    # a known name that decides wins over an unknown one
    assert forwards_host(_behavior(
        write, "          ForwardedValues: {QueryString: false, Headers: [!Ref Header, Host]}\n",
        parameters="  Header: {Type: String}\n")) is True


def test_forwarded_headers_names_what_reaches_the_origin(write: Write) -> None:
    assert forwarded_headers(_behavior(write, f"          OriginRequestPolicyId: {ALL_VIEWER}\n")) == [
        "host", "sec-websocket-key", "sec-websocket-version", "authorization", "origin"]
    assert forwarded_headers(_behavior(
        write, "          ForwardedValues: {QueryString: false, Headers: [Authorization, HOST]}\n")) == [
        "host", "authorization"]
    assert forwarded_headers(_behavior(write)) == []
    assert isinstance(forwarded_headers(_behavior(
        write, "          OriginRequestPolicyId: !Ref Policy\n", parameters="  Policy: {Type: String}\n")), Unknown)


def test_the_target_of_a_behavior(write: Write) -> None:
    found = _behavior(write)
    assert target(found).id == "app" and target_exists(found) is True  # type: ignore[union-attr]
    assert target_ids(found) == ["app"] and target_assumed(found) is False
    assert assumed_target(found) == ""
    text = cfn_template(cfn_distribution("Site").replace("TargetOriginId: app", "TargetOriginId: nowhere"))
    missing = default_behavior(write("missing.yaml", text))
    assert target(missing) is None and target_exists(missing) is False and assumed_target(missing) == ""


def test_a_target_not_known_before_deployment_is_the_only_origin_assumed(write: Write) -> None:
    text = cfn_template(cfn_distribution("Site").replace("TargetOriginId: app", "TargetOriginId: !Ref Target"),
                        "  Target: {Type: String}\n")
    found = default_behavior(write("assumed.yaml", text))
    assert target_assumed(found) is True
    chosen = target(found)
    assert chosen is not None and chosen.id == "app"
    assert assumed_target(found) == (
        "the TargetOriginId of the default cache behavior (${Target}) is not known before deployment; the distribution "
        f"has one origin, and CloudFront deploys it only if the behavior targets {chosen.label}, so that is what "
        "is checked")
