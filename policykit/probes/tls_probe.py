"""TLS: a handshake offering exactly what CloudFront offers an origin (facts §1.1, §1.2).

CloudFront never offers TLS 1.3 to origins; it offers the protocol versions of
OriginSSLProtocols, sixteen cipher suites and the curves P-256, P-384 and X25519. When that
handshake fails, two broader handshakes tell why: the same versions with every cipher and curve
(success: no common cipher or curve), then every version (success: no common protocol).
"""

from __future__ import annotations

import socket
import ssl
import warnings
from dataclasses import dataclass

CLOUDFRONT_CIPHERS = (
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA",
    "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA",
    "AES256-SHA", "AES128-SHA", "DES-CBC3-SHA", "RC4-MD5",
)
# Python 3.11's ssl sets one group at a time (set_ecdh_curve): P-256 first, as nearly every server has it.
CLOUDFRONT_CURVES = ("prime256v1", "X25519", "secp384r1")

# Offering TLS 1.0/1.1 is the point of the probe (CloudFront still offers them), not an oversight.
warnings.filterwarnings("ignore", message=r"ssl\.TLSVersion\.TLSv1(_1)? is deprecated", category=DeprecationWarning)

VERSIONS = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
}
# OriginSSLProtocols not written: the CloudFormation default has changed over time (TLSv1 + SSLv3
# once, TLSv1.2 in today's console and Terraform modules). Offering TLSv1 to TLSv1.2 is the broadest
# CloudFront might send, so an origin is never blamed for a protocol CloudFront may well offer.
DEFAULT_PROTOCOLS = ("TLSv1", "TLSv1.1", "TLSv1.2")
# TLS 1.0/1.1 and 3DES/RC4 are below OpenSSL 3's default security level; CloudFront still offers them.
_LOW = ":@SECLEVEL=0"


@dataclass(frozen=True)
class TlsResult:
    address: str
    port: int
    sni: str
    offered: tuple[str, ...]  # protocol versions offered
    # ok | no-common-protocol | no-common-cipher | timeout | refused | failed | not-offered
    status: str
    protocol: str = ""
    cipher: str = ""
    chain: tuple[bytes, ...] = ()  # DER, in the order the server sent it
    detail: str = ""

    @property
    def established(self) -> bool:
        return self.status == "ok"


def offered_protocols(ssl_protocols: object) -> tuple[str, ...]:
    """The versions CloudFront offers for an OriginSSLProtocols value (SSLv3 cannot be tested here)."""
    if not isinstance(ssl_protocols, (list, tuple)) or not all(isinstance(p, str) for p in ssl_protocols):
        return DEFAULT_PROTOCOLS
    return tuple(p for p in VERSIONS if p in ssl_protocols)


def _context(versions: tuple[str, ...], ciphers: str, curve: str | None, tls13: bool = False) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the chain is judged by policykit.probes.certs, without AIA
    context.minimum_version = VERSIONS[versions[0]] if versions else ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_3 if tls13 else VERSIONS[versions[-1]]
    context.set_ciphers(ciphers)
    if curve:
        context.set_ecdh_curve(curve)
    return context


def cloudfront_context(versions: tuple[str, ...], curve: str | None = "prime256v1") -> ssl.SSLContext:
    return _context(versions, ":".join(CLOUDFRONT_CIPHERS) + _LOW, curve)


@dataclass(frozen=True)
class _Attempt:
    status: str  # ok | timeout | refused | failed
    protocol: str = ""
    cipher: str = ""
    chain: tuple[bytes, ...] = ()
    detail: str = ""


def _handshake(context: ssl.SSLContext, address: str, port: int, sni: str, timeout: float) -> _Attempt:
    try:
        raw = socket.create_connection((address, port), timeout=timeout)
    except ConnectionRefusedError:
        return _Attempt("refused", detail="connection refused")
    except TimeoutError:
        return _Attempt("timeout", detail=f"connect timed out after {timeout:g} s")
    except OSError as exc:
        return _Attempt("failed", detail=exc.strerror or str(exc))
    try:
        raw.settimeout(timeout)
        with context.wrap_socket(raw, server_hostname=sni) as tls:
            cipher = tls.cipher()
            return _Attempt("ok", tls.version() or "", cipher[0] if cipher else "", _chain(tls))
    except TimeoutError:
        return _Attempt("timeout", detail=f"the server did not complete the handshake within {timeout:g} s")
    except ssl.SSLError as exc:
        return _Attempt("failed", detail=exc.reason or str(exc))
    except OSError as exc:
        return _Attempt("failed", detail=exc.strerror or str(exc) or type(exc).__name__)
    finally:
        raw.close()


def _chain(tls: ssl.SSLSocket) -> tuple[bytes, ...]:
    """The certificates as served, in order; never completed from elsewhere (CloudFront has no AIA)."""
    getter = getattr(tls, "get_unverified_chain", None)  # public from Python 3.13
    if getter is None:
        getter = getattr(getattr(tls, "_sslobj", None), "get_unverified_chain", None)  # Python 3.10-3.12
    if getter is not None:
        certs = getter() or []
        return tuple(c if isinstance(c, bytes) else c.public_bytes(ssl._ssl.ENCODING_DER)  # type: ignore[attr-defined]
                     for c in certs)
    leaf = tls.getpeercert(binary_form=True)
    return (leaf,) if leaf else ()


def probe(address: str, port: int, sni: str, ssl_protocols: object, timeout: float) -> TlsResult:
    versions = offered_protocols(ssl_protocols)
    if not versions:
        return TlsResult(address, port, sni, versions, "not-offered",
                         detail="only SSLv3 is allowed, which this probe (and any current server) cannot speak")
    attempt = _Attempt("failed")
    failures: list[str] = []
    for curve in CLOUDFRONT_CURVES:
        attempt = _handshake(cloudfront_context(versions, curve), address, port, sni, timeout)
        if attempt.status in ("ok", "timeout", "refused"):
            break
        failures.append(attempt.detail)
    if attempt.status != "failed":
        return TlsResult(address, port, sni, versions, attempt.status, attempt.protocol, attempt.cipher,
                         attempt.chain, attempt.detail)
    detail = failures[0] if failures else attempt.detail
    everything = "ALL:COMPLEMENTOFALL" + _LOW
    same_versions = _handshake(_context(versions, everything, None), address, port, sni, timeout)
    if same_versions.status == "ok":
        return TlsResult(address, port, sni, versions, "no-common-cipher", detail=(
            f"{detail}; the server accepts {same_versions.protocol} with {same_versions.cipher}, "
            "which CloudFront does not offer (or only with a curve CloudFront does not offer)"))
    any_version = _handshake(_context(("TLSv1",), everything, None, tls13=True), address, port, sni, timeout)
    if any_version.status == "ok":
        return TlsResult(address, port, sni, versions, "no-common-protocol", detail=(
            f"{detail}; the server only accepts {any_version.protocol} (negotiated {any_version.cipher})"))
    return TlsResult(address, port, sni, versions, "failed", detail=detail)
