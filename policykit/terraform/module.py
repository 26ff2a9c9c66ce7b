"""A Terraform module: its blocks, and the scope that resolves `var.`, `local.`, resources and data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policykit.cfn import beanstalk
from policykit.data import load
from policykit.model.values import Partial, ResourceAttr, Unknown
from policykit.source.nodes import MDict, MList
from policykit.terraform.evaluate import evaluate_text, traverse
from policykit.terraform.hcl import Block
from policykit.terraform.shapes import attribute_value

# Meta-arguments that are not part of a resource's configuration.
META = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"})
UNKNOWN_BLOCKS = "\x00unknown-blocks"  # key of a resolved body: dynamic blocks whose for_each is unknown


@dataclass
class Resource:
    type: str
    name: str
    body: MDict
    file: str
    block: Block
    prefix: str = ""  # "module.x." inside a called module

    @property
    def address(self) -> str:
        return f"{self.prefix}{self.type}.{self.name}"


@dataclass
class Module:
    """The blocks of one module directory (or one file), with the values given to its variables."""

    directory: Path
    blocks: list[Block]
    inputs: dict[str, Any] = field(default_factory=dict)
    prefix: str = ""
    resources: dict[str, Resource] = field(default_factory=dict)
    data: dict[str, Resource] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, Any] = field(default_factory=dict)
    # every resource block in order: a directory may declare the same address twice (e.g. test data)
    declared: list[Resource] = field(default_factory=list)
    # names declared more than once (invalid in one module; seen when unrelated files share a directory):
    # their value is not known, rather than whichever came last
    duplicates: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        for block in self.blocks:
            if block.type in ("resource", "data") and len(block.labels) == 2:
                item = Resource(block.labels[0], block.labels[1], block.body, block.file, block, self.prefix)
                target = self.resources if block.type == "resource" else self.data
                key = f"{item.type}.{item.name}"
                if key in target:
                    self.duplicates.add(f"{block.type}.{key}")
                target[key] = item
                if block.type == "resource":
                    self.declared.append(item)
            elif block.type == "locals":
                self.duplicates.update(f"local.{name}" for name in block.body if name in self.locals)
                self.locals.update(block.body)
            elif block.type == "variable" and block.labels:
                if block.labels[0] in self.variables:
                    self.duplicates.add(f"var.{block.labels[0]}")
                self.variables[block.labels[0]] = block.body


class Scope:
    """Resolves references inside one module; `extra` holds each/count/iterator values."""

    def __init__(self, module: Module, extra: dict[str, Any] | None = None, depth: int = 0) -> None:
        self.module = module
        self.extra = extra or {}
        self.depth = depth
        self._local_values: dict[str, Any] = {}
        self._busy: set[str] = set()
        self._var_values: dict[str, Any] = {}

    def with_variables(self, values: dict[str, Any]) -> Scope:
        """A fresh scope in which these variables have these values (one deploy-time scenario)."""
        scope = Scope(self.module, self.extra, self.depth)
        scope._var_values.update(values)
        return scope

    def child(self, extra: dict[str, Any]) -> Scope:
        scope = Scope(self.module, {**self.extra, **extra}, self.depth)
        scope._local_values, scope._var_values = self._local_values, self._var_values
        return scope

    def reference(self, root: str, path: list[Any]) -> Any:
        if root in self.extra:
            return traverse(self.extra[root], path)
        if not path:
            return Unknown(f"'{root}' is not known")
        head, rest = path[0], path[1:]
        if root == "var":
            return traverse(self.variable(str(head)), rest)
        if root == "local":
            return traverse(self.local(str(head)), rest)
        if root == "path":
            return "."
        if root == "count" or root == "each":
            return Unknown(f"{root}.{head} is only known per instance")
        if root == "module":
            return Unknown(f"outputs of module.{head} are not followed")
        if root == "data":
            return self.data_source(str(head), rest)
        if root in ("terraform", "self"):
            return Unknown(f"{root}.{head} is only known when Terraform runs")
        return self.resource_attribute(root, str(head), rest)

    def variable(self, name: str) -> Any:
        if name in self._var_values:
            return self._var_values[name]
        if name in self.module.inputs:
            value = self.module.inputs[name]
        elif f"var.{name}" in self.module.duplicates:
            value = Unknown(f"var.{name} is declared more than once")
        else:
            body = self.module.variables.get(name)
            if isinstance(body, dict) and "default" in body:
                value = self.resolve(body["default"])
            else:
                value = Unknown(f"var.{name} has no value (give it with --var or --var-file)", name=f"var.{name}")
        self._var_values[name] = value
        return value

    def local(self, name: str) -> Any:
        if name in self._local_values:
            return self._local_values[name]
        if f"local.{name}" in self.module.duplicates:
            return Unknown(f"local.{name} is defined more than once")
        if name not in self.module.locals or name in self._busy or self.depth > 50:
            return Unknown(f"local.{name} is not known", name=f"local.{name}")
        self._busy.add(name)
        try:
            value = self.resolve(self.module.locals[name])
        finally:
            self._busy.discard(name)
        self._local_values[name] = value
        return value

    def data_source(self, rtype: str, rest: list[Any]) -> Any:
        name = str(rest[0]) if rest else ""
        attribute = next((str(s) for s in rest[1:] if isinstance(s, str)), "")
        ref = ResourceAttr(f"{self.module.prefix}data.{rtype}.{name}", attribute)
        table = {"aws_cloudfront_origin_request_policy": "origin_request",
                 "aws_cloudfront_cache_policy": "cache"}.get(rtype)
        found = self.module.data.get(f"{rtype}.{name}")
        if table and found is not None and attribute == "id":
            policy_name = self.resolve(found.body.get("name"))
            for policy_id, managed in load("managed_policies.json")[table].items():
                if isinstance(policy_name, str) and managed["name"] in (policy_name, f"Managed-{policy_name}"):
                    return policy_id
            if "id" in found.body:
                return self.resolve(found.body["id"])
        return Unknown(f"data.{rtype}.{name} is only known when Terraform reads it", ref)

    def resource_attribute(self, rtype: str, name: str, rest: list[Any]) -> Any:
        steps = list(rest)
        while steps and not isinstance(steps[0], str):
            steps.pop(0)  # an instance index: every instance has the same shape
        if not steps:
            return Unknown(f"{rtype}.{name} is only known after apply",
                           ResourceAttr(f"{self.module.prefix}{rtype}.{name}"))
        attribute, rest = str(steps[0]), steps[1:]
        resource = self.module.resources.get(f"{rtype}.{name}")
        ref = ResourceAttr(f"{self.module.prefix}{rtype}.{name}", attribute)
        if f"resource.{rtype}.{name}" in self.module.duplicates:
            return Unknown(f"{rtype}.{name} is declared more than once", ref)
        if resource is not None and attribute in resource.body and attribute not in META:
            key = f"{rtype}.{name}.{attribute}"
            if key not in self._busy and self.depth < 50:
                self._busy.add(key)
                try:
                    value = self.resolve(resource.body[attribute])
                finally:
                    self._busy.discard(key)
                if not isinstance(value, (MList, list)) or not rest:
                    return traverse(value, rest)
        if resource is None and "_" not in rtype:
            return Unknown(f"'{rtype}' is not known")
        if rtype == "aws_elastic_beanstalk_environment" and attribute == "endpoint_url" and resource is not None:
            return beanstalk.endpoint_url(ref.resource, self.resolve(resource.body))  # its settings decide
        return traverse(attribute_value(rtype, ref), rest)

    def resolve(self, node: Any) -> Any:
        """A body or value with every string evaluated; nested blocks kept, dynamic blocks expanded."""
        if isinstance(node, str):
            return evaluate_text(node, self)
        if isinstance(node, MDict):
            out = MDict(node.mark)
            for key, value in node.items():
                if key == "dynamic" and isinstance(value, dict):
                    self._expand_dynamic(value, out)
                    continue
                out.set(key, self.resolve(value), node.key_marks.get(key, node.mark), node.mark_of(key))
            return out
        if isinstance(node, MList):
            items = MList(node.mark)
            for index, item in enumerate(node):
                items.add(self.resolve(item), node.mark_of(index))
            return items
        if isinstance(node, dict):
            return {str(k): self.resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v) for v in node]
        return node

    def _expand_dynamic(self, dynamic: dict[str, Any], out: MDict) -> None:
        for label, specs in dynamic.items():
            for spec in specs if isinstance(specs, list) else [specs]:
                if not isinstance(spec, dict):
                    continue
                collection = self.resolve(spec.get("for_each"))
                iterator = self.resolve(spec.get("iterator", label))
                content = spec.get("content")
                bodies = content if isinstance(content, list) else [content]
                mark = getattr(spec, "mark", out.mark)
                if label not in out or not isinstance(out[label], MList):
                    out.set(label, MList(mark), mark, mark)
                if isinstance(collection, (Unknown, Partial)) or not isinstance(collection, (list, dict)):
                    unknown = out.get(UNKNOWN_BLOCKS) or {}
                    unknown[label] = Unknown(f"dynamic \"{label}\" blocks iterate over a value "
                                             f"known only at plan time ({getattr(collection, 'reason', '')})")
                    out[UNKNOWN_BLOCKS] = unknown
                    continue
                pairs = collection.items() if isinstance(collection, dict) else enumerate(collection)
                for key, value in pairs:
                    scope = self.child({str(iterator): {"key": key, "value": value}})
                    for body in bodies:
                        if isinstance(body, MDict):
                            out[label].add(scope.resolve(body), mark)


def parse_var_value(text: str) -> Any:
    """`--var k=v`: JSON/HCL-looking values (lists, numbers, booleans) are parsed, others kept as text."""
    stripped = text.strip()
    if stripped[:1] in ("[", "{", '"') or stripped in ("true", "false") or stripped.lstrip("-").isdigit():
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    return text
