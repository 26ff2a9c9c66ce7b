"""Functions that change what reaches the origin: they can answer a request themselves or send it
with another origin or Host, so findings that depend on the Host CloudFront sends are not certain.

An origin-request Lambda@Edge can do anything to the request (its code is not read here); a
viewer-request CloudFront Function does when its inline code calls `cf.updateRequestOrigin` or
`cf.selectRequestOriginById` or touches `request.headers.host` (code that is not inline, e.g. read
from a file, may do so). Viewer-request Lambda@Edge cannot change Host (read-only there).
"""

from __future__ import annotations

import re

from policykit.core.patterns import lazy_pattern
from policykit.core.values import Partial, Unknown
from policykit.facts import origins as origin_facts
from policykit.facts import reachability
from policykit.model.cloudfront import CacheBehavior, Origin
from policykit.model.derived import OriginName
from policykit.model.related import CloudFrontFunction

# What in CloudFront Functions code changes the origin or the Host header of the request.
_REWRITES = lazy_pattern(r"updateRequestOrigin|selectRequestOriginById"
                          r"|headers\s*(?:\.\s*host\b|\[\s*['\"]host['\"]\s*\])", re.IGNORECASE)


def request_rewriters(behavior: CacheBehavior) -> list[str]:
    """The functions of a behavior that may answer its requests or change their origin or Host, named."""
    out: list[str] = []
    for association in behavior.lambda_associations:
        if association.event_type == "origin-request":
            function = association.function
            name = function.resource if function is not None and function.resource else _shown(association.lambda_arn)
            out.append(f"origin-request Lambda@Edge {name}")
    for item in behavior.function_associations:
        if item.event_type != "viewer-request":
            continue
        cf_function = item.function
        code = cf_function.code if isinstance(cf_function, CloudFrontFunction) else None
        if isinstance(code, str) and not _REWRITES().search(code):
            continue  # inline code that touches neither the origin nor Host
        name = cf_function.resource if cf_function is not None and cf_function.resource else _shown(item.function_arn)
        out.append(f"viewer-request CloudFront Function {name}")
    return list(dict.fromkeys(out))


def host_rewriters(origin: Origin) -> list[str]:
    """The functions on the behaviors that forward Host to this origin (or reach it) that may change it."""
    behaviors = reachability.host_forwarding_behaviors(origin) or list(origin_facts.behaviors(origin))
    return list(dict.fromkeys(name for b in behaviors for name in request_rewriters(b)))


def origin_rewriters(origin: Origin) -> list[str]:
    """The functions on any behavior reaching this origin that may change the request before it is sent."""
    return list(dict.fromkeys(name for b in origin_facts.behaviors(origin) for name in request_rewriters(b)))


def host_may_be_rewritten(origin: Origin) -> bool:
    """Does a function on the behaviors forwarding Host here answer requests or change their origin or Host?"""
    return bool(host_rewriters(origin))


def host_rewrite_note(origin: Origin) -> str:
    """For messages: "" or a sentence naming the functions that may answer the request or rewrite Host."""
    names = host_rewriters(origin)
    if not names:
        return ""
    return (f" Unless {_and(names)} answers the request itself or rewrites Host (it runs before CloudFront "
            "connects): check what it sends.")


def function_note(origin: Origin) -> str:
    """For messages of other origin findings: "" or a sentence naming the functions that run first."""
    names = origin_rewriters(origin)
    if not names:
        return ""
    return f" ({_and(names)} runs before CloudFront connects: if it changes the origin, check what it sets.)"


def name_host_may_be_rewritten(item: OriginName) -> bool:
    """origin_name: does a function on the behaviors reaching its origin change the origin or Host?"""
    return item.origin is not None and host_may_be_rewritten(item.origin)


def name_host_rewrite_note(item: OriginName) -> str:
    """origin_name: the `host_rewrite_note` of its origin."""
    return host_rewrite_note(item.origin) if item.origin is not None else ""


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _shown(value: object) -> str:
    if isinstance(value, Unknown):
        return value.name or (str(value.ref) if value.ref else "(an unknown function)")
    if isinstance(value, Partial):
        return str(value)
    return str(value)
