"""`@record` behaves as `@dataclass(frozen=True)`: equality, hashing, repr, immutability, `replace`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

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
