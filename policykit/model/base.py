"""What every object a policy walks has: a kind, a name, a source resource and field locations.

Two kinds of such objects: those the readers build from templates (`DeclaredObject`, completed step by step while
the model is read, then never written), and those later stages produce beside the model (`ResultObject`: what a
probe saw, what a function returned), frozen values built once. Both are `ModelObject`s: the engine and the facts
read them alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import Field, dataclass, field, fields
from reprlib import recursive_repr
from typing import Any, ClassVar

from policykit.core.location import Location
from policykit.core.record import record


class ModelObject:
    """Base of every object a policy walks. `locs` maps a field name to where it is written.

    Not a dataclass itself, so that frozen (`ResultObject`) and built-up (`DeclaredObject`) dataclasses can both
    derive from it. Subclasses are compared by identity and share this class's `__repr__` (the one a dataclass would
    write), because generating one per class is a measurable part of start-up."""

    # the memo of the facts computed on this object (policykit/facts/cache.py): a slot, not a field, so it is no
    # part of the value (not compared, not shown, not frozen) and a frozen object has one too; the fields live in
    # the instance's __dict__ as in any dataclass
    __slots__ = ("__dict__", "__weakref__", "_facts")
    _facts: dict[object, object]

    kind: ClassVar[str] = "object"
    __dataclass_fields__: ClassVar[dict[str, Field[object]]]  # every subclass is a dataclass
    loc: Location
    locs: Mapping[str, Location]
    resource: str  # logical id or Terraform address

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{item.name}={getattr(self, item.name)!r}" for item in fields(self) if item.repr)
        return f"{type(self).__qualname__}({shown})"

    @property
    def fact_cache(self) -> dict[object, object]:
        """The facts computed on this object, by fact function: each is computed once (policykit/facts/cache.py)."""
        try:
            return self._facts
        except AttributeError:
            memo: dict[object, object] = {}
            object.__setattr__(self, "_facts", memo)  # a frozen object's memo too: the slot is no field of it
            return memo

    def location_of(self, field_name: str | None) -> Location:
        if field_name and field_name in self.locs:
            return self.locs[field_name]
        return self.loc

    @property
    def label(self) -> str:
        """How a message names this object."""
        return self.resource

    def get(self, name: str) -> Any:
        return getattr(self, name)


@record(frozen=False, eq=False, repr=False)
class DeclaredObject(ModelObject):
    """An object the readers build from a template (or derive from its objects), field by field. Its subclasses
    are `@record(frozen=False, eq=False, repr=False)` (policykit/core/record.py): a scan makes many such classes,
    and a record compiles no method when its class is made."""

    loc: Location = field(default=Location(""), kw_only=True)
    locs: dict[str, Location] = field(default_factory=dict, kw_only=True, repr=False)
    resource: str = field(default="", kw_only=True)


@dataclass(frozen=True, eq=False, repr=False)
class ResultObject(ModelObject):
    """An object a later stage produced beside the model (a probe's, a function run's): a frozen value, built once
    from what the stage's steps returned. Equal only to itself, like every model object."""

    loc: Location = field(default=Location(""), kw_only=True)
    locs: Mapping[str, Location] = field(default_factory=dict, kw_only=True, repr=False)
    resource: str = field(default="", kw_only=True)


def adopt(parent: ResultObject, children: Iterable[ResultObject], back_reference: str) -> None:
    """Point each child at the parent being built (a name at its endpoint, a header at its result): children are
    built first, the parent from them, and the parent's construction sets their back-reference, once. A child
    that already belongs to another parent is a bug, said so."""
    for child in children:
        owner = getattr(child, back_reference)
        if owner is not None and owner is not parent:
            raise ValueError(f"this {child.kind} already belongs to another {parent.kind}")
        object.__setattr__(child, back_reference, parent)  # the frozen child's one write, while its parent is built
