"""CloudFront's origin TLS profile as data (policykit/core/origin_tls.py): every rule with its facts reference,
and the judging of keys, signatures and names by it."""

from __future__ import annotations

from policykit.core.origin_tls import (
    cloudfront_ciphers,
    key_breach,
    name_matches,
    names_checked,
    openssl_groups,
    openssl_sigalgs,
    rule,
    rules,
    signature_breach,
    signature_schemes,
)


def test_wildcards_cover_one_label() -> None:
    # facts §2 row 7 (derived): a wildcard stands for exactly one left-most label
    assert name_matches("www.example.com", "*.example.com")
    assert name_matches("WWW.Example.com.", "www.example.com")
    assert not name_matches("example.com", "*.example.com")
    assert not name_matches("a.b.example.com", "*.example.com")
    assert rule("wildcards").facts == "§2 row 7" and rule("wildcards").derived


def test_every_rule_names_its_facts_section_and_row() -> None:
    for item in rules():
        assert item.facts.startswith("§") and ("row" in item.facts or "table" in item.facts
                                               or "curves" in item.facts or "schemes" in item.facts), item
        assert item.applied in ("handshake", "after", "not-checked", "handshake-if-supported"), item
        assert item.says, item


def test_the_offer_is_the_facts_files() -> None:
    # facts §1.2: the sixteen suites; the signature schemes RSA-PKCS1 and ECDSA with SHA-1 to SHA-512, no PSS
    # or EdDSA; the curves P-256, P-384, X25519
    assert len(cloudfront_ciphers()) == 16 and cloudfront_ciphers()[-1] == "RC4-MD5"
    assert len(signature_schemes()) == 10 and not [s for s in signature_schemes() if "pss" in s or "ed" in s[:2]]
    assert openssl_sigalgs().split(":")[0] == "RSA+SHA256" and "ECDSA+SHA1" in openssl_sigalgs()
    assert set(openssl_groups().split(":")) == {"P-256", "P-384", "X25519"}


def test_keys_cloudfront_cannot_use() -> None:
    # facts §1.3 rows 1, 3, 5 and 6 (derived for the origin): RSA up to 4096 bits, ECDSA on P-256/P-384 only
    assert key_breach("RSA", 4096) is None and key_breach("ECDSA", 256, "P-384") is None
    big = key_breach("RSA", 8192)
    assert big is not None and big.verdict == "error" and big.rule.facts == "§1.3 rows 3 and 5" and big.rule.derived
    for kind, curve in (("Ed25519", ""), ("Ed448", ""), ("ECDSA", "P-521"), ("RSA-PSS", "")):
        breach = key_breach(kind, 256, curve)
        assert breach is not None and breach.verdict == "error", kind


def test_signatures_by_cloudfronts_schemes() -> None:
    # facts §1.2 signature schemes: SHA-1 is listed (a warning, not confirmed), MD5 is not (an error)
    assert signature_breach("RSA-PKCS1", "sha256", "x") is None
    assert signature_breach("ECDSA", "sha384", "x") is None
    sha1 = signature_breach("RSA-PKCS1", "sha1", "the certificate CN=x")
    assert sha1 is not None and sha1.verdict == "warning" and "browsers do" in sha1.words
    md5 = signature_breach("RSA-PKCS1", "md5", "the certificate CN=x")
    assert md5 is not None and md5.verdict == "error" and md5.rule.facts == "§1.2 signature schemes"
    ed = signature_breach("Ed25519", "", "the certificate CN=x")
    assert ed is not None and ed.verdict == "error"
    pss = signature_breach("RSA-PSS", "sha256", "the certificate CN=x")
    assert pss is not None and pss.verdict == "warning"


def test_the_common_name_counts_only_without_dns_names() -> None:
    # facts §2 rows 1 and 6: a name in the CN is accepted; RFC 6125 reads the CN only without DNS SANs (derived)
    assert names_checked((), ("origin.test",)) == ("origin.test",)
    assert names_checked(("other.test",), ("origin.test",)) == ("other.test",)
