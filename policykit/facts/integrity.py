"""Distribution integrity facts: origin groups, duplicate origin ids, refused custom headers."""

from __future__ import annotations

from policykit.core.truth import Truth, any_true, text_equal
from policykit.core.values import MaybeMore, Partial, Text, Unknown, reason_of
from policykit.facts.cache import once
from policykit.facts.indexes import MAX_COMPARED_IDS, origins_by_id, targeting
from policykit.model.cloudfront import CustomHeader, Distribution, Origin, OriginGroup

FAILOVER_STATUS_CODES = frozenset({400, 403, 404, 416, 500, 502, 503, 504})
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Headers CloudFront refuses as origin custom headers (exact names, lower case), and refused prefixes
REFUSED_HEADERS = frozenset({
    "cache-control", "connection", "content-length", "cookie", "host", "if-match", "if-modified-since",
    "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "pragma", "proxy-authorization",
    "proxy-connection", "range", "request-range", "te", "trailer", "transfer-encoding", "upgrade", "via",
    "x-real-ip",
})
REFUSED_PREFIXES = ("x-amz-", "x-edge-")


def group_problems(group: OriginGroup) -> list[str] | Unknown:
    """What is wrong with the origin group (member count, missing members, status codes, write methods)."""
    problems: list[str] = []
    unknown: Unknown | None = None
    members = group.member_ids
    if members.more is not None and len(members) <= 2:
        unknown = members.more
    elif len(members) != 2:
        problems.append(f"it has {len(members)} members instead of exactly two")
    for member in members:
        found = _member_exists(group.distribution, member)
        if found is False:
            problems.append(f"member '{member}' is not an origin of the distribution")
        elif isinstance(found, Unknown):
            unknown = unknown or found
    unknown = unknown or group.status_codes.more
    for code in group.status_codes:
        number = _int(code)
        if isinstance(number, Unknown):
            unknown = unknown or number
        elif number not in FAILOVER_STATUS_CODES:
            problems.append(f"failover status code {code} is not one of 400, 403, 404, 416, 500, 502, 503, 504")
    writers = _write_behaviors(group)
    if isinstance(writers, Unknown):
        unknown = unknown or writers
    else:
        problems.extend(f"the {label} targets it and allows {methods}" for label, methods in writers)
    if problems:
        return problems
    return unknown if unknown is not None else []


def _member_exists(dist: Distribution | None, member: object) -> Truth:
    """Is the member id an origin of the distribution (partly known ids compared by their known pieces)?"""
    if dist is None:
        return Unknown("the origin group has no distribution")
    if isinstance(member, str) and member in origins_by_id(dist):
        return True
    if member is None or not isinstance(member, (str, Unknown, Partial)):
        return Unknown("a member id is not known")
    candidates: list[Text | None] = [o.id for o in dist.origins if not isinstance(o.id, str)]
    if not isinstance(member, str):
        if len(dist.origins) > MAX_COMPARED_IDS:
            return Unknown(reason_of(member, "a member id is not known"))
        candidates = [o.id for o in dist.origins]
    found = any_true((text_equal(i, member) if i is not None else Unknown("an origin has no Id") for i in candidates),
                     more=dist.origins.more)
    return Unknown(found.reason or "an origin id is not known") if isinstance(found, Unknown) else found


def group_valid(group: OriginGroup) -> Truth:
    """Does the origin group have exactly two existing members, valid failover codes and read-only behaviors?"""
    problems = group_problems(group)
    return problems if isinstance(problems, Unknown) else not problems


def _int(code: object) -> int | Unknown:
    if isinstance(code, bool):
        return Unknown("a status code is not a number")
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().isdigit():
        return int(code.strip())
    return Unknown(reason_of(code, "a status code is not known"))


def _write_behaviors(group: OriginGroup) -> list[tuple[str, str]] | Unknown:
    dist = group.distribution
    found: list[tuple[str, str]] = []
    every = dist.behaviors if dist else MaybeMore()
    if every.more is not None:
        return every.more
    for behavior in every:
        if targeting(behavior).target is not group:
            continue
        methods = behavior.allowed_methods
        if isinstance(methods, (Unknown, Partial)):
            return Unknown(methods.reason or "AllowedMethods is not known")
        writes = sorted({m.upper() for m in methods if isinstance(m, str)} & _WRITE_METHODS)
        if writes:
            found.append((behavior.label, ", ".join(writes)))
    return found


def duplicate_id(origin: Origin) -> Truth:
    """Does an earlier origin of the distribution have the same Id?"""
    dist = origin.distribution
    if dist is None:
        return False
    positions, first_unknown = _id_positions(dist)
    position = positions.get(id(origin), 0)
    if position == 0:
        return False
    if not isinstance(origin.id, str):
        return Unknown(reason_of(origin.id, "the origin Id is not known"))
    if origins_by_id(dist)[origin.id][0] is not origin:
        return True
    unknown = first_unknown is not None and first_unknown < position
    return any_true([Unknown("an origin Id is not known")] if unknown else [], more=dist.origins.more)


@once
def _id_positions(dist: Distribution) -> tuple[dict[int, int], int | None]:
    """Each origin's position (by `id()`), and the first position whose Id is not known: built once,
    so duplicate_id is not a scan of the earlier origins for every origin."""
    positions = {id(o): i for i, o in enumerate(dist.origins)}
    first_unknown = next((i for i, o in enumerate(dist.origins) if not isinstance(o.id, str)), None)
    return positions, first_unknown


def header_refused(header: CustomHeader) -> Truth:
    """Is this an origin custom header CloudFront refuses to add (Host, Cookie, X-Amz-*, X-Edge-*...)?"""
    name = header.name
    if not isinstance(name, str):
        return Unknown(reason_of(name, "the header name is not known"))
    folded = name.strip().lower()
    return folded in REFUSED_HEADERS or folded.startswith(REFUSED_PREFIXES)


def origin_shield_without_region(origin: Origin) -> Truth:
    """Is Origin Shield enabled on the origin without an OriginShieldRegion (CloudFront rejects it)?"""
    enabled = origin.origin_shield_enabled
    if enabled is False or enabled is None:
        return False
    region = origin.origin_shield_region
    missing: Truth = region is None or (isinstance(region, str) and not region.strip())
    if isinstance(enabled, Unknown):
        return enabled if missing else False
    return missing
