"""Facts are computed once per object (policykit/facts/cache.py), and a fact refuses an object of another kind."""

from __future__ import annotations

import dataclasses

import pytest

from policykit.api import ScanOptions, scan
from policykit.facts import FACTS, facts_of
from policykit.facts.cache import once, once_for
from policykit.model.cloudfront import CacheBehavior, Origin
from policykit.model.live import LiveOrigin
from tests.helpers import POLICIES


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


def test_a_registered_fact_given_an_object_of_another_kind_is_a_type_error_naming_both() -> None:
    with pytest.raises(TypeError, match="the fact endpoint_kind reads origin objects, not behavior"):
        FACTS["origin"]["endpoint_kind"](CacheBehavior(path_pattern="/a/*"))


def test_facts_of_checks_the_class_before_computing_and_keeps_no_answer() -> None:
    calls: list[str] = []

    def answer(origin: Origin) -> str:
        calls.append(origin.id)
        return "x"

    table = facts_of(Origin, {"answer": answer})
    behavior = CacheBehavior(path_pattern="/a/*")
    for _ in range(2):  # refused each time: a refusal is not kept as an answer
        with pytest.raises(TypeError, match="the fact answer reads origin objects, not behavior"):
            table["answer"](behavior)
    assert calls == []
    assert table["answer"](Origin(id="a")) == "x" and calls == ["a"]


def test_a_registered_fact_is_not_wrapped_again() -> None:
    def answer(origin: Origin) -> str:
        return "x"

    registered = once_for(Origin, answer)
    assert once(registered) is registered  # one memo per fact, not one per wrapping


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
