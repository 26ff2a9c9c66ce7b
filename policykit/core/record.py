"""`@record`: a dataclass whose methods are shared functions, and whose `__init__` is written when first called.

`@dataclass` writes and compiles up to six methods per class when the class is made (`__init__`, `__repr__`,
`__eq__`, `__hash__`, and `__setattr__`/`__delattr__` when frozen); with some sixty such classes imported by
every scan that was a third of what a scan adds to Python's start-up. A record is made a dataclass without any
of them (`fields`, `replace`, `asdict` work as before), shares one `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` among all records, and compiles its `__init__` (the one `@dataclass` would
write) on the first instantiation, so a class that a run never instantiates costs no compilation.

`@record` is `@dataclass(frozen=True)`; `@record(frozen=False)`, `eq=False` and `repr=False` are the same
options of `@dataclass` (`eq=False`: compared by identity; `repr=False`: the base class's repr).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from reprlib import recursive_repr
from types import FunctionType
from typing import TypeVar, dataclass_transform, overload

_C = TypeVar("_C", bound=type)
_MISSING = dataclasses.MISSING


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


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


class _FactoryDefault:
    """The default of a parameter whose field has a default factory (dataclasses' `_HAS_DEFAULT_FACTORY`)."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _FactoryDefault()
_Fill = Callable[[object, tuple[object, ...]], None]


def _filler(cls: type, frozen: bool, fields: list[dataclasses.Field[object]]) -> _Fill:
    """What the body of `@dataclass`'s `__init__` does with the values of `fields` (in field order, a field's
    factory called where its value is `_FACTORY`): set them, then call `__post_init__` if the class has one."""
    names = tuple(f.name for f in fields)
    factories = tuple((index, f.default_factory) for index, f in enumerate(fields) if f.default_factory is not _MISSING)
    post_init = hasattr(cls, "__post_init__")
    # Straight into the instance's __dict__ unless something would see the assignment: a data descriptor
    # (a property, a slot) or, on a mutable class, its own __setattr__.
    shadowed = any(hasattr(type(_class_attribute(cls, name)), "__set__") for name in names)
    direct = not shadowed and (frozen or getattr(cls, "__setattr__", None) is object.__setattr__)
    setter: Callable[[object, str, object], None] = object.__setattr__ if frozen else setattr

    def fill(self: object, values: tuple[object, ...]) -> None:
        if factories:
            filled = list(values)
            for index, factory in factories:
                if filled[index] is _FACTORY:
                    filled[index] = factory()
            values = tuple(filled)
        if direct:
            self.__dict__.update(zip(names, values, strict=True))
        else:
            for name, value in zip(names, values, strict=True):
                setter(self, name, value)
        if post_init:
            getattr(self, "__post_init__")()  # noqa: B009 (not every record has one)

    return fill


def _class_attribute(cls: type, name: str) -> object:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def _written_init(cls: type, frozen: bool) -> Callable[..., None]:
    """The `__init__` that `@dataclass` writes for `cls`: the same parameters and defaults; its body hands the
    values to a shared filler (compiling the signature alone is about half the work)."""
    fields = [f for f in dataclasses.fields(cls) if f.init or f.default_factory is not _MISSING]
    names: dict[str, object] = {"_record_factory": _FACTORY, "_record_fill": _filler(cls, frozen, fields)}
    positional: list[str] = []
    keyword: list[str] = []
    for number, item in enumerate(fields):
        if not item.init:
            continue
        param = item.name
        if item.default_factory is not _MISSING:
            param += "=_record_factory"
        elif item.default is not _MISSING:
            param += f"=_record_default_{number}"
            names[f"_record_default_{number}"] = item.default
        (keyword if item.kw_only else positional).append(param)
    params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    values = "".join(f"{f.name if f.init else '_record_factory'}, " for f in fields)
    exec(f"def __init__({params}):\n    _record_fill(self, ({values}))\n", names)  # what @dataclass compiles
    init = names["__init__"]
    assert isinstance(init, FunctionType)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    return init


def _first_init(cls: type, frozen: bool) -> Callable[..., None]:
    """An `__init__` that writes the real one, puts it on `cls` and runs it (later instances call it directly)."""

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        init = _written_init(cls, frozen)
        type.__setattr__(cls, "__init__", init)
        init(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _check_order(cls: type) -> None:
    """What `@dataclass` refuses when it writes `__init__`, refused when the class is made, as it would be."""
    after_default = None
    for item in dataclasses.fields(cls):
        if not item.init or item.kw_only:
            continue
        if item.default is _MISSING and item.default_factory is _MISSING:
            if after_default is not None:
                raise TypeError(f"non-default argument {item.name!r} follows default argument")
        else:
            after_default = item.name
    for item in getattr(cls, "__dataclass_fields__", {}).values():
        if isinstance(item.type, dataclasses.InitVar) or "InitVar" in str(item.type):
            raise TypeError(f"{cls.__qualname__}.{item.name}: InitVar is not supported by @record")


def _make(cls: _C, frozen: bool, eq: bool, repr: bool) -> _C:
    if not cls.__doc__:
        cls.__doc__ = cls.__name__  # else @dataclass computes one from inspect.signature, which is slow
    dataclasses.dataclass(init=False, repr=False, eq=False)(cls)  # fields only: compiles no method
    _check_order(cls)
    fields = dataclasses.fields(cls)
    own = cls.__dict__  # a method written in the class body stays, as with @dataclass
    shared: dict[str, object] = {
        "__record_repr__": tuple(f.name for f in fields if f.repr),
        "__record_compare__": tuple(f.name for f in fields if f.compare),
        "__record_hash__": tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash)),
    }
    if "__init__" not in own:
        shared["__init__"] = _first_init(cls, frozen)
    if repr and "__repr__" not in own:
        shared["__repr__"] = _repr
    if eq:
        if "__eq__" not in own:
            shared["__eq__"] = _eq
        written_hash = own.get("__hash__") is not None or ("__hash__" in own and "__eq__" not in own)
        if not written_hash:  # hashed by the compared fields when frozen, unhashable when mutable
            shared["__hash__"] = _hash if frozen else None
    if frozen:
        if "__setattr__" in own or "__delattr__" in own:
            raise TypeError(f"cannot overwrite __setattr__ or __delattr__ in frozen class {cls.__qualname__}")
        shared["__setattr__"], shared["__delattr__"] = _frozen_setattr, _frozen_delattr
    for name, value in shared.items():  # the same functions for every record, not new ones per class
        setattr(cls, name, value)
    return cls


@overload
def record(cls: _C, /) -> _C: ...


@overload
def record(*, frozen: bool = True, eq: bool = True, repr: bool = True) -> Callable[[_C], _C]: ...


@dataclass_transform(frozen_default=True, eq_default=True, field_specifiers=(dataclasses.field,))
def record(cls: _C | None = None, /, *, frozen: bool = True, eq: bool = True,
           repr: bool = True) -> _C | Callable[[_C], _C]:
    """A dataclass as `@dataclass(frozen=frozen, eq=eq, repr=repr)` would make it, without compiling methods."""
    if cls is not None:
        return _make(cls, frozen, eq, repr)

    def make(made: _C) -> _C:
        return _make(made, frozen, eq, repr)

    return make
