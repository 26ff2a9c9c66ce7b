"""Origin facts: what the origin is, how CloudFront connects, which names its certificate must hold."""

from __future__ import annotations

from policykit.core.truth import Truth, any_true
from policykit.core.values import MaybeMore, Text, Unknown, reason_of
from policykit.facts import behaviors as behavior_facts
from policykit.facts.cache import once
from policykit.facts.hostnames import AWS_GENERATED_CUSTOMER_TLS
from policykit.facts.hostnames import endpoint_kind as classify
from policykit.facts.indexes import behaviors_by_origin, targeting
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin


@once
def endpoint_kind(origin: Origin) -> str | Unknown:
    """What the origin domain is: s3, s3-website, elb, ec2, api-gateway, lambda-url, mediastore, ip, custom..."""
    return classify(origin.domain_name)


def aws_generated_host(origin: Origin) -> Truth:
    """Is the domain an AWS-generated name (ELB, EC2, Beanstalk) that no customer certificate can cover?"""
    kind = endpoint_kind(origin)
    return kind if isinstance(kind, Unknown) else kind in AWS_GENERATED_CUSTOMER_TLS


def uses_https(origin: Origin) -> Truth:
    """Does CloudFront connect to this custom origin, or VPC origin's endpoint, with HTTPS (https-only, or
    match-viewer)?"""
    if origin.config_type not in ("custom", "vpc"):
        return False
    policy = origin.protocol_policy
    if isinstance(policy, str):
        # With match-viewer, HTTPS viewers (allowed by every viewer protocol policy) mean HTTPS to the origin.
        return policy in ("https-only", "match-viewer")
    return Unknown(reason_of(policy, "the origin protocol policy is not known"))


@once
def behaviors(origin: Origin) -> MaybeMore[CacheBehavior]:
    """The cache behaviors whose requests reach this origin (directly or through an origin group)."""
    dist = origin.distribution
    if dist is None:
        return MaybeMore()
    return MaybeMore(behaviors_by_origin(dist).get(id(origin), []), more=dist.behaviors.more)


@once
def forwards_host(origin: Origin) -> Truth:
    """Does any behavior reaching this origin forward the viewer's Host header?"""
    dist = origin.distribution
    unknown_targets = _unknown_targets(dist) if dist is not None else []
    reaching = behaviors(origin)
    return any_true([*(behavior_facts.forwards_host(b) for b in reaching), *unknown_targets], more=reaching.more)


@once
def _unknown_targets(dist: Distribution) -> list[Unknown]:
    """One Unknown when some behavior's target is not decided (it may reach any origin): once per
    distribution, not a scan of every behavior for every origin."""
    for behavior in dist.behaviors:
        found = targeting(behavior)
        if found.target is None and isinstance(found.exists, Unknown):
            return [Unknown(f"a TargetOriginId is not known ({found.exists.reason})")]
    return []


def assumed_targets(origin: Origin) -> list[str]:
    """The behaviors taken to reach this origin only because the distribution deploys only then (one origin, a
    TargetOriginId not known before deployment), each said in words: the evidence of what was assumed."""
    return [note for note in (behavior_facts.assumed_target(b) for b in behaviors(origin)) if note]


def validated_names(origin: Origin) -> list[Text | None]:
    """Names CloudFront checks the origin certificate against: the domain, or the aliases when Host is forwarded."""
    names: list[Text | None] = []
    forwarding = [b for b in behaviors(origin) if behavior_facts.forwards_host(b) is True]
    if not forwarding or any(behavior_facts.forwards_host(b) is False for b in behaviors(origin)):
        names.append(origin.domain_name)
    if forwarding and origin.distribution is not None:
        names.extend(alias.name for alias in origin.distribution.aliases)
    return names


def viewer_host_is_cloudfront_name(origin: Origin) -> Truth:
    """Without aliases, is the viewer Host the distribution's own *.cloudfront.net name (no alias at all)?"""
    dist = origin.distribution
    if dist is None:
        return False
    if dist.aliases:
        return False
    return dist.aliases.more if dist.aliases.more is not None else True
