"""Operators (policykit/policy/operators.py) over lists that may hold more than the known items."""

from __future__ import annotations

import time

from policykit.core.values import MaybeMore, Unknown
from policykit.policy.operators import OPERATORS

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
