"""The Resolver: intrinsic functions to values, Unknown or Partial; never an exception on user data."""

from __future__ import annotations

from typing import Any

import pytest

from policykit.cfn.intrinsics import NO_VALUE, Resolver
from policykit.cfn.shapes import attribute_value
from policykit.cfn.template import Template
from policykit.core.values import Partial, ResourceAttr, Unknown
from policykit.source.yaml_loader import load_yaml

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  WithDefault: {Type: String, Default: origin.example.com}
  NoDefault: {Type: String}
  Port: {Type: Number, Default: 8443}
  Names: {Type: CommaDelimitedList, Default: "a.example.com, b.example.com"}
  Env: {Type: String, Default: prod}
  Stage: {Type: String}
Mappings:
  Regions:
    us-east-1: {Domain: use1.example.com}
    prod: {Domain: prod.example.com}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [a, a]]
  Either: !Or [!Condition IsDev, !Equals [!Ref Stage, beta]]
  StageIsBeta: !Equals [!Ref Stage, beta]
  AnyStage: !Or [!Condition StageIsBeta, !Condition IsProd]
Resources:
  Alb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer}
  Bucket: {Type: AWS::S3::Bucket}
  Fn: {Type: AWS::Lambda::Function}
  SamFn: {Type: AWS::Serverless::Function}
"""


def resolver(params: dict[str, str] | None = None, scenario: dict[str, bool] | None = None) -> Resolver:
    return Resolver(Template("t.yaml", load_yaml(TEMPLATE, "t.yaml"), params or {}), scenario)


def value(expression: str, **kwargs: Any) -> Any:
    """Resolve a YAML expression written with short tags."""
    return resolver(**kwargs).resolve(load_yaml(f"v: {expression}\n", "e.yaml")["v"])


def test_ref_parameters() -> None:
    assert value("!Ref WithDefault") == "origin.example.com"
    unknown = value("!Ref NoDefault")
    assert isinstance(unknown, Unknown)
    assert "NoDefault has no default" in unknown.reason
    assert value("!Ref NoDefault", params={"NoDefault": "given.example.com"}) == "given.example.com"
    assert value("!Ref WithDefault", params={"WithDefault": "over.example.com"}) == "over.example.com"
    assert value("!Ref Port") == "8443"  # parameters are strings
    assert value("!Ref Names") == ["a.example.com", "b.example.com"]


def test_ref_pseudo_resources_and_novalue() -> None:
    region = value("!Ref AWS::Region")
    assert isinstance(region, Unknown) and "--param AWS::Region" in region.reason
    assert value("!Ref AWS::Region", params={"AWS::Region": "eu-west-1"}) == "eu-west-1"
    bucket = value("!Ref Bucket")
    assert isinstance(bucket, Unknown) and bucket.ref == ResourceAttr("Bucket")
    sam = value("!Ref SamFn.Version")
    assert isinstance(sam, Unknown) and sam.ref == ResourceAttr("SamFn", "Version")
    assert value("!Ref AWS::NoValue") is NO_VALUE
    assert isinstance(value("!Ref Nowhere"), Unknown)


def test_novalue_removes_keys_and_items() -> None:
    resolved = value("{A: 1, B: !Ref AWS::NoValue, C: [x, !Ref AWS::NoValue, y]}")
    assert resolved == {"A": 1, "C": ["x", "y"]}


def test_getatt_shapes() -> None:
    dns = value("!GetAtt Alb.DNSName")
    assert isinstance(dns, Partial)
    assert str(dns) == "${Alb}.elb.amazonaws.com"  # the unknown piece is named in messages
    assert dns.refs[0] == ResourceAttr("Alb", "DNSName")
    assert value("!GetAtt [Alb, DNSName]") == dns
    website = value("!GetAtt Bucket.WebsiteURL")
    assert isinstance(website, Partial) and str(website) == "http://${Bucket}.s3-website(-|.)${region}.amazonaws.com"
    arn = value("!GetAtt Fn.Arn")
    assert isinstance(arn, Unknown) and arn.ref == ResourceAttr("Fn", "Arn")
    assert isinstance(value("!GetAtt Missing.Arn"), Unknown)


def test_shapes_table_for_unknown_attribute() -> None:
    result = attribute_value("AWS::ElasticLoadBalancingV2::LoadBalancer", ResourceAttr("Alb", "CanonicalHostedZoneID"))
    assert isinstance(result, Unknown) and result.ref == ResourceAttr("Alb", "CanonicalHostedZoneID")


def test_sub() -> None:
    assert value('!Sub "www.${WithDefault}"') == "www.origin.example.com"
    assert value('!Sub ["${A}-${B}", {A: x, B: !Ref WithDefault}]') == "x-origin.example.com"
    assert value('!Sub "${!Literal}-${Env}"') == "${Literal}-prod"
    partial = value('!Sub "${Bucket}.s3-website-${AWS::Region}.amazonaws.com"')
    assert isinstance(partial, Partial)
    assert str(partial) == "${Bucket}.s3-website-${AWS::Region}.amazonaws.com"
    assert partial.pattern().fullmatch("b.s3-website-us-east-1.amazonaws.com")
    assert str(value('!Sub "${Alb.DNSName}"')) == "${Alb}.elb.amazonaws.com"
    assert isinstance(value("!Sub [1, 2]"), Unknown)


def test_join_select_split() -> None:
    assert value("!Join ['.', [www, !Ref WithDefault]]") == "www.origin.example.com"
    assert value("!Join ['', [a, 1, true]]") == "a1true"
    assert isinstance(value("!Join [',', !Ref NoDefault]"), Unknown)
    assert value("!Select [1, [a, b, c]]") == "b"
    assert value("!Select ['0', !Ref Names]") == "a.example.com"
    assert isinstance(value("!Select [5, [a]]"), Unknown)
    assert isinstance(value("!Select [0, !Ref NoDefault]"), Unknown)
    assert value("!Split [',', 'a,b']") == ["a", "b"]
    host = value("!Select [1, !Split ['//', !GetAtt Bucket.WebsiteURL]]")
    assert isinstance(host, Partial) and str(host) == "${Bucket}.s3-website(-|.)${region}.amazonaws.com"


def test_find_in_map() -> None:
    assert value("!FindInMap [Regions, us-east-1, Domain]") == "use1.example.com"
    assert value("!FindInMap [Regions, !Ref Env, Domain]") == "prod.example.com"
    assert isinstance(value("!FindInMap [Regions, !Ref AWS::Region, Domain]"), Unknown)
    assert isinstance(value("!FindInMap [Regions, nowhere, Domain]"), Unknown)


def test_conditions() -> None:
    r = resolver()
    assert r.condition("IsProd") is True
    assert r.condition("IsDev") is False
    assert r.condition("Both") is True
    either = r.condition("Either")  # IsDev false, Stage unknown: unknown, saying why
    assert isinstance(either, Unknown) and "Stage" in either.reason
    assert r.condition("AnyStage") is True  # Or: one true side decides
    assert isinstance(r.condition("StageIsBeta"), Unknown)
    missing = r.condition("Missing")
    assert isinstance(missing, Unknown) and missing.reason == "condition Missing is not defined in the template"
    assert resolver(params={"Stage": "beta"}).condition("Either") is True
    assert resolver(params={"Env": "dev"}).condition("IsDev") is True


def test_if() -> None:
    assert value("!If [IsProd, a, b]") == "a"
    assert value("!If [IsDev, a, b]") == "b"
    undecided = value("!If [StageIsBeta, a, b]")
    assert isinstance(undecided, Unknown) and "StageIsBeta" in undecided.reason
    assert value("!If [StageIsBeta, a, b]", scenario={"StageIsBeta": True}) == "a"
    assert value("!If [StageIsBeta, a, b]", scenario={"StageIsBeta": False}) == "b"
    assert value("{K: !If [IsDev, x, !Ref AWS::NoValue]}") == {}


@pytest.mark.parametrize("expression", [
    "!ImportValue shared-Domain",
    "!GetAZs ''",
    "!Cidr [10.0.0.0/16, 4, 8]",
    '"{{resolve:ssm:/app/domain}}"',
    '"{{resolve:secretsmanager:prod/db:SecretString:host}}"',
    "!Base64 abc",
])
def test_deploy_time_values_are_unknown(expression: str) -> None:
    assert isinstance(value(expression), Unknown)


@pytest.mark.parametrize("expression", [
    "!Select [a, [x]]",
    "!Select [0]",
    "!Join [',']",
    "!Join [[], [a]]",
    "!Split [',']",
    "!Split ['', abc]",
    "!FindInMap [Regions]",
    "!If [IsProd]",
    "!GetAtt [Alb]",
    "!Ref [a, b]",
    "!Sub [x, notamap]",
    "{Fn::Unheard: 1}",
])
def test_malformed_intrinsics_are_unknown_not_errors(expression: str) -> None:
    result = value(expression)
    assert isinstance(result, Unknown), result
    assert result.reason


def test_resolution_keeps_marks() -> None:
    r = resolver()
    node = load_yaml("v:\n  - a: !Ref WithDefault\n    b: [1, !Ref AWS::NoValue, 2]\n", "e.yaml")["v"]
    out = r.resolve(node)
    assert out.marks == node.marks
    assert out[0].value_marks["a"] == node[0].value_marks["a"]
    assert out[0]["b"].marks == [node[0]["b"].marks[0], node[0]["b"].marks[2]]


def test_messages_name_the_unknown_pieces() -> None:
    assert str(value('!Sub "${Stage}.${AWS::Region}.example.com"')) == "${Stage}.${AWS::Region}.example.com"
    website = value('!Select [2, !Split ["/", !GetAtt Bucket.WebsiteURL]]')
    assert str(website) == "${Bucket}.s3-website(-|.)${region}.amazonaws.com"


def test_a_shared_node_is_resolved_once_per_resolver() -> None:
    """40 levels that each hold the one below twice (as YAML aliases share a node) are 2^40 values written out,
    and 41 nodes: each is resolved once, memoised by identity."""
    from policykit.core.nodes import MDict, MList

    node = MDict()
    node.set("Ref", "WithDefault", node.mark, node.mark)
    for _ in range(40):
        pair = MList()
        pair.add(node, pair.mark)
        pair.add(node, pair.mark)
        node = pair
    r = resolver()
    calls: list[int] = []
    original = r._resolve_container

    def counted(item: Any) -> Any:
        calls.append(id(item))
        return original(item)

    r._resolve_container = counted  # type: ignore[method-assign]
    out = r.resolve(node)
    for _ in range(40):
        assert out[0] is out[1]
        out = out[0]
    assert out == "origin.example.com"
    assert len(calls) == len(set(calls)) == 41
