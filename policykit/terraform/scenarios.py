"""The deploy-time inputs a Terraform resource depends on: its module's variables, each with the
values it can take.

A variable given a value (tfvars, `--var`, the caller's module block) is that value. Otherwise a
`bool` variable is true and false; one with `validation { condition = contains([...], var.x) }`
takes each listed value; one compared with `==`/`!=` to literals takes its default, each literal,
and any other value (`OtherValue`, unknown where it is used as a value). The default comes first.
A variable only used as a value keeps its default, as `terraform apply` without `-var` would.
References are followed through locals (`local.x` whose expression names `var.y`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping

from policykit.scenarios import Input, OtherValue
from policykit.terraform.module import Module
from policykit.terraform.values import Value

_VAR = re.compile(r"\bvar\.([A-Za-z_][A-Za-z0-9_-]*)")
_LOCAL = re.compile(r"\blocal\.([A-Za-z_][A-Za-z0-9_-]*)")
# Resources whose attributes depend on their own settings (an Elastic Beanstalk environment's endpoint_url).
_SHAPED = re.compile(r"\b(aws_elastic_beanstalk_environment\.[A-Za-z_][A-Za-z0-9_-]*)")
_CONTAINS = r"contains\(\s*\[(?P<items>[^\]]*)\]\s*,\s*var\.{name}\s*\)"
_COMPARED = (r"var\.{name}\s*[!=]=\s*(?P<a>\"(?:[^\"\\]|\\.)*\"|true|false|-?\d+)"
             r"|(?P<b>\"(?:[^\"\\]|\\.)*\"|true|false|-?\d+)\s*[!=]=\s*var\.{name}\b")


def resource_inputs(module: Module, body: Value) -> list[Input]:
    """The variables `body` (a resource's, unresolved) depends on that can take several values."""
    texts: list[str] = []
    _strings(body, texts)
    names = _variables(module, texts)
    inputs = []
    for name in names:
        values = variable_domain(module, name, texts)
        if len(values) > 1:
            inputs.append(Input(f"var.{name}", values))
    return inputs


def related_inputs(module: Module, types: Collection[str]) -> list[Input]:
    """The inputs the module's resources of `types` (those the model reads around distributions) depend on."""
    found: dict[str, Input] = {}
    for resource in module.resources.values():
        if resource.type in types:
            for item in resource_inputs(module, resource.body):
                found.setdefault(item.name, item)
    return list(found.values())


def _strings(node: Value, out: list[str]) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "${" in item or "%{" in item:
                out.append(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _variables(module: Module, texts: list[str]) -> list[str]:
    """`var.x` named in `texts` or in the locals they use (transitively), in order of first use."""
    names: list[str] = []
    seen_locals: set[str] = set()
    queue = list(texts)
    while queue:
        text = queue.pop(0)
        for name in _VAR.findall(text):
            if name not in names and name in module.variables:
                names.append(name)
        for local in _LOCAL.findall(text):
            if local not in seen_locals and local in module.locals:
                seen_locals.add(local)
                more: list[str] = []
                _strings(module.locals[local], more)
                queue.extend(more)
                texts.extend(more)  # comparisons inside locals count too
        for address in _SHAPED.findall(text):  # attributes that depend on that resource's settings
            resource = module.resources.get(address)
            if address not in seen_locals and resource is not None:
                seen_locals.add(address)
                more = []
                _strings(resource.body, more)
                queue.extend(more)
                texts.extend(more)
    return names


def variable_domain(module: Module, name: str, texts: list[str]) -> tuple[Value, ...]:
    """The values `var.name` can take at apply time; one value when it is given or only its default matters."""
    if name in module.inputs:
        return (module.inputs[name],)
    declared = module.variables.get(name)
    body: Mapping[str, Value] = declared if declared is not None else {}
    has_default = "default" in body
    default = body.get("default")
    kind = str(body.get("type", "")).removeprefix("${").removesuffix("}").strip()
    if not _plain(default) and has_default:
        return (default,)
    allowed = _validation_values(name, body)
    if allowed:
        values = [default] if has_default and default in allowed else []
        return tuple(dict.fromkeys([*values, *allowed]))
    if kind == "bool" or isinstance(default, bool):
        first = default if isinstance(default, bool) else True
        return (first, not first)
    literals = _compared_literals(name, texts)
    if not literals:
        return (default,) if has_default else ()
    out: list[Value] = [default] if has_default else []
    out.extend(v for v in literals if v != default)
    if not has_default or default in literals:
        out.append(OtherValue(f"var.{name} is {_other_text(literals)} here; its value is only known at apply "
                              f"(give it with --var or --var-file)", name=f"var.{name}",
                              excluded=tuple(str(v) for v in literals)))
    return tuple(out)


def _plain(value: Value) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _validation_values(name: str, body: Mapping[str, Value]) -> list[Value]:
    blocks = body.get("validation")
    blocks = blocks if isinstance(blocks, list) else [blocks] if isinstance(blocks, dict) else []
    pattern = re.compile(_CONTAINS.format(name=re.escape(name)))
    for block in blocks:
        condition = block.get("condition") if isinstance(block, dict) else None
        match = pattern.search(condition) if isinstance(condition, str) else None
        if match:
            values = _literals(match.group("items"))
            if values is not None:
                return values
    return []


def _compared_literals(name: str, texts: list[str]) -> list[Value]:
    pattern = re.compile(_COMPARED.format(name=re.escape(name)))
    found: list[Value] = []
    for text in texts:
        for match in pattern.finditer(text):
            values = _literals(match.group("a") or match.group("b"))
            for value in values or []:
                if value not in found:
                    found.append(value)
    return found


def _literals(text: str) -> list[Value] | None:
    """`"a", "b"` (HCL literals: strings, numbers, booleans) as values; None when something else is there."""
    try:
        values = json.loads(f"[{text}]")
    except ValueError:
        return None
    return values if all(isinstance(v, (str, int, float, bool)) for v in values) else None


def _other_text(literals: list[Value]) -> str:
    return "not " + " or ".join(json.dumps(v) for v in literals)
