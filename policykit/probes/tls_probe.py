"""TLS: a handshake offering what CloudFront offers an origin (facts §1.1, §1.2), as far as Python's ssl can.

CloudFront never offers TLS 1.3 to origins; it offers the protocol versions of OriginSSLProtocols, sixteen cipher
suites, the curves P-256, P-384 and X25519 and the signature schemes RSA-PKCS1 and ECDSA (core/origin_tls.py).
Python's ssl sets the versions and the suites; before Python 3.15 it offers one curve at a time (so each is tried
in turn, and the one that agreed is known) and cannot set or report the signature schemes: the certificate's own
key and signatures are then judged on what the origin presented (policykit/probes/verify.py), and a handshake
that agreed only because an EdDSA scheme was offered is tried again without the suites that let it. When the
handshake fails, two broader ones tell why: the same versions with every cipher and curve (success: no common
cipher or curve), then every version (success: no common protocol). What CloudFront offers and this machine's
OpenSSL cannot (SSLv3, DES-CBC3-SHA, RC4-MD5) is asked by one hand-made ClientHello (policykit/probes/legacy_hello.py).
"""

from __future__ import annotations

import re
import ssl
import warnings
from collections.abc import Sequence

from policykit.core.origin_tls import (
    cloudfront_ciphers,
    cloudfront_curves,
    default_protocols,
    openssl_groups,
    openssl_sigalgs,
    rule,
)
from policykit.core.record import record
from policykit.core.results import TlsResult, TlsStatus
from policykit.probes import legacy_hello
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
ALL_CURVES = "all"  # one offer of every CloudFront curve (Python 3.15's set_groups)
# Key types CloudFront's signature schemes exclude, and the suites whose offer let the origin choose them
_SCHEME_CHOSEN = {"Ed25519": "ECDHE-ECDSA-", "Ed448": "ECDHE-ECDSA-", "RSA-PSS": "ECDHE-RSA-"}


def offered_protocols(ssl_protocols: object) -> tuple[str, ...]:
    """The versions CloudFront offers for an OriginSSLProtocols value (SSLv3 cannot be tested here)."""
    if not isinstance(ssl_protocols, (list, tuple)) or not all(isinstance(p, str) for p in ssl_protocols):
        return default_protocols()
    return tuple(p for p in VERSIONS if p in ssl_protocols)


def sets_groups() -> bool:
    """Can this Python offer several curves in one handshake (SSLContext.set_groups, Python 3.15)?"""
    return hasattr(ssl.SSLContext, "set_groups")


def sets_sigalgs() -> bool:
    """Can this Python restrict the signature schemes it offers (SSLContext.set_client_sigalgs, Python 3.15)?"""
    return hasattr(ssl.SSLContext, "set_client_sigalgs")


def not_checked_rules(ssl_protocols: object) -> tuple[str, ...]:
    """Profile rules (core/origin_tls.py) no handshake of this machine applies, for the report."""
    rules = [] if sets_sigalgs() else ["signature_schemes"]
    if isinstance(ssl_protocols, (list, tuple)) and "SSLv3" in ssl_protocols:
        rules.append("sslv3")
    return tuple(rules)  # the suites this OpenSSL cannot offer matter only when every handshake fails (_legacy)


def _context(versions: tuple[str, ...], ciphers: str, curve: str | None, tls13: bool = False) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the chain is judged by policykit.probes.verify, without AIA
    context.minimum_version = VERSIONS[versions[0]] if versions else ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_3 if tls13 else VERSIONS[versions[-1]]
    context.set_ciphers(ciphers)
    if curve == ALL_CURVES:
        getattr(context, "set_groups")(openssl_groups())  # noqa: B009 - Python 3.15 and later only
    elif curve:
        context.set_ecdh_curve(curve)
    return context


def cloudfront_context(versions: tuple[str, ...], curve: str | None = "prime256v1",
                       ciphers: Sequence[str] = ()) -> ssl.SSLContext:
    """CloudFront's offer (or the part of its suites given), with its signature schemes where Python sets them."""
    context = _context(versions, ":".join(ciphers or cloudfront_ciphers()) + _LOW, curve)
    if sets_sigalgs():
        getattr(context, "set_client_sigalgs")(openssl_sigalgs())  # noqa: B009 - Python 3.15 and later only
    return context


def session_context(tls: TlsResult) -> ssl.SSLContext:
    """A context that agrees on what the CloudFront-like handshake agreed on (for the HTTP requests after it)."""
    return cloudfront_context(tls.offered, tls.group or None, (tls.cipher,))


@record
class _Attempt:
    status: TlsStatus  # ok | timeout | cut | refused | failed
    protocol: str = ""
    cipher: str = ""
    chain: tuple[bytes, ...] = ()
    detail: str = ""
    group: str = ""
    sigalg: str = ""


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
               allow_private: bool, curve: str | None = None) -> _Attempt:
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
            name = cipher[0] if cipher else ""
            group = str(getattr(tls, "group", lambda: "")() or "")  # Python 3.15 reports it
            if not group and curve not in (None, ALL_CURVES) and name.startswith("ECDHE-"):
                group = curve or ""  # the only curve this handshake offered
            sigalg = str(getattr(tls, "server_sigalg", lambda: "")() or "")  # Python 3.15 reports it
            return _Attempt(TlsStatus.OK, tls.version() or "", name, _chain(tls), group=group, sigalg=sigalg)
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


def _offers() -> tuple[str, ...]:
    return (ALL_CURVES,) if sets_groups() else cloudfront_curves()


def _cloudfront(versions: tuple[str, ...], ciphers: Sequence[str], address: str, port: int, sni: str,
                deadlines: Deadlines, allow_private: bool) -> tuple[_Attempt, list[str]]:
    """CloudFront's offer, one curve at a time where Python can offer only one: the first that agrees."""
    attempt = _Attempt(TlsStatus.FAILED)
    failures: list[str] = []
    for curve in _offers():
        attempt = _handshake(cloudfront_context(versions, curve, ciphers), address, port, sni, deadlines,
                             allow_private, curve)
        if attempt.status is not TlsStatus.FAILED:
            break
        failures.append(attempt.detail)
    return attempt, failures


def _leaf_key(chain: tuple[bytes, ...]) -> str:
    """The kind of the served leaf's key (RSA, ECDSA, Ed25519, ...), "" when there is none to read."""
    from cryptography import x509

    from policykit.probes.certs import key_of

    try:
        return key_of(x509.load_der_x509_certificate(chain[0])).kind if chain else ""
    except ValueError:
        return ""


def _as_cloudfront(attempt: _Attempt, versions: tuple[str, ...], address: str, port: int, sni: str,
                   deadlines: Deadlines, allow_private: bool) -> tuple[_Attempt, str]:
    """The handshake CloudFront would get. An origin with an Ed25519 (or RSA-PSS) certificate beside an RSA (or
    ECDSA) one chooses the first for a client offering EdDSA (or PSS) schemes, as this Python's must; CloudFront
    offers none, so it gets the other: tried again without the suites that let the origin choose the first."""
    kind = _leaf_key(attempt.chain)
    family = _SCHEME_CHOSEN.get(kind, "")
    if sets_sigalgs() or not family or not attempt.cipher.startswith(family):
        return attempt, ""
    others = [c for c in cloudfront_ciphers() if not c.startswith(family)]
    again, _ = _cloudfront(versions, others, address, port, sni, deadlines, allow_private)
    if again.status is TlsStatus.OK and _leaf_key(again.chain) not in ("", *_SCHEME_CHOSEN):
        return again, (f"the origin also has a certificate with an {kind} key, chosen for clients that offer "
                       f"{kind} signature schemes; CloudFront offers none, so it is sent this one")
    return attempt, ""


def probe(address: str, port: int, sni: str, ssl_protocols: object, deadlines: Deadlines,
          allow_private: bool) -> TlsResult:
    """The CloudFront-like handshake; when it fails, broader ones that tell why."""
    versions = offered_protocols(ssl_protocols)
    skipped = not_checked_rules(ssl_protocols)
    if not versions:
        return TlsResult(address, port, sni, versions, TlsStatus.NOT_OFFERED, not_checked=skipped,
                         detail="only SSLv3 is allowed, which this probe (and any current server) cannot speak")
    attempt, failures = _cloudfront(versions, (), address, port, sni, deadlines, allow_private)
    if attempt.status is TlsStatus.OK:
        attempt, note = _as_cloudfront(attempt, versions, address, port, sni, deadlines, allow_private)
        return TlsResult(address, port, sni, versions, attempt.status, attempt.protocol, attempt.cipher,
                         attempt.chain, attempt.detail, attempt.group, attempt.sigalg, skipped, note)
    if attempt.status is not TlsStatus.FAILED:
        return TlsResult(address, port, sni, versions, attempt.status, detail=attempt.detail, not_checked=skipped)
    detail = failures[0] if failures else attempt.detail
    everything = "ALL:COMPLEMENTOFALL" + _LOW
    same_versions = _handshake(_context(versions, everything, None), address, port, sni, deadlines, allow_private)
    if same_versions.status is TlsStatus.OK:
        return TlsResult(address, port, sni, versions, TlsStatus.NO_COMMON_CIPHER, chain=same_versions.chain,
                         not_checked=skipped, detail=(
            f"{detail}; the server accepts {same_versions.protocol} with {same_versions.cipher}, "
            "which CloudFront does not offer (or only with a curve CloudFront does not offer)"))
    any_version = _handshake(_context(("TLSv1",), everything, None, tls13=True), address, port, sni, deadlines,
                             allow_private)
    if any_version.status is TlsStatus.OK:
        return TlsResult(address, port, sni, versions, TlsStatus.NO_COMMON_PROTOCOL, chain=any_version.chain,
                         not_checked=skipped,
                         detail=f"{detail}; the server only accepts {any_version.protocol} (negotiated "
                                f"{any_version.cipher})")
    if TlsStatus.CUT in (same_versions.status, any_version.status):
        return TlsResult(address, port, sni, versions, TlsStatus.CUT, detail=f"{detail}; the retries were cut short",
                         not_checked=skipped)
    legacy = _legacy(address, port, sni, ssl_protocols, versions, deadlines, allow_private)
    if legacy:
        return TlsResult(address, port, sni, versions, TlsStatus.NOT_OFFERED, detail=f"{detail}; {legacy}",
                         not_checked=skipped)
    return TlsResult(address, port, sni, versions, TlsStatus.FAILED, not_checked=skipped, detail=(
        f"{detail}, to CloudFront's offer and to every protocol version and cipher suite this probe can offer: "
        "the handshake fails for every client"))


def _legacy(address: str, port: int, sni: str, ssl_protocols: object, versions: tuple[str, ...],
            deadlines: Deadlines, allow_private: bool) -> str:
    """Words for an origin that speaks only what CloudFront offers and this machine cannot ("" otherwise)."""
    sslv3 = isinstance(ssl_protocols, (list, tuple)) and "SSLv3" in ssl_protocols
    ciphers = cloudfront_ciphers() if sslv3 else legacy_hello.unofferable_ciphers()
    if not ciphers:
        return ""
    offer = (*(("SSLv3",) if sslv3 else ()), *versions)
    answer = legacy_hello.ask(address, port, sni, offer, ciphers, deadlines.step(), allow_private)
    if answer.version == "SSLv3" and sslv3:
        return (f"the origin answers only SSLv3 (with {answer.cipher}), which CloudFront offers here "
                f"(OriginSSLProtocols) and no current TLS library can: not checked here ({rule('sslv3').reference})")
    if answer.cipher in legacy_hello.unofferable_ciphers():
        return (f"the origin accepts only {answer.cipher} ({answer.version}), which CloudFront offers and this "
                f"machine's TLS library cannot: not checked here ({rule('legacy_ciphers').reference})")
    return ""
