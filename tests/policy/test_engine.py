"""The policy engine (policykit/policy/engine.py): conditions compiled once and judged in three-valued logic; a
policy that raises is a finding of its own."""

from __future__ import annotations

import pytest

from policykit.api import ScanOptions, scan
from policykit.core.values import MaybeMore, Unknown
from policykit.facts import FACTS
from policykit.model.cloudfront import CacheBehavior, Distribution
from policykit.policy.engine import compile_condition
from tests.helpers import POLICIES, RunCli

MORE = Unknown("dynamic blocks over var.x")


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


def test_a_fact_that_raises_is_pk007_for_that_policy_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch, run_cli: RunCli) -> None:
    def broken(origin: object) -> bool:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(FACTS["origin"], "aws_generated_host", broken)
    template = POLICIES / "PK101-s3-website-over-https" / "tests" / "fail"
    fixture = sorted(p for p in template.iterdir() if p.suffix == ".yaml")[0]
    result = scan([fixture], ScanOptions())
    internal = [f for f in result.findings if f.policy_id == "PK007"]
    assert internal and all("internal error in policy PK201" in f.message for f in internal)
    assert "ZeroDivisionError: division by zero" in internal[0].message
    assert internal[0].severity.value == "error"
    assert any(f.policy_id == "PK101" and not f.unknown for f in result.findings)  # the others still ran
    code, out, _ = run_cli("scan", str(fixture))
    assert code == 3 and "PK101" in out and "PK007" in out
