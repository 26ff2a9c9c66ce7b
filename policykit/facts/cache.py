"""Facts are computed once per object: the first answer is kept on the object (`ModelObject.fact_cache`).

The model is complete before any fact runs (the builders and `scan --live` fill it first), so
a fact's answer never goes stale.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar, cast

from policykit.model.base import ModelObject

_O = TypeVar("_O", bound=ModelObject)
_R = TypeVar("_R")


def once(fact: Callable[[_O], _R]) -> Callable[[_O], _R]:
    """The fact, computed at most once per object."""
    if getattr(fact, "computed_once", False):
        return fact

    @functools.wraps(fact)
    def cached(obj: _O) -> _R:
        store = obj.fact_cache
        if fact in store:
            return cast(_R, store[fact])
        value = store[fact] = fact(obj)
        return value

    cached.computed_once = True  # type: ignore[attr-defined]
    return cached
