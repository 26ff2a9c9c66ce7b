"""CloudFront's origin TLS profile (facts §1-2): what CloudFront offers an origin and what it accepts from one.

One table, core/data/cloudfront_origin_tls.json, read by the static TLS facts (policykit/facts/tls.py), the live
probe (policykit/probes) and the verifier: the offer (protocols, suites, curves, signature schemes), what a
certificate may hold (key types and sizes, signature algorithms), how names match, what is trusted. Every rule
carries its reference into the team's facts file (section and row) and says whether it is derived. The functions
below judge plain descriptions of a certificate (key type, size, curve, signature scheme), so the judging needs
no TLS or X.509 library. Read on first use, so importing this costs nothing.
"""

from __future__ import annotations

from typing import Literal

from policykit.core.data import load
from policykit.core.record import record

TABLE = "cloudfront_origin_tls.json"

# Where a rule is applied: offered in the handshake, checked on what the origin presented, or not checked here
Applied = Literal["handshake", "after", "not-checked", "handshake-if-supported"]
Verdict = Literal["error", "warning", "note"]


@record
class Rule:
    """One rule of the profile, with its source."""

    id: str
    says: str
    facts: str  # section and row of the facts file
    derived: bool
    applied: Applied

    @property
    def reference(self) -> str:
        return f"facts {self.facts}{', derived' if self.derived else ''}"


@record
class Breach:
    """What a presented certificate does that CloudFront cannot use (error) or may refuse (warning)."""

    rule: Rule
    verdict: Verdict
    words: str  # what was found, without the rule


def _strings(key: str) -> tuple[str, ...]:
    return tuple(str(item) for item in load(TABLE)[key])


def cloudfront_ciphers() -> tuple[str, ...]:
    """The sixteen cipher suites CloudFront offers (OpenSSL names), in its order."""
    return _strings("ciphers")


def cipher_ids() -> dict[str, int]:
    """The IANA number of each suite CloudFront offers, for a ClientHello made by hand (the suites today's
    OpenSSL builds refuse to offer: DES-CBC3-SHA, RC4-MD5)."""
    return {str(k): int(str(v), 16) for k, v in load(TABLE)["cipher_ids"].items()}


def cloudfront_curves() -> tuple[str, ...]:
    """The curves CloudFront offers. Python before 3.15 sets one group at a time (set_ecdh_curve), so a probe
    tries them in the table's order: P-256 first, as nearly every server has it."""
    return _strings("curves")


def default_protocols() -> tuple[str, ...]:
    """The versions offered when OriginSSLProtocols is not written. The CloudFormation default has changed
    over time (TLSv1 + SSLv3 once, TLSv1.2 in today's console and Terraform modules); offering TLSv1 to TLSv1.2
    is the broadest CloudFront might send, so an origin is never blamed for a protocol CloudFront may well offer."""
    return _strings("default_protocols")


def signature_schemes() -> tuple[str, ...]:
    """The handshake signature schemes CloudFront accepts (TLS names: rsa_pkcs1_sha256, ecdsa_sha256, ...)."""
    return _strings("signature_schemes")


def openssl_sigalgs() -> str:
    """The signature schemes in OpenSSL's list syntax (`RSA+SHA256:ECDSA+SHA256:...`), for a context or a command."""
    out = []
    for scheme in signature_schemes():
        family, _, digest = scheme.rpartition("_")
        out.append(f"{'ECDSA' if family == 'ecdsa' else 'RSA'}+{digest.upper()}")
    return ":".join(out)


def openssl_groups() -> str:
    """The curves in OpenSSL's group list syntax (`P-256:X25519:P-384`)."""
    names = {"prime256v1": "P-256", "secp384r1": "P-384"}
    return ":".join(names.get(c, c) for c in cloudfront_curves())


def rule(rule_id: str) -> Rule:
    entry = load(TABLE)["rules"][rule_id]
    return Rule(rule_id, str(entry["says"]), str(entry["facts"]), bool(entry["derived"]), entry["applied"])


def rules() -> tuple[Rule, ...]:
    return tuple(rule(name) for name in load(TABLE)["rules"])


def browser_rule(rule_id: str) -> str:
    """A rule browsers or strict libraries apply and CloudFront's documented rules do not: a note, never an error."""
    return str(load(TABLE)["browser_rules"][rule_id])


# ---- judging what the origin presented ----------------------------------------------------------------

_KEY_WORDS = {"Ed25519": "an Ed25519 key", "Ed448": "an Ed448 key", "RSA-PSS": "an RSA-PSS key",
              "DSA": "a DSA key"}


def key_breach(kind: str, bits: int, curve: str = "") -> Breach | None:
    """The leaf key CloudFront cannot use: a type its signature schemes exclude, RSA over the maximum, a curve
    it does not offer. `kind`: RSA, RSA-PSS, ECDSA, Ed25519, Ed448, DSA or the key's own name."""
    limits = load(TABLE)["key_types"]
    if kind == "RSA":
        top = int(limits["RSA"]["max_bits"])
        if bits > top:
            return Breach(rule("rsa_max_bits"), "error", f"the certificate has an RSA key of {bits} bits, over the "
                          f"{top} bits CloudFront documents as its maximum")
        return None
    if kind == "ECDSA":
        curves = [str(c) for c in limits["ECDSA"]["curves"]]
        if curve not in curves:
            return Breach(rule("ecdsa_curve"), "error", f"the certificate has an ECDSA key on "
                          f"{curve or 'an unnamed curve'}, not on {' or '.join(curves)}")
        return None
    words = _KEY_WORDS.get(kind, f"a {kind} key")
    return Breach(rule("key_type"), "error", f"the certificate has {words}: CloudFront's signature schemes are "
                  "RSA-PKCS1 and ECDSA only")


def signature_breach(family: str, digest: str, subject: str) -> Breach | None:
    """A certificate signature outside CloudFront's schemes. `family`: RSA-PKCS1, RSA-PSS, ECDSA, Ed25519, Ed448,
    DSA or the algorithm's own name; `digest`: sha1, sha256, md5, ... ("" for EdDSA)."""
    signed = f"{subject} is signed with {family}{f' {digest.upper()}' if digest else ''}"
    if family in ("RSA-PKCS1", "ECDSA"):
        listed = {s.rpartition("_")[2] for s in signature_schemes()}
        if digest == "sha1":
            return Breach(rule("certificate_signature_sha1"), "warning", f"{signed}: CloudFront's schemes still list "
                          "SHA-1, so it is not confirmed whether CloudFront refuses it; browsers do")
        if digest in listed:
            return None
        return Breach(rule("certificate_signature"), "error", f"{signed}, a digest CloudFront's schemes do not list")
    if family == "RSA-PSS":  # not listed; whether CloudFront refuses a PSS-signed certificate is not confirmed
        return Breach(rule("certificate_signature"), "warning", f"{signed}, which CloudFront's schemes do not list "
                      "(not confirmed whether it refuses a certificate so signed)")
    if family in ("Ed25519", "Ed448", "DSA"):
        return Breach(rule("certificate_signature"), "error", f"{signed}, which CloudFront's schemes do not list")
    return Breach(rule("certificate_signature"), "warning", f"{signed}, an algorithm CloudFront's schemes do not name")


def names_checked(dns_sans: tuple[str, ...], common_names: tuple[str, ...]) -> tuple[str, ...]:
    """The names CloudFront matches: the DNS names of the subjectAltName, or the Common Name without them."""
    return dns_sans if dns_sans else common_names


def name_matches(name: str, pattern: str) -> bool:
    """Exact, or a wildcard standing for exactly one left-most label (RFC 6125; for CloudFront derived)."""
    name, pattern = name.lower().rstrip("."), pattern.lower().rstrip(".")
    if name == pattern:
        return True
    if pattern.startswith("*.") and "." in name and not _looks_numeric(name):
        return name.split(".", 1)[1] == pattern[2:]
    return False


def _looks_numeric(name: str) -> bool:
    """An IPv4 or IPv6 address: a wildcard never covers one."""
    return ":" in name or name.replace(".", "").isdigit()
