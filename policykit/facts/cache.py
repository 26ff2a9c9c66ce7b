"""Facts are computed once per object: the first answer is kept with the object (`ModelObject.fact_cache`, a slot
of the object, not a field of its value, so frozen objects have one too), and found again in one dict lookup.

Every object is complete before any fact runs (the readers build the model; the live objects and function runs
are frozen values built before the engine runs), so a fact's answer never goes stale.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Protocol, TypeVar, cast

from policykit.model.base import ModelObject

_O = TypeVar("_O", bound=ModelObject)
_R = TypeVar("_R")
_CACHED: set[object] = set()  # the functions `once` and `once_for` made (each computes once already)


class Fact(Protocol):
    """A fact as the registry holds it (`policykit.facts.FACTS[kind][name]`): a function of one model object
    of its kind, computed once per object. What it gives is what a policy path goes on from: True/False/Unknown,
    a value, or model objects (policykit/policy/engine.py reads it by its kind, fields and type)."""

    def __call__(self, obj: ModelObject, /) -> object: ...


def once(fact: Callable[[_O], _R]) -> Callable[[_O], _R]:
    """The fact, computed at most once per object."""
    if fact in _CACHED:
        return fact

    @functools.wraps(fact)
    def cached(obj: _O) -> _R:
        store = obj.fact_cache
        if fact in store:
            return cast(_R, store[fact])
        value = store[fact] = fact(obj)
        return value

    _CACHED.add(cached)
    return cached


def once_for(subject: type[_O], fact: Callable[[_O], object]) -> Fact:
    """`fact`, a function of `subject` objects, as the registry holds it: computed at most once per object,
    and only on an object of that class (the registry is read by kind: another object is a bug, said so)."""

    @functools.wraps(fact)
    def cached(obj: ModelObject) -> object:
        store = obj.fact_cache
        if fact in store:
            return store[fact]
        if not isinstance(obj, subject):
            raise TypeError(f"the fact {fact.__name__} reads {subject.kind} objects, not {obj.kind}")
        value = store[fact] = fact(obj)
        return value

    _CACHED.add(cached)
    return cached
