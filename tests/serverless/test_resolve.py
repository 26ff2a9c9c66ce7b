"""Variables resolved as the framework does, as far as the files say (policykit/serverless/resolve.py), and the
bounds that keep a hostile service from costing more than the document limits."""

from __future__ import annotations

import time

import pytest

from policykit import api
from policykit.core.nodes import MDict
from policykit.core.values import Unknown
from policykit.serverless.includes import Includes
from policykit.serverless.resolve import Variables
from policykit.serverless.values import Inputs, Param, Pieces, to_cloudformation
from policykit.source.yaml_loader import load_yaml
from tests.helpers import Write


def resolved(text: str, file: str = "serverless.yml") -> tuple[MDict, Inputs]:
    root = load_yaml(text, file)
    assert isinstance(root, MDict)
    inputs = Inputs()
    value = Variables(root, file, inputs, Includes(file)).resolve(root)
    assert isinstance(value, MDict)
    return value, inputs


def custom(text: str) -> MDict:
    value = resolved("service: shop\nprovider: {name: aws}\ncustom:\n" + text)[0]["custom"]
    assert isinstance(value, MDict)
    return value


def test_a_variable_alone_keeps_its_type_and_inside_text_is_text() -> None:
    values = custom("  port: 8443\n  flag: true\n  origin: {DomainName: a.example.com}\n"
                    "  a: ${self:custom.port}\n  b: x-${self:custom.port}-${self:custom.flag}\n"
                    "  c: ${self:custom.origin}\n  d: ${self:custom.origin.DomainName}\n")
    assert (values["a"], values["b"], values["d"]) == (8443, "x-8443-true", "a.example.com")
    assert values["c"] == {"DomainName": "a.example.com"}


def test_stage_is_the_option_then_the_provider_stage_then_dev() -> None:
    for provider, default in (("{name: aws}", "dev"), ("{name: aws, stage: qa}", "qa"),
                              ("{name: aws, stage: \"${opt:stage, 'test'}\"}", "test")):
        config, inputs = resolved(f"service: s\nprovider: {provider}\ncustom:\n  s: ${{sls:stage}}\n")
        assert config["custom"]["s"] == Pieces((Param("opt:stage", default),))
        assert inputs.defaults == {"opt:stage": default}


def test_fallbacks_are_tried_in_order() -> None:
    values = custom("  here: x\n  a: ${self:custom.nothing, self:custom.here}\n"
                    "  b: ${env:A, env:B, 'z'}\n  c: ${self:custom.nothing, 'y'}\n  d: ${env:C, self:custom.here}\n")
    assert values["a"] == "x"
    assert values["b"] == Pieces((Param("env:A", "z"),))
    assert values["c"] == "y"
    assert values["d"] == Pieces((Param("env:C", "x"),))


def test_a_variable_inside_a_variable() -> None:
    values = custom("  domains: {dev: dev.example.com, prod: example.com}\n"
                    "  a: ${self:custom.domains.${opt:stage, 'dev'}}\n  b: ${ssm:/app/${sls:stage}/host}\n")
    # a value that depends on an input: an input of its own, its default the default scenario's value
    assert values["a"] == Pieces((Param("self:custom.domains.<opt:stage>", "dev.example.com"),))
    assert values["b"] == Pieces((Param("ssm:/app/<opt:stage>/host", None),))


def test_str_to_bool() -> None:
    values = custom("  a: ${strToBool(true)}\n  b: ${strToBool(0)}\n  c: ${strToBool(maybe)}\n")
    assert (values["a"], values["b"]) == (True, False)
    assert isinstance(values["c"], Unknown)


def test_the_same_input_with_another_fallback_is_another_input() -> None:
    _, inputs = resolved("service: s\nprovider: {name: aws}\ncustom:\n  a: ${opt:x, 'one'}\n  b: ${opt:x, 'two'}\n")
    assert inputs.defaults == {"opt:x": "one", "opt:x, 'two'": "two"}


def test_inside_a_sub_the_framework_substitutes_and_cloudformation_keeps_its_own() -> None:
    values = custom("  a: !Sub 'arn:${AWS::Partition}:s3:::${self:service}-${opt:stage}/${Bucket}'\n")
    assert to_cloudformation(values["a"]) == {"Fn::Sub": ["arn:${AWS::Partition}:s3:::shop-${opt:stage}/${Bucket}", {}]}


def test_text_with_an_unknown_piece_is_a_join_for_cloudformation() -> None:
    values = custom("  a: ${env:HOST}.${self:service}.example.com\n")
    assert to_cloudformation(values["a"]) == {"Fn::Join": ["", [{"Ref": "env:HOST"}, ".shop.example.com"]]}


def _ref(name: str, quoted: bool = False) -> str:
    reference = "${self:custom." + name + "}"
    return f'"{reference}"' if quoted else reference


def _fan_out() -> str:
    """Each level refers ten times to the one before: 10^8 values once expanded."""
    return "".join(f"  l{i}: [" + ", ".join([_ref(f"l{i - 1}", quoted=True)] * 10) + "]\n" for i in range(1, 9))


def _doubling() -> str:
    """Each level doubles a string: 2^30 characters."""
    return "".join(f"  s{i}: {_ref(f's{i - 1}')}{_ref(f's{i - 1}')}\n" for i in range(1, 31))


def _chain() -> str:
    """References that refer on and on."""
    return "".join(f"  c{i}: {_ref(f'c{i + 1}')}\n" for i in range(300))


@pytest.mark.parametrize(("body", "limit"), [(_fan_out(), "document_values"), (_doubling(), "cfn_string_chars"),
                                             (_chain(), "deeper than 128 levels")])
def test_hostile_variables_stop_at_a_bound(write: Write, body: str, limit: str) -> None:
    text = "service: s\nprovider: {name: aws}\ncustom:\n  l0: [a]\n  s0: aaaaaaaaaa\n" + body + """\
resources:
  Resources:
    Site:
      Type: AWS::CloudFront::Distribution
      Properties:
        DistributionConfig:
          Comment: ${self:custom}
          Aliases: ["${self:custom.l8}", "${self:custom.s30}", "${self:custom.c0}"]
"""
    path = write("serverless.yml", text)
    started = time.monotonic()
    result = api.scan([path])
    assert time.monotonic() - started < 20
    assert len(result.errors) == 1 and limit in result.errors[0].message, result.errors
    assert result.errors[0].file == str(path) and result.errors[0].line > 0
