"""`@record` behaves as `@dataclass(frozen=True)`: equality, hashing, repr, immutability, `replace`; and with its
options as `@dataclass` with the same ones, whichever `__init__` a class has at the time."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field
from typing import Any

import pytest

from policykit.core import record as record_module
from policykit.core.record import record
from policykit.core.values import Unknown, UnknownAddress


@record
class Made:
    name: str
    count: int = 0
    note: str = field(default="", compare=False)
    hidden: str = field(default="", repr=False)
    loose: float = field(default=0.0, hash=False)


@dataclass(frozen=True)
class Written:
    name: str
    count: int = 0
    note: str = field(default="", compare=False)
    hidden: str = field(default="", repr=False)
    loose: float = field(default=0.0, hash=False)


@record
class Derived(Made):
    extra: tuple[str, ...] = ()


CASES = [("a",), ("a", 1), ("a", 1, "n", "h", 2.5), ("b", 2, "other", "", float("nan"))]


@pytest.mark.parametrize("args", CASES)
def test_a_record_compares_hashes_and_shows_as_a_frozen_dataclass(args: tuple[object, ...]) -> None:
    made, written = Made(*args), Written(*args)  # type: ignore[arg-type]
    assert repr(made) == repr(written).replace("Written", "Made")
    assert hash(made) == hash(written)
    assert made == Made(*args) and written == Written(*args)  # type: ignore[arg-type]
    assert (made == Made("zzz")) == (written == Written("zzz"))
    assert (made == dataclasses.replace(made, note="else")) == (written == dataclasses.replace(written, note="else"))


def test_a_record_differs_from_another_class_and_is_immutable() -> None:
    assert Made("a") != Derived("a")
    assert Made("a") != Written("a")  # type: ignore[comparison-overlap]
    assert Derived("a", extra=("x",)) == Derived("a", extra=("x",)) != Derived("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Made("a").count = 1  # type: ignore[misc]
    assert dataclasses.replace(Made("a"), count=3).count == 3
    assert [f.name for f in dataclasses.fields(Derived)] == ["name", "count", "note", "hidden", "loose", "extra"]


def test_the_model_values_keep_their_identity() -> None:
    """`Unknown` is compared and hashed by its reason and reference, not where it is written."""
    assert Unknown("no default") == Unknown("no default", at=None)
    assert len({Unknown("x"), Unknown("x"), UnknownAddress("x")}) == 2
    assert repr(Unknown("x", name="P")) == "Unknown(reason='x', ref=None, name='P')"


# `@record` (policykit/core/record.py) makes the classes of the scan path without compiling a method when each class
# is made; what it makes must behave as `@dataclass` with the same options, for every shape the package uses.
RECORD_OPTIONS = [{}, {"frozen": False}, {"frozen": False, "eq": False}, {"frozen": False, "eq": False, "repr": False}]


def _shapes(decorate: Any, options: dict[str, bool]) -> tuple[type, type]:
    """A base and a derived class with defaults, factories, keyword-only, init=False and repr/compare=False."""

    @decorate(**options)
    class Base:
        name: str
        count: int = 0
        items: list[str] = dataclasses.field(default_factory=list)
        hidden: str = dataclasses.field(default="h", repr=False, compare=False)
        made: dict[str, int] = dataclasses.field(default_factory=dict, init=False)
        fixed: str = dataclasses.field(default="class default", init=False)
        flag: bool = dataclasses.field(default=False, kw_only=True)

    @decorate(**options)
    class Derived(Base):
        extra: tuple[str, ...] = ()
        where: str = dataclasses.field(default="", kw_only=True)

    return Base, Derived


def _hashed(value: object) -> object:
    try:
        return hash(value)
    except TypeError as error:  # a list field
        return str(error)


def _dataclass(**options: bool) -> Any:
    return dataclasses.dataclass(**{"frozen": True, **options})


def _record(**options: bool) -> Any:
    return record(**options) if options else record


CALLS: list[tuple[tuple[object, ...], dict[str, object]]] = [
    (("a",), {}), (("a", 2, ["x"]), {"flag": True}), (("b",), {"hidden": "other", "items": []}),
    (("a", 1, ["y"], "h", ("e",)), {"where": "w", "flag": True}),
]


@pytest.mark.parametrize("options", RECORD_OPTIONS, ids=str)
def test_a_record_behaves_as_the_dataclass_with_its_options(options: dict[str, bool]) -> None:
    written, made = _shapes(_dataclass, options), _shapes(_record, options)
    for plain, mine in zip(written, made, strict=True):
        _same_behaviour(plain, mine, options)  # the __init__ that hands the values to a filler
        first = mine.__init__
        for _ in range(record_module.INLINE_AFTER):
            mine("a")
        assert mine.__init__ is not first
        _same_behaviour(plain, mine, options)  # the whole __init__, written for a class made often


def _same_behaviour(plain: Any, mine: Any, options: dict[str, bool]) -> None:
    assert [f.name for f in dataclasses.fields(mine)] == [f.name for f in dataclasses.fields(plain)]
    for args, kwargs in CALLS:
        if plain.__name__ == "Base" and len(args) > 4:
            args = args[:4]
        kwargs = {k: v for k, v in kwargs.items() if k in plain.__dataclass_fields__}
        one, other = plain(*args, **kwargs), mine(*args, **kwargs)
        assert vars(other) == vars(one) and list(vars(other)) == list(vars(one))  # the same fields, in order
        assert (repr(other) == repr(one)) == options.get("repr", True)  # else object's repr, with an address
        assert (other == mine(*args, **kwargs)) == (one == plain(*args, **kwargs))
        assert (other == mine("zzz")) == (one == plain("zzz"))
        assert (other == dataclasses.replace(other, hidden="x")) == (one == dataclasses.replace(one, hidden="x"))
        assert vars(dataclasses.replace(other, count=7)) == vars(dataclasses.replace(one, count=7))
        assert (mine.__hash__ is None) == (plain.__hash__ is None)
        if options.get("eq", True) and plain.__hash__ is not None:  # hashed by its compared fields
            assert _hashed(other) == _hashed(one)
        assert mine.fixed == plain.fixed == "class default" and "fixed" not in vars(other)
        assert other.made == {} and other.made is not mine("b").made  # a new one from the factory each time
    names = [(p.name, p.kind, repr(p.default)) for p in inspect.signature(plain).parameters.values()]
    assert [(p.name, p.kind, repr(p.default)) for p in inspect.signature(mine).parameters.values()] == names
    for args, kwargs in [((), {}), (("a", 1, [], "h", (), "too many"), {}), (("a",), {"made": {}}),
                         (("a",), {"nothing": 1})]:
        with pytest.raises(TypeError) as mine_error:
            mine(*args, **kwargs)
        with pytest.raises(TypeError) as plain_error:
            plain(*args, **kwargs)
        assert str(mine_error.value) == str(plain_error.value).replace(plain.__qualname__, mine.__qualname__)


def test_a_frozen_record_refuses_changes_and_a_mutable_one_takes_them() -> None:
    base, _ = _shapes(_record, {})
    made = base("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.count = 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        del made.name
    mutable, _ = _shapes(_record, {"frozen": False})
    changed = mutable("a")
    changed.count = 3
    assert changed.count == 3 and changed == mutable("a", 3)


def test_a_record_writes_its_init_when_first_instantiated() -> None:
    """The shared first `__init__` takes any arguments; the one written then takes the fields, as a dataclass's,
    and hands them to a filler; a class made often gets the whole method."""
    base, derived = _shapes(_record, {})
    first = base.__init__
    assert inspect.signature(first).parameters.keys() == {"self", "args", "kwargs"}
    derived("a")
    assert base.__init__ is first  # the derived class wrote its own only
    base("a")
    written = base.__init__
    assert written is not first and "count" in inspect.signature(written).parameters
    assert written.__qualname__.endswith("Base.__init__") and "_record_fill" in written.__code__.co_names
    for _ in range(record_module.INLINE_AFTER):
        base("a")
    assert "_record_fill" not in base.__init__.__code__.co_names
    assert inspect.signature(base.__init__) == inspect.signature(written)


def test_a_record_refuses_what_a_dataclass_refuses() -> None:
    with pytest.raises(TypeError, match="non-default argument 'name' follows default argument"):
        @record
        class Wrong:
            count: int = 0
            name: str  # type: ignore[misc]


def test_a_record_keeps_the_methods_its_class_writes() -> None:
    @record
    class Shown:
        name: str

        def __repr__(self) -> str:
            return "shown"

        def __post_init__(self) -> None:
            object.__setattr__(self, "seen", True)

    for _ in range(record_module.INLINE_AFTER + 1):  # both __init__s call __post_init__
        assert repr(Shown("a")) == "shown" and Shown("a").seen  # type: ignore[attr-defined]


@pytest.mark.parametrize("decorate", [_dataclass, _record], ids=["dataclass", "record"])
def test_a_mutable_record_assigns_through_its_own_setattr(decorate: Any) -> None:
    """A mutable class with its own `__setattr__` sees each field its `__init__` sets, as with @dataclass."""
    seen: list[str] = []

    @decorate(frozen=False)
    class Watched:
        name: str
        items: list[str] = dataclasses.field(default_factory=list)

        def __setattr__(self, name: str, value: object) -> None:
            seen.append(name)
            object.__setattr__(self, name, value)

    for _ in range(record_module.INLINE_AFTER + 1):
        seen.clear()
        assert vars(Watched("a")) == {"name": "a", "items": []} and seen == ["name", "items"]
