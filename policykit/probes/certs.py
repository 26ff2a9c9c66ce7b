"""Judge-free facts about a served certificate chain: validity, trust (no AIA), order, names.

The chain is checked as CloudFront would see it: only the certificates the server sent, against
the Mozilla roots (certifi) or --trust-store, with cryptography's x509 verification.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509


@dataclass(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    names: tuple[str, ...]  # DNS SANs, or the CN when there is no SAN
    not_before: str
    not_after: str


@dataclass(frozen=True)
class ChainResult:
    sni: str
    certificates: tuple[CertInfo, ...]  # as served
    # expired | not-yet-valid | self-signed | untrusted-root | incomplete-chain | wrong-order
    # | name-mismatch | expiring-soon | untrusted
    problems: tuple[str, ...]
    verify_error: str = ""
    days_left: int | None = None  # of the leaf
    detail: str = ""
    missing_issuer: str = ""  # incomplete-chain: the issuer that was neither sent nor trusted

    @property
    def leaf(self) -> CertInfo | None:
        return self.certificates[0] if self.certificates else None


@lru_cache(maxsize=4)
def load_roots(trust_store: Path | None) -> tuple[x509.Certificate, ...]:
    from cryptography import x509

    if trust_store is None:
        import certifi

        trust_store = Path(certifi.where())
    return tuple(x509.load_pem_x509_certificates(trust_store.read_bytes()))


def _names(cert: x509.Certificate) -> tuple[str, ...]:
    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        common = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return tuple(str(c.value) for c in common)
    return (*san.get_values_for_type(x509.DNSName), *(str(ip) for ip in san.get_values_for_type(x509.IPAddress)))


def name_matches(name: str, pattern: str) -> bool:
    """RFC 6125: exact, or a wildcard standing for exactly one left-most label."""
    name, pattern = name.lower().rstrip("."), pattern.lower().rstrip(".")
    if name == pattern:
        return True
    if pattern.startswith("*.") and "." in name:
        return name.split(".", 1)[1] == pattern[2:] and not _is_ip(name)
    return False


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _info(cert: x509.Certificate) -> CertInfo:
    return CertInfo(cert.subject.rfc4514_string(), cert.issuer.rfc4514_string(), _names(cert),
                    cert.not_valid_before_utc.isoformat(), cert.not_valid_after_utc.isoformat())


def _self_signed(cert: x509.Certificate) -> bool:
    from cryptography.exceptions import InvalidSignature

    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, ValueError, TypeError):  # another key under the same name, or an odd algorithm
        return False
    return True


def check_chain(chain_der: Sequence[bytes], sni: str, trust_store: Path | None, warning_days: int,
                now: dt.datetime | None = None) -> ChainResult:
    from cryptography import x509

    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        chain = [x509.load_der_x509_certificate(der) for der in chain_der]
    except ValueError as exc:
        return ChainResult(sni, (), (), detail=f"unreadable certificate: {exc}")
    if not chain:
        return ChainResult(sni, (), (), detail="the server sent no certificate")
    roots = load_roots(trust_store)
    leaf = chain[0]
    problems: list[str] = []
    if leaf.not_valid_after_utc < now:
        problems.append("expired")
    elif leaf.not_valid_before_utc > now:
        problems.append("not-yet-valid")
    days_left = (leaf.not_valid_after_utc - now).days
    if "expired" not in problems and days_left < warning_days:
        problems.append("expiring-soon")
    if not any(name_matches(sni, n) for n in _names(leaf)):
        problems.append("name-mismatch")
    problems.extend(_order_problems(chain))
    verify_error = _verify(chain, roots, now)
    missing = ""
    if verify_error:
        trust, missing = _trust_problems(chain, roots, problems)
        problems.extend(trust)
    return ChainResult(sni, tuple(_info(c) for c in chain), tuple(dict.fromkeys(problems)), verify_error,
                       days_left, missing_issuer=missing)


def _order_problems(chain: list[x509.Certificate]) -> list[str]:
    """Each certificate must be followed by its issuer; a sent issuer further down is the wrong order."""
    for index, cert in enumerate(chain[:-1]):
        if cert.issuer != chain[index + 1].subject and any(c.subject == cert.issuer for c in chain[index + 2:]):
            return ["wrong-order"]
    return []


def _trust_problems(chain: list[x509.Certificate], roots: tuple[x509.Certificate, ...],
                    known: list[str]) -> tuple[list[str], str]:
    """Why the path to a trusted root fails, following issuers through the sent certificates only
    (and, for an incomplete chain, the issuer that is missing)."""
    root_subjects = {r.subject for r in roots}
    current, seen = chain[0], {0}
    while True:
        if _self_signed(current):
            return (["self-signed"] if current is chain[0] else ["untrusted-root"]), ""
        if current.issuer in root_subjects:
            # The path reaches a trusted root: the failure is elsewhere (validity of an intermediate,
            # constraints, key usage); "untrusted" carries the verifier's words.
            return ([] if {"expired", "not-yet-valid"} & set(known) else ["untrusted"]), ""
        step = next((i for i, c in enumerate(chain) if i not in seen and c.subject == current.issuer), None)
        if step is None:
            # The issuer was not sent and is not a trusted root. Without AIA, CloudFront cannot find it:
            # a missing intermediate (or a private root that was not sent: the same failure).
            return ["incomplete-chain"], current.issuer.rfc4514_string()
        seen.add(step)
        current = chain[step]


def _verify(chain: list[x509.Certificate], roots: tuple[x509.Certificate, ...], now: dt.datetime) -> str:
    """The verifier's error for the chain as a chain ("" when it builds to a trusted root).

    Names and the leaf's dates are judged separately, so this checks at a moment the leaf is valid
    and against a name the leaf holds.
    """
    from cryptography import x509
    from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

    leaf = chain[0]
    moment = now
    if not leaf.not_valid_before_utc <= now <= leaf.not_valid_after_utc:
        moment = leaf.not_valid_before_utc + (leaf.not_valid_after_utc - leaf.not_valid_before_utc) / 2
    names = [n for n in _names(leaf) if not n.startswith("*.")] or [
        n.replace("*", "wildcard", 1) for n in _names(leaf)]
    try:
        builder = PolicyBuilder().store(Store(list(roots))).time(moment)
        subject: x509.verification.Subject
        if names and _is_ip(names[0]):
            subject = x509.IPAddress(ipaddress.ip_address(names[0]))
        else:
            subject = x509.DNSName(names[0] if names else "invalid.invalid")
        builder.build_server_verifier(subject).verify(leaf, chain[1:])
    except VerificationError as exc:
        return str(exc)
    except ValueError as exc:
        return f"cannot verify: {exc}"
    return ""
