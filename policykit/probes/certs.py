"""Judge-free facts about a served certificate chain: validity, trust (no AIA), order, names.

The chain is checked as CloudFront would see it: only the certificates the server sent, against
the Mozilla roots (certifi) or --trust-store, with cryptography's x509 verification. Reasons are
said in words; the verifier's own text is kept apart as evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import threading
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.record import record
from policykit.core.results import CertInfo, ChainProblem, ChainResult

if TYPE_CHECKING:
    from cryptography import x509

# Issuer names of CAs that are known not to be public (not in the Mozilla list, never will be):
# a chain ending at one of them is a private CA, whatever else was sent.
KNOWN_PRIVATE_CA_MARKERS = (
    "cloudflare origin",  # Cloudflare Origin CA: trusted by Cloudflare's edge only
    "(staging)", "fake le ",  # Let's Encrypt staging hierarchy
    "mkcert development ca",
    "cn=kubernetes",
    "amazon rds",  # RDS/Aurora server CAs
)

_ROOTS_LOCK = threading.Lock()


def read_roots(path: Path) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM bundle. The Mozilla bundle holds live public roots with a
    non-positive serial number, which cryptography warns about: silenced here, around the load only."""
    from cryptography import x509
    from cryptography.utils import CryptographyDeprecationWarning

    data = path.read_bytes()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CryptographyDeprecationWarning)
        try:
            return tuple(x509.load_pem_x509_certificates(data))
        except ValueError:
            pass
        # One unreadable certificate must not cost the others: load them one by one.
        marker = b"-----BEGIN CERTIFICATE-----"
        out = []
        for block in data.split(marker)[1:]:
            try:
                out.append(x509.load_pem_x509_certificate(marker + block))
            except ValueError:
                continue
        return tuple(out)


def load_roots(trust_store: Path | None) -> tuple[x509.Certificate, ...]:
    with _ROOTS_LOCK:  # pool threads: load once, and never inside another thread's warning filter
        return _load_roots(trust_store)


@lru_cache(maxsize=4)
def _load_roots(trust_store: Path | None) -> tuple[x509.Certificate, ...]:
    if trust_store is None:
        import certifi

        trust_store = Path(certifi.where())
    return read_roots(trust_store)


def printable(text: str) -> str:
    """A certificate's text as data, never as terminal control: non-printable characters escaped."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                   for c in text)


def _names(cert: x509.Certificate) -> tuple[str, ...]:
    from cryptography import x509

    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        common = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return tuple(printable(str(c.value)) for c in common)
    except ValueError:  # a malformed extension: no name the client can match
        return ()
    return (*(printable(n) for n in san.get_values_for_type(x509.DNSName)),
            *(str(ip) for ip in san.get_values_for_type(x509.IPAddress)))


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


def _dn(name: x509.Name) -> str:
    try:
        return printable(name.rfc4514_string())
    except ValueError:
        return "(unreadable name)"


def _is_ca(cert: x509.Certificate) -> bool:
    from cryptography import x509

    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except (x509.ExtensionNotFound, ValueError):
        return False


def _info(cert: x509.Certificate, der: bytes) -> CertInfo:
    return CertInfo(_dn(cert.subject), _dn(cert.issuer), _names(cert), cert.not_valid_before_utc.isoformat(),
                    cert.not_valid_after_utc.isoformat(), hashlib.sha256(der).hexdigest(), _is_ca(cert))


def _self_signed(cert: x509.Certificate) -> bool:
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm

    if cert.issuer != cert.subject:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):  # another key, or an odd algorithm
        return False
    return True


def check_chain(chain_der: Sequence[bytes], sni: str, trust_store: Path | None, warning_days: int,
                now: dt.datetime | None = None) -> ChainResult:
    from cryptography import x509

    now = now or dt.datetime.now(dt.timezone.utc)
    try:
        chain = [x509.load_der_x509_certificate(der) for der in chain_der]
    except ValueError:
        return ChainResult(sni, (), (), detail="the server sent a certificate that cannot be read (not valid DER)")
    if not chain:
        return ChainResult(sni, (), (), detail="the server sent no certificate")
    roots = load_roots(trust_store)
    leaf = chain[0]
    problems: list[ChainProblem] = []
    if leaf.not_valid_after_utc < now:
        problems.append(ChainProblem.EXPIRED)
    elif leaf.not_valid_before_utc > now:
        problems.append(ChainProblem.NOT_YET_VALID)
    days_left = (leaf.not_valid_after_utc - now).days
    if ChainProblem.EXPIRED not in problems and days_left < warning_days:
        problems.append(ChainProblem.EXPIRING_SOON)
    if not any(name_matches(sni, n) for n in _names(leaf)):
        problems.append(ChainProblem.NAME_MISMATCH)
    problems.extend(_order_problems(chain))
    verify_error = _verify(chain, roots, now)
    verdict = _Trust()
    if verify_error:
        verdict = _trust_problems(chain, roots, problems, now, verify_error)
        problems.extend(verdict.problems)
    served = tuple(_info(c, d) for c, d in zip(chain, chain_der, strict=True))
    return ChainResult(sni, served, tuple(dict.fromkeys(problems)),
                       verify_error, days_left, missing_issuer=verdict.missing_issuer, trust_reason=verdict.reason)


def _order_problems(chain: list[x509.Certificate]) -> list[ChainProblem]:
    """Each certificate must be followed by its issuer; a sent issuer further down is the wrong order."""
    for index, cert in enumerate(chain[:-1]):
        if cert.issuer != chain[index + 1].subject and any(c.subject == cert.issuer for c in chain[index + 2:]):
            return [ChainProblem.WRONG_ORDER]
    return []


@record
class _Trust:
    problems: tuple[ChainProblem, ...] = ()
    reason: str = ""
    missing_issuer: str = ""


def _known_private(name: str) -> bool:
    lowered = name.lower()
    return any(marker in lowered for marker in KNOWN_PRIVATE_CA_MARKERS)


def _trust_problems(chain: list[x509.Certificate], roots: tuple[x509.Certificate, ...], known: list[ChainProblem],
                    now: dt.datetime, verify_error: str) -> _Trust:
    """Why the path to a trusted root fails, following issuers through the sent certificates only."""
    root_subjects = {r.subject for r in roots}
    current, seen = chain[0], {0}
    while True:
        if _self_signed(current):
            if current is chain[0]:
                return _Trust((ChainProblem.SELF_SIGNED,), "the certificate is self-signed")
            return _Trust((ChainProblem.UNTRUSTED_ROOT,), f"the chain ends at the root {_dn(current.subject)}, which "
                          "the origin sends but which is not a root CloudFront trusts (a private CA)")
        if current.issuer in root_subjects:
            # The path reaches a trusted root: the failure is elsewhere (validity of an intermediate,
            # constraints, key usage).
            if {ChainProblem.EXPIRED, ChainProblem.NOT_YET_VALID} & set(known) or verify_error == NO_USABLE_NAME:
                return _Trust()
            return _Trust((ChainProblem.UNTRUSTED,), _path_failure(chain, now, verify_error))
        step = next((i for i, c in enumerate(chain) if i not in seen and c.subject == current.issuer), None)
        if step is None:
            return _missing_issuer(current, chain)
        seen.add(step)
        current = chain[step]


def _missing_issuer(current: x509.Certificate, chain: list[x509.Certificate]) -> _Trust:
    """The issuer was neither sent nor a trusted root. Without AIA, CloudFront cannot find it."""
    issuer = _dn(current.issuer)
    if _known_private(issuer) or any(_known_private(_dn(c.subject)) for c in chain):
        return _Trust((ChainProblem.UNTRUSTED_ROOT,), f"the chain ends at {issuer}, a CA that is not public: "
                      "CloudFront does not trust it", issuer)
    if current is not chain[0]:
        # The origin sends its intermediate(s); the one at the top names an issuer no public root
        # carries. Public intermediates are issued by Mozilla roots by name, so this is a private root.
        return _Trust((ChainProblem.UNTRUSTED_ROOT,), f"the chain ends at {_dn(current.subject)}, issued by "
                      f"{issuer}, which is neither sent nor a root CloudFront trusts: a private CA's root", issuer)
    # Only the leaf: the wire cannot tell a public CA's intermediate from a private CA.
    return _Trust((ChainProblem.INCOMPLETE_CHAIN,), f"the issuer {issuer} is neither sent nor a root CloudFront "
                  "trusts: either the origin does not send a public CA's intermediate, or the certificate is from a "
                  "private CA", issuer)


_EKU_WORDS = "a certificate of the chain does not allow TLS server authentication (extended key usage)"


def _path_failure(chain: list[x509.Certificate], now: dt.datetime, verify_error: str) -> str:
    """The chain reaches a trusted root and still fails: say which rule it breaks."""
    for cert in chain[1:]:
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            return (f"the intermediate {_dn(cert.subject)} is outside its validity period "
                    f"({cert.not_valid_before_utc:%Y-%m-%d} .. {cert.not_valid_after_utc:%Y-%m-%d})")
    text = verify_error.lower()
    for needle, words in (
        ("basicconstraints", "an issuing certificate is not marked as a CA (basicConstraints)"),
        ("not a ca", "an issuing certificate is not marked as a CA (basicConstraints)"),
        ("extended key usage", _EKU_WORDS),
        ("eku", _EKU_WORDS),
        ("key usage", "an issuing certificate may not sign certificates (key usage)"),
        ("name constraint", "a CA's name constraints exclude the name"),
        ("signature", "a signature in the chain does not verify"),
        ("algorithm", "the chain uses a key or signature algorithm that is not accepted"),
        ("key size", "a key in the chain is too small"),
    ):
        if needle in text:
            return words
    return "the path to a trusted root breaks a certificate rule (see the verifier's words)"


# The verifier checks a name with the path; a leaf with no ASCII name gets only policykit's own path walk.
NO_USABLE_NAME = "the certificate holds no DNS name the verifier can check"


def _usable_names(cert: x509.Certificate) -> list[str]:
    return [n for n in _names(cert) if n.isascii() and "\\" not in n]


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
    names = _usable_names(leaf)
    if not names:
        return NO_USABLE_NAME
    exact = [n for n in names if not n.startswith("*.")] or [n.replace("*", "wildcard", 1) for n in names]
    try:
        builder = PolicyBuilder().store(Store(list(roots))).time(moment)
        subject: x509.verification.Subject
        if exact and _is_ip(exact[0]):
            subject = x509.IPAddress(ipaddress.ip_address(exact[0]))
        else:
            subject = x509.DNSName(exact[0] if exact else "invalid.invalid")
        builder.build_server_verifier(subject).verify(leaf, chain[1:])
    except VerificationError as exc:
        return printable(str(exc))
    except (ValueError, TypeError) as exc:
        return f"cannot verify: {printable(str(exc))}"
    return ""
