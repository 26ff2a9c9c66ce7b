"""What CloudFront accepts from an edge function (policykit/core/edge_rules.py): the quota side of each event,
header lists with `*` entries, and the timeout a function gets."""

from __future__ import annotations

import pytest

from policykit.core.edge_rules import DISALLOWED, READ_ONLY, listed, side, timeout_for


@pytest.mark.parametrize(("event", "quota"), [
    ("viewer-request", "viewer"), ("viewer-response", "viewer"),
    ("origin-request", "origin"), ("origin-response", "origin"),
])
def test_each_event_has_the_quotas_of_its_side(event: str, quota: str) -> None:
    assert side(event) == quota


def test_header_lists_match_names_and_wildcard_entries() -> None:
    assert listed("x-edge-location", DISALLOWED) and listed("x-amz-cf-id", DISALLOWED)
    assert listed("connection", DISALLOWED) and not listed("x-amz-date", DISALLOWED)
    assert not listed("x-edge", DISALLOWED)  # `x-edge-*` needs the dash
    assert listed("host", READ_ONLY["viewer-request"]) and not listed("host", READ_ONLY["origin-request"])


def test_a_function_timeout_is_its_own_or_lambdas_default_never_above_the_event_quota() -> None:
    assert timeout_for("viewer-request", None) == 3.0
    assert timeout_for("origin-request", None) == 3.0
    assert timeout_for("viewer-request", 4.0) == 4.0 and timeout_for("viewer-request", 10.0) == 5.0
    assert timeout_for("origin-response", 10.0) == 10.0 and timeout_for("origin-response", 60.0) == 30.0
    assert timeout_for("viewer-response", 5.0) == 5.0
