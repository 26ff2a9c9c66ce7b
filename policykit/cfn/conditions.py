"""Decide CloudFormation conditions (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`) under one
deploy-time scenario: True, False, or `Unknown` with the reason when it depends on what is only known at
deployment. A condition depends only on the values of its roots (the parameters it is decided from), so
each is decided once per values of its roots, whatever the scenario (`Decided`).

`Conditions` is the half of the resolver that decides conditions and keeps definitions from using
themselves; the values, and so the intrinsic functions, are the other half (policykit/cfn/intrinsics.py).
"""

from __future__ import annotations

from policykit.cfn.inputs import condition_roots
from policykit.cfn.template import Template
from policykit.cfn.values import Choice, Choices, Resolved
from policykit.core.errors import InputError
from policykit.core.nodes import NO_MARK, Mark, MDict, Node, file_of
from policykit.core.truth import Truth, all_true, any_true, negate
from policykit.core.values import Partial, Unknown
from policykit.scenarios import Other

MAX_CHAIN = 100  # parameters, mappings and conditions resolving through one another: past it, an input error


class Decided:
    """Condition values shared by the resolvers of one template: a condition depends only on the
    values of its roots, so each (condition, values of its roots) is decided once, whatever the scenario.
    `evaluator` makes the resolver that decides one under a scenario (policykit/cfn/intrinsics.Resolver)."""

    def __init__(self, template: Template, evaluator: type[Conditions]) -> None:
        self.template = template
        self.evaluator = evaluator
        self.roots: dict[str, tuple[str, ...]] = {}
        self.values: dict[tuple[str | Choice | None, ...], Truth] = {}

    def key(self, name: str, choices: Choices) -> tuple[str | Choice | None, ...]:
        roots = self.roots.get(name)
        if roots is None:
            roots = self.roots[name] = condition_roots(self.template, name)
        return (name, *[choices.get(root) for root in roots])

    def value(self, name: Node, choices: Choices) -> Truth:
        """The condition under `choices`, decided once per values of its roots."""
        if not isinstance(name, str):
            return _NOT_A_NAME
        key = self.key(name, choices)
        if key not in self.values:
            self.values[key] = self.evaluator(self.template, choices=choices, decided=self).condition(name)
        return self.values[key]


class Conditions:
    """Decides the conditions of one template under one scenario.

    A scenario is a value per deploy-time input (`choices`: parameter -> value, or `Other` for
    "any value but these"), from which every condition is decided; `scenario` may also fix a
    condition's truth value directly. Each condition is decided once (memoised), and a definition
    (condition, parameter, mapping) that uses itself is an input error naming the cycle.
    """

    def __init__(self, template: Template, scenario: dict[str, bool] | None = None,
                 choices: Choices | None = None, decided: Decided | None = None) -> None:
        self.template = template
        self.scenario = scenario or {}
        self.choices: Choices = choices or {}
        self._decided = decided if decided is not None and not self.scenario else None
        self._conditions: dict[str, Truth] = {}
        self._busy: list[str] = []  # definitions being resolved, innermost last

    def resolve(self, node: Node) -> Resolved:
        """The value of `node`, every intrinsic function evaluated (policykit/cfn/intrinsics.py)."""
        raise NotImplementedError

    # -- cycles -------------------------------------------------------------------------
    def _enter(self, what: str, mark: Mark) -> None:
        file = file_of(mark, self.template.file)  # a definition may be in a file a Serverless service includes
        if what in self._busy:
            cycle = " -> ".join([*self._busy[self._busy.index(what):], what])
            raise InputError(file, f"{what} uses itself ({cycle}): CloudFormation rejects "
                             "circular definitions", mark.line, mark.column)
        if len(self._busy) >= MAX_CHAIN:
            raise InputError(file, f"{what} is reached through more than {MAX_CHAIN} definitions "
                             f"that use one another (policykit's bound; from {self._busy[0]})", mark.line, mark.column)
        self._busy.append(what)

    def _leave(self) -> None:
        self._busy.pop()

    # -- conditions ---------------------------------------------------------------------
    def condition(self, name: Node) -> Truth:
        """True, False, or Unknown (saying why) when it depends on something only known at deployment."""
        if not isinstance(name, str):
            return _NOT_A_NAME
        if name in self._conditions:
            return self._conditions[name]
        if name in self.scenario:
            return self.scenario[name]
        decided = self._decided
        key = decided.key(name, self.choices) if decided is not None else ()
        if decided is not None and key in decided.values:
            value = self._conditions[name] = decided.values[key]
            return value
        conditions = self.template.conditions
        body = conditions.get(name)
        if body is None:
            return Unknown(f"condition {name} is not defined in the template")
        self._enter(f"condition {name}", definition_mark(conditions, name))
        try:
            value = self._conditions[name] = self._condition_expr(body)
        finally:
            self._leave()
        if decided is not None:
            decided.values[key] = value
        return value

    def _condition_expr(self, expr: Node) -> Truth:
        if not isinstance(expr, dict) or len(expr) != 1:
            return Unknown("a condition that is not one condition function")
        (key, arg), = expr.items()
        if key == "Condition":
            return self.condition(arg)
        if key == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            left, right = (self._compared(v) for v in arg)
            for one, other in ((left, right), (right, left)):
                if isinstance(one, Other):  # "any value but these literals"
                    text = _scalar_text(other)
                    if isinstance(text, str) and text in one.excluded:
                        return False
                    return Unknown(f"Fn::Equals compares a parameter that is {one} with {text or 'a value'}")
            for side in (left, right):
                if isinstance(side, Unknown):
                    return side
                if isinstance(side, Partial):
                    return Unknown(f"Fn::Equals compares {side}, which is only partly known before deployment")
            return bool(_scalar_text(left) == _scalar_text(right))
        if key in ("Fn::And", "Fn::Or") and isinstance(arg, list):
            values = [self._condition_expr(v) for v in arg]
            return any_true(values) if key == "Fn::Or" else all_true(values)
        if key == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
            return negate(self._condition_expr(arg[0]))
        return Unknown(f"{key} is not a condition function policykit evaluates")

    def _compared(self, node: Node) -> Resolved | Other:
        """One side of Fn::Equals: a parameter this scenario gives "any other value" stays `Other`."""
        name = node.get("Ref") if isinstance(node, dict) and len(node) == 1 else None
        if isinstance(name, str) and isinstance(self.choices.get(name), Other):
            return self.choices[name]
        return self.resolve(node)


_NOT_A_NAME = Unknown("a condition name that is not a string")


def definition_mark(section: Node, key: str) -> Mark:
    """Where the definition `key` of a template section (or mapping) is written, for a cycle's error."""
    return section.mark_of(key) if isinstance(section, MDict) else NO_MARK


def _scalar_text(value: Resolved | Other) -> Resolved | Other:
    """A value as Fn::Equals compares it: numbers and booleans as the text CloudFormation sees."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    return value
