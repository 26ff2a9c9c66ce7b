"""Deploy-time scenarios of a CloudFormation resource: one resolver per combination of its undecided conditions.

The builder (policykit/cfn/build.py) asks `scenarios` only; how they are enumerated lives here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from policykit.cfn.conditions import undecided_conditions
from policykit.cfn.intrinsics import Resolver

MAX_SCENARIO_CONDITIONS = 4  # 16 combinations; beyond that values stay unknown


@dataclass(frozen=True)
class Scenario:
    """One way the resource may be deployed; `label` says it in deploy terms ("" when nothing is assumed)."""

    label: str
    resolver: Resolver


def scenarios(base: Resolver, resource: dict[str, Any]) -> list[Scenario]:
    """The scenarios to build `resource` in: one, or one per combination of the conditions it depends on."""
    names = undecided_conditions(base, resource)
    if not names or len(names) > MAX_SCENARIO_CONDITIONS:
        return [Scenario("", base)]
    out = []
    for values in itertools.product((True, False), repeat=len(names)):
        assumed = dict(zip(names, values, strict=True))
        label = "when " + " and ".join(f"{n} is {str(v).lower()}" for n, v in assumed.items())
        out.append(Scenario(label, Resolver(base.template, assumed)))
    return out
