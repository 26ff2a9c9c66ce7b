"""The one three-valued logic (policykit/core/truth.py): Kleene's rules, also over lists that may hold more."""

from __future__ import annotations

from policykit.core.truth import all_true, any_true, both, either, negate
from policykit.core.values import Unknown

U = Unknown("not known here")
MORE = Unknown("dynamic blocks over var.x")


def test_kleene_rules() -> None:
    assert both(True, U) is U and both(False, U) is False and both(True, True) is True
    assert either(False, U) is U and either(True, U) is True and either(False, False) is False
    assert negate(U) is U and negate(True) is False
    assert any_true([]) is False and all_true([]) is True
    assert any_true([False], more=MORE) is MORE and any_true([True], more=MORE) is True
    assert all_true([True], more=MORE) is MORE and all_true([False], more=MORE) is False
