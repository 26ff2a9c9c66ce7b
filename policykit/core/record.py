"""`@record`: a frozen dataclass whose `__repr__`, `__eq__` and `__hash__` are shared functions.

`@dataclass(frozen=True)` writes and compiles five methods per class (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`...), and with some fifty such classes imported by every scan that was a tenth of
start-up. A record keeps the dataclass (`fields`, `replace`, `asdict` work as before) and behaves the same:
equal when of the same class with equal compared fields, hashed over the same fields, shown the same way.
"""

from __future__ import annotations

import dataclasses
from reprlib import recursive_repr
from typing import TypeVar, dataclass_transform

_C = TypeVar("_C", bound=type)


@recursive_repr()
def _repr(self: object) -> str:
    names: tuple[str, ...] = getattr(type(self), "__record_repr__")  # noqa: B009 (set by record)
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: object, other: object) -> object:  # bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    names: tuple[str, ...] = getattr(type(self), "__record_compare__")  # noqa: B009 (set by record)
    return tuple(getattr(self, name) for name in names) == tuple(getattr(other, name) for name in names)


def _hash(self: object) -> int:
    names: tuple[str, ...] = getattr(type(self), "__record_hash__")  # noqa: B009 (set by record)
    return hash(tuple(getattr(self, name) for name in names))


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: _C) -> _C:
    """A frozen dataclass, its comparisons and its repr as `@dataclass(frozen=True)` would make them."""
    dataclasses.dataclass(frozen=True, repr=False, eq=False)(cls)  # made a dataclass in place (no slots)
    fields = dataclasses.fields(cls)
    shared: dict[str, object] = {
        "__record_repr__": tuple(f.name for f in fields if f.repr),
        "__record_compare__": tuple(f.name for f in fields if f.compare),
        "__record_hash__": tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)),
        "__repr__": _repr, "__eq__": _eq, "__hash__": _hash,
    }
    for name, value in shared.items():  # the same functions for every record, not five new ones per class
        setattr(cls, name, value)
    return cls
