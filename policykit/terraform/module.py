"""A Terraform module: its blocks, by kind (resources, data sources, locals, variables, outputs, module calls).

policykit/terraform/scope.py resolves references inside one instance of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from policykit.core.errors import InputError
from policykit.core.nodes import MDict
from policykit.terraform.hcl import Block
from policykit.terraform.values import Value

# Meta-arguments that are not part of a resource's configuration.
META = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"})
UNKNOWN_BLOCKS = "\x00unknown-blocks"  # key of a resolved body: dynamic blocks whose for_each is unknown
MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
MAX_MODULE_DEPTH = 5
MAX_INSTANCES = 50  # instances of one resource or module call that are analysed (count/for_each)


class CycleError(InputError):
    """Values that depend on themselves: Terraform refuses them ("Cycle: ..."), and so does policykit."""


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
class Place:
    """Where a value is written, for errors: the file and line."""

    file: str
    line: int


@dataclass
class Module:
    """The blocks of one module directory (or one file), with the values given to its variables."""

    directory: Path
    blocks: list[Block]
    # values given to its variables: tfvars and --var for a root; a call's arguments for a called module
    inputs: Mapping[str, Value] = field(default_factory=dict)
    prefix: str = ""
    depth: int = 0  # how many module calls deep (the root is 0)
    resources: dict[str, Resource] = field(default_factory=dict)
    data: dict[str, Resource] = field(default_factory=dict)
    locals: dict[str, Value] = field(default_factory=dict)  # each local's expression, as written
    variables: dict[str, MDict] = field(default_factory=dict)  # each `variable` block's body
    outputs: dict[str, MDict] = field(default_factory=dict)  # each `output` block's body
    calls: dict[str, Block] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)  # "local.x", "var.x", "output.x" -> where written
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
                for name in block.body:
                    if name in self.locals:
                        self.duplicates.add(f"local.{name}")
                    self.places[f"local.{name}"] = Place(block.file, block.body.mark_of(name).line)
                self.locals.update(block.body)
            elif block.type in ("variable", "output", "module") and block.labels:
                name = block.labels[0]
                if block.type == "module":
                    kind, twice = "module", name in self.calls
                    self.calls[name] = block
                else:
                    table = self.variables if block.type == "variable" else self.outputs
                    kind, twice = ("var" if block.type == "variable" else "output"), name in table
                    table[name] = block.body
                if twice:
                    self.duplicates.add(f"{kind}.{name}")
                self.places[f"{kind}.{name}"] = Place(block.file, block.mark.line)


def parse_var_value(text: str) -> Value:
    """`--var k=v`: JSON/HCL-looking values (lists, numbers, booleans) are parsed, others kept as text."""
    stripped = text.strip()
    if stripped[:1] in ("[", "{", '"') or stripped in ("true", "false") or stripped.lstrip("-").isdigit():
        try:
            value: Value = json.loads(stripped)
            return value
        except ValueError:
            return text
    return text
