"""`terraform show -json` plans -> the model.

A plan's values are already resolved; `after_unknown` marks what is only known after apply,
and `configuration` keeps the references that say which resource an unknown value comes from
(so `aws_lb.app.dns_name` still makes the origin that load balancer). A plan carries no
source lines: findings point at the resource's values in the plan JSON file itself.
"""

from __future__ import annotations

from policykit.core.location import Location
from policykit.core.nodes import MDict, MList
from policykit.core.values import Partial, ResourceAttr, Unknown
from policykit.findings import Finding, not_read_finding
from policykit.model.cloudfront import Model, Problem
from policykit.model.index import TemplateIndex
from policykit.model.reader import Reader
from policykit.model.related_build import Declared, build_all
from policykit.terraform.distributions import FORMATS, TERRAFORM, distributions
from policykit.terraform.provider import as_sent
from policykit.terraform.shapes import attribute_value
from policykit.terraform.spelling import NOT_READ
from policykit.terraform.values import Value

# Without this, a line of plan.json reads like a line of the configuration to fix.
PLAN_LOCATION = "a line of the plan JSON, not of a .tf file: plans carry no source positions"


def is_plan(root: Value) -> bool:
    return (isinstance(root, dict) and "format_version" in root and "terraform_version" in root
            and ("planned_values" in root or "resource_changes" in root))


def plan_models(root: MDict, file: str, notes: list[Finding] | None = None) -> list[Model]:
    """The model of a plan; what it declares but policykit does not read (PK010) goes to `notes`."""
    model = Model(file, location_note=PLAN_LOCATION)
    unknown_paths = _after_unknown(root)
    expressions = _expressions(root)
    types: dict[str, str] = {}
    published: dict[str, bool | Unknown] = {}
    resources = list(_resources(root))
    for resource in resources:
        address = str(resource.get("address", ""))
        types[address] = str(resource.get("type", ""))
    values_by_address: dict[str, tuple[MDict, MDict]] = {}
    for resource in resources:
        values = resource.get("values")
        if not isinstance(values, MDict) or resource.get("mode", "managed") != "managed":
            continue
        address = str(resource.get("address", ""))
        filled = _mark_object(values, unknown_paths.get(address), expressions.get(address), types, address)
        values_by_address[address] = (resource, filled)
        if types[address] == "aws_lambda_function":
            publish = filled.get("publish")
            published[address] = publish if isinstance(publish, bool) else False
    problems: list[Problem] = model.problems
    declared = [Declared(address, types[address], values, Reader(file, address, problems),
                         Location(file, resource.mark.line, resource.mark.column))
                for address, (resource, values) in values_by_address.items()]
    build_all(TERRAFORM, declared, model.resources)
    index = TemplateIndex(types=types, objects=model.resources, published=published)
    for address, (resource, values) in values_by_address.items():
        if types[address] in NOT_READ and notes is not None:
            notes.append(not_read_finding(address, types[address], NOT_READ[types[address]],
                                          Location(file, resource.mark.line, resource.mark.column)))
        if types[address] in FORMATS:
            read = Reader(file, address, problems, address)
            loc = Location(file, resource.mark.line, resource.mark.column)
            sent = as_sent(types[address], values)
            variants = distributions(read, sent if isinstance(sent, MDict) else values, address, loc, index,
                                     types[address])
            for variant in variants:
                variant.scenarios = (variant.tenant_choices,)
            model.distributions.extend(variants)
    return [model]


def _list(node: Value, key: str) -> list[Value]:
    """`node[key]` when it is a list; a plan written by hand (or fuzzed) may hold anything there."""
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, list) else []


def _resources(root: MDict) -> list[MDict]:
    """Resources of planned_values, through child modules."""
    out: list[MDict] = []
    planned = root.get("planned_values")
    stack = [planned.get("root_module")] if isinstance(planned, dict) else []
    while stack:
        module = stack.pop()
        if not isinstance(module, dict):
            continue
        out.extend(r for r in _list(module, "resources") if isinstance(r, MDict))
        stack.extend(reversed([m for m in _list(module, "child_modules") if isinstance(m, dict)]))
    return out


def _after_unknown(root: MDict) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for change in _list(root, "resource_changes"):
        planned = change.get("change") if isinstance(change, dict) else None
        if isinstance(change, dict) and isinstance(planned, dict):
            out[str(change.get("address"))] = planned.get("after_unknown")
    return out


def _expressions(root: MDict) -> dict[str, Value]:
    """configuration expressions by resource address (module calls prefix the addresses)."""
    out: dict[str, Value] = {}
    config = root.get("configuration")
    stack: list[tuple[str, Value]] = [("", config.get("root_module"))] if isinstance(config, dict) else []
    while stack:
        prefix, module = stack.pop()
        if not isinstance(module, dict):
            continue
        for resource in _list(module, "resources"):
            if isinstance(resource, dict):
                out[f"{prefix}{resource.get('address')}"] = resource.get("expressions")
        calls = module.get("module_calls") or {}
        for name, call in calls.items() if isinstance(calls, dict) else []:
            if isinstance(call, dict):
                stack.append((f"{prefix}module.{name}.", call.get("module")))
    return out


def _mark_unknowns(values: Value, unknown: Value, expressions: Value, types: dict[str, str], address: str) -> Value:
    """Values with `after_unknown` parts replaced by Unknown (shaped by the reference, when there is one)."""
    if isinstance(values, MDict):
        return _mark_object(values, unknown, expressions, types, address)
    if unknown is True:
        return _unknown_value(expressions, types, address)
    if isinstance(values, MList):
        items = MList(values.mark)
        for index, value in enumerate(values):
            sub_unknown = unknown[index] if isinstance(unknown, list) and index < len(unknown) else None
            sub_expr = expressions[min(index, len(expressions) - 1)] if isinstance(expressions, list) and expressions \
                else expressions
            items.add(_mark_unknowns(value, sub_unknown, sub_expr, types, address), values.mark_of(index))
        return items
    return values


def _mark_object(values: MDict, unknown: Value, expressions: Value, types: dict[str, str], address: str) -> MDict:
    """_mark_unknowns of an object: an object stays one, each of its values marked."""
    if unknown is True:
        unknown = {key: True for key in values}  # the whole resource: each of its values (keeps its shape)
    out = MDict(values.mark)
    for key, value in values.items():
        sub_unknown = unknown.get(key) if isinstance(unknown, dict) else None
        sub_expr = expressions.get(key) if isinstance(expressions, dict) else None
        out.set(key, _mark_unknowns(value, sub_unknown, sub_expr, types, address),
                values.key_marks.get(key, values.mark), values.mark_of(key))
    if isinstance(unknown, dict):  # unknown keys absent from the values
        for key, flag in unknown.items():
            if flag is True and values.get(key) is None:
                sub_expr = expressions.get(key) if isinstance(expressions, dict) else None
                out.set(key, _unknown_value(sub_expr, types, address), values.mark, values.mark)
    return out


def _unknown_value(expression: Value, types: dict[str, str], address: str) -> Unknown | Partial:
    for reference in _list(expression, "references"):
        parts = str(reference).split(".")
        if parts[0] == "data" or len(parts) < 3:
            continue
        prefix = address[:address.rfind(".", 0, address.rfind(".")) + 1] if address.startswith("module.") else ""
        resource = prefix + ".".join(parts[:2])
        return attribute_value(types.get(resource, parts[0]), ResourceAttr(resource, parts[2]))
    return Unknown(f"a value of {address} is only known after apply")
