"""Operators (policykit/policy/operators.py) over lists that may hold more than the known items."""

from __future__ import annotations

import time

import pytest

from policykit.core.values import MaybeMore, Partial, Unknown
from policykit.policy.operators import OPERATORS, UNDECIDED

MORE = Unknown("dynamic blocks over var.x")


def test_list_operators_read_maybe_more() -> None:
    assert isinstance(OPERATORS["contains"](MaybeMore(["a"], more=MORE), "b"), Unknown)
    assert OPERATORS["contains"](MaybeMore(["a"], more=MORE), "a") is True
    assert OPERATORS["contains"](MaybeMore(["a"]), "b") is False
    assert isinstance(OPERATORS["empty"](MaybeMore(more=MORE), True), Unknown)
    assert OPERATORS["empty"](MaybeMore(["a"], more=MORE), True) is False


def test_matches_searches_as_python_re_does_for_the_patterns_re2_shares() -> None:
    matches = OPERATORS["matches"]
    assert matches("origin.example.com", r"\.example\.com$") is True
    assert matches("origin.example.com", r"^example") is False
    assert matches(8443, r"^84") is True  # a number is matched as its text
    assert matches("Ünïcode.example", r"^Ün") is True
    assert isinstance(matches(["a"], "a"), Unknown)


def test_matches_is_linear_in_the_text_whatever_the_pattern() -> None:
    """`^(a+)+$` backtracks exponentially in Python's `re` (a 40-character name never ends); RE2 does not."""
    started = time.perf_counter()
    assert OPERATORS["matches"]("a" * 36 + ".com", "^(a+)+$") is False
    assert OPERATORS["matches"]("a" * 100_000 + "!", "^(a|aa)+$") is False
    assert OPERATORS["matches"]("a" * 40, "^(a+)+$") is True
    assert time.perf_counter() - started < 5
def op(name: str, actual: object, argument: object) -> object:
    return OPERATORS[name](actual, argument)  # type: ignore[arg-type]


def test_equals_and_in_keep_booleans_apart_from_numbers() -> None:
    assert op("equals", "a", "a") is True and op("equals", "a", "b") is False and op("equals", 1, 1.0) is True
    assert op("equals", True, True) is True and op("equals", True, 1) is False and op("equals", 1, True) is False
    assert op("equals", False, False) is True and op("equals", 0, False) is False
    assert op("in", "b", ["a", "b"]) is True and op("in", "c", ["a", "b"]) is False
    assert op("in", 1, [True]) is False and op("in", True, [1, True]) is True


def test_ignore_case_operators_fold_both_sides() -> None:
    assert op("equals_ignore_case", "HTTPS-Only", "https-only") is True
    assert op("equals_ignore_case", "https-only", "HTTPS-ONLY") is True
    assert op("equals_ignore_case", "http-only", "https-only") is False
    assert op("equals_ignore_case", 1, "1") is False  # not text: never equal
    assert op("in_ignore_case", "TLSv1.2", ["tlsv1.1", "TLSV1.2"]) is True
    assert op("in_ignore_case", "TLSv1", ["tlsv1.1", "tlsv1.2"]) is False and op("in_ignore_case", 1, ["1"]) is False


def test_comparisons_read_numbers_and_numeric_text_and_nothing_else() -> None:
    assert op("gt", 2, 1) is True and op("gt", 1, 1) is False and op("gt", "2", "1.5") is True
    assert op("gte", 1, 1) is True and op("gte", 0.5, 1) is False
    assert op("lt", 1, 2) is True and op("lt", 1, 1) is False and op("lt", "1e3", 999) is False
    assert op("lte", 1, 1) is True and op("lte", 2, 1) is False
    for actual in (True, "eighty", None, [1], {"a": 1}):
        assert isinstance(op("gt", actual, 0), Unknown), actual
    with pytest.raises(TypeError):
        op("gt", 1, [1])  # an argument the schema refuses fails the policy, not the comparison


def test_arguments_against_the_schema_fail_as_python_would() -> None:
    # the message is Python's own for the same mistake: PK007 shows it, naming the policy
    with pytest.raises(AttributeError, match=r"^'int' object has no attribute 'lower'$"):
        op("equals_ignore_case", "a", 1)
    with pytest.raises(TypeError, match=r"^'int' object is not iterable$"):
        op("in", "a", 1)
    with pytest.raises(TypeError, match=r"^'NoneType' object is not iterable$"):
        op("in", "a", None)
    with pytest.raises(TypeError, match=r"^first argument must be string or compiled pattern$"):
        op("matches", "a", 1)
    with pytest.raises(TypeError, match=r"^float\(\) argument must be a string or a real number, not 'list'$"):
        op("gt", 1, [1])


def test_contains_finds_a_known_item_even_among_unknown_ones() -> None:
    assert op("contains", ["a", MORE], "a") is True
    assert isinstance(op("contains", ["a", MORE], "b"), Unknown)  # the unknown item may be "b"
    assert isinstance(op("contains", ["a", Partial(("x-", MORE))], "b"), Unknown)
    assert op("contains", ("a", "b"), "b") is True and op("contains", [], "a") is False
    assert isinstance(op("contains", "abc", "a"), Unknown)  # not a list
    assert op("contains", MaybeMore(["a"], more=MORE), "b") is MORE  # the reason is the list's
    assert op("contains_any", ["a", "b"], ["c", "b"]) is True and op("contains_any", ["a"], ["c", "d"]) is False
    assert op("contains_ignore_case", ["Host", "Accept"], "host") is True
    assert op("contains_ignore_case", ["host"], "HOST") is True and op("contains", ["Host"], "host") is False
    assert op("contains_ignore_case", [1, "a"], "b") is False
    assert op("contains", ["Host"], "Host") is True  # without ignore_case, the same text is found as it is
    assert op("contains_ignore_case", ["STRASSE"], "straße") is False  # lower-case folding, not casefold


def test_exists_empty_known_and_matches() -> None:
    assert op("exists", "x", True) is True and op("exists", None, True) is False and op("exists", None, False)
    assert op("exists", 0, False) is False  # 0 is a value
    assert op("empty", [], True) is True and op("empty", "", True) is True and op("empty", {}, False) is False
    assert op("empty", ["a"], False) is True and op("empty", {"a": 1}, True) is False
    assert isinstance(op("empty", 0, True), Unknown) and isinstance(op("empty", None, True), Unknown)
    assert op("empty", MaybeMore(more=MORE), True) is MORE
    assert op("empty", MaybeMore(more=MORE), False) is MORE
    assert op("known", "a", True) is True and op("known", ["a", MORE], True) is False
    assert op("known", MORE, False) is True
    assert op("matches", "origin.example.com", r"\.example\.com$") is True
    assert op("matches", "example.org", r"\.example\.com$") is False
    assert op("matches", 8443, "^84") is True  # a number as its text
    assert isinstance(op("matches", ["a"], "a"), Unknown) and isinstance(op("matches", None, "a"), Unknown)


def test_a_comparison_made_from_its_test() -> None:
    from policykit.policy.operators import _compare

    above = _compare(lambda a, b: a > b)  # how gt, gte, lt and lte are made
    assert above(2, 1) is True and above("2", 1.5) is True and above(1, 2) is False
    assert above(None, 1) is UNDECIDED and above(True, 0) is UNDECIDED
