"""Evaluate CloudFormation intrinsic functions to a value, or to `Unknown` with a reason.

Never raises on user data: a malformed intrinsic is `Unknown("malformed Fn::X")`, which
no policy turns into an error finding. Resolution keeps the marks of the template, so a
resolved property still points at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from policykit.cfn.shapes import attribute_value
from policykit.cfn.template import Template
from policykit.model.values import Partial, ResourceAttr, Unknown, make_string
from policykit.source.nodes import MDict, MList


class _NoValue:
    """`AWS::NoValue`: the property is removed."""


NO_VALUE = _NoValue()
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")
_PSEUDO = {
    "AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::Partition",
    "AWS::URLSuffix", "AWS::NotificationARNs",
}
_PARAM_LIST_TYPES = ("List<", "CommaDelimitedList")


class Resolver:
    """Resolves values of one template under one scenario (a truth value per condition)."""

    def __init__(self, template: Template, scenario: dict[str, bool] | None = None) -> None:
        self.template = template
        self.scenario = scenario or {}
        self._conditions: dict[str, bool | None] = {}

    # -- conditions ---------------------------------------------------------------------
    def condition(self, name: Any, _seen: frozenset[str] = frozenset()) -> bool | None:
        """True/False, or None when it depends on something unknown."""
        if not isinstance(name, str):
            return None
        if name in self.scenario:
            return self.scenario[name]
        if name not in self._conditions:
            body = self.template.conditions.get(name)
            self._conditions[name] = (
                None if body is None or name in _seen else self._condition_expr(body, _seen | {name})
            )
        return self._conditions[name]

    def _condition_expr(self, expr: Any, seen: frozenset[str]) -> bool | None:
        if not isinstance(expr, dict) or len(expr) != 1:
            return None
        (key, arg), = expr.items()
        if key == "Condition":
            return self.condition(arg, seen)
        if key == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            left, right = (self.resolve(v) for v in arg)
            if isinstance(left, (Unknown, Partial)) or isinstance(right, (Unknown, Partial)):
                return None
            return bool(_scalar_text(left) == _scalar_text(right))
        if key in ("Fn::And", "Fn::Or") and isinstance(arg, list):
            values = [self._condition_expr(v, seen) for v in arg]
            decisive = key == "Fn::Or"
            if decisive in values:
                return bool(decisive)
            return None if None in values else not decisive
        if key == "Fn::Not" and isinstance(arg, list) and len(arg) == 1:
            inner = self._condition_expr(arg[0], seen)
            return None if inner is None else not inner
        return None

    # -- values -------------------------------------------------------------------------
    def resolve(self, node: Any) -> Any:
        """The value of `node` with every intrinsic evaluated; containers keep their marks."""
        if isinstance(node, dict):
            if len(node) == 1:
                (key, arg), = node.items()
                if key == "Ref" or key.startswith("Fn::") or (key == "Condition" and not isinstance(arg, dict)):
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
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            return Unknown(f"malformed {key}")

    def ref(self, name: Any) -> Any:
        if not isinstance(name, str):
            return Unknown("malformed Ref")
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.template.params:
            return self._parameter_value(name, self.template.params[name])
        if name in _PSEUDO:
            return Unknown(f"{name} is only known at deployment (give --param {name}=...)", name=name)
        parameter = self.template.parameters.get(name)
        if isinstance(parameter, dict):
            if "Default" in parameter:
                return self._parameter_value(name, self.resolve(parameter["Default"]))
            return Unknown(f"parameter {name} has no default (give --param {name}=...)", name=name)
        if name in self.template.resources:
            return Unknown(f"the physical id of {name} is only known after deployment", ResourceAttr(name))
        if "." in name:  # SAM: `!Ref Function.Version` / `!Ref Function.Alias`
            resource, attribute = name.split(".", 1)
            if resource in self.template.resources:
                ref = ResourceAttr(resource, attribute)
                return Unknown(f"{ref} is only known after deployment", ref)
        return Unknown(f"Ref {name} names nothing in this template")

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
        return attribute_value(self.template.resource_type(resource), ref)

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
        return make_string(parts)

    def join(self, arg: Any) -> Any:
        delimiter, items = arg[0], self.resolve(arg[1])
        if not isinstance(delimiter, str) or not isinstance(items, list):
            return Unknown("Fn::Join over a list only known at deployment")
        parts: list[str | Unknown] = []
        for index, item in enumerate(items):
            if index:
                parts.append(delimiter)
            parts.extend(_as_parts(item))
        return make_string(parts)

    def select(self, arg: Any) -> Any:
        index, items = self.resolve(arg[0]), self.resolve(arg[1])
        if isinstance(items, Unknown) or isinstance(index, (Unknown, Partial)):
            return Unknown("Fn::Select over a value only known at deployment")
        if not isinstance(items, list):
            return Unknown("malformed Fn::Select")
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
        node: Any = self.template.mappings
        for name in names:
            if not isinstance(node, dict) or str(name) not in node:
                return Unknown(f"Fn::FindInMap finds no {'/'.join(map(str, names))}")
            node = node[str(name)]
        return self.resolve(node)

    def if_(self, arg: Any) -> Any:
        decided = self.condition(arg[0])
        if decided is None:
            return Unknown(f"depends on condition {arg[0]}")
        return self.resolve(arg[1] if decided else arg[2])

    def base64(self, arg: Any) -> Any:
        value = self.resolve(arg)
        return value if isinstance(value, (Unknown, Partial)) else Unknown("Fn::Base64 output")


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
    "Condition": lambda self, arg: self.condition(arg),
}
