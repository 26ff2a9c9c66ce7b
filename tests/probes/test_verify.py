"""policykit's verifier (policykit/probes/verify.py): names, validity, trust and completeness of a served chain,
judged by CloudFront's profile on chains a real CA (tests/live/live_servers.py) issued."""

from __future__ import annotations

from pathlib import Path

from policykit.probes.verify import check_chain
from tests.live.live_servers import DAY, NOW, Pki, issue


def test_chain_problems_combine(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = Pki.create(tmp_path)
    leaf = pki.leaf("www.example.com", not_after=NOW + 3 * DAY)
    der = [leaf.cert.public_bytes(Encoding.DER)]
    result = check_chain(der, "api.example.com", pki.trust_store, 30)
    assert set(result.problems) == {"expiring-soon", "name-mismatch", "incomplete-chain"}
    assert result.days_left == 2
    # the same chain against a trust store holding the intermediate is complete
    (tmp_path / "int.pem").write_bytes(pki.intermediate.pem())
    assert "incomplete-chain" not in check_chain(der, "www.example.com", tmp_path / "int.pem", 30).problems


def test_a_self_signed_ca_is_not_mistaken_for_the_leaf(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = Pki.create(tmp_path)
    private_leaf = issue("origin.test", pki.private_root, sans=("origin.test",))
    chain = [c.public_bytes(Encoding.DER) for c in (private_leaf.cert, pki.private_root.cert)]
    assert check_chain(chain, "origin.test", pki.trust_store, 30).problems == ("untrusted-root",)
