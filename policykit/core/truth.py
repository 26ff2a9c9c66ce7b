"""The one three-valued logic: `Truth` is True, False, or `Unknown` (which says why).

Used by facts, by the policy engine's conditions and operators, and by quantifiers over lists
that may hold more than is known (`MaybeMore`): such a list answers unknown unless a known item
decides. Kleene's rules: False wins an `and`, True wins an `or`, otherwise Unknown wins over
the other value. The first Unknown's reason is kept.

`text_equal` is the one rule for comparing partly known strings (ids, names) under that logic.
"""

from __future__ import annotations

from collections.abc import Iterable

from policykit.core.values import Partial, Unknown

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


# Whether two partly known strings are equal: the one rule every fact compares ids and names with.
#
# A `Partial` is known text around unknown pieces. Two values are decidedly different when their known
# pieces cannot line up: a fixed prefix, suffix or literal middle of one that the other cannot hold
# (`${Bucket}-origin` is never `mybucket.s3.amazonaws.com`). They are decidedly equal when they are the same
# expression over the same unknowns (`${AWS::StackName}-web` twice). Anything else is Unknown.
#
# An unknown piece stands for one value only when it names it: a reference to a resource attribute, or a
# named input (a parameter, a pseudo parameter, a Terraform variable). An unnamed unknown ("Fn::Select over
# a value only known at deployment") may differ from another of the same words. The unknown pieces may be
# empty: only what is written decides.

Piece = str | Unknown


def same_unknown(left: Unknown, right: Unknown) -> bool:
    """Do two unknown pieces stand for the same value (the same reference, or the same named input)?"""
    return left == right and (left.ref is not None or bool(left.name))


def text_equal(left: object, right: object) -> Truth:
    """Is `left` equal to `right`? True, False, or Unknown when the unknown pieces decide."""
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    a, b = _pieces(left), _pieces(right)
    if a is None or b is None:
        return _undecided(left, right)
    a, b = _strip_common(a, b)
    if _known(a) and _known(b):
        return _text(a) == _text(b)
    if _known(b) and not _fits(_text(b), a):
        return False
    if _known(a) and not _fits(_text(a), b):
        return False
    if _ends_differ(a, b):
        return False
    return _undecided(left, right)


def _pieces(value: object) -> tuple[Piece, ...] | None:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Partial):
        return value.parts
    if isinstance(value, Unknown):
        return (value,)
    return None


def _known(parts: tuple[Piece, ...]) -> bool:
    return all(isinstance(p, str) for p in parts)


def _text(parts: tuple[Piece, ...]) -> str:
    return "".join(p for p in parts if isinstance(p, str))


def _same_piece(left: Piece, right: Piece) -> bool:
    if isinstance(left, str) or isinstance(right, str):
        return left == right
    return same_unknown(left, right)


def _strip_common(a: tuple[Piece, ...], b: tuple[Piece, ...]) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    """Both without the pieces they begin and end with alike (equal text, or the same unknown value)."""
    start = 0
    while start < min(len(a), len(b)) and _same_piece(a[start], b[start]):
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and _same_piece(a[-1 - end], b[-1 - end]):
        end += 1
    return a[start:len(a) - end], b[start:len(b) - end]


def _fits(text: str, parts: tuple[Piece, ...]) -> bool:
    """Could `parts` (unknown pieces matching any text) spell `text`? Linear: the first and last known
    pieces anchor the ends, the others are found in order, each at its leftmost place."""
    literals = [p for p in parts if isinstance(p, str)]
    if not literals:
        return True
    low, high = 0, len(text)
    if isinstance(parts[0], str):
        if not text.startswith(parts[0]):
            return False
        low = len(parts[0])
        literals = literals[1:]
    if isinstance(parts[-1], str) and len(parts) > 1:
        if not text.endswith(parts[-1]) or len(text) - len(parts[-1]) < low:
            return False
        high = len(text) - len(parts[-1])
        literals = literals[:-1]
    for literal in literals:
        found = text.find(literal, low, high)
        if found < 0:
            return False
        low = found + len(literal)
    return True


def _ends_differ(a: tuple[Piece, ...], b: tuple[Piece, ...]) -> bool:
    """Do two partly known values begin or end with known text that cannot be the same?"""
    if not (a and b):
        return False
    first, other_first, last, other_last = a[0], b[0], a[-1], b[-1]
    heads = isinstance(first, str) and isinstance(other_first, str) and not (
        first.startswith(other_first) or other_first.startswith(first))
    tails = isinstance(last, str) and isinstance(other_last, str) and not (
        last.endswith(other_last) or other_last.endswith(last))
    return heads or tails


def _undecided(left: object, right: object) -> Unknown:
    for value in (left, right):
        if isinstance(value, (Unknown, Partial)) and value.reason:
            return Unknown(value.reason)
    return Unknown("a value is not known")
