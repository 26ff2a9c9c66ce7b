"""Operators (policykit/policy/operators.py) over lists that may hold more than the known items."""

from __future__ import annotations

from policykit.core.values import MaybeMore, Unknown
from policykit.policy.operators import OPERATORS

MORE = Unknown("dynamic blocks over var.x")


def test_list_operators_read_maybe_more() -> None:
    assert isinstance(OPERATORS["contains"](MaybeMore(["a"], more=MORE), "b"), Unknown)
    assert OPERATORS["contains"](MaybeMore(["a"], more=MORE), "a") is True
    assert OPERATORS["contains"](MaybeMore(["a"]), "b") is False
    assert isinstance(OPERATORS["empty"](MaybeMore(more=MORE), True), Unknown)
    assert OPERATORS["empty"](MaybeMore(["a"], more=MORE), True) is False
