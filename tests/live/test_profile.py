"""CloudFront's origin profile, not a TLS library's: each case gives the verdict CloudFront would, by the rows of
the team's facts file (cloudfront-origin-facts.md) cited in each test, in `scan --live` and `policykit probe`."""

from __future__ import annotations

import json
import ssl
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from policykit.probes.legacy_hello import unofferable_ciphers
from tests.helpers import SHARED
from tests.live.helpers import Findings, LiveRun, ids, of
from tests.live.live_servers import Issued, Pki, Server, issue
from tests.live.profile_servers import LegacyServer, resigned
from tests.templates import cfn_with_origins

ORIGIN = "origin.test"


def _scan(live: LiveRun, dns_server: Any, port: int, *extra: str, **origin: Any) -> Findings:
    dns = dns_server({ORIGIN: "127.0.0.1"})
    _, findings, _ = live(cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": port, **origin}]), dns, *extra)
    return findings


def _errors(findings: Findings) -> set[str]:
    return {f["policy_id"] for f in findings if not f["unknown"] and f["severity"] == "error"}


def _serve(serve: Any, pki: Pki, leaf: Issued, chain: tuple[Issued, ...], **context: Any) -> Server:
    server: Server = serve(pki.context(leaf, chain, **context))
    return server


def test_name_only_in_the_common_name_is_accepted(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # facts §2 row 6: the name may be in the CN or the SAN; §2 row 1: no match is a 502 (so a match is not)
    leaf = issue(ORIGIN, pki.intermediate, cn_only=True)
    findings = _scan(live, dns_server, _serve(serve, pki, leaf, (pki.intermediate,)).port)
    assert not {i for i in ids(findings) if i.startswith("PK6")}
    seen = findings.of_name(ORIGIN)
    (served,) = seen["chain"][:1]
    assert served["sans"] == [] and served["common_name"] == ORIGIN and served["names_matched"] == [ORIGIN]
    assert any("CloudFront accepts it" in note for note in seen["browser_notes"])  # a note, never a verdict


def test_a_ca_without_key_usage_is_accepted(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # facts §1.3 row 7 and §2: a stricter library's refusal (no keyUsage on a CA) is not CloudFront's
    bare = issue("Bare Intermediate CA", pki.root, ca=True, key_usage=False)
    leaf = issue(ORIGIN, bare, sans=(ORIGIN,))
    findings = _scan(live, dns_server, _serve(serve, pki, leaf, (bare,)).port)
    assert not _errors(findings) and not of(findings, "PK607")
    seen = findings.of_name(ORIGIN)
    assert any("CN=Bare Intermediate CA" in note and "keyUsage" in note for note in seen["browser_notes"])


def test_sha1_signature_is_a_warning_not_an_untrusted_root(live: LiveRun, serve: Any, pki: Pki, rsa_ca: Issued,
                                                          dns_server: Any) -> None:
    # facts §1.2 signature schemes: SHA-1 schemes are still listed, so not confirmed whether CloudFront refuses
    leaf = resigned(issue(ORIGIN, rsa_ca, sans=(ORIGIN,)), rsa_ca, "sha1")
    server = _serve(serve, pki, leaf, (rsa_ca,), ciphers="DEFAULT:@SECLEVEL=0")
    findings = _scan(live, dns_server, server.port)
    (finding,) = of(findings, "PK618")
    assert finding["severity"] == "warning" and "RSA-PKCS1 SHA1" in finding["message"]
    assert "not confirmed" in finding["message"] and "browsers do" in finding["message"]
    assert "§1.2 signature schemes" in " ".join(finding["evidence"]["may_refuse"])
    assert not of(findings, "PK607") and not _errors(findings)


def test_md5_signature_is_pk618_and_says_why_openssl_differs(live: LiveRun, serve: Any, pki: Pki, rsa_ca: Issued,
                                                             dns_server: Any) -> None:
    # facts §1.2 signature schemes: no MD5 scheme is listed (derived: refused)
    leaf = resigned(issue(ORIGIN, rsa_ca, sans=(ORIGIN,)), rsa_ca, "md5")
    server = _serve(serve, pki, leaf, (rsa_ca,), ciphers="DEFAULT:@SECLEVEL=0")
    findings = _scan(live, dns_server, server.port)
    (finding,) = of(findings, "PK618")
    assert finding["severity"] == "error" and "MD5" in finding["message"]
    assert "openssl (at @SECLEVEL=0) accepts what CloudFront's profile does not" in finding["evidence"]["openssl"]
    assert not of(findings, "PK607")


def test_ed25519_certificate_is_pk618(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # facts §1.2 signature schemes (RSA-PKCS1 and ECDSA only) and §1.3 row 6 (derived): no EdDSA
    leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=ed25519.Ed25519PrivateKey.generate())
    findings = _scan(live, dns_server, _serve(serve, pki, leaf, (pki.intermediate,)).port)
    (finding,) = of(findings, "PK618")
    assert finding["severity"] == "error" and "Ed25519 key" in finding["message"]
    assert "§1.3 rows 1 and 6, derived" in " ".join(finding["evidence"]["cannot_use"])
    assert finding["evidence"]["negotiated"]["cipher"].startswith("ECDHE-ECDSA-")  # Python offered EdDSA
    assert finding["evidence"]["openssl"] == "(none)"  # the printed command offers CloudFront's schemes: fails too
    seen = findings.seen(finding)
    assert seen["chain"][0]["key"] == "Ed25519"
    assert any("signature_schemes" not in n and "RSA-PKCS1 or ECDSA" in n for n in seen["tls"]["not_checked"])


def test_ed25519_beside_an_rsa_certificate_is_fine(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # the origin chooses by the schemes offered: CloudFront offers no EdDSA, so it is sent the RSA certificate
    ed = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=ed25519.Ed25519PrivateKey.generate())
    rsa_leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=rsa.generate_private_key(65537, 2048))
    server = _serve(serve, pki, ed, (pki.intermediate,), also=(rsa_leaf,))
    findings = _scan(live, dns_server, server.port)
    assert not _errors(findings) and not of(findings, "PK618")
    seen = findings.of_name(ORIGIN)
    assert seen["chain"][0]["key"] == "RSA 2048" and "Ed25519 key" in seen["tls"]["note"]


def test_rsa_over_4096_bits_is_pk618_derived(live: LiveRun, serve: Any, pki: Pki, rsa_8192: rsa.RSAPrivateKey,
                                             dns_server: Any) -> None:
    # facts §1.3 rows 3 and 5: 4096 bits is the documented maximum; that the origin is refused is derived
    leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=rsa_8192)
    findings = _scan(live, dns_server, _serve(serve, pki, leaf, (pki.intermediate,)).port)
    (finding,) = of(findings, "PK618")
    assert finding["severity"] == "error" and "RSA key of 8192 bits" in finding["message"]
    assert "§1.3 rows 3 and 5, derived" in " ".join(finding["evidence"]["cannot_use"])
    assert "openssl (at @SECLEVEL=0) accepts what CloudFront's profile does not" in finding["evidence"]["openssl"]


def test_ecdsa_off_cloudfronts_curves_is_pk618_not_pk604(live: LiveRun, serve: Any, pki: Pki,
                                                         dns_server: Any) -> None:
    # facts §1.2 elliptic curves and §1.3 row 6: ECDSA keys on P-256 or P-384 (P-521 fails)
    leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=ec.generate_private_key(ec.SECP521R1()))
    findings = _scan(live, dns_server, _serve(serve, pki, leaf, (pki.intermediate,)).port)
    (finding,) = of(findings, "PK618")
    assert finding["severity"] == "error" and "ECDSA key on P-521" in finding["message"]
    assert not of(findings, "PK604")


@pytest.mark.skipif("RC4-MD5" not in unofferable_ciphers(), reason="this OpenSSL still offers RC4-MD5")
def test_an_origin_speaking_only_rc4_is_not_checked_here(live: LiveRun, dns_server: Any) -> None:
    # facts §1.2 cipher table: RC4-MD5 is in CloudFront's offer; today's OpenSSL cannot offer it
    legacy = LegacyServer()
    try:
        findings = _scan(live, dns_server, legacy.port, "--show-unknown")
    finally:
        legacy.stop()
    assert not {i for i in _errors(findings) if i.startswith("PK6")}
    assert 0x0004 in legacy.hellos[-1]  # the hand-made ClientHello offered it, and only then did it answer
    notes = [f["message"] for f in findings if f["unknown"] and f["policy_id"] == "PK615"]
    assert any("accepts only RC4-MD5" in n and "not checked here" in n for n in notes), notes


def test_probe_judges_by_the_same_profile(run_cli: Any, serve: Any, pki: Pki, dns_server: Any) -> None:
    cn_only = _serve(serve, pki, issue(ORIGIN, pki.intermediate, cn_only=True), (pki.intermediate,))
    ed = _serve(serve, pki, issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=ed25519.Ed25519PrivateKey.generate()),
                (pki.intermediate,))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    base = ["--format", "json", "--nameserver", dns.address, "--allow-private", "--trust-store", str(pki.trust_store)]
    code, out, _ = run_cli("probe", f"{ORIGIN}:{cn_only.port}", *base)
    assert code == 0 and not [f for f in json.loads(out)["findings"] if not f["unknown"]]
    code, out, _ = run_cli("probe", f"{ORIGIN}:{ed.port}", *base)
    assert code == 1 and {f["policy_id"] for f in json.loads(out)["findings"] if not f["unknown"]} == {"PK618"}


@pytest.mark.parametrize(("case", "expected"), [
    ("ca-without-key-usage", set()), ("sha1", {("PK618", "warning")}), ("md5", {("PK618", "error")}),
    ("rsa-8192", {("PK618", "error")}), ("p521", {("PK618", "error")}), ("no-accept", {("PK611", "error")}),
    ("wrong-accept", {("PK611", "error")}),
])
def test_probe_gives_the_same_verdicts(case: str, expected: set[tuple[str, str]], run_cli: Any, serve: Any,
                                       pki: Pki, rsa_ca: Issued, rsa_8192: rsa.RSAPrivateKey,
                                       dns_server: Any) -> None:
    # the rows cited in the scan --live tests above: §1.2 signature schemes, §1.3 rows 3, 5 and 6, §6 row 3
    leaf, chain, context, behavior = pki.leaf(ORIGIN), (pki.intermediate,), {}, "ok"
    if case == "ca-without-key-usage":
        bare = issue("Bare Intermediate CA", pki.root, ca=True, key_usage=False)
        leaf, chain = issue(ORIGIN, bare, sans=(ORIGIN,)), (bare,)
    elif case in ("sha1", "md5"):
        leaf, chain = resigned(issue(ORIGIN, rsa_ca, sans=(ORIGIN,)), rsa_ca, case), (rsa_ca,)
        context = {"ciphers": "DEFAULT:@SECLEVEL=0"}
    elif case == "rsa-8192":
        leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=rsa_8192)
    elif case == "p521":
        leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=ec.generate_private_key(ec.SECP521R1()))
    else:
        behavior = f"ws-{case}"
    server = serve(pki.context(leaf, chain, **context), behavior=behavior)
    dns = dns_server({ORIGIN: "127.0.0.1"})
    extra = ["--websocket", "/socket"] if behavior != "ok" else []
    _, out, _ = run_cli("probe", f"{ORIGIN}:{server.port}", "--format", "json", "--nameserver", dns.address,
                        "--allow-private", "--trust-store", str(pki.trust_store), *extra)
    fired = {(f["policy_id"], f["severity"]) for f in json.loads(out)["findings"] if not f["unknown"]}
    assert fired == expected


def test_a_clean_run_says_what_it_probed(run_cli: Any, write: Any, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _serve(serve, pki, pki.leaf(ORIGIN), (pki.intermediate,))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    path = write("t.yaml", cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": server.port}]))
    args = ["scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
            "--trust-store", str(pki.trust_store)]
    code, text, _ = run_cli(*args)
    assert code == 0
    assert "live probes, what was seen:" in text
    (line,) = [line for line in text.splitlines() if f"'{ORIGIN}' at" in line]
    assert "TLSv1.2 ECDHE-ECDSA-" in line and "leaf ECDSA P-256 key signed with ECDSA SHA256" in line
    assert "openssl s_client" not in text  # the reproduction is shown where a finding needs it
    assert text.rstrip().splitlines()[-1].endswith("probed 1 origin(s): 1 endpoint(s), 1 name(s)")
    _, out, _ = run_cli(*args, "--format", "json")
    report = json.loads(out)["live"]
    assert report["probed"] == {"origins": 1, "endpoints": 1, "names": 1}
    (name,) = [o for o in report["observed"] if o["endpoint"]]
    assert name["tls"]["protocol"] == "TLSv1.2" and name["chain"][0]["key"] == "ECDSA P-256"
    assert name["commands"]["openssl"].startswith("openssl s_client -connect 127.0.0.1:")
    _, out, _ = run_cli(*args, "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["runs"][0]["properties"]["policykit/live"]["probed"] == report["probed"]
    schema = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema.exists():  # the team's copy of the schema, beside the checkout
        import jsonschema

        jsonschema.validate(sarif, json.loads(schema.read_text(encoding="utf-8")))


def test_tls_versions_of_the_offer_are_kept(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # facts §1.1 rows 1 and 3: the handshake offers OriginSSLProtocols' versions only
    context = pki.context(pki.leaf(ORIGIN), (pki.intermediate,),
                          versions=(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2))
    findings = _scan(live, dns_server, serve(context).port, protocols=["TLSv1.2"])
    seen = findings.of_name(ORIGIN)
    assert seen["tls"]["offered"] == ["TLSv1.2"] and seen["tls"]["group"] == "prime256v1"
