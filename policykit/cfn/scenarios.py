"""Deploy-time scenarios of a CloudFormation resource: one resolver per different configuration.

The builder (policykit/cfn/build.py) asks `resource_variants` only: it knows which inputs the
resource depends on (policykit/cfn/inputs.py), enumerates their values within the `scenarios` limit
(policykit/scenarios.py), drops the scenarios in which the resource's `Condition` is false, and
groups the rest by what the properties resolve from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field

from policykit.cfn.conditions import Decided
from policykit.cfn.inputs import Dependencies, resource_dependencies
from policykit.cfn.intrinsics import Resolver
from policykit.cfn.template import Template
from policykit.cfn.values import Choices
from policykit.core.nodes import MDict
from policykit.core.record import record
from policykit.core.truth import Truth
from policykit.scenarios import Enumeration, Input, Other, Scenario, enumerate_scenarios


@record(frozen=False)
class Variants:
    """Where a resource exists: (scenarios, resolver) per different configuration, defaults first."""

    exists: list[tuple[list[Scenario], Resolver]] = field(default_factory=list)
    enumeration: Enumeration = field(default_factory=lambda: Enumeration([]))
    never: str = ""  # why it exists in no scenario ("" when it exists in some)

    @property
    def bounded(self) -> bool:
        """True when the bound left combinations out (the builder adds `scenario_bound_note`)."""
        return bool(self.enumeration.alone or self.enumeration.unknown)


def resource_variants(template: Template, resource: MDict, decided: Decided | None = None,
                      related: Sequence[Input] = (), any_choices: bool = True) -> Variants:
    """The scenarios of `resource`, grouped by what its properties resolve from (the values of the
    conditions its Fn::Ifs name and of the parameters it uses): one resolver per group, so the cost
    is the number of different configurations, not of combinations. Pass the resource through
    `without_idle_ifs` first (and resolve that one), so a condition that changes nothing is no input.
    `related`: the inputs of the resources around it (load balancers, listeners, certificates), which
    the builder resolves in each scenario too. `any_choices`: False when the template has none (`has_choices`): the
    one scenario is the only group, so the resource is not walked for what would tell groups apart."""
    dependencies = resource_dependencies(template, resource) if any_choices or related else Dependencies([], (), ())
    own = {item.name for item in dependencies.inputs}
    inputs = [*dependencies.inputs, *(item for item in related if item.name not in own)]
    enumeration = enumerate_scenarios(inputs)
    unknown = {item.name: Other() for item in enumeration.unknown}
    decided = decided if decided is not None else Decided(template, Resolver)
    out = Variants(enumeration=enumeration)
    groups: dict[tuple[Truth | str, ...], list[Scenario]] = {}
    condition = resource.get("Condition")
    for scenario in enumeration.scenarios:
        choices: Choices = {**unknown, **scenario.values()}
        if condition is not None and decided.value(condition, choices) is False:
            continue
        signature = (*[decided.value(name, choices) for name in dependencies.conditions],
                     *[repr(choices.get(name)) for name in dependencies.parameters],
                     *[repr(choices.get(item.name)) for item in related])
        if signature in groups:
            groups[signature].append(scenario)
            continue
        groups[signature] = [scenario]
        out.exists.append((groups[signature], Resolver(template, choices=choices, decided=decided)))
    if not out.exists:
        given = ", ".join(item.name for item in inputs)
        out.never = (f"its Condition {condition} is false for every value of {given}"
                     if given else f"its Condition {condition} is always false")
    return out
