"""Three-valued helpers over `bool | Unknown` used by the facts."""

from __future__ import annotations

from collections.abc import Iterable

from policykit.model.values import Unknown

Truth = bool | Unknown


def any_true(values: Iterable[Truth], none: Truth = False) -> Truth:
    """True if any is True; else Unknown if any is Unknown; else `none` (for an empty input too)."""
    unknown: Unknown | None = None
    for value in values:
        if value is True:
            return True
        if isinstance(value, Unknown):
            unknown = unknown or value
    return unknown if unknown is not None else none


def all_true(values: Iterable[Truth]) -> Truth:
    unknown: Unknown | None = None
    for value in values:
        if value is False:
            return False
        if isinstance(value, Unknown):
            unknown = unknown or value
    return unknown if unknown is not None else True
