"""The scope of one Terraform module instance: resolves `var.`, `local.`, resources, data and modules.

Each local, variable, output and resource argument is resolved once per module instance (a doubling
chain of locals costs its length, not 2^length), through a stack that names a cycle when one closes.
Local modules (`source = "./x"`) are instances of their own: called with `count`/`for_each` or twice,
they are several, each with the inputs its call gives, and `module.x.out` is that instance's output.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from policykit.core.data import load
from policykit.core.nodes import MDict, MList
from policykit.core.values import Partial, ResourceAttr, Unknown
from policykit.model import beanstalk
from policykit.terraform.evaluate import evaluate_text, traverse
from policykit.terraform.hcl import load_module_blocks
from policykit.terraform.module import (
    MAX_INSTANCES,
    MAX_MODULE_DEPTH,
    META,
    MODULE_META,
    UNKNOWN_BLOCKS,
    CycleError,
    Module,
    Place,
)
from policykit.terraform.shapes import attribute_value
from policykit.terraform.steps import Steps
from policykit.terraform.values import Invalid, Value

_T = TypeVar("_T")


class _Arguments(Mapping[str, Value]):
    """A called module's inputs: each argument of the call resolved, when first used, in the caller's scope."""

    def __init__(self, given: dict[str, Value], caller: Scope, arguments: Mapping[str, Value], file: str,
                 prefix: str) -> None:
        self.given = given
        self.prefix = prefix  # the called instance's ("module.cdn."): its arguments are its own
        self.caller = caller
        self.arguments = arguments
        self.file = file
        self.names = [*given, *(k for k in arguments if k not in MODULE_META and k not in given)]

    def __getitem__(self, name: str) -> Value:
        if name in self.given:
            return self.given[name]
        if name not in self.arguments or name in MODULE_META:
            raise KeyError(name)
        line = self.arguments.mark_of(name).line if isinstance(self.arguments, MDict) else 0
        steps = self.caller.steps
        previous = steps.at(self.file, line)
        try:
            key = f"{self.prefix.removeprefix(self.caller.module.prefix)}{name}"  # e.g. module.cdn.bucket
            value = self.caller.once(key, None, lambda: self.caller.resolve(self.arguments[name]))
        finally:
            steps.where = previous
        self.given[name] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


@dataclass
class ModuleInstance:
    """One instance of a local module call: `module.cdn` or `module.cdn["a"]`."""

    key: Value  # None, a count index or a for_each key
    module: Module
    scope: Scope


class _Shared:
    """What the scopes of one module instance share: resolved values, the names being resolved, the
    instances of its module calls."""

    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        self.values: dict[str, Value] = {}
        self.busy: set[str] = set()  # meeting one of these again closes a cycle
        self.calls: dict[str, list[ModuleInstance] | Unknown] = {}


class Scope:
    """Resolves references inside one module instance; `extra` holds each/count/iterator values."""

    def __init__(self, module: Module, extra: dict[str, Value] | None = None, steps: Steps | None = None,
                 _shared: _Shared | None = None) -> None:
        self.module = module
        self.extra = extra or {}
        self.shared = _shared or _Shared(steps or Steps())
        self.steps = self.shared.steps

    def with_variables(self, values: Mapping[str, Value]) -> Scope:
        """A fresh scope in which these variables have these values (one deploy-time scenario)."""
        scope = Scope(self.module, self.extra, steps=self.steps)
        scope.shared.values.update({f"var.{name}": value for name, value in values.items()})
        return scope

    def child(self, extra: dict[str, Value]) -> Scope:
        return Scope(self.module, {**self.extra, **extra}, _shared=self.shared)

    @property
    def root(self) -> Scope:
        """This module instance's scope without each/count: locals and other resources never see them."""
        return self if not self.extra else Scope(self.module, _shared=self.shared)

    def reference(self, root: str, path: list[Value]) -> Value:
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
            return self.module_output(str(head), rest)
        if root == "data":
            return self.data_source(str(head), rest)
        if root in ("terraform", "self"):
            return Unknown(f"{root}.{head} is only known when Terraform runs")
        return self.resource_attribute(root, str(head), rest)

    def once(self, key: str, place: Place | None, compute: Callable[[], Value]) -> Value:
        """The value named `key` (e.g. `local.a`), computed at most once; a cycle is an input error."""
        values = self.shared.values
        if key in values:
            return values[key]
        value = self._resolving(key, place, compute)
        values[key] = value
        return value

    def _resolving(self, key: str, place: Place | None, compute: Callable[[], _T]) -> _T:
        """compute(), with `key` marked as being resolved: needing `key` inside it is a cycle."""
        busy = self.shared.busy
        if key in busy:
            raise self._cycle(key, place)
        busy.add(key)
        previous = self.steps.at(place.file, place.line) if place else self.steps.where
        self.steps.enter(f"{self.module.prefix}{key}")
        try:
            return compute()
        finally:
            busy.discard(key)
            self.steps.leave()
            self.steps.where = previous

    def _cycle(self, key: str, place: Place | None) -> CycleError:
        stack = self.steps.active
        name = f"{self.module.prefix}{key}"
        loop = stack[stack.index(name):] if name in stack else stack[-1:]
        file, line = (place.file, place.line) if place else self.steps.where
        return CycleError(file or "<terraform>", "cycle: " + " -> ".join([*loop, name])
                          + " (a value that depends on itself has none)", line)

    def variable(self, name: str) -> Value:
        def compute() -> Value:
            if name in self.module.inputs:
                return self.module.inputs[name]
            if f"var.{name}" in self.module.duplicates:
                return Unknown(f"var.{name} is declared more than once")
            body = self.module.variables.get(name)
            if isinstance(body, dict) and "default" in body:
                return self.root.resolve(body["default"])
            return Unknown(f"var.{name} has no value (give it with --var or --var-file)", name=f"var.{name}")
        return self.once(f"var.{name}", self.module.places.get(f"var.{name}"), compute)

    def local(self, name: str) -> Value:
        if f"local.{name}" in self.module.duplicates:
            return Unknown(f"local.{name} is defined more than once")
        if name not in self.module.locals:
            return Invalid(f"local.{name} is not declared", name=f"local.{name}")
        return self.once(f"local.{name}", self.module.places.get(f"local.{name}"),
                         lambda: self.root.resolve(self.module.locals[name]))

    def output(self, name: str) -> Value:
        if f"output.{name}" in self.module.duplicates:
            return Unknown(f"output {name} of {self.module.prefix.rstrip('.')} is declared more than once")
        body = self.module.outputs.get(name)
        if not isinstance(body, dict) or "value" not in body:
            return Invalid(f"{self.module.prefix}{name}: the module has no such output")
        return self.once(f"output.{name}", self.module.places.get(f"output.{name}"),
                         lambda: self.root.resolve(body["value"]))

    def module_output(self, name: str, rest: list[Value]) -> Value:
        """`module.name.output` of a local module call: the output resolved in that instance."""
        instances = self.module_instances(name)
        if isinstance(instances, Unknown):
            return instances
        call = self.module.calls[name]
        if "count" not in call.body and "for_each" not in call.body:
            return self._instance_value(instances[0], rest) if instances else Unknown(f"module.{name} is not known")
        if (rest and not isinstance(rest[0], str)) or (rest and "for_each" in call.body):
            wanted = rest[0]
            found = next((i for i in instances if i.key == wanted or str(i.key) == str(wanted)), None)
            if found is None:
                return Unknown(f"module.{name}[{wanted}] is not one of the instances analysed")
            return self._instance_value(found, rest[1:])
        if "for_each" in call.body:
            return traverse({str(i.key): self._instance_value(i, []) for i in instances}, rest)
        return traverse([self._instance_value(i, []) for i in instances], rest)

    def _instance_value(self, instance: ModuleInstance, rest: list[Value]) -> Value:
        if rest and isinstance(rest[0], str):
            return traverse(instance.scope.output(rest[0]), rest[1:])
        if rest:
            return Invalid(f"'{rest[0]}' is not an output")
        return {name: instance.scope.output(name) for name in instance.module.outputs}

    def module_instances(self, name: str) -> list[ModuleInstance] | Unknown:
        """The instances of the call `module "name"`: local sources only; others are Unknown (with why)."""
        found = self.shared.calls.get(name)
        if found is None:
            call = self.module.calls.get(name)
            place = Place(call.file, call.mark.line) if call is not None else None
            found = self._resolving(f"module.{name}", place, lambda: self._instantiate(name))
            self.shared.calls[name] = found
        return found

    def _instantiate(self, name: str) -> list[ModuleInstance] | Unknown:
        call = self.module.calls.get(name)
        if call is None:
            return Invalid(f"module.{name} is not declared")
        if f"module.{name}" in self.module.duplicates:
            return Unknown(f"module.{name} is declared more than once")
        source = call.body.get("source")
        # Terraform requires `source` to be a literal string
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            return Unknown(f"module.{name} comes from '{source}', which is not followed")
        directory = (self.module.directory / source).resolve()
        if self.module.depth + 1 > MAX_MODULE_DEPTH:
            return Unknown(f"module.{name} is nested too deep to follow")
        if not directory.is_dir():
            return Unknown(f"module.{name}: {source} is not a directory here")
        blocks = load_module_blocks(directory)
        instances: list[ModuleInstance] = []
        expanded = self.root.instances(call.body, call.file, call.mark.line)
        for suffix, extra in expanded:
            suffix = suffix if len(expanded) > 1 else ""  # one instance keeps the plain address
            prefix = f"{self.module.prefix}module.{name}{suffix}."
            inputs = _Arguments({}, self.root.child(extra), call.body, call.file, prefix)
            child = Module(directory, blocks, inputs, prefix=prefix, depth=self.module.depth + 1)
            count, each = extra.get("count"), extra.get("each")
            key = count["index"] if isinstance(count, dict) else each["key"] if isinstance(each, dict) else None
            instances.append(ModuleInstance(key, child, Scope(child, steps=self.steps)))
        return instances

    def instances(self, body: Mapping[str, Value], file: str, line: int) -> list[tuple[str, dict[str, Value]]]:
        """(address suffix, extra scope) per instance: count and for_each over known values expand."""
        previous = self.steps.at(file, line)
        try:
            if "count" in body:
                count = self.resolve(body["count"])
                if isinstance(count, float) and count.is_integer():
                    count = int(count)
                if isinstance(count, bool) or not isinstance(count, int):
                    return [("", {"count": {"index": Unknown("count is only known at plan time")}})]
                return [(f"[{i}]", {"count": {"index": i}}) for i in range(min(count, MAX_INSTANCES))]
            if "for_each" in body:
                each = self.resolve(body["for_each"])
                if isinstance(each, list) and all(isinstance(k, str) for k in each):
                    each = {k: k for k in each if isinstance(k, str)}
                if not isinstance(each, dict):
                    return [("", {"each": {"key": Unknown("for_each is only known at plan time"),
                                           "value": Unknown("for_each is only known at plan time")}})]
                return [(f'["{k}"]', {"each": {"key": k, "value": v}}) for k, v in list(each.items())[:MAX_INSTANCES]]
            return [("", {})]
        finally:
            self.steps.where = previous

    def data_source(self, rtype: str, rest: list[Value]) -> Value:
        name = str(rest[0]) if rest else ""
        attribute = next((str(s) for s in rest[1:] if isinstance(s, str)), "")
        ref = ResourceAttr(f"{self.module.prefix}data.{rtype}.{name}", attribute)
        table = {"aws_cloudfront_origin_request_policy": "origin_request",
                 "aws_cloudfront_cache_policy": "cache"}.get(rtype)
        found = self.module.data.get(f"{rtype}.{name}")
        if table and found is not None and attribute == "id":
            def policy_id() -> Value:
                policy_name = self.root.resolve(found.body.get("name"))
                for managed_id, managed in load("managed_policies.json")[table].items():
                    if isinstance(policy_name, str) and managed["name"] in (policy_name, f"Managed-{policy_name}"):
                        return str(managed_id)
                if "id" in found.body:
                    return self.root.resolve(found.body["id"])
                return None
            place = Place(found.file, found.block.mark.line)
            value = self.once(f"data.{rtype}.{name}", place, policy_id)
            if value is not None:
                return value
        return Unknown(f"data.{rtype}.{name} is only known when Terraform reads it", ref)

    def resource_attribute(self, rtype: str, name: str, rest: list[Value]) -> Value:
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
            found = resource
            value = self.once(f"{rtype}.{name}.{attribute}", Place(found.file, found.body.mark_of(attribute).line),
                              lambda: self.root.resolve(found.body[attribute]))
            if not isinstance(value, (MList, list)) or not rest:
                return traverse(value, rest)
        if resource is None and "_" not in rtype:
            return Unknown(f"'{rtype}' is not known")
        if rtype == "aws_elastic_beanstalk_environment" and attribute == "endpoint_url" and resource is not None:
            return beanstalk.endpoint_url(ref.resource, self.resolve(resource.body))  # its settings decide
        return traverse(attribute_value(rtype, ref), rest)

    def resolve(self, node: Value) -> Value:
        """A body or value with every string evaluated; nested blocks kept, dynamic blocks expanded."""
        if isinstance(node, str):
            return evaluate_text(node, self)
        if isinstance(node, MDict):
            out = MDict(node.mark)
            file, line = self.steps.where
            for key, value in node.items():
                self.steps.where = (file, node.mark_of(key).line or line)
                if key == "dynamic" and isinstance(value, dict):
                    self._expand_dynamic(value, out)
                    continue
                out.set(key, self.resolve(value), node.key_marks.get(key, node.mark), node.mark_of(key))
            self.steps.where = (file, line)
            return self.steps.collection(out)
        if isinstance(node, MList):
            items = MList(node.mark)
            for index, item in enumerate(node):
                items.add(self.resolve(item), node.mark_of(index))
            return self.steps.collection(items)
        if isinstance(node, dict):
            return self.steps.collection({str(k): self.resolve(v) for k, v in node.items()})
        if isinstance(node, list):
            return self.steps.collection([self.resolve(v) for v in node])
        return node

    def resolve_at(self, file: str, node: Value) -> Value:
        """resolve, with errors of the bounds pointing into `file`."""
        mark = getattr(node, "mark", None)
        previous = self.steps.at(file, mark.line if mark is not None else 0)
        try:
            return self.resolve(node)
        finally:
            self.steps.where = previous

    def _expand_dynamic(self, dynamic: dict[str, Value], out: MDict) -> None:
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
                if collection is None:
                    continue  # for_each = null: no blocks (Terraform refuses null; nothing to check either way)
                if isinstance(collection, (Unknown, Partial)) or not isinstance(collection, (list, dict)):
                    unknown = out.get(UNKNOWN_BLOCKS) or {}
                    written = spec.get("for_each")
                    shown = f" ({written})" if isinstance(written, str) else ""
                    unknown[label] = Unknown(f"dynamic \"{label}\" blocks iterate over a value known only at "
                                             f"plan time{shown}: {getattr(collection, 'reason', '')}")
                    out[UNKNOWN_BLOCKS] = unknown
                    continue
                pairs = sorted(collection.items()) if isinstance(collection, dict) else enumerate(collection)
                for key, value in pairs:
                    self.steps.step()
                    scope = self.child({str(iterator): {"key": key, "value": value}})
                    for body in bodies:
                        if isinstance(body, MDict):
                            out[label].add(scope.resolve(body), mark)


