"""What CloudFront accepts from an edge function: header lists, sizes and limits per event.

From section 8 of the team's CloudFront origin facts (AWS "Restrictions on all edge functions",
"Restrictions on Lambda@Edge", "Quotas on Lambda@Edge" and the Lambda@Edge event structure).
"""

from __future__ import annotations

import fnmatch
from typing import Literal

EVENTS = ("viewer-request", "origin-request", "origin-response", "viewer-response")
# CloudFront Functions of mutual TLS run during the TLS handshake, on no request: policykit does not run them
CONNECTION_EVENT = "connection-request"
REQUEST_EVENTS = ("viewer-request", "origin-request")
VIEWER_EVENTS = ("viewer-request", "viewer-response")
CLOUDFRONT_FUNCTION_EVENTS = ("viewer-request", "viewer-response")

# Not exposed to functions and cannot be added (adding one: 502). Lowercase; `*` is a wildcard.
DISALLOWED = (
    "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
    "trailer", "upgrade", "x-accel-buffering", "x-accel-charset", "x-accel-limit-rate", "x-accel-redirect",
    "x-amz-cf-*", "x-amzn-auth", "x-amzn-cf-billing", "x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype",
    "x-amzn-fle-profile", "x-amzn-header-count", "x-amzn-header-order", "x-amzn-lambda-integration-tag",
    "x-amzn-requestid", "x-cache", "x-edge-*", "x-forwarded-proto", "x-real-ip",
)

# Readable, but adding, changing or removing one is a validation error (502), per event.
READ_ONLY: dict[str, tuple[str, ...]] = {
    "viewer-request": ("content-length", "host", "transfer-encoding", "via"),
    "origin-request": ("accept-encoding", "content-length", "if-modified-since", "if-none-match", "if-range",
                       "if-unmodified-since", "transfer-encoding", "via"),
    "origin-response": ("transfer-encoding", "via"),
    "viewer-response": ("warning", "via"),
}

# Headers CloudFront refuses as origin custom headers (also in a function's `origin.*.customHeaders`).
REFUSED_ORIGIN_HEADERS = (
    "cache-control", "connection", "content-length", "cookie", "host", "if-match", "if-modified-since",
    "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "pragma", "proxy-authorization",
    "proxy-connection", "range", "request-range", "te", "trailer", "transfer-encoding", "upgrade", "via",
    "x-amz-*", "x-edge-*", "x-real-ip",
)
MAX_ORIGIN_HEADERS = 10
MAX_ORIGIN_HEADER_NAME = 256
MAX_ORIGIN_HEADER_VALUE = 1783

KB = 1024
MB = 1024 * KB
# A response a function generates or returns (headers and body): viewer events 40 KB, origin events 1 MB.
RESPONSE_LIMIT = {"viewer": 40 * KB, "origin": 1 * MB}
# A replacement request body (IncludeBody): text 40 KB / 1 MB, base64 53.2 KB / 1.33 MB.
REQUEST_BODY_LIMIT = {("viewer", "text"): 40 * KB, ("origin", "text"): 1 * MB,
                      ("viewer", "base64"): int(53.2 * KB), ("origin", "base64"): int(1.33 * MB)}
MAX_URI_AND_QUERY = 8192  # URI + query string must be shorter
# Function timeouts: Lambda's default, and the Lambda@Edge quota per event side.
DEFAULT_TIMEOUT = 3.0
TIMEOUT_QUOTA = {"viewer": 5.0, "origin": 30.0}
CLOUDFRONT_FUNCTION_MAX_CODE = 10 * KB

# Why a function could not be run here (PK716 carries it as evidence, so a suppression or a reader tells them apart):
# a declared dependency not installed, the AWS SDK Lambda provides, a runtime this machine lacks, a handler path
# that leaves its code, a zip policykit will not unpack, isolation required and not available, code that is not
# here (S3, an image, a file that cannot be read), a network call, a key value store whose content is not here,
# an event policykit does not run (connection-request).
UnavailableReason = Literal["dependency", "aws sdk", "runtime", "path", "archive", "isolation", "source not here",
                            "network", "key value store", "event"]
UNAVAILABLE_REASONS: tuple[UnavailableReason, ...] = (
    "dependency", "aws sdk", "runtime", "path", "archive", "isolation", "source not here", "network",
    "key value store", "event")

# What CloudFront answers when the function itself fails (facts 8.2): an invalid result is a
# 502 "Lambda validation error"; an execution error or a timeout is 503 in the current guide.
STATUS_INVALID = "502"
STATUS_FAILED = "503"


def side(event: str) -> str:
    """`viewer` or `origin`: the quotas of an event."""
    return "viewer" if event in VIEWER_EVENTS else "origin"


def listed(name: str, patterns: tuple[str, ...]) -> bool:
    """Is the (lowercase) header name in a list whose entries may end in `*`?"""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def timeout_for(event: str, configured: float | None) -> float:
    """The function's configured Timeout (Lambda's default 3 s), never above the event's quota."""
    wanted = DEFAULT_TIMEOUT if configured is None else configured
    return min(wanted, TIMEOUT_QUOTA[side(event)])
