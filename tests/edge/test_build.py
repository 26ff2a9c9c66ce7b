"""A function's result to the model objects policies check (policykit/edge/build.py): a run shared by several
associations is rebuilt at each one's place."""

from __future__ import annotations


def test_a_run_shared_by_two_associations_is_rebuilt_at_each() -> None:
    """One run per function, event and path; each other association gets a result, and parts, at its own place."""
    from policykit.core.location import Location
    from policykit.edge.build import build_result, relocate
    from policykit.edge.paths import at
    from policykit.model.function_runs import EdgeRun

    here, there = Location("t.yaml", 10, 7), Location("t.yaml", 20, 7)
    value = {"status": 200, "headers": {"x-cache": [{"key": "X-Cache", "value": "a"}]}}
    result = build_result(value, "viewer-response", "fn", at(here))
    run = EdgeRun(function="fn", event_type="viewer-response", result=result, loc=here)
    moved = relocate(run, there)
    assert moved.loc == there and moved.result is not None and moved.result is not result
    assert [(h.name, h.value) for h in moved.result.headers] == [("x-cache", "a")]
    parts = [*moved.result.headers, *moved.result.problems]
    assert len(parts) == 2 and all(p.loc == there and p.result is moved.result for p in parts)
    assert all(p.loc == here and p.result is result for p in (*result.headers, *result.problems))  # as it was
