"""The one three-valued logic: `Truth` is True, False, or `Unknown` (which says why).

Used by facts, by the policy engine's conditions and operators, and by quantifiers over lists
that may hold more than is known (`MaybeMore`): such a list answers unknown unless a known item
decides. Kleene's rules: False wins an `and`, True wins an `or`, otherwise Unknown wins over
the other value. The first Unknown's reason is kept.
"""

from __future__ import annotations

from collections.abc import Iterable

from policykit.core.values import Unknown

Truth = bool | Unknown


def negate(value: Truth) -> Truth:
    return value if isinstance(value, Unknown) else not value


def both(left: Truth, right: Truth) -> Truth:
    return all_true((left, right))


def either(left: Truth, right: Truth) -> Truth:
    return any_true((left, right))


def any_true(values: Iterable[Truth], none: Truth = False, more: Unknown | None = None) -> Truth:
    """True if any is True; else Unknown if any is Unknown or the list may hold `more`; else `none` (empty too)."""
    unknown: Unknown | None = None
    for value in values:
        if value is True:
            return True
        if isinstance(value, Unknown):
            unknown = unknown or value
    unknown = unknown or more
    return unknown if unknown is not None else none


def all_true(values: Iterable[Truth], more: Unknown | None = None) -> Truth:
    """False if any is False; else Unknown if any is Unknown or the list may hold `more`; else True."""
    unknown: Unknown | None = None
    for value in values:
        if value is False:
            return False
        if isinstance(value, Unknown):
            unknown = unknown or value
    unknown = unknown or more
    return unknown if unknown is not None else True
