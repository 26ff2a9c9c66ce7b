"""Cache behavior facts: which origin it targets, which viewer headers reach that origin."""

from __future__ import annotations

from policykit.core.data import load
from policykit.core.truth import Truth, any_true
from policykit.core.values import Text, Unknown, reason_of
from policykit.facts.cache import once
from policykit.facts.indexes import targeting
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin, OriginGroup
from policykit.model.related import HeadersConfig, RequestPolicy

_ALL = ("allviewer", "allviewerandwhitelistcloudfront")


def _policy_headers(policy_id: Text | None, linked: RequestPolicy | None, table: str) -> HeadersConfig | Unknown | None:
    """The headers config of a policy given by id: managed (by ID), or declared in the template."""
    if policy_id is None:
        return None
    if linked is not None:
        return linked.headers
    if isinstance(policy_id, str):
        managed = load("managed_policies.json")[table].get(policy_id.strip().lower())
        if managed:
            return HeadersConfig(managed["behavior"], list(managed["headers"]))
        return Unknown(f"policy {policy_id} is not a managed policy nor declared here")
    return Unknown(reason_of(policy_id, "the policy id is not known"))


def _config_forwards(config: HeadersConfig | Unknown | None, header: str) -> Truth:
    if config is None:
        return False
    if isinstance(config, Unknown):
        return config
    behavior = config.behavior
    if not isinstance(behavior, str):
        return Unknown(reason_of(behavior, "the header behavior is not known"))
    names = {h.lower() for h in config.headers if isinstance(h, str)}
    unknown_names = any(not isinstance(h, str) for h in config.headers)
    behavior = behavior.lower()
    if behavior in _ALL:
        return True
    if behavior == "allexcept":
        return Unknown("a header list is not known") if unknown_names and header not in names else header not in names
    if behavior == "whitelist":
        return True if header in names else (Unknown("a header name is not known") if unknown_names else False)
    return False


def forwards_header(behavior: CacheBehavior, header: str) -> Truth:
    """Does the behavior send the viewer's `header` to the origin (by any policy, or legacy)?"""
    header = header.lower()
    sources: list[Truth] = [
        _config_forwards(_policy_headers(behavior.origin_request_policy_id, behavior.origin_request_policy,
                                         "origin_request"), header),
        _config_forwards(_policy_headers(behavior.cache_policy_id, behavior.cache_policy, "cache"), header),
    ]
    legacy = behavior.forwarded_values
    if legacy is not None:
        if isinstance(legacy.headers, Unknown):
            sources.append(legacy.headers)
        else:
            names = [h for h in legacy.headers]
            known = {h.lower() for h in names if isinstance(h, str)}
            if "*" in known or header in known:
                sources.append(True)
            elif any(not isinstance(h, str) for h in names):
                sources.append(Unknown("a forwarded header name is not known"))
    return any_true(sources)


@once
def forwards_host(behavior: CacheBehavior) -> Truth:
    """Does the behavior forward the viewer's Host header (managed/custom policy, legacy `*`/`Host`)?"""
    return forwards_header(behavior, "host")


def forwarded_headers(behavior: CacheBehavior) -> list[str] | Unknown:
    """Viewer headers named as forwarded (`*` when all are): for messages and user policies."""
    names: list[str] = []
    for header in ("host", "sec-websocket-key", "sec-websocket-version", "authorization", "origin"):
        value = forwards_header(behavior, header)
        if isinstance(value, Unknown):
            return value
        if value:
            names.append(header)
    return names


def target(behavior: CacheBehavior) -> Origin | OriginGroup | None:
    """The origin or origin group named by TargetOriginId, when it exists."""
    return targeting(behavior).target


def target_ids(behavior: CacheBehavior) -> list[Text | None]:
    """Ids of every origin and origin group of the distribution."""
    dist = behavior.distribution
    if dist is None:
        return []
    return _target_ids(dist)


@once
def _target_ids(dist: Distribution) -> list[Text | None]:
    return [o.id for o in dist.origins] + [g.id for g in dist.origin_groups]


def target_exists(behavior: CacheBehavior) -> Truth:
    """Does TargetOriginId name an origin or origin group of the distribution (partly known ids compared by
    their known pieces)?"""
    return targeting(behavior).exists


def target_assumed(behavior: CacheBehavior) -> bool:
    """Is the target decided only because the distribution deploys only then (one origin, an id not known)?"""
    return targeting(behavior).assumed


def assumed_target(behavior: CacheBehavior) -> str:
    """Why the behavior is taken to target its origin when its TargetOriginId is not known (for evidence);
    empty when the id decides."""
    found = targeting(behavior)
    if not found.assumed or found.target is None:
        return ""
    wanted = behavior.target_origin_id
    shown = wanted.placeholder if isinstance(wanted, Unknown) else str(wanted)
    return (f"the TargetOriginId of the {behavior.label} ({shown}) is not known before "
            f"deployment; the distribution has one origin, and CloudFront deploys it only if the behavior targets "
            f"{found.target.label}, so that is what is checked")
