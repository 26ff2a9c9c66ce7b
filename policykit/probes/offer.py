"""What CloudFront offers an origin in its TLS handshake (facts §1.1, §1.2): plain data, cheap to import."""

from __future__ import annotations

CLOUDFRONT_CIPHERS = (
    "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-ECDSA-AES256-SHA",
    "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES128-SHA",
    "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA",
    "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA",
    "AES256-SHA", "AES128-SHA", "DES-CBC3-SHA", "RC4-MD5",
)
# Python 3.11's ssl sets one group at a time (set_ecdh_curve): P-256 first, as nearly every server has it.
CLOUDFRONT_CURVES = ("prime256v1", "X25519", "secp384r1")
# OriginSSLProtocols not written: the CloudFormation default has changed over time (TLSv1 + SSLv3
# once, TLSv1.2 in today's console and Terraform modules). Offering TLSv1 to TLSv1.2 is the broadest
# CloudFront might send, so an origin is never blamed for a protocol CloudFront may well offer.
DEFAULT_PROTOCOLS = ("TLSv1", "TLSv1.1", "TLSv1.2")
