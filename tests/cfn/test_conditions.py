"""CloudFormation conditions (policykit/cfn/conditions.py): Fn::Equals, Fn::And, Fn::Or, Fn::Not and Condition
decided under Kleene's logic, a condition over a value only known at deployment staying unknown."""

from __future__ import annotations

import pytest

from policykit.api import scan
from policykit.cfn.conditions import Decided
from policykit.cfn.intrinsics import Resolver
from policykit.cfn.template import Template
from policykit.core.truth import Truth
from policykit.core.values import Unknown
from policykit.scenarios import Other
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


def _template(text: str, params: dict[str, str] | None = None) -> Template:
    return Template("t.yaml", load_yaml(PARAMETERS + text + "Resources: {}\n", "t.yaml"), params or {})


SHARED = "  IsProd: !Equals [!Ref Env, prod]\n  C: !Condition IsProd\n"


def test_a_condition_is_decided_once_per_values_of_its_roots_and_shared() -> None:
    template = _template(SHARED)
    decided = Decided(template, Resolver)
    assert Resolver(template, choices={"Env": "prod"}, decided=decided).condition("IsProd") is True
    assert decided.values == {("IsProd", "prod"): True}
    assert decided.value("IsProd", {"Env": "dev"}) is False and decided.values[("IsProd", "dev")] is False
    assert decided.value("C", {"Env": "prod"}) is True  # its own roots' values, and the condition it uses
    assert decided.values[("C", "prod")] is True and decided.roots["C"] == ("Env",)
    decided.values[("IsProd", "prod")] = False  # another resolver reads what one decided
    assert Resolver(template, choices={"Env": "prod"}, decided=decided).condition("IsProd") is False
    assert isinstance(decided.value(5, {}), Unknown)  # type: ignore[arg-type]
    fresh = Decided(template, Resolver)
    assert fresh.value("C", {"Env": "dev"}) is False
    assert fresh.values == {("C", "dev"): False, ("IsProd", "dev"): False}  # what C used is shared too


def test_a_scenario_that_fixes_a_condition_does_not_read_or_write_the_shared_decisions() -> None:
    template = _template(SHARED)
    decided = Decided(template, Resolver)
    assert decided.value("C", {"Env": "prod"}) is True
    fixed = Resolver(template, scenario={"IsProd": False}, choices={"Env": "prod"}, decided=decided)
    assert fixed.condition("C") is False and fixed.condition("IsProd") is False
    assert decided.values[("C", "prod")] is True


def test_a_parameter_given_any_other_value_is_unequal_only_to_its_excluded_literals() -> None:
    def under(condition: str, choice: Other) -> object:
        return Resolver(_template(f"  C: {condition}\n"), choices={"Env": choice}).condition("C")

    assert under("!Equals [!Ref Env, prod]", Other(("prod",))) is False
    assert under("!Equals [prod, !Ref Env]", Other(("prod",))) is False
    assert under("!Equals [!Ref Env, dev]", Other(("prod",))) == Unknown(
        'Fn::Equals compares a parameter that is not "prod" with dev')
    assert under("!Equals [!Ref Env, '']", Other(("prod",))) == Unknown(
        'Fn::Equals compares a parameter that is not "prod" with a value')
    assert under("!Equals [!Ref Env, true]", Other(("true",))) is False  # a boolean as CloudFormation's text
    assert under("!Not [!Equals [!Ref Env, prod]]", Other(("prod",))) is True
    assert under("!Equals [{Ref: Env, Other: x}, prod]", Other(("prod",))) is False  # not a Ref: resolved


def test_what_is_not_a_condition_function_is_unknown_saying_so() -> None:
    not_one = Unknown("a condition that is not one condition function")
    assert decide("[!Equals [a, a]]") == not_one and decide("[!Equals [a, a], !Equals [b, b]]") == not_one
    assert decide("{'Fn::Equals': [a, a], 'Fn::Not': [x]}") == not_one
    assert decide("{'Fn::Foo': [!Equals [a, a]]}") == Unknown("Fn::Foo is not a condition function policykit evaluates")
    assert decide("!Not [!Equals [a, a], !Equals [b, b]]") == Unknown(
        "Fn::Not is not a condition function policykit evaluates")
    assert decide("!Equals [!Ref Flag, true]") is True and decide("!Equals [!Ref Flag, 'True']") is False


def test_a_condition_that_uses_itself_or_a_too_long_chain_is_an_input_error() -> None:
    from policykit.cfn.conditions import MAX_CHAIN
    from policykit.core.errors import InputError

    template = _template("  A: !Condition B\n  B: !Condition A\n")
    with pytest.raises(InputError) as caught:
        Resolver(template).condition("A")
    assert (caught.value.file, caught.value.line, caught.value.column) == ("t.yaml", 8, 6)  # the definition
    assert caught.value.message == ("condition A uses itself (condition A -> condition B -> condition A): "
                                    "CloudFormation rejects circular definitions")

    def chain(length: int) -> Template:
        links = "".join(f"  C{i}: !Condition C{i + 1}\n" for i in range(length - 1))
        return _template(links + f"  C{length - 1}: !Equals [a, a]\n")

    assert Resolver(chain(MAX_CHAIN)).condition("C0") is True
    with pytest.raises(InputError) as caught:
        Resolver(chain(MAX_CHAIN + 1)).condition("C0")
    assert (caught.value.line, caught.value.column) == (8 + MAX_CHAIN, 3 + len(f"C{MAX_CHAIN}: "))
    assert caught.value.message == (f"condition C{MAX_CHAIN} is reached through more than {MAX_CHAIN} definitions "
                                    "that use one another (policykit's bound; from condition C0)")
