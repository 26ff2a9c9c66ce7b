"""Evaluate CloudFormation intrinsic functions to a value, or to `Unknown` with a reason.

Never raises on user data: a malformed intrinsic is `Unknown("malformed Fn::X")`, which
no policy turns into an error finding. Resolution keeps the marks of the template, so a
resolved property still points at its line. Conditions are decided by the other half of the
resolver (policykit/cfn/conditions.py).
"""

from __future__ import annotations

from collections.abc import Callable

from policykit.cfn.conditions import Conditions, Decided, definition_mark
from policykit.cfn.inputs import PSEUDO, is_ssm
from policykit.cfn.shapes import attribute_value
from policykit.cfn.template import Template
from policykit.cfn.values import NO_VALUE, Choices, Resolved
from policykit.core.errors import InputError
from policykit.core.limits import LIMITS, hint
from policykit.core.nodes import NO_MARK, Mark, MDict, MList, Node, file_of, mark_of
from policykit.core.patterns import lazy_pattern
from policykit.core.truth import Truth
from policykit.core.values import Partial, ResourceAttr, Unknown, make_string
from policykit.model import beanstalk
from policykit.scenarios import Other

__all__ = ["NO_VALUE", "Decided", "Resolver"]

_SUB_VAR = lazy_pattern(r"\$\{([^}]*)\}")
_PARAM_LIST_TYPES = ("List<", "CommaDelimitedList")


class Resolver(Conditions):
    """Resolves values of one template under one scenario (see `Conditions` for the scenario).

    Parameters and mappings are resolved once per resolver (memoised); a malformed intrinsic is
    Unknown, never an exception.
    """

    def __init__(self, template: Template, scenario: dict[str, bool] | None = None,
                 choices: Choices | None = None, decided: Decided | None = None) -> None:
        super().__init__(template, scenario, choices, decided)
        self._parameters: dict[str, Resolved] = {}
        self._mappings: dict[tuple[str, ...], Resolved] = {}
        self._mark: Mark = NO_MARK  # the intrinsic being resolved: where a bound error points
        self._resolved: dict[int, tuple[Node, Resolved]] = {}  # id(container) -> (it, its value)

    def resolve(self, node: Node) -> Resolved:
        """The value of `node` with every intrinsic evaluated; containers keep their marks. A container is
        resolved once per resolver (one scenario), memoised by identity: a node YAML aliases share, or a resource
        whose attributes others read, costs its size once."""
        if isinstance(node, (dict, list)):
            done = self._resolved.get(id(node))
            if done is not None and done[0] is node:
                return done[1]
            value = self._resolve_container(node)
            self._resolved[id(node)] = (node, value)  # the node kept alive: its id stays its own
            return value
        if isinstance(node, str) and "{{resolve:" in node:
            return Unknown(f"dynamic reference {node}")
        return node

    def _resolve_container(self, node: MDict | MList) -> Resolved:
        if isinstance(node, dict):
            if len(node) == 1:
                (key, arg), = node.items()
                if key == "Ref" or key.startswith("Fn::") or (key == "Condition" and not isinstance(arg, dict)):
                    self._mark = getattr(node, "mark", self._mark)
                    return self._intrinsic(key, arg)
            return self._resolve_mapping(node)
        values = [self.resolve(item) for item in node]
        if isinstance(node, MList) and all(value is item for value, item in zip(values, node, strict=True)):
            return node  # nothing to evaluate inside: the node is its own value (no copy of what most nodes are)
        out = MList(mark_of(node))
        marks = getattr(node, "marks", [])
        for index, value in enumerate(values):
            if value is not NO_VALUE:
                out.add(value, marks[index] if index < len(marks) else out.mark)
        return out

    def _resolve_mapping(self, node: MDict) -> MDict:
        values = [self.resolve(item) for item in node.values()]
        if isinstance(node, MDict) and all(value is item for value, item in zip(values, node.values(), strict=True)):
            return node
        out = MDict(getattr(node, "mark", NO_MARK))
        key_marks = getattr(node, "key_marks", {})
        value_marks = getattr(node, "value_marks", {})
        for key, value in zip(node, values, strict=True):
            if value is not NO_VALUE:
                out.set(key, value, key_marks.get(key, out.mark), value_marks.get(key, out.mark))
        return out

    def _intrinsic(self, key: str, arg: Node) -> Resolved:
        handler = _HANDLERS.get(key)
        if handler is None:
            return Unknown(f"{key} is not evaluated before deployment")
        try:
            return handler(self, arg)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, OverflowError):
            return Unknown(f"malformed {key}")

    def ref(self, name: Node) -> Resolved:
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

    def _parameter_default(self, name: str, parameter: dict[str, Node]) -> Resolved:
        if is_ssm(self.template, name):
            return Unknown(f"parameter {name} is read from SSM at deployment (its Default names the SSM "
                           f"parameter, it is not the value; give --param {name}=...)", name=name)
        if "Default" not in parameter:
            return Unknown(f"parameter {name} has no default (give --param {name}=...)", name=name)
        self._enter(f"parameter {name}", definition_mark(self.template.parameters, name))
        try:
            return self._parameter_value(name, self.resolve(parameter["Default"]))
        finally:
            self._leave()

    def _parameter_value(self, name: str, value: Resolved) -> Resolved:
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

    def get_att(self, arg: Node) -> Resolved:
        resource: Node
        written: Node
        if isinstance(arg, str):
            pieces = arg.split(".", 1)
            resource, written = pieces[0], pieces[1]
        else:
            resource, written = _item(arg, 0), _item(arg, 1)
        attribute = self.resolve(written)
        if not isinstance(resource, str) or not isinstance(attribute, str):
            return Unknown("Fn::GetAtt with an attribute only known at deployment")
        ref = ResourceAttr(resource, attribute)
        if resource not in self.template.resources:
            return Unknown(f"Fn::GetAtt {ref} names no resource in this template")
        rtype = self.template.resource_type(resource)
        if rtype == beanstalk.ENVIRONMENT_TYPE and attribute == "EndpointURL":
            return beanstalk.endpoint_url(resource, self._properties(resource))
        return attribute_value(rtype, ref)

    def _properties(self, resource: str) -> Resolved:
        """The resolved properties of another resource (for attributes that depend on them)."""
        node = self.template.resources.get(resource)
        props = node.get("Properties") if isinstance(node, dict) else None
        self._enter(f"resource {resource}", definition_mark(self.template.resources, resource))
        try:
            return self.resolve(props or MDict())
        finally:
            self._leave()

    def sub(self, arg: Node) -> Resolved:
        variables: dict[str, Resolved] = {}
        if isinstance(arg, list):
            text, raw_vars = arg[0], arg[1] if len(arg) > 1 else {}
            variables = {k: self.resolve(v) for k, v in raw_vars.items()}
        else:
            text = arg
        if not isinstance(text, str):
            return Unknown("malformed Fn::Sub")
        parts: list[str | Unknown] = []
        position = 0
        for match in _SUB_VAR().finditer(text):
            parts.append(text[position:match.start()])
            position = match.end()
            name = match.group(1)
            if name.startswith("!"):  # `${!Literal}` is the literal `${Literal}`
                parts.append("${" + name[1:] + "}")
                continue
            if name in variables:
                value = variables[name]
            elif "." in name and name.split(".", 1)[0] in self.template.resources:
                value = self.get_att(name)
            else:
                value = self.ref(name)
            parts.extend(_as_parts(value))
        parts.append(text[position:])
        return self._bounded(make_string(parts), "Fn::Sub")

    def join(self, arg: Node) -> Resolved:
        delimiter, items = _item(arg, 0), self.resolve(_item(arg, 1))
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
            raise InputError(file_of(self._mark, self.template.file),
                             f"{what} builds a string of more than {LIMITS.cfn_string_chars:,} "
                             f"characters: {hint('cfn_string_chars')}", self._mark.line, self._mark.column)
        return value

    def select(self, arg: Node) -> Resolved:
        index, items = self.resolve(_item(arg, 0)), self.resolve(_item(arg, 1))
        if isinstance(items, Unknown) or isinstance(index, (Unknown, Partial)):
            return Unknown("Fn::Select over a value only known at deployment")
        if not isinstance(items, list):
            return Unknown("malformed Fn::Select")
        if isinstance(index, bool) or not (isinstance(index, int) or (isinstance(index, str) and index.isdigit())):
            return Unknown("Fn::Select needs a whole-number index")
        position = int(index)
        if not 0 <= position < len(items):
            return Unknown(f"Fn::Select index {position} is out of range")
        selected: Resolved = items[position]
        return selected

    def split(self, arg: Node) -> Resolved:
        delimiter, source = _item(arg, 0), self.resolve(_item(arg, 1))
        if not isinstance(delimiter, str) or not delimiter:
            return Unknown("malformed Fn::Split")
        pieces: list[str] | list[str | Partial]
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

    def find_in_map(self, arg: Node) -> Resolved:
        if not isinstance(arg, list) or len(arg) < 3:  # a map name alone is not a value
            return Unknown("malformed Fn::FindInMap")
        names = [self.resolve(a) for a in arg[:3]]
        if not all(isinstance(n, (str, int)) for n in names):
            return Unknown("Fn::FindInMap with a key only known at deployment")
        key = tuple(str(n) for n in names)
        if key in self._mappings:
            return self._mappings[key]
        node: Node = self.template.mappings
        parent: Node = node
        for name in key:
            if not isinstance(node, dict) or name not in node:
                return Unknown(f"Fn::FindInMap finds no {'/'.join(key)}")
            parent, node = node, node[name]
        self._enter(f"mapping {'/'.join(key)}", definition_mark(parent, key[-1]))
        try:
            self._mappings[key] = self.resolve(node)
        finally:
            self._leave()
        return self._mappings[key]

    def if_(self, arg: Node) -> Resolved:
        decided = self.condition(_item(arg, 0))
        if isinstance(decided, Unknown):
            return Unknown(f"depends on condition {_item(arg, 0)}")
        return self.resolve(_item(arg, 1) if decided else _item(arg, 2))

    def import_value(self, arg: Node) -> Resolved:
        """An export of another stack: one value per export name (two imports of one name are equal), so the
        name is what the unknown value is called."""
        export = self.resolve(arg)
        shown = str(export) if isinstance(export, (str, Partial)) else ""
        if not shown:
            return Unknown("Fn::ImportValue is only known at deployment")
        return Unknown(f"Fn::ImportValue {shown} is only known at deployment", name=f"ImportValue {shown}")

    def base64(self, arg: Node) -> Resolved:
        value = self.resolve(arg)
        return value if isinstance(value, (Unknown, Partial)) else Unknown("Fn::Base64 output")


def _item(arg: Node, index: int) -> Node:
    """`arg[index]` of an intrinsic's argument: an item of a list, a character of a string (as CloudFormation's
    short forms are read); anything else raises, which `Resolver._intrinsic` reports as malformed."""
    if isinstance(arg, (list, str)):
        item: Node = arg[index]
        return item
    raise TypeError(f"{type(arg).__name__} has no items")


def _known(value: Truth) -> bool | None:
    return None if isinstance(value, Unknown) else value


def _as_parts(value: Resolved) -> list[str | Unknown]:
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


_HANDLERS: dict[str, Callable[[Resolver, Node], Resolved]] = {
    "Ref": Resolver.ref,
    "Fn::GetAtt": Resolver.get_att,
    "Fn::Sub": Resolver.sub,
    "Fn::Join": Resolver.join,
    "Fn::Select": Resolver.select,
    "Fn::Split": Resolver.split,
    "Fn::FindInMap": Resolver.find_in_map,
    "Fn::If": Resolver.if_,
    "Fn::Base64": Resolver.base64,
    "Fn::ImportValue": Resolver.import_value,
    "Fn::GetAZs": lambda self, arg: Unknown("Fn::GetAZs is only known at deployment"),
    "Fn::Cidr": lambda self, arg: Unknown("Fn::Cidr is not evaluated"),
    # a `Condition` key among a resource's values (not in Conditions): its truth, or no value when unknown
    "Condition": lambda self, arg: _known(self.condition(arg)),
}
