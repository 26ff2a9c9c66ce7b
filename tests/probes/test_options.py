"""Settings of a live scan (policykit/probes/options.py): the forms a nameserver may take."""

from __future__ import annotations

import pytest

from policykit.probes.options import Nameserver, parse_nameserver


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1", Nameserver("127.0.0.1", 53)),
    ("127.0.0.1:5353", Nameserver("127.0.0.1", 5353)),
    ("[::1]:5353", Nameserver("::1", 5353)),
    ("::1", Nameserver("::1", 53)),
])
def test_nameserver_forms(text: str, expected: Nameserver) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["", "host:", "host:0", "host:70000", "host:x"])
def test_bad_nameservers(text: str) -> None:
    with pytest.raises(ValueError, match="expected HOST or HOST:PORT"):
        parse_nameserver(text)
