"""gRPC behaviors: what CloudFront needs for a behavior with GrpcConfig enabled (distribution-using-grpc.html,
API_GrpcConfig): HTTP/2 on the distribution, POST among the allowed methods, an origin reached over HTTPS
("gRPC only supports end-to-end HTTPS"), and no origin mTLS (not supported with gRPC)."""

from __future__ import annotations

from policykit.core.truth import Truth
from policykit.core.values import Partial, Unknown, reason_of
from policykit.facts import behaviors as behavior_facts
from policykit.model.cloudfront import CacheBehavior, Origin, OriginGroup

# HttpVersion values that include HTTP/2 (http3 alone does not)
HTTP2 = frozenset({"http2", "http2and3"})


def grpc_problems(behavior: CacheBehavior) -> list[str] | Unknown:
    """What keeps gRPC requests of a gRPC-enabled behavior from working, in words (empty when nothing does)."""
    enabled = behavior.grpc_enabled
    if enabled is not True:
        return enabled if isinstance(enabled, Unknown) else []
    problems: list[str] = []
    unknown: Unknown | None = None
    dist = behavior.distribution
    version = dist.http_version if dist is not None else None
    if isinstance(version, str):
        if version.strip().lower() not in HTTP2:
            problems.append(f"the distribution's HttpVersion is {version} (gRPC needs http2 or http2and3)")
    elif version is not None:
        unknown = Unknown(reason_of(version, "HttpVersion is not known"))
    methods = behavior.allowed_methods
    if isinstance(methods, (Unknown, Partial)):
        unknown = unknown or Unknown(methods.reason or "AllowedMethods is not known")
    elif not any(isinstance(m, str) and m.upper() == "POST" for m in methods):
        if all(isinstance(m, str) for m in methods):
            problems.append(f"its AllowedMethods ({' '.join(str(m) for m in methods)}) lack POST")
        else:
            unknown = unknown or Unknown("an allowed method is not known")
    for origin in _origins(behavior):
        found = _origin_problems(origin)
        if isinstance(found, Unknown):
            unknown = unknown or found
        else:
            problems.extend(found)
    target = behavior_facts.target(behavior)
    if target is None and behavior_facts.target_exists(behavior) is not False:
        unknown = unknown or Unknown("the origin it targets is not known")
    if problems:
        return problems
    return unknown if unknown is not None else []


def _origins(behavior: CacheBehavior) -> list[Origin]:
    target = behavior_facts.target(behavior)
    if isinstance(target, Origin):
        return [target]
    if isinstance(target, OriginGroup) and target.distribution is not None:
        members = {m for m in target.member_ids if isinstance(m, str)}
        return [o for o in target.distribution.origins if isinstance(o.id, str) and o.id in members]
    return []


def _origin_problems(origin: Origin) -> list[str] | Unknown:
    problems: list[str] = []
    if origin.config_type in ("custom", "vpc"):
        policy = origin.protocol_policy
        if not isinstance(policy, str):
            return Unknown(reason_of(policy, "the origin protocol policy is not known"))
        if policy == "http-only":
            problems.append(f"{origin.label} is reached over plain HTTP (http-only; gRPC is HTTPS end to end)")
    mtls = origin.mtls_certificate_arn
    if mtls is not None:
        problems.append(f"{origin.label} uses origin mTLS, which gRPC does not support")
    return problems


def grpc_works(behavior: CacheBehavior) -> Truth:
    """Can gRPC requests of this behavior reach its origin (HTTP/2, POST, HTTPS to the origin, no origin mTLS)?
    True when gRPC is not enabled."""
    problems = grpc_problems(behavior)
    return problems if isinstance(problems, Unknown) else not problems
