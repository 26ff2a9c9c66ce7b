"""The policy engine (policykit/policy/engine.py): conditions compiled once and judged in three-valued logic; a
policy that raises is a finding of its own."""

from __future__ import annotations

from policykit.core.values import MaybeMore, Unknown
from policykit.model.cloudfront import CacheBehavior, Distribution
from policykit.policy.engine import compile_condition

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
