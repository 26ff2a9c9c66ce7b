"""`@record`: a dataclass whose methods are shared functions, and whose `__init__` is written when first called.

`@dataclass` writes and compiles up to six methods per class when the class is made (`__init__`, `__repr__`,
`__eq__`, `__hash__`, and `__setattr__`/`__delattr__` when frozen); with some sixty such classes imported by
every scan that was a third of what a scan adds to Python's start-up. A record is made a dataclass without any
of them (`fields`, `replace`, `asdict` work as before), shares one `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` among all records, and compiles its `__init__` on the first instantiation, so a
class that a run never instantiates costs no compilation: first one with the signature `@dataclass` would write
that hands the values to a shared filler, then, for a class made often, the whole method `@dataclass` would write.

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


def _class_attribute(cls: type, name: str) -> object:
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


# A class instantiated this often gets the full __init__ (about twice as costly to compile as the signature, and
# faster per instance); before, its values go through a filler. A small scan makes most classes a few times.
INLINE_AFTER = 64


class _Plan:
    """How `@dataclass`'s `__init__` for `cls` sets its fields: which ones (in field order: those `__init__`
    takes, and those with a default factory), straight into the instance's `__dict__` or not, `__post_init__`."""

    def __init__(self, cls: type, frozen: bool) -> None:
        self.cls, self.frozen = cls, frozen
        self.fields = [f for f in dataclasses.fields(cls) if f.init or f.default_factory is not _MISSING]
        # Into __dict__ unless something would see the assignment: a data descriptor (a property, a slot) or, on a
        # mutable class, its own __setattr__ (a frozen dataclass sets its fields with object.__setattr__).
        shadowed = any(hasattr(type(_class_attribute(cls, f.name)), "__set__") for f in self.fields)
        self.direct = not shadowed and (frozen or getattr(cls, "__setattr__", None) is object.__setattr__)
        self.post_init = hasattr(cls, "__post_init__")

    def init(self, inline: bool) -> Callable[..., None]:
        """The `__init__`: its body sets the fields itself (`inline`) or hands their values to a filler."""
        names: dict[str, object] = {"_record_set": object.__setattr__, "_record_factory": _FACTORY}
        positional: list[str] = []
        keyword: list[str] = []
        body = ["_record_dict = self.__dict__"] if inline and self.direct else []
        for number, item in enumerate(self.fields):
            value = item.name if item.init else "_record_factory"
            if item.default_factory is not _MISSING and inline:
                names[f"_record_factory_{number}"] = item.default_factory
                made = f"_record_factory_{number}()"
                value = f"{item.name} if {item.name} is not _record_factory else {made}" if item.init else made
            if item.init:
                param = item.name
                if item.default_factory is not _MISSING:
                    param += "=_record_factory"
                elif item.default is not _MISSING:
                    param += f"=_record_default_{number}"
                    names[f"_record_default_{number}"] = item.default
                (keyword if item.kw_only else positional).append(param)
            if not inline:
                continue
            if self.direct:
                body.append(f"_record_dict[{item.name!r}] = {value}")
            elif self.frozen:
                body.append(f"_record_set(self, {item.name!r}, {value})")
            else:
                body.append(f"self.{item.name} = {value}")
        if inline:
            body += ["self.__post_init__()"] if self.post_init else []
        else:
            names["_record_fill"] = self.filler()
            values = "".join(f"{f.name if f.init else '_record_factory'}, " for f in self.fields)
            body = [f"_record_fill(self, ({values}))"]
        params = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
        lines = "".join(f"    {line}\n" for line in body or ["pass"])
        exec(f"def __init__({params}):\n{lines}", names)  # the method @dataclass compiles when it makes the class
        init = names["__init__"]
        assert isinstance(init, FunctionType)
        init.__qualname__ = f"{self.cls.__qualname__}.__init__"
        init.__module__ = self.cls.__module__
        return init

    def filler(self) -> Callable[[object, tuple[object, ...]], None]:
        """What the inline body does, for the values in field order (`_FACTORY`: call the field's factory); from
        the INLINE_AFTER-th call on, the class has the inline `__init__` instead."""
        plan = self
        names = tuple(f.name for f in plan.fields)
        factories = tuple((index, f.default_factory) for index, f in enumerate(plan.fields)
                          if f.default_factory is not _MISSING)
        setter: Callable[[object, str, object], None] = object.__setattr__ if plan.frozen else setattr
        calls = 0

        def fill(self: object, values: tuple[object, ...]) -> None:
            nonlocal calls
            calls += 1
            if calls == INLINE_AFTER:  # (two threads racing past it leave the filler: slower, not wrong)
                type.__setattr__(plan.cls, "__init__", plan.init(inline=True))
            if factories:
                filled = list(values)
                for index, factory in factories:
                    if filled[index] is _FACTORY:
                        filled[index] = factory()
                values = tuple(filled)
            if plan.direct:
                self.__dict__.update(zip(names, values, strict=True))
            else:
                for name, value in zip(names, values, strict=True):
                    setter(self, name, value)
            if plan.post_init:
                getattr(self, "__post_init__")()  # noqa: B009 (not every record has one)

        return fill


def _first_init(cls: type, frozen: bool) -> Callable[..., None]:
    """An `__init__` that writes the real one, puts it on `cls` and runs it (later instances call it directly)."""

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        init = _Plan(cls, frozen).init(inline=False)
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
