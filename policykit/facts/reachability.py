"""Origin reachability facts: a usable domain name, the right origin config for the endpoint, HTTPS or not, and
Host forwarding to endpoints that refuse it (ports and timeouts in range: policykit/facts/settings.py)."""

from __future__ import annotations

import re

from policykit.core.truth import Truth, any_true
from policykit.core.values import Partial, Unknown, UnknownAddress
from policykit.facts import behaviors as behavior_facts
from policykit.facts import origins as origin_facts
from policykit.facts.hostnames import is_ip_address
from policykit.facts.load_balancers import origin_protocols
from policykit.model.cloudfront import CacheBehavior, Origin

# Endpoints that route by their own Host name: the viewer's Host breaks them (403/404/502).
HOST_SENSITIVE = ("s3", "s3-website", "api-gateway", "lambda-url", "mediastore", "app-runner", "amplify",
                  "opensearch")



def domain_name_problem(origin: Origin) -> str | Unknown | None:
    """What is wrong with the origin DomainName as a DNS name (IP, scheme, path, port, colon, empty,
    a character no DNS name holds), or None."""
    domain = origin.domain_name
    if domain is None:
        return None  # a missing required property is the schema linters' job
    if isinstance(domain, UnknownAddress):
        return f"it is an IP address ({domain.reason}), not a DNS name"
    if isinstance(domain, Unknown):
        return domain
    if isinstance(domain, Partial):
        known = [p for p in domain.parts if isinstance(p, str)]
        if any("${" in p for p in known):
            return "it contains an unsubstituted '${...}' (Fn::Join does not substitute; use Fn::Sub)"
        first = domain.parts[0]
        if isinstance(first, str) and re.match(r"^[a-z][a-z0-9+.-]*://", first, re.I):
            return "it starts with a URL scheme"
        if any("/" in p for p in known):
            return "it contains a path ('/')"
        if any(":" in p for p in known):
            return "it contains a colon (a port?)"
        bad = next((_bad_character(p) for p in known if _bad_character(p)), None)
        if bad:
            return bad
        if all(p.ref is not None for p in domain.parts if isinstance(p, Unknown)):
            return None  # the unknown pieces are host labels AWS generates (bucket, API id, Region)
        return Unknown(domain.reason or "the origin domain is only partly known")
    if not isinstance(domain, str):
        return None
    text = domain.strip()
    if not text:
        return "it is empty"
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        return "it starts with a URL scheme"
    if "${" in text:
        return "it contains an unsubstituted '${...}' (Fn::Join does not substitute; use Fn::Sub)"
    if is_ip_address(text):
        return "it is an IP address, not a DNS name"
    if "/" in text:
        return "it contains a path ('/')"
    if re.search(r":\d+$", text):
        return "it contains a port (':port')"
    if ":" in text:
        return "it contains a colon"
    return _bad_character(domain)


# What a host name is made of (RFC 952/1123; `_` as real names use it): anything else no DNS name CloudFront
# resolves can hold, e.g. a quote left over from copy-paste, a space, a comma.
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _bad_character(text: str) -> str | None:
    match = _NOT_IN_NAME.search(text)
    if match is None:
        return None
    char = match.group(0)
    shown = {" ": "a space", "\t": "a tab"}.get(char) or (f"'{char}'" if char.isprintable() else ascii(char))
    return f"it contains {shown}, which no DNS name can hold"


def domain_name_valid(origin: Origin) -> Truth:
    """Is the origin DomainName a plain DNS name CloudFront accepts (no IP, scheme, path, port, colon)?"""
    problem = domain_name_problem(origin)
    return problem if isinstance(problem, Unknown) else problem is None


def s3_config_mismatch(origin: Origin) -> Truth:
    """Is the origin under S3OriginConfig while its domain is not an S3 REST endpoint (website, custom host)?"""
    if origin.config_type != "s3":
        return False
    kind = origin_facts.endpoint_kind(origin)
    if isinstance(kind, Unknown):
        return kind
    return kind != "s3"


def plaintext_to_origin(origin: Origin) -> Truth:
    """Does CloudFront send requests to this custom origin (not an S3 website) over plain HTTP?"""
    if origin.config_type != "custom":
        return False
    kind = origin_facts.endpoint_kind(origin)
    if kind == "s3-website":
        return False  # website endpoints only speak HTTP: nothing better exists
    pairs = origin_protocols(origin)
    if isinstance(pairs, Unknown):
        return pairs
    if isinstance(kind, Unknown) and any(protocol == "HTTP" for protocol, _ in pairs):
        return kind  # it could be an S3 website endpoint
    return any(protocol == "HTTP" for protocol, _ in pairs)


def host_forwarded_to_aws_endpoint(origin: Origin) -> Truth:
    """Is the viewer Host forwarded to an S3, S3 website, API Gateway, Lambda URL or MediaStore origin?"""
    forwarding = _forwarding(origin)
    if forwarding is False:
        return False
    kind = origin_facts.endpoint_kind(origin)
    if isinstance(kind, Unknown):
        return kind if origin.config_type != "s3" else forwarding  # S3OriginConfig: a bucket, whatever its name
    return forwarding if kind in HOST_SENSITIVE else False


def _forwarding(origin: Origin) -> Truth:
    reaching = origin_facts.behaviors(origin)
    return any_true((behavior_facts.forwards_host(b) for b in reaching), more=reaching.more)


def host_forwarding_behaviors(origin: Origin) -> list[CacheBehavior]:
    """The behaviors that forward the viewer Host header to this origin (for messages)."""
    return [b for b in origin_facts.behaviors(origin) if behavior_facts.forwards_host(b) is True]


def endpoint_name(origin: Origin) -> str:
    """The origin's endpoint kind in words (for messages)."""
    kind = origin_facts.endpoint_kind(origin)
    if isinstance(kind, Unknown):
        return "S3 bucket" if origin.config_type == "s3" else "origin"
    return {"s3": "S3 bucket (REST endpoint)", "s3-website": "S3 website endpoint", "api-gateway": "API Gateway",
            "lambda-url": "Lambda function URL", "mediastore": "MediaStore container",
            "app-runner": "App Runner service", "amplify": "Amplify app", "opensearch": "OpenSearch domain",
            "global-accelerator": "Global Accelerator"}.get(kind, kind)
