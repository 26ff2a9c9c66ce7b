"""YAML to marked nodes (policykit/source/yaml_loader.py): every value keeps its 1-based line and column, short
tags become the long form; aliases and size are bounded, each case the minimal input that once crashed, hung or
was refused wrongly."""

from __future__ import annotations

import pytest

from policykit.core.errors import InputError
from policykit.core.limits import applied
from policykit.core.nodes import Mark, MDict, MList
from policykit.source.yaml_loader import load_yaml
from tests.helpers import RunCli, Write
from tests.source.helpers import one_error_beside_a_broken_example
from tests.templates import CFN_HEAD, cfn_distribution

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


def test_yaml_errors_have_positions() -> None:
    with pytest.raises(InputError) as caught:
        load_yaml("a: [1, 2\nb: 3\n", "t.yaml")
    assert caught.value.line == 2
    assert str(caught.value).startswith("t.yaml:2:")


def test_yaml_only_first_document() -> None:
    assert load_yaml("a: 1\n---\nb: 2\n", "t.yaml") == {"a": 1}


def test_alias_to_a_long_string_repeated_is_bounded_by_bytes(run_cli: RunCli, write: Write) -> None:
    # 300 aliases to one 100 KB string: 300 values, but 30 MB of text (31 s before the bound)
    refs = ", ".join(["*big"] * 300)
    path = write("alias-bytes.yaml", CFN_HEAD + f"Metadata:\n  Big: &big {'a' * 100_000}\nResources:\n"
                 "  D:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n"
                 "        Origins:\n          - Id: o\n"
                 f"            DomainName: !Join ['', [{refs}]]\n")
    error = one_error_beside_a_broken_example(run_cli, path)
    assert "aliases repeat more than 4,194,304 characters of text: the alias_chars limit" in str(error["message"])
    assert error["line"] == 11


def test_node_bound_counts_each_value_once() -> None:
    # [[[[1]]]] has 5 values; counting each once per ancestor made it 15
    with applied({"document_values": 5}):
        assert load_yaml("[[[[1]]]]\n", "f.yaml") == [[[[1]]]]
        with pytest.raises(InputError, match="YAML document has more than 5 values"):
            load_yaml("[[[[1, 2]]]]\n", "f.yaml")
        # through an alias the count is of what the alias expands to
        with pytest.raises(InputError, match="YAML aliases expand to more than 5 values"):
            load_yaml("a: &a [1, 2]\nb: *a\n", "f.yaml")


def test_a_large_template_without_aliases_is_not_refused() -> None:
    # 1,600 distributions: 313,611 nodes were counted as more than 2,000,000 alias values
    text = CFN_HEAD + "Resources:\n" + "".join(cfn_distribution(f"D{i}", f"origin{i}.example.com", origin_id="web")
                                           for i in range(1600))
    root = load_yaml(text, "big.yaml")
    assert len(root["Resources"]) == 1600
