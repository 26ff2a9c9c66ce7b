"""policykit's own verifier: the served chain judged by CloudFront's profile (policykit/core/origin_tls.py).

Not a general library's policy: the path is built from the certificates the origin sent and the trusted roots
only (no AIA, facts §2 rows 9-10), each signature checked with its issuer's public key, every issuer a CA
(basicConstraints, path length, keyUsage when present) within its validity, the name matched by CloudFront's rule
(a DNS name of the subjectAltName, or the Common Name without one; wildcards one label deep), the key and the
signatures by CloudFront's schemes. Each rejection is named for what it is. What a stricter library or a browser
would also refuse (no subjectAltName, a CA without keyUsage, a validity over 398 days) is a note, never a verdict.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.origin_tls import Breach, browser_rule, key_breach, name_matches, signature_breach
from policykit.core.record import record
from policykit.core.results import ChainProblem, ChainResult
from policykit.probes.certs import describe, dn, is_ca, key_of, load_roots, names_of, signature_of

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
MAX_PATH = 10  # certificates on a path, the leaf included: a longer one is refused, whatever it holds
MAX_CANDIDATES = 8  # sent certificates of one issuer name whose key is tried: a hostile chain costs bounded time
BROWSER_MAX_DAYS = 398


class Anchors:
    """The trusted roots, indexed by subject once per trust store (a linear pass, then lookups)."""

    def __init__(self, roots: Sequence[x509.Certificate]) -> None:
        self.by_subject: dict[x509.Name, list[x509.Certificate]] = {}
        self.keys: set[tuple[x509.Name, bytes]] = set()
        for root in roots:
            self.by_subject.setdefault(root.subject, []).append(root)
            spki = _spki(root)
            if spki:
                self.keys.add((root.subject, spki))

    def holds(self, cert: x509.Certificate) -> bool:
        """Is this certificate (its subject and key) itself a trusted root?"""
        spki = _spki(cert)
        return bool(spki) and (cert.subject, spki) in self.keys

    def named(self, name: x509.Name) -> list[x509.Certificate]:
        return self.by_subject.get(name, [])


@lru_cache(maxsize=4)
def anchors(trust_store: Path | None) -> Anchors:
    return Anchors(load_roots(trust_store))


def _spki(cert: x509.Certificate) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    try:
        return cert.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # a key type this cryptography cannot read: never an anchor by key
        return b""


def signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """Does `issuer`'s public key verify `cert`'s signature (and do the names chain)? Any algorithm the key can
    check, MD5 and SHA-1 included: whether CloudFront accepts the algorithm is judged apart (`breaches`)."""
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, padding, rsa

    if cert.issuer != issuer.subject:
        return False
    try:
        key = issuer.public_key()
        signature, data = cert.signature, cert.tbs_certificate_bytes
        family, _ = signature_of(cert)
        if isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(signature, data)
            return True
        digest = cert.signature_hash_algorithm
        if digest is None:
            return False
        if isinstance(key, rsa.RSAPublicKey):
            scheme = cert.signature_algorithm_parameters if family == "RSA-PSS" else padding.PKCS1v15()
            key.verify(signature, data, scheme, digest)  # type: ignore[arg-type]
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(digest))
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(signature, data, digest)
        else:
            return False
    except Exception:  # InvalidSignature, an unsupported algorithm, a key of the wrong type: no
        return False
    return True


@record
class _Path:
    """Where the path from the leaf ends: at a trusted root, or at the rule it breaks."""

    certificates: tuple[x509.Certificate, ...] = ()  # the leaf and the sent issuers on the path, in order
    anchor: x509.Certificate | None = None
    problem: ChainProblem | None = None
    reason: str = ""
    missing_issuer: str = ""


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
    leaf = chain[0]
    problems: list[ChainProblem] = []
    if leaf.not_valid_after_utc < now:
        problems.append(ChainProblem.EXPIRED)
    elif leaf.not_valid_before_utc > now:
        problems.append(ChainProblem.NOT_YET_VALID)
    days_left = (leaf.not_valid_after_utc - now).days
    if ChainProblem.EXPIRED not in problems and days_left < warning_days:
        problems.append(ChainProblem.EXPIRING_SOON)
    if not covers(leaf, sni):
        problems.append(ChainProblem.NAME_MISMATCH)
    problems.extend(order_problems(chain))
    path = build_path(chain, anchors(trust_store), now)
    if path.problem is not None:
        problems.append(path.problem)
    served = tuple(describe(c, d) for c, d in zip(chain, chain_der, strict=True))
    verdict = f"{path.problem}: {path.reason}" if path.problem else ""
    return ChainResult(sni, served, tuple(dict.fromkeys(problems)), verdict, days_left,
                       missing_issuer=path.missing_issuer, trust_reason=path.reason,
                       breaches=breaches(path.certificates or (leaf,)), notes=browser_notes(chain, path, now),
                       anchor=dn(path.anchor.subject) if path.anchor is not None else "")


def presented(chain_der: Sequence[bytes], sni: str) -> ChainResult:
    """What the origin presents to a broader offer than CloudFront's, when CloudFront's fails: the certificates
    and what of them CloudFront cannot use (its key may be why the handshake fails), never a chain verdict."""
    from cryptography import x509

    try:
        chain = [x509.load_der_x509_certificate(der) for der in chain_der]
    except ValueError:
        return ChainResult(sni, (), (), detail="the server sent a certificate that cannot be read (not valid DER)")
    if not chain:
        return ChainResult(sni, (), (), detail="the server sent no certificate")
    served = tuple(describe(c, d) for c, d in zip(chain, chain_der, strict=True))
    return ChainResult(sni, served, (), breaches=breaches(chain[:1]), detail=(
        "sent to a broader offer than CloudFront's: the handshake with CloudFront's offer fails before any "
        "certificate is checked"))


def covers(leaf: x509.Certificate, name: str) -> bool:
    """CloudFront's name rule: a DNS name of the subjectAltName (the CN without one); an address by IP name."""
    names = names_of(leaf)
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return any(name_matches(name, pattern) for pattern in names.checked if "\\" not in pattern)
    return any(ipaddress.ip_address(ip) == address for ip in names.ips)


def order_problems(chain: list[x509.Certificate]) -> list[ChainProblem]:
    """Each certificate must be followed by its issuer; a sent issuer further down is the wrong order."""
    last = {cert.subject: index for index, cert in enumerate(chain)}  # one pass: a long chain costs linear time
    for index, cert in enumerate(chain[:-1]):
        if cert.issuer != chain[index + 1].subject and last.get(cert.issuer, -1) >= index + 2:
            return [ChainProblem.WRONG_ORDER]
    return []


def build_path(chain: list[x509.Certificate], trusted: Anchors, now: dt.datetime) -> _Path:
    """From the leaf, issuer by issuer through the sent certificates, to a trusted root; no AIA."""
    path = [chain[0]]
    used = {0}
    current = chain[0]
    while len(path) <= MAX_PATH:
        if trusted.holds(current):
            return _checked(path[:-1], current, now)
        root = next((r for r in trusted.named(current.issuer) if signed_by(current, r)), None)
        if root is not None:
            return _checked(path, root, now)
        if current.issuer == current.subject and signed_by(current, current):
            if current is chain[0]:
                return _Path(tuple(path), problem=ChainProblem.SELF_SIGNED, reason="the certificate is self-signed")
            return _Path(tuple(path), problem=ChainProblem.UNTRUSTED_ROOT, reason=(
                f"the chain ends at the root {dn(current.subject)}, which the origin sends but which is not a root "
                "CloudFront trusts (a private CA)"))
        named = [i for i, c in enumerate(chain) if i not in used and c.subject == current.issuer][:MAX_CANDIDATES]
        step = next((i for i in named if signed_by(current, chain[i])), None)
        if step is None:
            return _no_issuer(path, current, chain, bool(named) or bool(trusted.named(current.issuer)))
        used.add(step)
        current = chain[step]
        path.append(current)
    return _Path(tuple(path), problem=ChainProblem.UNTRUSTED,
                 reason=f"the path is longer than {MAX_PATH} certificates without reaching a trusted root")


def _no_issuer(path: list[x509.Certificate], current: x509.Certificate, chain: list[x509.Certificate],
               named: bool) -> _Path:
    issuer = dn(current.issuer)
    if named:
        return _Path(tuple(path), problem=ChainProblem.UNTRUSTED, reason=(
            f"the signature of {dn(current.subject)} does not verify with the public key of {issuer}, its issuer "
            "by name (a re-keyed issuer, or a forged certificate)"))
    lowered = [issuer.lower(), *(dn(c.subject).lower() for c in chain)]
    if any(marker in name for name in lowered for marker in KNOWN_PRIVATE_CA_MARKERS):
        return _Path(tuple(path), problem=ChainProblem.UNTRUSTED_ROOT, reason=(
            f"the chain ends at {issuer}, a CA that is not public: CloudFront does not trust it"),
            missing_issuer=issuer)
    if current is not chain[0]:
        # The origin sends its intermediate(s); the one at the top names an issuer no public root
        # carries. Public intermediates are issued by Mozilla roots by name, so this is a private root.
        return _Path(tuple(path), problem=ChainProblem.UNTRUSTED_ROOT, reason=(
            f"the chain ends at {dn(current.subject)}, issued by {issuer}, which is neither sent nor a root "
            "CloudFront trusts: a private CA's root"), missing_issuer=issuer)
    # Only the leaf: the wire cannot tell a public CA's intermediate from a private CA.
    return _Path(tuple(path), problem=ChainProblem.INCOMPLETE_CHAIN, reason=(
        f"the issuer {issuer} is neither sent nor a root CloudFront trusts: either the origin does not send a public "
        "CA's intermediate, or the certificate is from a private CA"), missing_issuer=issuer)


def _checked(path: list[x509.Certificate], anchor: x509.Certificate, now: dt.datetime) -> _Path:
    """A path that reaches a trusted root: every issuer on it must be a CA, allowed to sign, within its dates."""
    from cryptography import x509

    for depth, cert in enumerate(path[1:]):  # the issuers the origin sent; `depth` intermediates below each
        name = dn(cert.subject)
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc:
            return _broken(path, anchor, f"the intermediate {name} is outside its validity period "
                           f"({cert.not_valid_before_utc:%Y-%m-%d} .. {cert.not_valid_after_utc:%Y-%m-%d})")
        try:
            constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        except (x509.ExtensionNotFound, ValueError):
            return _broken(path, anchor, f"the issuing certificate {name} is not marked as a CA (no basicConstraints)")
        if not constraints.ca:
            return _broken(path, anchor, f"the issuing certificate {name} is not a CA (basicConstraints CA:FALSE)")
        if constraints.path_length is not None and depth > constraints.path_length:
            return _broken(path, anchor, f"the CA {name} allows {constraints.path_length} intermediate(s) below it, "
                           f"and {depth} are (basicConstraints pathLenConstraint)")
        try:
            usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        except x509.ExtensionNotFound:
            continue  # no keyUsage: any use (RFC 5280 §4.2.1.3); a browser's stricter rule is only a note
        except ValueError:
            return _broken(path, anchor, f"the CA {name} has a keyUsage that cannot be read")
        if not usage.key_cert_sign:
            return _broken(path, anchor, f"the CA {name} has a keyUsage without keyCertSign: it may not sign "
                           "certificates")
    return _Path(tuple(path), anchor)


def _broken(path: list[x509.Certificate], anchor: x509.Certificate, reason: str) -> _Path:
    return _Path(tuple(path), anchor, ChainProblem.UNTRUSTED, reason)


def breaches(path: Sequence[x509.Certificate]) -> tuple[Breach, ...]:
    """What CloudFront cannot use, or may refuse: the leaf's key, and every signature on the path (the trusted
    root's own signature is never checked by anyone)."""
    found: list[Breach] = []
    key = key_of(path[0])
    breach = key_breach(key.kind, key.bits, key.curve)
    if breach is not None:
        found.append(breach)
    for cert in path:
        family, digest = signature_of(cert)
        breach = signature_breach(family, digest, f"the certificate {dn(cert.subject)}")
        if breach is not None:
            found.append(breach)
    return tuple(found)


def browser_notes(chain: list[x509.Certificate], path: _Path, now: dt.datetime) -> tuple[str, ...]:
    """Rules browsers or strict libraries apply and CloudFront's documented ones do not: notes, never verdicts."""
    from cryptography import x509

    leaf = chain[0]
    notes: list[str] = []
    if not names_of(leaf).has_san:
        notes.append(browser_rule("no_san"))
    cas = [*path.certificates[1:], *((path.anchor,) if path.anchor is not None else ())]
    for ca in cas:
        try:
            ca.extensions.get_extension_for_class(x509.KeyUsage)
        except x509.ExtensionNotFound:
            notes.append(f"{dn(ca.subject)}: {browser_rule('ca_without_key_usage')}")
        except ValueError:
            continue
    if (leaf.not_valid_after_utc - leaf.not_valid_before_utc).days > BROWSER_MAX_DAYS:
        notes.append(browser_rule("long_validity"))
    try:
        usages = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except (x509.ExtensionNotFound, ValueError):
        usages = None
    server_auth = x509.oid.ExtendedKeyUsageOID.SERVER_AUTH
    any_usage = x509.oid.ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE
    if usages is not None and server_auth not in usages and any_usage not in usages:
        notes.append(browser_rule("no_server_auth"))
    if is_ca(leaf):
        notes.append("the leaf certificate is marked as a CA: some clients reject this; CloudFront's documented rules "
                     "do not name it (§2)")
    return tuple(dict.fromkeys(notes))
