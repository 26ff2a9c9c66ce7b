"""Deploy-time choices (policykit/scenarios.py): the scenarios finite inputs make, past the bound one choice at a
time, and how a set of them is named."""

from __future__ import annotations

from policykit.scenarios import Input, Other, Scenario, describe, enumerate_scenarios


def test_describe_leaves_out_inputs_that_do_not_matter() -> None:
    every = enumerate_scenarios([Input("Env", ("dev", "prod")), Input("Tier", ("a", "b"))]).scenarios
    prod = [s for s in every if s.values()["Env"] == "prod"]
    assert describe(prod, every) == "when Env=prod"
    assert describe(every, every) == ""
    one = [Scenario((("Env", "prod"), ("Tier", "b")))]
    assert describe(one, every) == "when Env=prod and Tier=b"
    other = Scenario((("Origin", Other(("",))),))
    assert describe([other], [Scenario((("Origin", ""),)), other]) == 'when Origin is not ""'


def test_enumeration_past_the_bound_is_one_at_a_time() -> None:
    inputs = [Input(f"P{i}", ("a", "b", "c")) for i in range(6)]
    enumeration = enumerate_scenarios(inputs, bound=64)
    assert len(enumeration.scenarios) == 1 + 6 * 2
    assert enumeration.scenarios[0].values() == {f"P{i}": "a" for i in range(6)}
    assert enumeration.alone == inputs and enumeration.unknown == []
    small = enumerate_scenarios(inputs, bound=5)
    assert [i.name for i in small.alone] == ["P0", "P1"] and len(small.unknown) == 4
