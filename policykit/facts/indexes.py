"""Indexes of a distribution, built once: its origins and groups by id, the behaviors that reach each origin.

They replace nested scans (each behavior's target looked up among all origins, for every origin).
"""

from __future__ import annotations

from policykit.facts.cache import once
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin, OriginGroup


@once
def targets_by_id(dist: Distribution) -> dict[str, Origin | OriginGroup]:
    """Origins, then origin groups, by id (the first of a duplicated id, as CloudFront's lookup)."""
    found: dict[str, Origin | OriginGroup] = {}
    candidates: list[Origin | OriginGroup] = [*dist.origins, *dist.origin_groups]
    for target in candidates:
        if isinstance(target.id, str):
            found.setdefault(target.id, target)
    return found


@once
def origins_by_id(dist: Distribution) -> dict[str, list[Origin]]:
    """Every origin of each id (several when an id is duplicated)."""
    found: dict[str, list[Origin]] = {}
    for origin in dist.origins:
        if isinstance(origin.id, str):
            found.setdefault(origin.id, []).append(origin)
    return found


@once
def behaviors_by_origin(dist: Distribution) -> dict[int, list[CacheBehavior]]:
    """The behaviors reaching each origin (by `id()` of the origin), directly or through an origin group, in order."""
    reached: dict[int, list[CacheBehavior]] = {}
    by_id = targets_by_id(dist)
    members = origins_by_id(dist)
    for behavior in dist.behaviors:
        wanted = behavior.target_origin_id
        target = by_id.get(wanted) if isinstance(wanted, str) else None
        if isinstance(target, Origin):
            reached.setdefault(id(target), []).append(behavior)
        elif isinstance(target, OriginGroup):
            seen: set[int] = set()
            for member in target.member_ids:
                for origin in members.get(member, []) if isinstance(member, str) else []:
                    if id(origin) not in seen:
                        seen.add(id(origin))
                        reached.setdefault(id(origin), []).append(behavior)
    return reached
