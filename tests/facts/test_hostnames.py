"""Host names (policykit/facts/hostnames.py): which names a certificate name covers, what kind of endpoint a name is."""

from __future__ import annotations

import re

import pytest

from policykit.facts import hostnames
from policykit.facts.hostnames import name_covers


@pytest.mark.parametrize(("pattern", "host", "covered"), [
    ("www.example.com", "www.example.com", True),
    ("*.example.com", "ws.example.com", True),
    ("*.example.com", "example.com", False),
    ("*.example.com", "a.b.example.com", False),
    ("www.example.com", "ws.example.com", False),
])
def test_certificate_name_coverage(pattern: str, host: str, covered: bool) -> None:
    assert name_covers(pattern, host) is covered


def test_each_endpoint_pattern_is_tried_only_in_its_domain() -> None:
    """`endpoint_kind` tries (and compiles) a pattern only for a name in its domain: every alternative of each
    pattern ends in that domain, so the shortcut changes no answer."""
    for kind, suffix, pattern in hostnames.ENDPOINT_PATTERNS:
        for alternative in pattern().pattern.split("|^"):  # the top-level alternatives
            assert re.escape(suffix) in alternative, kind
    assert hostnames.endpoint_kind("origin.example.com") == "custom"
    assert hostnames.endpoint_kind("my-lb-1.us-east-1.elb.amazonaws.com") == "elb"
