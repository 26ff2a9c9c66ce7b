"""Evaluate CloudFormation intrinsic functions to a value, or to `Unknown` with a reason.

Never raises on user data: a malformed intrinsic is `Unknown("malformed Fn::X")`, which
no policy turns into an error finding. Resolution keeps the marks of the template, so a
resolved property still points at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from policykit.cfn.inputs import PSEUDO, condition_roots, is_ssm
from policykit.cfn.shapes import attribute_value
from policykit.cfn.template import Template
from policykit.core.errors import InputError
from policykit.core.limits import LIMITS, hint
from policykit.core.nodes import NO_MARK, Mark, MDict, MList
from policykit.core.truth import Truth, all_true, any_true, negate
from policykit.core.values import Partial, ResourceAttr, Unknown, make_string
from policykit.model import beanstalk
from policykit.scenarios import Other


class _NoValue:
    """`AWS::NoValue`: the property is removed."""


NO_VALUE = _NoValue()
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_PARAM_LIST_TYPES = ("List<", "CommaDelimitedList")
MAX_CHAIN = 100  # parameters, mappings and conditions resolving through one another: past it, an input error


class Decided:
    """Condition values shared by the resolvers of one template: a condition depends only on the
    values of its roots, so each (condition, values of its roots) is decided once, whatever the scenario."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.roots: dict[str, tuple[str, ...]] = {}
        self.values: dict[tuple[Any, ...], Truth] = {}

    def key(self, name: str, choices: dict[str, Any]) -> tuple[Any, ...]:
        roots = self.roots.get(name)
        if roots is None:
            roots = self.roots[name] = condition_roots(self.template, name)
        return (name, *[choices.get(root) for root in roots])

    def value(self, name: Any, choices: dict[str, Any]) -> Truth:
        """The condition under `choices`, decided once per values of its roots."""
        if not isinstance(name, str):
            return _NOT_A_NAME
        key = self.key(name, choices)
        if key not in self.values:
            self.values[key] = Resolver(self.template, choices=choices, decided=self).condition(name)
        return self.values[key]


class Resolver:
    """Resolves values of one template under one scenario.

    A scenario is a value per deploy-time input (`choices`: parameter -> value, or `Other` for
    "any value but these"), from which every condition is decided; `scenario` may also fix a
    condition's truth value directly. Parameters, mappings and conditions are resolved once per
    resolver (memoised), and a definition that uses itself is an input error naming the cycle.
    """

    def __init__(self, template: Template, scenario: dict[str, bool] | None = None,
                 choices: dict[str, Any] | None = None, decided: Decided | None = None) -> None:
        self.template = template
        self.scenario = scenario or {}
        self.choices = choices or {}
        self._decided = decided if decided is not None and not self.scenario else None
        self._conditions: dict[str, Truth] = {}
        self._parameters: dict[str, Any] = {}
        self._mappings: dict[tuple[str, ...], Any] = {}
        self._busy: list[str] = []  # definitions being resolved, innermost last
        self._mark: Mark = NO_MARK  # the intrinsic being resolved: where a bound error points

    # -- cycles -------------------------------------------------------------------------
    def _enter(self, what: str, mark: Mark) -> None:
        if what in self._busy:
            cycle = " -> ".join([*self._busy[self._busy.index(what):], what])
            raise InputError(self.template.file, f"{what} uses itself ({cycle}): CloudFormation rejects "
                             "circular definitions", mark.line, mark.column)
        if len(self._busy) >= MAX_CHAIN:
            raise InputError(self.template.file, f"{what} is reached through more than {MAX_CHAIN} definitions "
                             f"that use one another (policykit's bound; from {self._busy[0]})", mark.line, mark.column)
        self._busy.append(what)

    def _leave(self) -> None:
        self._busy.pop()

    # -- conditions ---------------------------------------------------------------------
    def condition(self, name: Any) -> Truth:
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
        self._enter(f"condition {name}", _mark(conditions, name))
        try:
            value = self._conditions[name] = self._condition_expr(body)
        finally:
            self._leave()
        if decided is not None:
            decided.values[key] = value
        return value

    def _condition_expr(self, expr: Any) -> Truth:
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

    def _compared(self, node: Any) -> Any:
        """One side of Fn::Equals: a parameter this scenario gives "any other value" stays `Other`."""
        name = node.get("Ref") if isinstance(node, dict) and len(node) == 1 else None
        if isinstance(name, str) and isinstance(self.choices.get(name), Other):
            return self.choices[name]
        return self.resolve(node)

    # -- values -------------------------------------------------------------------------
    def resolve(self, node: Any) -> Any:
        """The value of `node` with every intrinsic evaluated; containers keep their marks."""
        if isinstance(node, dict):
            if len(node) == 1:
                (key, arg), = node.items()
                if key == "Ref" or key.startswith("Fn::") or (key == "Condition" and not isinstance(arg, dict)):
                    self._mark = getattr(node, "mark", self._mark)
                    return self._intrinsic(key, arg)
            return self._resolve_mapping(node)
        if isinstance(node, list):
            out = MList(getattr(node, "mark", MList().mark))
            marks = getattr(node, "marks", [])
            for index, item in enumerate(node):
                value = self.resolve(item)
                if value is not NO_VALUE:
                    out.add(value, marks[index] if index < len(marks) else out.mark)
            return out
        if isinstance(node, str) and "{{resolve:" in node:
            return Unknown(f"dynamic reference {node}")
        return node

    def _resolve_mapping(self, node: dict[str, Any]) -> MDict:
        out = MDict(getattr(node, "mark", MDict().mark))
        key_marks = getattr(node, "key_marks", {})
        value_marks = getattr(node, "value_marks", {})
        for key, item in node.items():
            value = self.resolve(item)
            if value is not NO_VALUE:
                out.set(key, value, key_marks.get(key, out.mark), value_marks.get(key, out.mark))
        return out

    def _intrinsic(self, key: str, arg: Any) -> Any:
        handler = _HANDLERS.get(key)
        if handler is None:
            return Unknown(f"{key} is not evaluated before deployment")
        try:
            return handler(self, arg)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError):
            return Unknown(f"malformed {key}")

    def ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unknown("malformed Ref")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.template.params:
            return self._parameter_value(name, self.template.params[name])
        if name in self.choices:
            chosen = self.choices[name]
            if isinstance(chosen, Other):
                return Unknown(f"{name} is {chosen} here; its value is only known at deployment "
                               f"(give --param {name}=...)", name=name)
            return self._parameter_value(name, chosen)
        if name in PSEUDO:
            return Unknown(f"{name} is only known at deployment (give --param {name}=...)", name=name)
        parameter = self.template.parameters.get(name)
        if isinstance(parameter, dict):
            if name not in self._parameters:
                self._parameters[name] = self._parameter_default(name, parameter)
            return self._parameters[name]
        if name in self.template.resources:
            if self.template.resource_type(name) == "AWS::EC2::EIP":  # its Ref is the address
                return attribute_value("AWS::EC2::EIP", ResourceAttr(name))
            return Unknown(f"the physical id of {name} is only known after deployment", ResourceAttr(name))
        if "." in name:  # SAM: `!Ref Function.Version` / `!Ref Function.Alias`
            resource, attribute = name.split(".", 1)
            if resource in self.template.resources:
                ref = ResourceAttr(resource, attribute)
                return Unknown(f"{ref} is only known after deployment", ref)
        return Unknown(f"Ref {name} names nothing in this template")

    def _parameter_default(self, name: str, parameter: dict[str, Any]) -> Any:
        if is_ssm(self.template, name):
            return Unknown(f"parameter {name} is read from SSM at deployment (its Default names the SSM "
                           f"parameter, it is not the value; give --param {name}=...)", name=name)
        if "Default" not in parameter:
            return Unknown(f"parameter {name} has no default (give --param {name}=...)", name=name)
        self._enter(f"parameter {name}", _mark(self.template.parameters, name))
        try:
            return self._parameter_value(name, self.resolve(parameter["Default"]))
        finally:
            self._leave()

    def _parameter_value(self, name: str, value: Any) -> Any:
        parameter = self.template.parameters.get(name)
        ptype = parameter.get("Type", "") if isinstance(parameter, dict) else ""
        if isinstance(ptype, str) and ptype.startswith(_PARAM_LIST_TYPES) and isinstance(value, str):
            items = MList()
            for item in value.split(","):
                items.add(item.strip(), items.mark)
            return items
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # parameters are strings to CloudFormation
        return value

    def get_att(self, arg: Any) -> Any:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        resource, attribute = arg[0], self.resolve(arg[1])
        if not isinstance(resource, str) or not isinstance(attribute, str):
            return Unknown("Fn::GetAtt with an attribute only known at deployment")
        ref = ResourceAttr(resource, attribute)
        if resource not in self.template.resources:
            return Unknown(f"Fn::GetAtt {ref} names no resource in this template")
        rtype = self.template.resource_type(resource)
        if rtype == beanstalk.ENVIRONMENT_TYPE and attribute == "EndpointURL":
            return beanstalk.endpoint_url(resource, self._properties(resource))
        return attribute_value(rtype, ref)

    def _properties(self, resource: str) -> Any:
        """The resolved properties of another resource (for attributes that depend on them)."""
        node = self.template.resources.get(resource)
        props = node.get("Properties") if isinstance(node, dict) else None
        self._enter(f"resource {resource}", _mark(self.template.resources, resource))
        try:
            return self.resolve(props or {})
        finally:
            self._leave()

    def sub(self, arg: Any) -> Any:
        variables: dict[str, Any] = {}
        if isinstance(arg, list):
            text, raw_vars = arg[0], arg[1] if len(arg) > 1 else {}
            variables = {k: self.resolve(v) for k, v in raw_vars.items()}
        else:
            text = arg
        if not isinstance(text, str):
            return Unknown("malformed Fn::Sub")
        parts: list[str | Unknown] = []
        position = 0
        for match in _SUB_VAR.finditer(text):
            parts.append(text[position:match.start()])
            position = match.end()
            name = match.group(1)
            if name.startswith("!"):  # `${!Literal}` is the literal `${Literal}`
                parts.append("${" + name[1:] + "}")
                continue
            if name in variables:
                value = variables[name]
            elif "." in name and name.split(".", 1)[0] in self.template.resources:
                value = self.get_att(name.split(".", 1))
            else:
                value = self.ref(name)
            parts.extend(_as_parts(value))
        parts.append(text[position:])
        return self._bounded(make_string(parts), "Fn::Sub")

    def join(self, arg: Any) -> Any:
        delimiter, items = arg[0], self.resolve(arg[1])
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Unknown("Fn::Join over a list only known at deployment")
        parts: list[str | Unknown] = []
        for index, item in enumerate(items):
            if index:
                parts.append(delimiter)
            parts.extend(_as_parts(item))
        return self._bounded(make_string(parts), "Fn::Join")

    def _bounded(self, value: str | Partial, what: str) -> str | Partial:
        size = len(value) if isinstance(value, str) else sum(len(p) for p in value.parts if isinstance(p, str))
        if size > LIMITS.cfn_string_chars:
            raise InputError(self.template.file, f"{what} builds a string of more than {LIMITS.cfn_string_chars:,} "
                             f"characters: {hint('cfn_string_chars')}", self._mark.line, self._mark.column)
        return value

    def select(self, arg: Any) -> Any:
        index, items = self.resolve(arg[0]), self.resolve(arg[1])
        if isinstance(items, Unknown) or isinstance(index, (Unknown, Partial)):
            return Unknown("Fn::Select over a value only known at deployment")
        if not isinstance(items, list):
            return Unknown("malformed Fn::Select")
        if isinstance(index, bool) or not (isinstance(index, int) or (isinstance(index, str) and index.isdigit())):
            return Unknown("Fn::Select needs a whole-number index")
        position = int(index)
        if not 0 <= position < len(items):
            return Unknown(f"Fn::Select index {position} is out of range")
        return items[position]

    def split(self, arg: Any) -> Any:
        delimiter, source = arg[0], self.resolve(arg[1])
        if not isinstance(delimiter, str) or not delimiter:
            return Unknown("malformed Fn::Split")
        pieces: list[Any]
        if isinstance(source, str):
            pieces = source.split(delimiter)
        elif isinstance(source, Partial) and all(isinstance(p, str) or p.ref for p in source.parts):
            # The unknown pieces of AWS-generated names are host labels: they hold no delimiter.
            pieces = _split_partial(source, delimiter)
        else:
            return Unknown("Fn::Split of a value only known at deployment")
        out = MList()
        for piece in pieces:
            out.add(piece, out.mark)
        return out

    def find_in_map(self, arg: Any) -> Any:
        if not isinstance(arg, list) or len(arg) < 3:  # a map name alone is not a value
            return Unknown("malformed Fn::FindInMap")
        names = [self.resolve(a) for a in arg[:3]]
        if not all(isinstance(n, (str, int)) for n in names):
            return Unknown("Fn::FindInMap with a key only known at deployment")
        key = tuple(str(n) for n in names)
        if key in self._mappings:
            return self._mappings[key]
        node: Any = self.template.mappings
        parent: Any = node
        for name in key:
            if not isinstance(node, dict) or name not in node:
                return Unknown(f"Fn::FindInMap finds no {'/'.join(key)}")
            parent, node = node, node[name]
        self._enter(f"mapping {'/'.join(key)}", _mark(parent, key[-1]))
        try:
            self._mappings[key] = self.resolve(node)
        finally:
            self._leave()
        return self._mappings[key]

    def if_(self, arg: Any) -> Any:
        decided = self.condition(arg[0])
        if isinstance(decided, Unknown):
            return Unknown(f"depends on condition {arg[0]}")
        return self.resolve(arg[1] if decided else arg[2])

    def base64(self, arg: Any) -> Any:
        value = self.resolve(arg)
        return value if isinstance(value, (Unknown, Partial)) else Unknown("Fn::Base64 output")


_NOT_A_NAME = Unknown("a condition name that is not a string")


def _known(value: Truth) -> bool | None:
    return None if isinstance(value, Unknown) else value


def _mark(parent: Any, key: str) -> Mark:
    return parent.mark_of(key) if isinstance(parent, MDict) else NO_MARK


def _scalar_text(value: Any) -> Any:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _as_parts(value: Any) -> list[str | Unknown]:
    if isinstance(value, Partial):
        return list(value.parts)
    if isinstance(value, Unknown):
        return [value]
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, bool):
        return [str(value).lower()]
    return [Unknown("a list or mapping where a string belongs")]


def _split_partial(source: Partial, delimiter: str) -> list[str | Partial]:
    pieces: list[list[str | Unknown]] = [[]]
    for part in source.parts:
        if isinstance(part, Unknown):
            pieces[-1].append(part)
            continue
        chunks = part.split(delimiter)
        pieces[-1].append(chunks[0])
        pieces.extend([chunk] for chunk in chunks[1:])
    return [make_string(piece) for piece in pieces]


_HANDLERS: dict[str, Callable[[Resolver, Any], Any]] = {
    "Ref": Resolver.ref,
    "Fn::GetAtt": Resolver.get_att,
    "Fn::Sub": Resolver.sub,
    "Fn::Join": Resolver.join,
    "Fn::Select": Resolver.select,
    "Fn::Split": Resolver.split,
    "Fn::FindInMap": Resolver.find_in_map,
    "Fn::If": Resolver.if_,
    "Fn::Base64": Resolver.base64,
    "Fn::ImportValue": lambda self, arg: Unknown("Fn::ImportValue is only known at deployment", name="ImportValue"),
    "Fn::GetAZs": lambda self, arg: Unknown("Fn::GetAZs is only known at deployment"),
    "Fn::Cidr": lambda self, arg: Unknown("Fn::Cidr is not evaluated"),
    # a `Condition` key among a resource's values (not in Conditions): its truth, or no value when unknown
    "Condition": lambda self, arg: _known(self.condition(arg)),
}
