"""The deploy-time inputs a CloudFormation resource depends on, each with the values it can take.

Walks the resource (its `Condition`, properties, `Fn::If`s) and the conditions it uses down to
their roots: parameters and pseudo parameters. A parameter with `AllowedValues` takes each of
them; one compared in a condition to literals takes the default, each literal, and any other
value; one only used as a value keeps its default (as CloudFormation would deploy it unless told
otherwise); `--param` fixes one. SSM parameter types have no value before deployment: their
Default names a parameter, it is not a value.
"""

from __future__ import annotations

from collections.abc import Collection

from policykit.cfn.template import Template
from policykit.cfn.values import Choice
from policykit.core.nodes import MDict, MList, Node
from policykit.core.patterns import lazy_pattern
from policykit.core.record import record
from policykit.scenarios import Input, Other

PSEUDO = frozenset({
    "AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::Partition",
    "AWS::URLSuffix", "AWS::NotificationARNs",
})
SSM_TYPE = "AWS::SSM::Parameter::Value<"
_SUB_VAR = lazy_pattern(r"\$\{([^}!.][^}.]*)\}")


class _Uses:
    """What a walk found: parameters used as values, parameters in conditions and their literals."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.in_condition: dict[str, list[str]] = {}  # parameter -> literals it is compared to
        self.conditions: set[str] = set()
        self.direct_conditions: list[str] = []  # named by the resource itself (Fn::If, Condition)
        self.direct_parameters: list[str] = []  # used as values in the resource

    def use(self, name: str) -> None:
        if name not in self.order:
            self.order.append(name)


@record
class Dependencies:
    """What a resource's resolved properties are a function of."""

    inputs: list[Input]  # the deploy-time choices with more than one value, in order of first use
    conditions: tuple[str, ...]  # the conditions its Fn::Ifs name
    parameters: tuple[str, ...]  # the parameters it uses as values


def without_idle_ifs(node: Node) -> Node:
    """The node with each `Fn::If` whose branches are the same (after this, inside them) replaced by
    that branch: `!If [C, a, a]` is `a` in every scenario, so C is no input of it. Unchanged
    containers are returned as they are; changed ones are copies with the same marks."""
    return _IdleIfs().node(node)


def resource_without_idle_ifs(resource: MDict) -> MDict:
    """`without_idle_ifs` inside a mapping (a resource: its `Type` beside them keeps it from being an `Fn::If`)."""
    return _IdleIfs().mapping(resource)


class _IdleIfs:
    """One pass of `without_idle_ifs`: each node simplified once, memoised by identity (a node YAML aliases share
    is one node), so nested `Fn::If`s cost their size: the branches an `Fn::If` compares are the ones it keeps."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[Node, Node]] = {}  # id -> (the node, kept alive so the id stays its, result)

    def node(self, node: Node) -> Node:
        if not isinstance(node, (MDict, MList)):
            return node
        done = self._done.get(id(node))
        if done is not None and done[0] is node:
            return done[1]
        simpler = self._if(node) if isinstance(node, MDict) else self._list(node)
        self._done[id(node)] = (node, simpler)
        return simpler

    def _if(self, node: MDict) -> Node:
        if len(node) == 1 and "Fn::If" in node:
            arg = node["Fn::If"]
            if isinstance(arg, list) and len(arg) == 3:
                then, otherwise = self.node(arg[1]), self.node(arg[2])
                if then == otherwise and type(then) is type(otherwise):
                    return then
        return self.mapping(node)  # an Fn::If that chooses: its branches are simplified already (the memo)

    def mapping(self, node: MDict) -> MDict:
        simpler = [self.node(value) for value in node.values()]
        if all(new is old for new, old in zip(simpler, node.values(), strict=True)):
            return node  # most nodes: nothing to copy
        out = MDict(node.mark)
        for key, value in zip(node, simpler, strict=True):
            out.set(key, value, node.key_marks.get(key, node.mark), node.mark_of(key))
        return out

    def _list(self, node: MList) -> MList:
        simpler = [self.node(value) for value in node]
        if all(new is old for new, old in zip(simpler, node, strict=True)):
            return node
        items = MList(node.mark)
        for index, value in enumerate(simpler):
            items.add(value, node.mark_of(index))
        return items


def resource_dependencies(template: Template, resource: Node) -> Dependencies:
    uses = _Uses()
    _walk_value(template, resource, uses)
    if isinstance(resource, dict) and isinstance(resource.get("Condition"), str):
        _walk_condition_name(template, resource["Condition"], uses)
    inputs = []
    for name in uses.order:
        values = parameter_domain(template, name, uses.in_condition.get(name))
        if len(values) > 1:
            inputs.append(Input(name, values))
    return Dependencies(inputs, tuple(uses.direct_conditions), tuple(uses.direct_parameters))


def resource_inputs(template: Template, resource: Node) -> list[Input]:
    """The inputs `resource` depends on that can take more than one value, in order of first use."""
    return resource_dependencies(template, resource).inputs


def has_choices(template: Template) -> bool:
    """Can anything in the template take more than one value at deployment? Not without conditions (a parameter
    is compared to literals only in them) and without a parameter of several AllowedValues: then every resource
    has the one scenario, and walking each for its inputs would find none."""
    return bool(template.conditions) or any(len(parameter_domain(template, name, None)) > 1
                                            for name in template.parameters)


def related_inputs(template: Template, types: Collection[str], choices: bool | None = None) -> list[Input]:
    """The inputs the resources of `types` (those the model reads around distributions) depend on,
    each once, in template order. `choices`: `has_choices(template)`, when the caller knows it."""
    if not (has_choices(template) if choices is None else choices):
        return []
    found: dict[str, Input] = {}
    for name in template.resources:
        resource = template.resources[name]
        if template.resource_type(name) in types and isinstance(resource, MDict):
            for item in resource_inputs(template, resource_without_idle_ifs(resource)):
                found.setdefault(item.name, item)
    return list(found.values())


def condition_roots(template: Template, name: str) -> tuple[str, ...]:
    """The parameters (and pseudo parameters) a condition is decided from."""
    uses = _Uses()
    _walk_condition_name(template, name, uses)
    return tuple(uses.order)


def is_ssm(template: Template, name: str) -> bool:
    parameter = template.parameters.get(name)
    ptype = parameter.get("Type") if isinstance(parameter, dict) else None
    return isinstance(ptype, str) and ptype.startswith(SSM_TYPE)


def parameter_domain(template: Template, name: str, literals: list[str] | None) -> tuple[Choice, ...]:
    """The values `name` can take at deployment; one value when it is fixed or only its default matters."""
    if name in template.params:
        return (template.params[name],)
    parameter = template.parameters.get(name)
    parameter = parameter if isinstance(parameter, dict) else {}
    allowed = parameter.get("AllowedValues")
    default = _scalar(parameter.get("Default"))
    if is_ssm(template, name):
        default = None  # the name of an SSM parameter, not the value deployed
    if isinstance(allowed, list) and allowed and all(_scalar(v) is not None for v in allowed):
        values = [str(_scalar(v)) for v in allowed]
        if default in values:
            values.remove(default)
            values.insert(0, default)
        return tuple(dict.fromkeys(values))
    if literals is None:  # only used as a value: as deployed without --param
        return (default,) if default is not None else ()
    out: list[Choice] = [default] if default is not None else []
    out.extend(v for v in literals if v != default)
    if default is None or default in literals:
        out.append(Other(tuple(literals)))
    return tuple(dict.fromkeys(out))


def _scalar(value: Node) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


# Resource types whose attributes depend on their properties (policykit/model/beanstalk.py): a resource
# that uses such an attribute depends on the inputs of those properties too.
PROPERTY_SHAPED = frozenset({"AWS::ElasticBeanstalk::Environment"})
_SUB_ATTRIBUTE = lazy_pattern(r"\$\{([^}!.][^}.]*)\.[^}]+\}")


def _walk_value(template: Template, node: Node, uses: _Uses) -> None:
    stack = [node]
    walked: set[str] = set()

    def shaped(resource: Node) -> None:
        if (isinstance(resource, str) and resource not in walked
                and template.resource_type(resource) in PROPERTY_SHAPED):
            walked.add(resource)
            body = template.resources[resource]
            stack.append(body.get("Properties") if isinstance(body, dict) else None)

    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1:
                (key, arg), = item.items()
                if key == "Ref" and isinstance(arg, str):
                    _ref(template, arg, uses, direct=True)
                elif key == "Fn::GetAtt":
                    shaped(arg.split(".", 1)[0] if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg
                           else None)
                elif key == "Fn::Sub":
                    text = arg[0] if isinstance(arg, list) and arg else arg
                    own = arg[1] if isinstance(arg, list) and len(arg) > 1 and isinstance(arg[1], dict) else {}
                    if isinstance(text, str):
                        for name in _SUB_VAR().findall(text):
                            if name not in own:
                                _ref(template, name, uses, direct=True)
                        for name in _SUB_ATTRIBUTE().findall(text):
                            shaped(name)
                elif key == "Fn::If" and isinstance(arg, list) and arg and isinstance(arg[0], str):
                    _direct_condition(template, arg[0], uses)
                elif key == "Condition" and isinstance(arg, str):
                    _direct_condition(template, arg, uses)
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _ref(template: Template, name: str, uses: _Uses, direct: bool = False) -> None:
    if name in template.parameters or name in PSEUDO:
        uses.use(name)
        if direct and name not in uses.direct_parameters:
            uses.direct_parameters.append(name)


def _direct_condition(template: Template, name: str, uses: _Uses) -> None:
    if name not in uses.direct_conditions:
        uses.direct_conditions.append(name)
    _walk_condition_name(template, name, uses)


def _walk_condition_name(template: Template, name: str, uses: _Uses) -> None:
    if name in uses.conditions or name not in template.conditions:
        return
    uses.conditions.add(name)
    _walk_condition(template, template.conditions[name], uses)


def _walk_condition(template: Template, node: Node, uses: _Uses) -> None:
    if isinstance(node, list):
        for item in node:
            _walk_condition(template, item, uses)
        return
    if not isinstance(node, dict):
        return
    if len(node) == 1:
        (key, arg), = node.items()
        if key == "Condition" and isinstance(arg, str):
            _walk_condition_name(template, arg, uses)
            return
        if key == "Ref" and isinstance(arg, str):
            if arg in template.parameters or arg in PSEUDO:
                uses.use(arg)
                uses.in_condition.setdefault(arg, [])
            return
        if key == "Fn::Equals" and isinstance(arg, list) and len(arg) == 2:
            for side, other in ((arg[0], arg[1]), (arg[1], arg[0])):
                name = side.get("Ref") if isinstance(side, dict) and len(side) == 1 else None
                literal = _scalar(other)
                if isinstance(name, str) and literal is not None and (name in template.parameters or name in PSEUDO):
                    uses.use(name)
                    literals = uses.in_condition.setdefault(name, [])
                    if literal not in literals:
                        literals.append(literal)
        if key == "Fn::If" and isinstance(arg, list) and arg and isinstance(arg[0], str):
            _walk_condition_name(template, arg[0], uses)
    for value in node.values():
        _walk_condition(template, value, uses)
