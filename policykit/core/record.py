"""`@record`: a frozen dataclass whose `__repr__`, `__eq__` and `__hash__` are shared functions.

`@dataclass(frozen=True)` writes and compiles five methods per class (`__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__`...), and with some fifty such classes imported by every scan that was a tenth of
start-up. A record keeps the dataclass (`fields`, `replace`, `asdict` work as before) and behaves the same:
equal when of the same class with equal compared fields, hashed over the same fields, shown the same way.
"""

from __future__ import annotations

import dataclasses
from reprlib import recursive_repr
from typing import Any, TypeVar, dataclass_transform

_C = TypeVar("_C", bound=type)


@recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_repr__)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: object, other: object) -> object:  # bool, or NotImplemented
    if other.__class__ is not self.__class__:
        return NotImplemented
    names: tuple[str, ...] = getattr(type(self), "__record_compare__")  # noqa: B009 (set by record)
    return tuple(getattr(self, name) for name in names) == tuple(getattr(other, name) for name in names)


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, name) for name in type(self).__record_hash__))


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def record(cls: _C) -> _C:
    """A frozen dataclass, its comparisons and its repr as `@dataclass(frozen=True)` would make them."""
    made: type = dataclasses.dataclass(frozen=True, repr=False, eq=False)(cls)
    fields = dataclasses.fields(made)
    made.__record_repr__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    made.__record_compare__ = tuple(f.name for f in fields if f.compare)  # type: ignore[attr-defined]
    made.__record_hash__ = tuple(  # type: ignore[attr-defined]
        f.name for f in fields if (f.compare if f.hash is None else f.hash))
    made.__repr__ = _repr  # type: ignore[assignment]
    made.__eq__ = _eq  # type: ignore[assignment]
    made.__hash__ = _hash  # type: ignore[assignment]
    return made  # type: ignore[return-value]
