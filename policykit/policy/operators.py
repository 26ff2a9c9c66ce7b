"""Operators: small pure functions `(actual, argument) -> Truth` (Unknown: cannot decide).

`actual` is whatever a fact path reached (a field, a fact, a list of objects...); `argument` is the
policy's, of the type policy/schema.json gives the operator (a number for `gt`, a list for `in`...).
Unknown and partly known values are decided by the engine before an operator runs, except
for list operators, which can still find a known member in a list with unknown members.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from policykit.core.json_types import JsonValue
from policykit.core.truth import Truth
from policykit.core.values import Partial, Unknown, is_known

Operator = Callable[[object, JsonValue], Truth]
UNDECIDED = Unknown("the value cannot be compared")


def _number(value: object) -> float | None:
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


# The argument as the schema gives it to the operator; anything else raises as Python would on it (a policy
# that breaks the schema fails with PK007, naming the policy).
def _argument_number(argument: JsonValue) -> float:
    if isinstance(argument, (str, int, float)):
        return float(argument)
    raise TypeError(f"float() argument must be a string or a real number, not '{type(argument).__name__}'")


def _argument_text(argument: JsonValue) -> str:
    if isinstance(argument, str):
        return argument
    raise AttributeError(f"'{type(argument).__name__}' object has no attribute 'lower'")


def _argument_items(argument: JsonValue) -> Iterable[JsonValue]:
    if isinstance(argument, (int, float)) or argument is None:
        raise TypeError(f"'{type(argument).__name__}' object is not iterable")
    return argument


def _compare(test: Callable[[float, float], bool]) -> Operator:
    def operator(actual: object, argument: JsonValue) -> Truth:
        number = _number(actual)
        return UNDECIDED if number is None else test(number, _argument_number(argument))
    return operator


def _fold(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def _contains(actual: object, wanted: list[JsonValue], fold: bool = False) -> Truth:
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


def _equals(actual: object, argument: JsonValue) -> bool:
    if isinstance(argument, bool) or isinstance(actual, bool):
        return actual is argument
    return bool(actual == argument)


def _empty(actual: object, wanted: JsonValue) -> Truth:
    if not isinstance(actual, (list, tuple, dict, str)):
        return UNDECIDED
    more = getattr(actual, "more", None)
    if isinstance(more, Unknown) and len(actual) == 0:
        return more  # empty as far as is known, but it may hold more
    return (len(actual) == 0) == wanted


def _matches(actual: object, pattern: JsonValue) -> Truth:
    """Searched with RE2 (policykit/policy/patterns.py): linear in the text, whatever the policy's pattern."""
    if not isinstance(actual, (str, int)):
        return UNDECIDED
    if not isinstance(pattern, str):
        raise TypeError("first argument must be string or compiled pattern")
    from policykit.policy.patterns import search  # RE2: only when a policy uses `matches`

    return search(pattern, str(actual))


OPERATORS: dict[str, Operator] = {
    "equals": _equals,
    "equals_ignore_case": lambda a, b: isinstance(a, str) and a.lower() == _argument_text(b).lower(),
    "in": lambda a, b: any(_equals(a, item) for item in _argument_items(b)),
    "in_ignore_case": lambda a, b: isinstance(a, str) and a.lower() in {_argument_text(x).lower()
                                                                        for x in _argument_items(b)},
    "matches": _matches,
    "gt": _compare(lambda a, b: a > b),
    "gte": _compare(lambda a, b: a >= b),
    "lt": _compare(lambda a, b: a < b),
    "lte": _compare(lambda a, b: a <= b),
    "contains": lambda a, b: _contains(a, [b]),
    "contains_any": lambda a, b: _contains(a, list(_argument_items(b))),
    "contains_ignore_case": lambda a, b: _contains(a, [b], fold=True),
    "exists": lambda a, b: (a is not None) == b,
    "empty": _empty,
    "known": lambda a, b: is_known(a) == b,
}

# Operators that look inside a value themselves, and so still run when the value is partly unknown.
RUNS_ON_UNKNOWN = frozenset({"contains", "contains_any", "contains_ignore_case", "exists", "known"})
