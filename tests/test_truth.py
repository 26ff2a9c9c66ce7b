"""One three-valued logic (policykit/core/truth.py), quantifiers over lists that may hold more, facts computed once."""

from __future__ import annotations

import dataclasses

import pytest

from policykit.api import ScanOptions, scan
from policykit.core.truth import all_true, any_true, both, either, negate
from policykit.core.values import MaybeMore, Unknown
from policykit.facts import FACTS
from policykit.facts.cache import once
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin
from policykit.model.live import LiveOrigin
from policykit.policy.engine import compile_condition
from policykit.policy.operators import OPERATORS
from tests.conftest import POLICIES

U = Unknown("not known here")
MORE = Unknown("dynamic blocks over var.x")


def test_kleene_rules() -> None:
    assert both(True, U) is U and both(False, U) is False and both(True, True) is True
    assert either(False, U) is U and either(True, U) is True and either(False, False) is False
    assert negate(U) is U and negate(True) is False
    assert any_true([]) is False and all_true([]) is True
    assert any_true([False], more=MORE) is MORE and any_true([True], more=MORE) is True
    assert all_true([True], more=MORE) is MORE and all_true([False], more=MORE) is False


def _distribution(ordered: MaybeMore[CacheBehavior]) -> Distribution:
    dist = Distribution(resource="D")
    dist.ordered_behaviors = ordered
    for behavior in ordered:
        behavior.distribution = dist
    return dist


def test_quantifiers_over_a_list_that_may_hold_more_answer_unknown_unless_a_known_item_decides() -> None:
    known = [CacheBehavior(path_pattern="/a/*", viewer_protocol_policy="https-only"),
             CacheBehavior(path_pattern="/b/*", viewer_protocol_policy="allow-all")]
    complete = _distribution(MaybeMore(known))
    maybe = _distribution(MaybeMore(known, more=MORE))
    def policy_is(value: str) -> dict[str, str]:
        return {"fact": "viewer_protocol_policy", "equals": value}

    some_allow_all = compile_condition({"any_item": {"of": "ordered_behaviors", "where": policy_is("allow-all")}})
    every_https = compile_condition({"all_items": {"of": "ordered_behaviors", "where": policy_is("https-only")}})
    none_redirect = compile_condition(
        {"not": {"any_item": {"of": "ordered_behaviors", "where": policy_is("redirect-to-https")}}})
    assert some_allow_all(complete) is True and some_allow_all(maybe) is True  # a known item decides
    assert every_https(complete) is False and every_https(maybe) is False
    assert none_redirect(complete) is True
    verdict = none_redirect(maybe)  # a hidden behavior may redirect: not a confident answer
    assert isinstance(verdict, Unknown) and "dynamic blocks over var.x" in verdict.reason


def test_list_operators_read_maybe_more() -> None:
    assert isinstance(OPERATORS["contains"](MaybeMore(["a"], more=MORE), "b"), Unknown)
    assert OPERATORS["contains"](MaybeMore(["a"], more=MORE), "a") is True
    assert OPERATORS["contains"](MaybeMore(["a"]), "b") is False
    assert isinstance(OPERATORS["empty"](MaybeMore(more=MORE), True), Unknown)
    assert OPERATORS["empty"](MaybeMore(["a"], more=MORE), True) is False


def test_a_fact_is_computed_once_per_object_however_many_policies_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    original = FACTS["origin"]["endpoint_kind"]

    def counted(origin: Origin) -> object:
        calls.append(id(origin))
        return original(origin)

    monkeypatch.setitem(FACTS["origin"], "endpoint_kind", once(counted))
    fixture = sorted((POLICIES / "PK101-s3-website-over-https" / "tests" / "fail").glob("*.yaml"))[0]
    result = scan([fixture], ScanOptions())
    assert any(f.policy_id == "PK101" for f in result.findings)
    # several policies and messages read endpoint_kind; each origin computed it once
    assert calls and len(calls) == len(set(calls))


def test_once_keeps_the_first_answer_on_the_object() -> None:
    seen: list[str] = []

    @once
    def fact(origin: Origin) -> str:
        seen.append("x")
        return "answer"

    origin = Origin(id="a")
    assert fact(origin) == fact(origin) == "answer" and seen == ["x"]
    assert fact(Origin(id="b")) == "answer" and seen == ["x", "x"]
    assert once(fact) is fact


def test_a_frozen_object_keeps_its_facts_beside_its_value() -> None:
    """Live objects and function runs are frozen values: their facts are computed once too, and the memo is no
    part of the value (not a field, not shown, not in the instance's dict)."""
    seen: list[str] = []

    @once
    def fact(live: LiveOrigin) -> str:
        seen.append("x")
        return live.host

    live = LiveOrigin(host="a.test", port=443, scheme="https")
    assert fact(live) == fact(live) == "a.test" and seen == ["x"]
    assert fact(LiveOrigin(host="a.test")) == "a.test" and seen == ["x", "x"]
    assert repr(live) == repr(LiveOrigin(host="a.test", port=443, scheme="https"))
    assert not {f.name for f in dataclasses.fields(live)} & {"fact_cache", "_facts"} and "_facts" not in vars(live)


