"""What every model object has: a kind, a name, a source resource and field locations."""

from __future__ import annotations

from dataclasses import field, fields
from reprlib import recursive_repr
from typing import Any, ClassVar

from policykit.core.location import Location
from policykit.core.record import record


@record(frozen=False, eq=False, repr=False)
class ModelObject:
    """Base of every model object. `locs` maps a field name to where it is written.

    Subclasses are `@record(frozen=False, eq=False, repr=False)` (policykit/core/record.py): compared by identity,
    they share this class's `__repr__` (the one a dataclass would write) and compile no method when made."""

    kind: ClassVar[str] = "object"
    loc: Location = field(default=Location(""), kw_only=True)
    locs: dict[str, Location] = field(default_factory=dict, kw_only=True, repr=False)
    resource: str = field(default="", kw_only=True)  # logical id or Terraform address
    # facts computed on this object, by fact function: each is computed once (policykit/facts/cache.py)
    fact_cache: dict[object, object] = field(default_factory=dict, kw_only=True, repr=False, compare=False)

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(f"{item.name}={getattr(self, item.name)!r}" for item in fields(self) if item.repr)
        return f"{type(self).__qualname__}({shown})"

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
