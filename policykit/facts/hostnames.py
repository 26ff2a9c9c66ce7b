"""Host names: what kind of endpoint a name is, and whether a certificate name covers it."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from policykit.core.patterns import lazy_pattern
from policykit.core.values import Partial, Scalar, Unknown, reason_of

_HOLE = "\x00"  # stands for an unknown piece inside a partially known name
_L = r"[a-z0-9\x00-]+"  # one DNS label (or an unknown piece)
# Each kind of AWS endpoint: the DNS domain all its names end in (before an optional `.cn`), and the pattern of
# its names. A name in none of these domains is no AWS endpoint: no pattern is tried, or compiled (start-up).
ENDPOINT_PATTERNS: tuple[tuple[str, str, Callable[[], re.Pattern[str]]], ...] = tuple(
    (kind, domain, lazy_pattern(pattern)) for kind, domain, pattern in (
        # an unknown Region piece (GetAtt WebsiteURL) also stands for its `-` or `.` separator
        ("s3-website", ".amazonaws.com",
         rf"^{_L}(\.{_L})*\.s3-website([.-]|(?=\x00)){_L}(\.{_L})?\.amazonaws\.com(\.cn)?$"),
        ("s3", ".amazonaws.com", rf"^{_L}(\.{_L})*\.s3([.-]{_L})*\.amazonaws\.com(\.cn)?$"),
        ("s3", ".amazonaws.com", rf"^{_L}(\.{_L})*\.s3\.amazonaws\.com$"),
        ("elb", ".amazonaws.com", rf"^{_L}(\.{_L})*\.elb\.amazonaws\.com(\.cn)?$"),
        ("ec2", ".amazonaws.com",
         rf"^{_L}(\.{_L})*\.compute(-1)?\.amazonaws\.com(\.cn)?$|^ec2-{_L}(\.{_L})*\.amazonaws\.com$"),
        ("elastic-beanstalk", ".elasticbeanstalk.com", rf"^{_L}(\.{_L})*\.elasticbeanstalk\.com$"),
        ("api-gateway", ".amazonaws.com", rf"^{_L}\.execute-api\.{_L}\.amazonaws\.com(\.cn)?$"),
        ("lambda-url", ".on.aws", rf"^{_L}\.lambda-url\.{_L}\.on\.aws$"),
        ("mediastore", ".amazonaws.com", rf"^{_L}\.data\.mediastore\.{_L}\.amazonaws\.com$"),
        ("mediapackage", ".amazonaws.com", rf"^{_L}(\.{_L})*\.mediapackage\.{_L}\.amazonaws\.com$"),
        ("cloudfront", ".cloudfront.net", rf"^{_L}\.cloudfront\.net$"),
        ("global-accelerator", ".awsglobalaccelerator.com", rf"^{_L}(\.{_L})*\.awsglobalaccelerator\.com$"),
        ("app-runner", ".awsapprunner.com", rf"^{_L}\.{_L}\.awsapprunner\.com$"),
        ("amplify", ".amplifyapp.com", rf"^{_L}(\.{_L})*\.amplifyapp\.com$"),
        ("opensearch", ".amazonaws.com", rf"^{_L}(\.{_L})*\.es\.amazonaws\.com(\.cn)?$"),
    )
)
_MAX_ENDPOINT_NAME = 1024  # characters, holes included: DNS allows 253, holes may stand for less
# Endpoints whose names AWS owns but whose certificate the customer supplies: no certificate
# a customer can get covers `*.elb.amazonaws.com`, so CloudFront's name check must fail.
# A Global Accelerator forwards TCP: the TLS is its endpoints', with their customers' certificates.
AWS_GENERATED_CUSTOMER_TLS = frozenset({"elb", "ec2", "elastic-beanstalk", "global-accelerator"})


def skeleton(value: object) -> str | None:
    """The name in lower case with unknown pieces as holes; None when nothing is known."""
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, Partial):
        return "".join(p.lower() if isinstance(p, str) else _HOLE for p in value.parts)
    return None


def is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def endpoint_kind(domain: object) -> str | Unknown:
    """s3, s3-website, elb, ec2, api-gateway, lambda-url, mediastore, cloudfront, ip, custom."""
    name = skeleton(domain)
    if name is None:
        return Unknown(reason_of(domain, "the origin domain is not known"))
    if _HOLE not in name and is_ip_address(name):
        return "ip"
    # No AWS endpoint name is longer than DNS allows (253); a longer one is matched by no pattern,
    # and trying eleven of them on a string of megabytes costs seconds.
    if len(name) <= _MAX_ENDPOINT_NAME:
        for kind, suffix, pattern in ENDPOINT_PATTERNS:
            if suffix in name and pattern().match(name):
                return kind
    if name.endswith(_HOLE) or name == _HOLE or _HOLE in name.rsplit(".", 2)[-1]:
        # the end of the name is unknown: it could be any kind of endpoint
        return Unknown(reason_of(domain, "the origin domain is only partly known"))
    return "custom"


def name_covers(certificate_name: str, host: str) -> bool:
    """Does a certificate name (exact or `*.` one-label wildcard) cover `host`? (RFC 6125)"""
    pattern, host = certificate_name.lower().rstrip("."), host.lower().rstrip(".")
    if pattern == host:
        return True
    if pattern.startswith("*.") and "." in host:
        label, rest = host.split(".", 1)
        return bool(label) and rest == pattern[2:]
    return False


def covered(host: object, certificate_names: list[Scalar]) -> bool | Unknown:
    """True when a known certificate name covers the known host; Unknown when either side is unknown."""
    if not isinstance(host, str):
        return Unknown(reason_of(host, "the name is not known"))
    unknown: Unknown | None = None
    for name in certificate_names:
        if isinstance(name, str):
            if name_covers(name, host):
                return True
        elif name is not None:
            unknown = unknown or Unknown(reason_of(name, "a certificate name is not known"))
    return unknown if unknown is not None else False
