"""The TLS probe (policykit/probes/tls_probe.py) offers what CloudFront offers, of the protocols configured."""

from __future__ import annotations

from policykit.core.origin_tls import default_protocols
from policykit.probes.tls_probe import offered_protocols


def test_protocols_offered() -> None:
    assert offered_protocols(None) == default_protocols() == ("TLSv1", "TLSv1.1", "TLSv1.2")
    assert offered_protocols(["TLSv1.2", "SSLv3"]) == ("TLSv1.2",)
    assert offered_protocols(["SSLv3"]) == ()
