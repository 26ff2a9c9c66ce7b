"""TLS: a handshake offering exactly what CloudFront offers an origin (facts §1.1, §1.2).

CloudFront never offers TLS 1.3 to origins; it offers the protocol versions of
OriginSSLProtocols, sixteen cipher suites and the curves P-256, P-384 and X25519. When that
handshake fails, two broader handshakes tell why: the same versions with every cipher and curve
(success: no common cipher or curve), then every version (success: no common protocol).
"""

from __future__ import annotations

import re
import ssl
import warnings

from policykit.core.origin_tls import cloudfront_ciphers, cloudfront_curves, default_protocols
from policykit.core.record import record
from policykit.core.results import TlsResult, TlsStatus
from policykit.probes.addresses import open_connection
from policykit.probes.deadlines import Deadlines

# Offering TLS 1.0/1.1 is the point of the probe (CloudFront still offers them), not an oversight.
warnings.filterwarnings("ignore", message=r"ssl\.TLSVersion\.TLSv1(_1)? is deprecated", category=DeprecationWarning)

VERSIONS = {
    "TLSv1": ssl.TLSVersion.TLSv1,
    "TLSv1.1": ssl.TLSVersion.TLSv1_1,
    "TLSv1.2": ssl.TLSVersion.TLSv1_2,
}
# TLS 1.0/1.1 and 3DES/RC4 are below OpenSSL 3's default security level; CloudFront still offers them.
_LOW = ":@SECLEVEL=0"


def offered_protocols(ssl_protocols: object) -> tuple[str, ...]:
    """The versions CloudFront offers for an OriginSSLProtocols value (SSLv3 cannot be tested here)."""
    if not isinstance(ssl_protocols, (list, tuple)) or not all(isinstance(p, str) for p in ssl_protocols):
        return default_protocols()
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
    return _context(versions, ":".join(cloudfront_ciphers()) + _LOW, curve)


@record
class _Attempt:
    status: TlsStatus  # ok | timeout | cut | refused | failed
    protocol: str = ""
    cipher: str = ""
    chain: tuple[bytes, ...] = ()
    detail: str = ""


_ALERT = re.compile(r"(?:SSLV3|TLSV1(?:_\d)?)_ALERT_([A-Z_]+)")
_WORDS = {
    "UNEXPECTED_EOF_WHILE_READING": "the origin closed the connection during the handshake",
    "WRONG_VERSION_NUMBER": "the origin answered with something that is not TLS (plain HTTP on the HTTPS port?)",
    "UNSUPPORTED_PROTOCOL": "the origin chose a protocol version that was not offered",
    "NO_SHARED_CIPHER": "no shared cipher",
    "WRONG_CURVE": "the origin chose a curve that was not offered",
    "BAD_ECPOINT": "the origin sent an invalid key share",
    "RECORD_LAYER_FAILURE": "the handshake broke off",
}


def answer_words(exc: BaseException) -> str:
    """What the origin answered, in words: the TLS alert it sent, or that it closed the connection."""
    if isinstance(exc, ssl.SSLError):
        reason = exc.reason or ""
        alert = _ALERT.search(reason)
        if alert:
            return f"the origin answered with the TLS alert {alert.group(1).lower()}"
        if reason in _WORDS:
            return _WORDS[reason]
        if isinstance(exc, ssl.SSLEOFError) or "EOF" in str(exc):
            return "the origin closed the connection during the handshake"
        return f"the handshake failed ({reason.lower().replace('_', ' ') or 'no reason given'})"
    if isinstance(exc, ConnectionResetError):
        return "the origin reset the connection during the handshake"
    if isinstance(exc, OSError):
        return f"the connection failed during the handshake ({exc.strerror or type(exc).__name__})"
    return type(exc).__name__


def _handshake(context: ssl.SSLContext, address: str, port: int, sni: str, deadlines: Deadlines,
               allow_private: bool) -> _Attempt:
    step = deadlines.step()
    try:
        raw = open_connection(address, port, step.remaining(), allow_private)
    except ConnectionRefusedError:
        return _Attempt(TlsStatus.REFUSED, detail="connection refused")
    except TimeoutError:
        status = TlsStatus.CUT if step.cut else TlsStatus.TIMEOUT
        return _Attempt(status, detail=f"the connection was not opened {step.timeout_words()}")
    except OSError as exc:
        return _Attempt(TlsStatus.FAILED, detail=exc.strerror or str(exc))
    try:
        # CPython treats a socket timeout as a deadline for the whole handshake call, not per read
        raw.settimeout(max(step.remaining(), 0.001))
        with context.wrap_socket(raw, server_hostname=sni) as tls:
            cipher = tls.cipher()
            return _Attempt(TlsStatus.OK, tls.version() or "", cipher[0] if cipher else "", _chain(tls))
    except TimeoutError:
        return _Attempt(TlsStatus.CUT if step.cut else TlsStatus.TIMEOUT, detail=(
            f"TCP connected, then the origin did not complete the TLS handshake {step.timeout_words()}"))
    except (ssl.SSLError, OSError) as exc:
        return _Attempt(TlsStatus.FAILED, detail=answer_words(exc))
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


def probe(address: str, port: int, sni: str, ssl_protocols: object, deadlines: Deadlines,
          allow_private: bool) -> TlsResult:
    """The CloudFront-like handshake; when it fails, broader ones that tell why."""
    versions = offered_protocols(ssl_protocols)
    if not versions:
        return TlsResult(address, port, sni, versions, TlsStatus.NOT_OFFERED,
                         detail="only SSLv3 is allowed, which this probe (and any current server) cannot speak")
    attempt = _Attempt(TlsStatus.FAILED)
    failures: list[str] = []
    for curve in cloudfront_curves():
        attempt = _handshake(cloudfront_context(versions, curve), address, port, sni, deadlines, allow_private)
        if attempt.status is not TlsStatus.FAILED:
            break
        failures.append(attempt.detail)
    if attempt.status is not TlsStatus.FAILED:
        return TlsResult(address, port, sni, versions, attempt.status, attempt.protocol, attempt.cipher,
                         attempt.chain, attempt.detail)
    detail = failures[0] if failures else attempt.detail
    everything = "ALL:COMPLEMENTOFALL" + _LOW
    same_versions = _handshake(_context(versions, everything, None), address, port, sni, deadlines, allow_private)
    if same_versions.status is TlsStatus.OK:
        return TlsResult(address, port, sni, versions, TlsStatus.NO_COMMON_CIPHER, detail=(
            f"{detail}; the server accepts {same_versions.protocol} with {same_versions.cipher}, "
            "which CloudFront does not offer (or only with a curve CloudFront does not offer)"))
    any_version = _handshake(_context(("TLSv1",), everything, None, tls13=True), address, port, sni, deadlines,
                             allow_private)
    if any_version.status is TlsStatus.OK:
        return TlsResult(address, port, sni, versions, TlsStatus.NO_COMMON_PROTOCOL, detail=(
            f"{detail}; the server only accepts {any_version.protocol} (negotiated {any_version.cipher})"))
    if TlsStatus.CUT in (same_versions.status, any_version.status):
        return TlsResult(address, port, sni, versions, TlsStatus.CUT, detail=f"{detail}; the retries were cut short")
    return TlsResult(address, port, sni, versions, TlsStatus.FAILED, detail=(
        f"{detail}, to CloudFront's offer and to every protocol version and cipher suite this probe can offer: "
        "the handshake fails for every client"))
