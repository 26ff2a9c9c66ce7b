"""Viewer-side facts: certificate presence and Region, security policy, WebSocket behaviors."""

from __future__ import annotations

import re

from policykit.core.patterns import lazy_pattern
from policykit.core.truth import Truth, all_true
from policykit.core.values import Partial, Unknown, reason_of
from policykit.facts import behaviors as behavior_facts
from policykit.model.cloudfront import CacheBehavior, Distribution, ViewerCertificate

# Security policies older than TLSv1.2_2021 (TLSv1.2_2025 and TLSv1.3_2025 are newer, not older).
OLD_SECURITY_POLICIES = ("SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019")

_ARN_REGION = lazy_pattern(r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):")
# path patterns and alias names that look like WebSocket endpoints
_WS_PATH = re.compile(r"(^|/)(ws|wss|websockets?|socket\.io|sockjs|cable)([/*.?_-]|$)", re.I)
_WS_ALIAS = re.compile(r"^(ws|wss|websockets?|socket)[.-]", re.I)


def arn_region(arn: object) -> str | Unknown:
    """The Region written in an ARN (literal, or the literal head of a partly known ARN)."""
    if isinstance(arn, Partial):
        head = arn.parts[0]
        match = _ARN_REGION().match(head) if isinstance(head, str) else None
        return match.group("region") if match else Unknown(arn.reason or "the ARN is only partly known")
    if not isinstance(arn, str):
        return Unknown(reason_of(arn, "the ARN is not known"))
    match = _ARN_REGION().match(arn.strip())
    return match.group("region") if match else Unknown("the value is not an ARN")


def aliases_without_certificate(dist: Distribution) -> Truth:
    """Does the distribution have aliases but the default CloudFront certificate (or none)? A multi-tenant
    distribution has none of its own: its tenants' domains are served with their certificates (PK301)."""
    if isinstance(dist.connection_mode, str) and dist.connection_mode.strip() == "tenant-only":
        return False
    if not dist.aliases:
        return dist.aliases.more if dist.aliases.more is not None else False
    viewer = dist.viewer_certificate
    if viewer is None:
        return True
    default = viewer.cloudfront_default
    if default is True:
        return True
    if isinstance(default, (Unknown, Partial)):
        return Unknown(default.reason or "CloudFrontDefaultCertificate is not known")
    return viewer.acm_certificate_arn is None and viewer.iam_certificate_id is None


def viewer_certificate_region(viewer: ViewerCertificate) -> str | Unknown:
    """The Region of the viewer ACM certificate: from the ARN, or from the certificate resource when known."""
    if viewer.acm_certificate_arn is None:
        return Unknown("no ACM certificate")
    region = arn_region(viewer.acm_certificate_arn)
    if isinstance(region, str):
        return region
    if viewer.certificate is not None and isinstance(viewer.certificate.region, str):
        return viewer.certificate.region
    return region


def certificate_in_us_east_1(viewer: ViewerCertificate) -> Truth:
    """Is the viewer ACM certificate in us-east-1 (the only Region CloudFront reads viewer certificates from)?"""
    if viewer.acm_certificate_arn is None:
        return True  # nothing to check (IAM or default certificate)
    region = viewer_certificate_region(viewer)
    return region if isinstance(region, Unknown) else region == "us-east-1"


def old_security_policy(viewer: ViewerCertificate) -> Truth:
    """Is MinimumProtocolVersion written and older than TLSv1.2_2021?"""
    version = viewer.minimum_protocol_version
    if version is None or viewer.cloudfront_default is True:
        return False  # not written, or forced to TLSv1 by the default certificate (not configurable)
    if not isinstance(version, str):
        return Unknown(reason_of(version, "MinimumProtocolVersion is not known"))
    return version.strip() in OLD_SECURITY_POLICIES


def websocket_by_path(behavior: CacheBehavior) -> str:
    """declared (policykit:websocket metadata/tag), guessed (the path pattern looks like it) or no."""
    dist = behavior.distribution
    declared = [p for p in (dist.websocket_paths if dist else []) if isinstance(p, str)]
    pattern = behavior.path_pattern
    if behavior.is_default:
        if any(p.strip() in ("*", "/*", "default") for p in declared):
            return "declared"
    elif isinstance(pattern, str) and pattern in declared:
        return "declared"
    if isinstance(pattern, str) and _WS_PATH.search(pattern):
        return "guessed"
    return "no"


def is_websocket_name(name: object) -> bool:
    """Does an alias look like a WebSocket endpoint (`ws.`, `wss.`, `websocket-`...)?"""
    return isinstance(name, str) and bool(_WS_ALIAS.match(name))


def serves_websocket(behavior: CacheBehavior) -> str:
    """declared (policykit:websocket metadata/tag), guessed (path or alias looks like it) or no."""
    by_path = websocket_by_path(behavior)
    if by_path != "no":
        return by_path
    dist = behavior.distribution
    if behavior.is_default and dist is not None and any(is_websocket_name(a.name) for a in dist.aliases):
        return "guessed"
    return "no"


def forwards_websocket_headers(behavior: CacheBehavior) -> Truth:
    """Does the behavior forward Sec-WebSocket-Key and Sec-WebSocket-Version (or all viewer headers)?"""
    return all_true([behavior_facts.forwards_header(behavior, "sec-websocket-key"),
                     behavior_facts.forwards_header(behavior, "sec-websocket-version")])


def websocket_reason(behavior: CacheBehavior) -> str:
    """Why the behavior is taken to serve WebSocket (for messages)."""
    kind = serves_websocket(behavior)
    if kind == "declared":
        return "declared in the policykit:websocket metadata"
    if kind == "guessed":
        if isinstance(behavior.path_pattern, str) and _WS_PATH.search(behavior.path_pattern):
            return f"its path pattern '{behavior.path_pattern}' looks like a WebSocket endpoint"
        return "an alias of the distribution looks like a WebSocket host"
    return "it does not"
