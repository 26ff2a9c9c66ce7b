"""Distribution integrity facts (policykit/facts/integrity.py): origin groups CloudFront accepts, duplicate origin
ids, custom headers it refuses to add, Origin Shield without its Region."""

from __future__ import annotations

from typing import Any

import pytest

from policykit.core.values import Unknown
from policykit.facts.integrity import (
    duplicate_id,
    group_problems,
    group_valid,
    header_refused,
    origin_shield_without_region,
)
from policykit.model.cloudfront import Distribution
from tests.facts.helpers import distribution, origin
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template


def _dist(write: Write, text: str) -> Distribution:
    return distribution(write(f"i{abs(hash(text))}.yaml", text))


def _grouped(write: Write, members: str = "[app, backup]", codes: str = "[502, 503]",
             methods: str = "[GET, HEAD]", parameters: str = "") -> Any:
    """A distribution of two origins and a group `group` the default behavior targets."""
    text = f"""\
{parameters and "Parameters:" + chr(10) + parameters}Resources:
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - {{Id: app, DomainName: a.example.com, CustomOriginConfig: {{OriginProtocolPolicy: https-only}}}}
          - {{Id: backup, DomainName: b.example.com, CustomOriginConfig: {{OriginProtocolPolicy: https-only}}}}
        OriginGroups:
          Quantity: 1
          Items:
            - Id: group
              FailoverCriteria: {{StatusCodes: {{Quantity: 2, Items: {codes}}}}}
              Members: {{Quantity: 2, Items: {_members(members)}}}
        DefaultCacheBehavior:
          TargetOriginId: group
          ViewerProtocolPolicy: redirect-to-https
          AllowedMethods: {methods}
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""
    (group,) = _dist(write, text).origin_groups
    return group


def _members(ids: str) -> str:
    return "[" + ", ".join(f"{{OriginId: {i.strip()}}}" for i in ids.strip("[]").split(",") if i.strip()) + "]"


def test_a_good_origin_group(write: Write) -> None:
    group = _grouped(write)
    assert group_problems(group) == [] and group_valid(group) is True


@pytest.mark.parametrize(("change", "problem"), [
    ({"members": "[app]"}, "it has 1 members instead of exactly two"),
    ({"members": "[app, backup, app]"}, "it has 3 members instead of exactly two"),
    ({"members": "[app, gone]"}, "member 'gone' is not an origin of the distribution"),
    ({"codes": "[502, 200]"}, "failover status code 200 is not one of 400, 403, 404, 416, 500, 502, 503, 504"),
    ({"methods": "[GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE]"},
     "the default cache behavior targets it and allows DELETE, PATCH, POST, PUT"),
])
def test_what_cloudfront_refuses_in_an_origin_group(write: Write, change: dict[str, str], problem: str) -> None:
    group = _grouped(write, **change)
    assert group_problems(group) == [problem] and group_valid(group) is False


def test_an_origin_group_not_known_enough(write: Write) -> None:
    code = _grouped(write, codes="[502, !Ref Code]", parameters="  Code: {Type: Number}\n")
    assert isinstance(group_problems(code), Unknown) and isinstance(group_valid(code), Unknown)
    member = _grouped(write, members="[app, !Ref Member]", parameters="  Member: {Type: String}\n")
    assert isinstance(group_valid(member), Unknown)
    # a problem that holds whatever the unknown is still decides
    both = _grouped(write, codes="[200, !Ref Code]", parameters="  Code: {Type: Number}\n")
    assert group_problems(both) == [
        "failover status code 200 is not one of 400, 403, 404, 416, 500, 502, 503, 504"]


def test_duplicate_origin_ids(write: Write) -> None:
    text = cfn_template(cfn_distribution("Site").replace(
        "        Origins:\n", "        Origins:\n          - {Id: app, DomainName: first.example.com, "
        "CustomOriginConfig: {OriginProtocolPolicy: https-only}}\n"))
    first, second = _dist(write, text).origins
    assert duplicate_id(first) is False and duplicate_id(second) is True
    assert duplicate_id(origin(write("one.yaml", cfn_template(cfn_distribution("Site"))))) is False


@pytest.mark.parametrize(("name", "refused"), [
    ("Host", True), ("cookie", True), ("X-Amz-Date", True), ("x-edge-location", True), (" Via ", True),
    ("X-Origin-Verify", False), ("X-Amzn-Trace", False), ("Authorization", False),
])
def test_custom_headers_cloudfront_refuses(write: Write, name: str, refused: bool) -> None:
    text = cfn_template(cfn_distribution("Site", origin_extra="            OriginCustomHeaders:\n"
                                         f"              - {{HeaderName: '{name}', HeaderValue: v}}\n"))
    (header,) = origin(write(f"h{abs(hash(name))}.yaml", text)).custom_headers
    assert header_refused(header) is refused


def test_origin_shield_needs_its_region(write: Write) -> None:
    def shield(config: str, parameters: str = "") -> object:
        text = cfn_template(cfn_distribution("Site", origin_extra=f"            OriginShield: {config}\n"), parameters)
        return origin_shield_without_region(origin(write(f"s{abs(hash(text))}.yaml", text)))

    assert shield("{Enabled: true}") is True
    assert shield("{Enabled: true, OriginShieldRegion: ''}") is True
    assert shield("{Enabled: true, OriginShieldRegion: us-east-1}") is False
    assert shield("{Enabled: false}") is False
    assert isinstance(shield("{Enabled: !Ref On}", "  On: {Type: String}\n"), Unknown)
    assert shield("{Enabled: !Ref On, OriginShieldRegion: us-east-1}", "  On: {Type: String}\n") is False
    assert origin_shield_without_region(origin(write("none.yaml", cfn_template(cfn_distribution("Site"))))) is False
