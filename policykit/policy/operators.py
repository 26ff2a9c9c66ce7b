"""Operators: small pure functions `(actual, argument) -> Truth` (Unknown: cannot decide).

Unknown and partly known values are decided by the engine before an operator runs, except
for list operators, which can still find a known member in a list with unknown members.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from policykit.core.truth import Truth
from policykit.core.values import Partial, Unknown, is_known

Operator = Callable[[Any, Any], Truth]
UNDECIDED = Unknown("the value cannot be compared")


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(test: Callable[[float, float], bool]) -> Operator:
    def operator(actual: Any, argument: Any) -> Truth:
        number = _number(actual)
        return UNDECIDED if number is None else test(number, float(argument))
    return operator


def _fold(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _contains(actual: Any, wanted: list[Any], fold: bool = False) -> Truth:
    """Is a wanted item in the list? Unknown when not found but an item, or more items, are unknown."""
    if not isinstance(actual, (list, tuple)):
        return UNDECIDED
    items = [_fold(a) if fold else a for a in actual]
    targets = [_fold(w) if fold else w for w in wanted]
    if any(t in items for t in targets):
        return True
    if any(isinstance(a, (Unknown, Partial)) for a in items):
        return UNDECIDED
    more = getattr(actual, "more", None)
    return more if isinstance(more, Unknown) else False


def _equals(actual: Any, argument: Any) -> bool:
    if isinstance(argument, bool) or isinstance(actual, bool):
        return actual is argument
    return bool(actual == argument)


def _empty(actual: Any, wanted: bool) -> Truth:
    if not isinstance(actual, (list, tuple, dict, str)):
        return UNDECIDED
    more = getattr(actual, "more", None)
    if isinstance(more, Unknown) and len(actual) == 0:
        return more  # empty as far as is known, but it may hold more
    return (len(actual) == 0) == wanted


OPERATORS: dict[str, Operator] = {
    "equals": _equals,
    "equals_ignore_case": lambda a, b: isinstance(a, str) and a.lower() == b.lower(),
    "in": lambda a, b: any(_equals(a, item) for item in b),
    "in_ignore_case": lambda a, b: isinstance(a, str) and a.lower() in {x.lower() for x in b},
    "matches": lambda a, b: UNDECIDED if not isinstance(a, (str, int)) else re.search(b, str(a)) is not None,
    "gt": _compare(lambda a, b: a > b),
    "gte": _compare(lambda a, b: a >= b),
    "lt": _compare(lambda a, b: a < b),
    "lte": _compare(lambda a, b: a <= b),
    "contains": lambda a, b: _contains(a, [b]),
    "contains_any": lambda a, b: _contains(a, list(b)),
    "contains_ignore_case": lambda a, b: _contains(a, [b], fold=True),
    "exists": lambda a, b: (a is not None) == b,
    "empty": _empty,
    "known": lambda a, b: is_known(a) == b,
}

# Operators that look inside a value themselves, and so still run when the value is partly unknown.
RUNS_ON_UNKNOWN = frozenset({"contains", "contains_any", "contains_ignore_case", "exists", "known"})
