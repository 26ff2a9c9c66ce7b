"""Bounds on what evaluating one Terraform root module may build, each named in its error.

A 1.5 KB file of locals that each double the previous one asks for 2^40 bytes; a chain of
`concat(local.a, local.a)` for as many list items. Terraform itself would run out of memory:
policykit stops at a stated bound with an input error at the line being evaluated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TypeVar

from policykit.core.errors import InputError
from policykit.core.limits import LIMITS, hint
from policykit.terraform.values import Invalid, Value

MAX_DEPTH = 64  # references to references: a local whose value needs a local whose value needs...
MAX_NUMBER_BITS = 1024  # numbers beyond ±2^1024 are not evaluated (Terraform's own floats stop near there)

_Collection = TypeVar("_Collection", bound=list[Value] | dict[str, Value])


class BoundExceeded(InputError):
    """Evaluation went past one of the bounds above."""


@dataclass
class Steps:
    """The work one root module's evaluation has done (steps, string bytes, items), checked against the
    bounds above; `where` is the file and line being evaluated."""

    taken: int = 0
    string_bytes: int = 0
    where: tuple[str, int] = ("", 0)
    active: list[str] = field(default_factory=list)  # the names being resolved, innermost last
    # items of collections built during evaluation, by id (kept alive with them so ids stay unique)
    _items: dict[int, tuple[Value, int]] = field(default_factory=dict)

    def at(self, file: str, line: int) -> tuple[str, int]:
        """Evaluate at `file:line` from now on; returns the previous place to restore."""
        previous = self.where
        self.where = (file or previous[0], line or (previous[1] if not file or file == previous[0] else 0))
        return previous

    def fail(self, what: str) -> BoundExceeded:
        file, line = self.where
        return BoundExceeded(file or "<terraform>", what, line)

    def step(self, count: int = 1) -> None:
        self.taken += count
        if self.taken > LIMITS.terraform_steps:
            raise self.fail(f"evaluation takes more than {LIMITS.terraform_steps:,} steps: {hint('terraform_steps')}")

    def string(self, text: str) -> str:
        self.string_bytes += len(text)
        if self.string_bytes > LIMITS.terraform_string_bytes:
            raise self.fail(f"evaluation builds more than {LIMITS.terraform_string_bytes:,} bytes of strings: "
                            f"{hint('terraform_string_bytes')}")
        return text

    def enter(self, name: str) -> None:
        """Start resolving the named value `name` (inside the ones being resolved)."""
        self.active.append(name)
        if len(self.active) > MAX_DEPTH:
            raise self.fail(f"references nest deeper than {MAX_DEPTH} levels (the bound on evaluation depth): "
                            f"{self.active[0]} -> ... -> {name}")

    def leave(self) -> None:
        self.active.pop()

    def collection(self, value: _Collection) -> _Collection:
        """A list or object evaluation built: its items, through nested ones, count against the items limit."""
        total = self.items(value)
        self.step(len(value))
        if total > LIMITS.terraform_items:
            raise self.fail(f"a value of more than {LIMITS.terraform_items:,} items: {hint('terraform_items')}")
        return value

    def items(self, value: Value) -> int:
        if not isinstance(value, (list, dict)):
            return 0
        known = self._items.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        children = value.values() if isinstance(value, dict) else value
        total = len(value)
        for child in children:
            total += self.items(child)
            if total > LIMITS.terraform_items:
                break
        self._items[id(value)] = (value, total)
        return total


def bounded(value: Value) -> Value:
    """A number within what policykit evaluates, else Invalid (inf, nan and 10^400 never reach a policy)."""
    if isinstance(value, float) and not math.isfinite(value):
        return Invalid("a number out of range")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_NUMBER_BITS:
        return Invalid(f"a number beyond ±2^{MAX_NUMBER_BITS}, which policykit does not evaluate")
    return value
