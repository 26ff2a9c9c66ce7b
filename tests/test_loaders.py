"""Marked loaders: every value keeps its 1-based line and column, in YAML (short tags too) and JSON."""

from __future__ import annotations

import pytest

from policykit.core.errors import InputError
from policykit.core.nodes import Mark, MDict, MList, path_mark
from policykit.source.json_loader import load_json
from policykit.source.yaml_loader import load_yaml

YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Dist:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Aliases: [www.example.com, api.example.com]
        Origins:
          - Id: app
            DomainName: !GetAtt Alb.DNSName
            OriginPath: !Sub "/${Env}"
            CustomOriginConfig:
              HTTPSPort: 443
              OriginProtocolPolicy: !If [IsProd, https-only, http-only]
          - Id: other
            DomainName: !Ref OriginParam
            Enabled: yes
"""


def test_yaml_value_and_key_marks() -> None:
    root = load_yaml(YAML, "t.yaml")
    assert isinstance(root, MDict)
    assert root.key_marks["Resources"] == Mark(2, 1)
    assert root.value_marks["AWSTemplateFormatVersion"] == Mark(1, 27)
    config = root["Resources"]["Dist"]["Properties"]["DistributionConfig"]
    aliases = config["Aliases"]
    assert isinstance(aliases, MList)
    assert aliases.marks == [Mark(7, 19), Mark(7, 36)]
    origin = config["Origins"][0]
    assert config["Origins"].marks[0] == Mark(9, 13)
    assert origin.key_marks["DomainName"] == Mark(10, 13)
    assert origin.value_marks["DomainName"] == Mark(10, 25)
    assert origin["CustomOriginConfig"]["HTTPSPort"] == 443
    assert origin["CustomOriginConfig"].value_marks["HTTPSPort"] == Mark(13, 26)


def test_yaml_short_tags_become_long_form_with_marks() -> None:
    root = load_yaml(YAML, "t.yaml")
    origins = root["Resources"]["Dist"]["Properties"]["DistributionConfig"]["Origins"]
    getatt = origins[0]["DomainName"]
    assert getatt == {"Fn::GetAtt": ["Alb", "DNSName"]}
    assert getatt.mark == Mark(10, 25)
    assert getatt["Fn::GetAtt"].marks == [Mark(10, 25), Mark(10, 25)]
    assert origins[0]["OriginPath"] == {"Fn::Sub": "/${Env}"}
    fn_if = origins[0]["CustomOriginConfig"]["OriginProtocolPolicy"]
    assert fn_if == {"Fn::If": ["IsProd", "https-only", "http-only"]}
    assert fn_if.mark == Mark(14, 37)
    assert fn_if["Fn::If"].marks == [Mark(14, 42), Mark(14, 50), Mark(14, 62)]
    assert origins[1]["DomainName"] == {"Ref": "OriginParam"}
    assert origins[1]["Enabled"] is True  # YAML 1.1 booleans, as CloudFormation reads them


def test_yaml_scalar_types() -> None:
    root = load_yaml('a: 1\nb: 1.5\nc: "1"\nd: null\ne: ~\nf: 2010-09-09\ng: !Ref X\nh: !GetAtt [A, B]\n', "t.yaml")
    assert root == {"a": 1, "b": 1.5, "c": "1", "d": None, "e": None, "f": "2010-09-09", "g": {"Ref": "X"},
                    "h": {"Fn::GetAtt": ["A", "B"]}}
    assert root.value_marks["h"] == Mark(8, 4)


def test_yaml_condition_tag_and_nested_tags() -> None:
    root = load_yaml("a: !Condition IsProd\nb: !Select [0, !Split [',', !Ref L]]\n", "t.yaml")
    assert root["a"] == {"Condition": "IsProd"}
    assert root["b"] == {"Fn::Select": [0, {"Fn::Split": [",", {"Ref": "L"}]}]}
    assert root["b"]["Fn::Select"].marks[1] == Mark(2, 16)


def test_yaml_anchors_and_merge_values() -> None:
    root = load_yaml("a: &x {k: v}\nb: *x\n", "t.yaml")
    assert root["b"] == {"k": "v"}
    assert root.value_marks["b"] == Mark(2, 4)


def test_json_marks() -> None:
    text = '{\n  "Resources": {\n    "D": {"Type": "AWS::CloudFront::Distribution",\n' \
           '          "Properties": {"Ports": [80, 443], "Name": "a\\"b", "On": true, "N": null, "F": -1.5e2}}\n  }\n}'
    root = load_json(text, "t.json")
    resource = root["Resources"]["D"]
    assert root.key_marks["Resources"] == Mark(2, 3)
    assert root.value_marks["Resources"] == Mark(2, 16)
    assert resource.value_marks["Type"] == Mark(3, 19)
    props = resource["Properties"]
    assert props == {"Ports": [80, 443], "Name": 'a"b', "On": True, "N": None, "F": -150.0}
    assert props["Ports"].marks == [Mark(4, 36), Mark(4, 40)]
    assert props.value_marks["Name"] == Mark(4, 54)
    assert props.value_marks["F"] == Mark(4, 90)
    assert path_mark(root, ("Resources", "D", "Properties", "Ports", 1)) == Mark(4, 40)
    assert path_mark(root, ("Resources", "D", "Nope")) == Mark(3, 10)


def test_json_unicode_and_escapes_keep_columns() -> None:
    root = load_json('{"a": "caf\u00e9", "b": "\\u00e9x", "c": 1}', "t.json")
    assert root == {"a": "caf\u00e9", "b": "\u00e9x", "c": 1}
    assert root.value_marks["c"] == Mark(1, 36)  # columns count characters of the source, escapes included


@pytest.mark.parametrize(("text", "line", "column"), [
    ('{\n  "a": 1,\n  "b": }', 3, 8),
    ('{"a": 1}\n{"b": 2}', 2, 1),
    ("", 1, 1),
])
def test_json_errors_have_positions(text: str, line: int, column: int) -> None:
    with pytest.raises(InputError) as caught:
        load_json(text, "t.json")
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith(f"t.json:{line}:{column}: invalid JSON")


def test_yaml_errors_have_positions() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml("a: [1, 2\nb: 3\n", "t.yaml")
    assert caught.value.line == 2
    assert str(caught.value).startswith("t.yaml:2:")


def test_yaml_only_first_document() -> None:
    assert load_yaml("a: 1\n---\nb: 2\n", "t.yaml") == {"a": 1}
