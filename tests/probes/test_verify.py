"""policykit's verifier (policykit/probes/verify.py): names, validity, trust and completeness of a served chain,
judged by CloudFront's profile on chains a real CA (tests/live/live_servers.py) issued."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.probes.verify import check_chain
from tests.live.live_servers import DAY, NOW, Issued, Pki, issue


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


def _der(*issued: Issued) -> list[bytes]:
    from cryptography.hazmat.primitives.serialization import Encoding

    return [i.cert.public_bytes(Encoding.DER) for i in issued]


def test_each_rejection_is_named_for_what_it_is(tmp_path: Path) -> None:
    # facts §2 row 8 ("invalid certificate", derived): a path that reaches a trusted root and breaks RFC 5280
    pki = Pki.create(tmp_path)
    not_ca = issue("Not A CA", pki.root, sans=("not-a-ca.test",))  # basicConstraints CA:FALSE
    leaf = issue("origin.test", not_ca, sans=("origin.test",))
    result = check_chain(_der(leaf, not_ca), "origin.test", pki.trust_store, 30)
    assert result.problems == ("untrusted",) and "is not a CA (basicConstraints CA:FALSE)" in result.trust_reason
    old = issue("Old Intermediate", pki.root, ca=True, not_before=NOW - 900 * DAY, not_after=NOW - 10 * DAY)
    leaf = issue("origin.test", old, sans=("origin.test",))
    result = check_chain(_der(leaf, old), "origin.test", pki.trust_store, 30)
    assert "the intermediate CN=Old Intermediate is outside its validity period" in result.trust_reason
    forged = issue("Test Intermediate CA", pki.root, ca=True)  # the intermediate's name, another key
    leaf = pki.leaf("origin.test")
    result = check_chain(_der(leaf, forged), "origin.test", pki.trust_store, 30)
    assert result.problems == ("untrusted",) and "does not verify with the public key" in result.trust_reason


def test_a_clean_chain_names_its_root_and_notes_only_browser_rules(tmp_path: Path) -> None:
    pki = Pki.create(tmp_path)
    bare = issue("Bare CA", pki.root, ca=True, key_usage=False)
    leaf = issue("origin.test", bare, cn_only=True, not_after=NOW + 500 * DAY)
    result = check_chain(_der(leaf, bare), "origin.test", pki.trust_store, 30)
    assert result.problems == () and result.anchor == "CN=Test Root CA" and result.verify_error == ""
    # no SAN, a CA without keyUsage, over 398 days: notes (facts §1.3 row 7), never problems
    assert len(result.notes) == 3 and not result.breaches
    assert result.certificates[0].sans == () and result.certificates[0].names == ("origin.test",)


def test_a_dns_san_hides_the_common_name(tmp_path: Path) -> None:
    # the CN counts only without a DNS name in the subjectAltName (facts §2 rows 1 and 6, derived)
    pki = Pki.create(tmp_path)
    leaf = issue("origin.test", pki.intermediate, sans=("other.test",))
    result = check_chain(_der(leaf, pki.intermediate), "origin.test", pki.trust_store, 30)
    assert "name-mismatch" in result.problems


def test_an_unreadable_chain_is_said_so() -> None:
    assert check_chain([b"not DER"], "origin.test", None, 30).detail.startswith("the server sent a certificate")
    assert check_chain([], "origin.test", None, 30).detail == "the server sent no certificate"


def test_a_long_hostile_chain_costs_bounded_signature_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykit.probes import verify

    pki = Pki.create(tmp_path)
    impostors = [issue("Test Intermediate CA", pki.root, ca=True) for _ in range(40)]  # the name, other keys
    calls: list[int] = []
    real = verify.signed_by

    def counted(cert: object, issuer: object) -> bool:
        calls.append(1)
        return real(cert, issuer)  # type: ignore[arg-type]

    monkeypatch.setattr(verify, "signed_by", counted)
    result = check_chain(_der(pki.leaf("origin.test"), *impostors), "origin.test", pki.trust_store, 30)
    assert result.problems == ("untrusted",)  # named issuers sent, none of them signed the leaf
    assert len(calls) <= verify.MAX_CANDIDATES + 4 * len(result.certificates[:1])


def test_validity_problems_are_the_only_problems_of_an_otherwise_good_chain(tmp_path: Path) -> None:
    # An expired (or not yet valid) leaf on a chain to a trusted root is that, and nothing else: not untrusted.
    pki = Pki.create(tmp_path)
    expired = pki.leaf("origin.test", not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    result = check_chain(_der(expired, pki.intermediate), "origin.test", pki.trust_store, 30)
    assert result.problems == ("expired",) and result.days_left < 0 and result.anchor == "CN=Test Root CA"
    early = pki.leaf("origin.test", not_before=NOW + 10 * DAY, not_after=NOW + 400 * DAY)
    assert check_chain(_der(early, pki.intermediate), "origin.test", pki.trust_store, 30).problems == (
        "not-yet-valid",)
    good = pki.leaf("origin.test", not_after=NOW + 100 * DAY)
    assert check_chain(_der(good, pki.intermediate), "origin.test", pki.trust_store, 30).problems == ()


def test_expiring_soon_counts_whole_days_left_against_the_warning(tmp_path: Path) -> None:
    pki = Pki.create(tmp_path)
    leaf = pki.leaf("origin.test", not_after=NOW + 10 * DAY + DAY / 24)  # ten whole days left, and an hour
    chain = _der(leaf, pki.intermediate)
    assert check_chain(chain, "origin.test", pki.trust_store, 10).problems == ()
    assert check_chain(chain, "origin.test", pki.trust_store, 11).problems == ("expiring-soon",)
