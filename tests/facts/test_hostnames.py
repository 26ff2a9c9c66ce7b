"""Host names (policykit/facts/hostnames.py): which names a certificate name covers."""

from __future__ import annotations

import pytest

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
