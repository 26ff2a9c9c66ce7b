"""Certificates as the origin served them: the roots trusted, and what each certificate holds.

What a certificate holds is read from its DER with `cryptography`'s parser only (names, key type and size,
signature algorithm, the extensions the verifier reads); the judging is policykit's own, by CloudFront's
profile (policykit/core/origin_tls.py, applied in policykit/probes/verify.py).
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.origin_tls import names_checked
from policykit.core.record import record
from policykit.core.results import CertInfo

if TYPE_CHECKING:
    from cryptography import x509

_ROOTS_LOCK = threading.Lock()

# Names of the curves a certificate key may be on, as CloudFront's profile names them
CURVES = {"secp256r1": "P-256", "prime256v1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}

# Signature algorithm OIDs -> (scheme family, digest)
SIGNATURES = {
    "1.2.840.113549.1.1.2": ("RSA-PKCS1", "md2"), "1.2.840.113549.1.1.4": ("RSA-PKCS1", "md5"),
    "1.2.840.113549.1.1.5": ("RSA-PKCS1", "sha1"), "1.2.840.113549.1.1.14": ("RSA-PKCS1", "sha224"),
    "1.2.840.113549.1.1.11": ("RSA-PKCS1", "sha256"), "1.2.840.113549.1.1.12": ("RSA-PKCS1", "sha384"),
    "1.2.840.113549.1.1.13": ("RSA-PKCS1", "sha512"), "1.2.840.113549.1.1.10": ("RSA-PSS", ""),
    "1.2.840.10045.4.1": ("ECDSA", "sha1"), "1.2.840.10045.4.3.1": ("ECDSA", "sha224"),
    "1.2.840.10045.4.3.2": ("ECDSA", "sha256"), "1.2.840.10045.4.3.3": ("ECDSA", "sha384"),
    "1.2.840.10045.4.3.4": ("ECDSA", "sha512"), "1.3.101.112": ("Ed25519", ""), "1.3.101.113": ("Ed448", ""),
    "1.2.840.10040.4.3": ("DSA", "sha1"), "2.16.840.1.101.3.4.3.1": ("DSA", "sha224"),
    "2.16.840.1.101.3.4.3.2": ("DSA", "sha256"),
}
_RSA_PSS_KEY = "1.2.840.113549.1.1.10"


def trust_store_path(trust_store: Path | None) -> Path:
    """The PEM bundle trusted: --trust-store, or the Mozilla roots (certifi)."""
    if trust_store is not None:
        return trust_store
    import certifi

    return Path(certifi.where())


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
    return read_roots(trust_store_path(trust_store))


def printable(text: str) -> str:
    """A certificate's text as data, never as terminal control: non-printable characters escaped."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}"
                   for c in text)


@record
class Names:
    """The names a certificate holds: its subjectAltName (DNS and IP) and its Common Names."""

    dns: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    common: tuple[str, ...] = ()
    has_san: bool = False
    readable: bool = True  # False: a malformed subjectAltName, no name a client can match

    @property
    def checked(self) -> tuple[str, ...]:
        """What CloudFront matches (core/origin_tls.names_checked), and the IP names."""
        if not self.readable:
            return ()
        return (*names_checked(self.dns, self.common), *self.ips)

    @property
    def sans(self) -> tuple[str, ...]:
        return (*self.dns, *self.ips)


def names_of(cert: x509.Certificate) -> Names:
    from cryptography import x509

    common = tuple(printable(str(c.value)) for c in cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME))
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return Names(common=common)
    except ValueError:  # a malformed extension
        return Names(common=common, has_san=True, readable=False)
    return Names(tuple(printable(n) for n in san.get_values_for_type(x509.DNSName)),
                 tuple(str(ip) for ip in san.get_values_for_type(x509.IPAddress)), common, True)


@record
class Key:
    kind: str  # RSA, RSA-PSS, ECDSA, Ed25519, Ed448, DSA, or what the key is
    bits: int = 0
    curve: str = ""

    def __str__(self) -> str:
        if self.kind == "ECDSA":
            return f"ECDSA {self.curve}"
        return f"{self.kind} {self.bits}" if self.bits and self.kind in ("RSA", "RSA-PSS", "DSA") else self.kind


def key_of(cert: x509.Certificate) -> Key:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa

    oid = getattr(cert, "public_key_algorithm_oid", None)  # cryptography 43 and later
    try:
        key = cert.public_key()
    except (UnsupportedAlgorithm, ValueError):
        pss = oid is not None and oid.dotted_string == _RSA_PSS_KEY
        return Key("RSA-PSS" if pss else f"unreadable key ({oid.dotted_string if oid is not None else 'unknown'})")
    if isinstance(key, rsa.RSAPublicKey):
        pss = oid is not None and oid.dotted_string == _RSA_PSS_KEY
        return Key("RSA-PSS" if pss else "RSA", key.key_size)
    if isinstance(key, ec.EllipticCurvePublicKey):
        return Key("ECDSA", key.key_size, CURVES.get(key.curve.name, key.curve.name))
    if isinstance(key, ed25519.Ed25519PublicKey):
        return Key("Ed25519", 256)
    if isinstance(key, ed448.Ed448PublicKey):
        return Key("Ed448", 456)
    if isinstance(key, dsa.DSAPublicKey):
        return Key("DSA", key.key_size)
    return Key(type(key).__name__.removesuffix("PublicKey").lstrip("_"))


def signature_of(cert: x509.Certificate) -> tuple[str, str]:
    """(scheme family, digest) of the certificate's own signature: ("RSA-PKCS1", "sha256"), ("Ed25519", "")."""
    oid = cert.signature_algorithm_oid.dotted_string
    family, digest = SIGNATURES.get(oid, (getattr(cert.signature_algorithm_oid, "_name", oid), ""))
    if family == "RSA-PSS":
        try:
            algorithm = cert.signature_hash_algorithm
        except Exception:  # an odd parameter set: the digest stays unnamed
            algorithm = None
        digest = algorithm.name if algorithm is not None else ""
    return family, digest


def signature_words(cert: x509.Certificate) -> str:
    family, digest = signature_of(cert)
    return f"{family} {digest.upper()}".strip()


def dn(name: x509.Name) -> str:
    try:
        return printable(name.rfc4514_string())
    except ValueError:
        return "(unreadable name)"


def is_ca(cert: x509.Certificate) -> bool:
    from cryptography import x509

    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except (x509.ExtensionNotFound, ValueError):
        return False


def describe(cert: x509.Certificate, der: bytes) -> CertInfo:
    names = names_of(cert)
    return CertInfo(dn(cert.subject), dn(cert.issuer), names.checked, cert.not_valid_before_utc.isoformat(),
                    cert.not_valid_after_utc.isoformat(), hashlib.sha256(der).hexdigest(), is_ca(cert),
                    sans=names.sans, common_name=names.common[0] if names.common else "", key=str(key_of(cert)),
                    signature=signature_words(cert))
