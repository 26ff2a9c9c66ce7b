"""CloudFormation conditions (policykit/cfn/conditions.py): Fn::Equals, Fn::And, Fn::Or, Fn::Not and Condition
decided under Kleene's logic, a condition over a value only known at deployment staying unknown."""

from __future__ import annotations

from policykit.api import scan
from policykit.cfn.intrinsics import Resolver
from policykit.cfn.template import Template
from policykit.core.truth import Truth
from policykit.core.values import Unknown
from policykit.source.yaml_loader import load_yaml
from tests.helpers import Write
from tests.templates import CFN_HEAD, cfn_distribution

PARAMETERS = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: prod}
  Stage: {Type: String}
  Port: {Type: Number, Default: 443}
  Flag: {Type: String, Default: "true"}
Conditions:
"""


def decide(condition: str, params: dict[str, str] | None = None, scenario: dict[str, bool] | None = None,
           more: str = "") -> Truth:
    """The condition `C: <condition>` (YAML with short tags) of a template with the parameters above."""
    text = PARAMETERS + f"  C: {condition}\n" + more + "Resources: {}\n"
    return Resolver(Template("t.yaml", load_yaml(text, "t.yaml"), params or {}), scenario).condition("C")


UNKNOWN = "!Equals [!ImportValue Shared, yes]"  # a value only known at deployment


def test_not_over_an_unknown_is_unknown_and_over_a_known_value_its_negation() -> None:
    assert isinstance(decide(f"!Not [{UNKNOWN}]"), Unknown)
    assert isinstance(decide("!Not [!Equals [!Ref Stage, beta]]"), Unknown)  # a parameter without a default
    assert decide("!Not [!Equals [!Ref Env, prod]]") is False
    assert decide("!Not [!Equals [!Ref Env, dev]]") is True
    assert decide("!Not [!Not [!Equals [!Ref Env, prod]]]") is True


def test_and_or_decide_by_any_known_member_wherever_the_unknown_stands() -> None:
    for members in (f"[{UNKNOWN}, !Equals [a, b]]", f"[!Equals [a, b], {UNKNOWN}]"):
        assert decide(f"!And {members}") is False
        assert isinstance(decide(f"!Or {members}"), Unknown)
    for members in (f"[{UNKNOWN}, !Equals [a, a]]", f"[!Equals [a, a], {UNKNOWN}]"):
        assert decide(f"!Or {members}") is True
        assert isinstance(decide(f"!And {members}"), Unknown)
    assert decide("!And [!Equals [a, a], !Equals [b, b]]") is True
    assert decide("!Or [!Equals [a, b], !Equals [b, c]]") is False


def test_equals_compares_what_cloudformation_sees() -> None:
    assert decide("!Equals [!Ref Port, 443]") is True  # a Number parameter is text; 443 is "443"
    assert decide("!Equals [!Ref Flag, true]") is True  # the YAML boolean is the text "true"
    assert decide("!Equals [!Ref Env, Prod]") is False
    assert decide("!Equals [!Ref Env, prod]", params={"Env": "dev"}) is False
    partly = decide("!Equals [!Sub '${Stage}-x', beta-x]")
    assert isinstance(partly, Unknown) and "partly known" in partly.reason
    unknown = decide("!Equals [!Ref Stage, beta]")
    assert isinstance(unknown, Unknown) and "Stage" in unknown.reason


def test_condition_references_scenarios_and_undefined_names() -> None:
    assert decide("!Condition IsProd", more="  IsProd: !Equals [!Ref Env, prod]\n") is True
    assert decide("!Condition IsProd", scenario={"IsProd": False}, more="  IsProd: !Equals [!Ref Env, prod]\n") \
        is False
    missing = decide("!Condition Nowhere")
    assert isinstance(missing, Unknown) and "Nowhere is not defined" in missing.reason
    assert isinstance(decide("!Equals [a]"), Unknown)  # not two values
    assert isinstance(decide("!Select [0, [a]]"), Unknown)  # not a condition function
    assert isinstance(decide("[!Equals [a, a], !Equals [b, b]]"), Unknown)  # not one condition function


def test_a_distribution_under_not_over_an_unknown_is_analysed(write: Write) -> None:
    # !Not over an import only known at deployment is unknown: the distribution may be deployed, so it is
    # analysed (not "never deployed") and its unversioned Lambda@Edge ARN is PK401.
    text = CFN_HEAD + """\
Conditions:
  Enabled: !Not [!Equals [!ImportValue FeatureFlag, "yes"]]
Resources:
  Fn: {Type: AWS::Lambda::Function}
""" + cfn_distribution("Site", extra="    Condition: Enabled\n", behavior_extra="""\
          LambdaFunctionAssociations:
            - EventType: origin-request
              LambdaFunctionARN: !GetAtt Fn.Arn
""")
    result = scan([write("t.yaml", text)])
    assert result.never_deployed == ()
    assert [f.policy_id for f in result.findings if f.policy_id == "PK401"] == ["PK401"]
