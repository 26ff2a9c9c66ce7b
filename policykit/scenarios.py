"""Deploy-time choices: inputs with finite domains, the scenarios they make, and how to name them.

An input (a CloudFormation parameter, a Terraform variable) that the user fixes (`--param`,
`--var`, tfvars) is one value. Otherwise an input with a finite domain (AllowedValues, a
`validation` over `contains([...], var.x)`, a `bool`) takes each of its values, the default
first; an input compared in conditions to literals takes each literal and "any other value"
(`Other`). A scenario is one value per input a distribution depends on; conditions are then
decided from these roots, so combinations that cannot be deployed never appear.

Format-neutral: the CloudFormation and Terraform builders say which inputs a resource depends on
(`policykit/cfn/scenarios.py`, `policykit/terraform/scenarios.py`); the policy engine names the
scenarios a finding holds in with `describe`.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import field
from typing import Any

from policykit.core.builtins import SCENARIOS_NOT_COMBINED
from policykit.core.limits import LIMITS, hint
from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.values import Unknown
from policykit.findings import Finding, builtin_finding


@record
class Other:
    """Any value of the input but these literals (the ones its conditions compare it to)."""

    excluded: tuple[str, ...] = ()

    def __str__(self) -> str:
        if not self.excluded:
            return "any value"
        return "not " + " or ".join(_quote(v) for v in self.excluded)


@record
class OtherValue(Unknown):
    """`Other` where a value flows through an evaluator (Terraform): unknown wherever it is used,
    except that it is decidedly not equal to its excluded literals."""

    excluded: tuple[str, ...] = ()

    def __str__(self) -> str:
        return str(Other(self.excluded))


def other_equals(left: object, right: object) -> bool | None:
    """`left == right` where one side is an `OtherValue`: False against one of its literals, else None."""
    for one, other in ((left, right), (right, left)):
        if isinstance(one, OtherValue) and isinstance(other, (str, int, float, bool)):
            text = ("true" if other else "false") if isinstance(other, bool) else str(other)
            return False if text in one.excluded else None
    return None


@record
class Input:
    """One deploy-time choice and the values it can take, the default (or given value) first.

    The values are the format's own (a CloudFormation parameter's text or `Other`; a Terraform value or
    `OtherValue`): this module only enumerates, compares and names them, the format resolves them."""

    name: str
    values: tuple[Any, ...]


@record
class Scenario:
    """One value per input: `choices` in the order of the inputs."""

    choices: tuple[tuple[str, Any], ...] = ()

    def values(self) -> dict[str, Any]:
        return dict(self.choices)

    @property
    def label(self) -> str:
        return ("when " + " and ".join(choice(n, v) for n, v in self.choices)) if self.choices else ""


@record(frozen=False)
class Enumeration:
    """The scenarios of one resource, and what the bound left out (said in a note, never guessed)."""

    scenarios: list[Scenario]
    alone: list[Input] = field(default_factory=list)  # each value analysed with the others at their defaults
    unknown: list[Input] = field(default_factory=list)  # not enumerated at all: unknown in every scenario


def tenant_scenarios(parameters: Sequence[tuple[str, str | None]]) -> list[tuple[tuple[tuple[str, object], ...],
                                                                               dict[str, str | None]]]:
    """A multi-tenant distribution's parameters (name, DefaultValue or None) as deploy-time choices: one with a
    default is that default (a tenant that does not set it) or any other value (one that does); one without is
    what each tenant sets (unknown) in every scenario. Each scenario: its choices, and each parameter's value
    (None where a tenant sets its own)."""
    inputs = [Input("{{" + name + "}}", (default, Other((default,)))) for name, default in parameters if default]
    out: list[tuple[tuple[tuple[str, object], ...], dict[str, str | None]]] = []
    for scenario in enumerate_scenarios(inputs).scenarios:
        chosen = scenario.values()
        values = {name: chosen.get("{{" + name + "}}") for name, _ in parameters}
        out.append((scenario.choices, {k: v if isinstance(v, str) else None for k, v in values.items()}))
    return out


def enumerate_scenarios(inputs: Sequence[Input], bound: int | None = None) -> Enumeration:
    """Every combination of the inputs, the defaults first, while there are at most `bound`.

    Past the bound, each value of each input is analysed with the other inputs at their defaults
    (one input at a time), so a finding that one deploy-time choice causes is still found; inputs
    that would take even that past the bound are unknown. The bound is the `scenarios` limit unless given.
    """
    bound = LIMITS.scenarios if bound is None else bound
    varying = [item for item in inputs if len(item.values) > 1]
    names = [item.name for item in varying]
    if math.prod(len(item.values) for item in varying) <= bound:
        return Enumeration([Scenario(tuple(zip(names, combo, strict=True)))
                            for combo in itertools.product(*(item.values for item in varying))])
    alone: list[Input] = []
    unknown: list[Input] = []
    size = 1
    for item in varying:
        if size + len(item.values) - 1 <= bound:
            alone.append(item)
            size += len(item.values) - 1
        else:
            unknown.append(item)
    defaults = tuple((item.name, item.values[0]) for item in alone)
    scenarios = [Scenario(defaults)]
    for index, item in enumerate(alone):
        for value in item.values[1:]:
            choices = list(defaults)
            choices[index] = (item.name, value)
            scenarios.append(Scenario(tuple(choices)))
    return Enumeration(scenarios, alone, unknown)


def describe(holding: Iterable[Scenario], every: Sequence[Scenario]) -> str:
    """Deploy terms for the scenarios in which something holds: "" when it holds in all of `every`.

    Inputs the result does not depend on are left out: "when Env=prod", not "when Env=prod and
    Tier=a; or when Env=prod and Tier=b".
    """
    return Describer(every).describe(holding)


class Describer:
    """`describe` over one set of scenarios, indexed once (a distribution's findings share it)."""

    def __init__(self, every: Sequence[Scenario]) -> None:
        self.every = list(dict.fromkeys(every))
        self.names = [name for name, _ in self.every[0].choices] if self.every else []
        rows = [tuple(v for _, v in s.choices) for s in self.every]
        # per input: each scenario's values without that input (scenarios that differ only in it match)
        self.rest = [[row[:i] + row[i + 1:] for row in rows] for i in range(len(self.names))]
        self.rows = rows
        self._said: dict[frozenset[Scenario], str] = {}

    def describe(self, holding: Iterable[Scenario]) -> str:
        held = frozenset(holding)
        if held not in self._said:
            self._said[held] = self._describe(held)
        return self._said[held]

    def _describe(self, held: frozenset[Scenario]) -> str:
        inside = [s in held for s in self.every]
        if not held or all(inside):
            return ""
        relevant = [i for i in range(len(self.names)) if not self._irrelevant(i, inside)]
        projected: list[tuple[tuple[str, object], ...]] = []
        for row, is_in in zip(self.rows, inside, strict=True):
            key = tuple((self.names[i], row[i]) for i in relevant)
            if is_in and key not in projected:
                projected.append(key)
        if len(relevant) == 1:
            name = self.names[relevant[0]]
            values = [key[0][1] for key in projected]
            if len(values) == 1:
                return "when " + choice(name, values[0])
            return f"when {name} is " + " or ".join(_value_text(v) for v in values)
        return "; or ".join("when " + " and ".join(choice(n, v) for n, v in key) for key in projected)

    def _irrelevant(self, index: int, inside: list[bool]) -> bool:
        """True when changing only this input never leaves the held scenarios (within those that exist)."""
        seen: dict[tuple[object, ...], bool] = {}
        return all(seen.setdefault(key, is_in) is is_in for key, is_in in zip(self.rest[index], inside, strict=True))


def choice(name: str, value: object) -> str:
    """`Env=prod`, `OriginDomain=""`, `OriginDomain is not ""`, `var.create=true`."""
    if isinstance(value, (Other, OtherValue)):
        return f"{name} is {value}"
    return f"{name}={_value_text(value)}"


def _value_text(value: object) -> str:
    if isinstance(value, (Other, OtherValue)):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text and text.isprintable() and not any(c in text for c in " ,;=\"'()"):
        return text
    return _quote(text)


def _quote(value: object) -> str:
    return json.dumps(str(value))


def scenario_bound_note(file: str, resource: str, location: Location, enumeration: Enumeration) -> Finding:
    """The visible info note for what the bound left out: combinations not analysed, inputs unknown."""
    said = []
    if enumeration.alone:
        names = ", ".join(f"{item.name} ({len(item.values)} values)" for item in enumeration.alone)
        said.append(f"each value of {names} is analysed with the other choices at their defaults, "
                    "but combinations of several non-default values are not")
    if enumeration.unknown:
        names = ", ".join(item.name for item in enumeration.unknown)
        said.append(f"{names} are treated as unknown, so checks that depend on them are not decided")
    return builtin_finding(
        SCENARIOS_NOT_COMBINED,
        message=(f"{resource} depends on more deploy-time choices than policykit combines ({LIMITS.scenarios} "
                 f"combinations per distribution, {hint('scenarios')}): " + "; ".join(said)),
        location=location, resource=resource, distribution=resource,
        fix="Give the values of the inputs you deploy with --param / --var to check that deployment exactly.")
