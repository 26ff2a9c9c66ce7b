"""What CloudFront offers an origin in its TLS handshake (facts §1.1, §1.2), from the one table the static TLS
facts (policykit/facts/tls.py) and the live probe (policykit/probes/tls_probe.py) both read:
core/data/cloudfront_origin_tls.json. Read on first use, so importing this costs nothing."""

from __future__ import annotations

from policykit.core.data import load

TABLE = "cloudfront_origin_tls.json"


def _strings(key: str) -> tuple[str, ...]:
    return tuple(str(item) for item in load(TABLE)[key])


def cloudfront_ciphers() -> tuple[str, ...]:
    """The sixteen cipher suites CloudFront offers (OpenSSL names), in its order."""
    return _strings("ciphers")


def cloudfront_curves() -> tuple[str, ...]:
    """The curves CloudFront offers. Python 3.11's ssl sets one group at a time (set_ecdh_curve), so a probe
    tries them in the table's order: P-256 first, as nearly every server has it."""
    return _strings("curves")


def default_protocols() -> tuple[str, ...]:
    """The versions offered when OriginSSLProtocols is not written. The CloudFormation default has changed
    over time (TLSv1 + SSLv3 once, TLSv1.2 in today's console and Terraform modules); offering TLSv1 to TLSv1.2
    is the broadest CloudFront might send, so an origin is never blamed for a protocol CloudFront may well offer."""
    return _strings("default_protocols")
