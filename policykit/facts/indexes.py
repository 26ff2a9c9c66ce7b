"""Indexes of a distribution, built once: its origins and groups by id, what each behavior targets, the behaviors
that reach each origin.

They replace nested scans (each behavior's target looked up among all origins, for every origin). Ids are
compared by the one rule for partly known strings (policykit/core/text_equality.py): `${Bucket}-origin` never
names `mybucket.s3.amazonaws.com`, and the same `!Sub` twice names the same origin.
"""

from __future__ import annotations

from policykit.core.record import record
from policykit.core.truth import Truth, text_equal
from policykit.core.values import Unknown, reason_of
from policykit.facts.cache import once
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin, OriginGroup

# A partly known TargetOriginId is compared with each id; past this many ids it is left undecided (a bound on the
# cost of a hostile template, far above CloudFront's quotas on origins and groups).
MAX_COMPARED_IDS = 1024


@record
class Targeting:
    """What a behavior's TargetOriginId names: the origin or group (when decided), whether one exists, and
    whether that is decided only because the distribution deploys only then (one origin, an id not known)."""

    target: Origin | OriginGroup | None
    exists: Truth
    assumed: bool = False


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
def _partly_known_targets(dist: Distribution) -> list[Origin | OriginGroup]:
    """Origins and groups whose id is not a known string, in order (few: compared one by one)."""
    candidates: list[Origin | OriginGroup] = [*dist.origins, *dist.origin_groups]
    return [t for t in candidates if not isinstance(t.id, str)]


@once
def targeting(behavior: CacheBehavior) -> Targeting:
    """What the behavior's TargetOriginId names."""
    wanted, dist = behavior.target_origin_id, behavior.distribution
    if wanted is None:  # a missing required property: the schema linters' job, not a 502 cause
        return Targeting(None, Unknown("TargetOriginId is not set"))
    if dist is None:
        return Targeting(None, Unknown(reason_of(wanted, "TargetOriginId is not known")))
    known = targets_by_id(dist)
    if isinstance(wanted, str) and wanted in known:
        return Targeting(known[wanted], True)
    candidates = _partly_known_targets(dist)
    if not isinstance(wanted, str):
        if len(known) > MAX_COMPARED_IDS:
            return Targeting(None, Unknown(reason_of(wanted, "TargetOriginId is not known")))
        candidates = [*known.values(), *candidates]
    maybe: list[Origin | OriginGroup] = []
    undecided: Unknown | None = None
    for candidate in candidates:
        same = text_equal(candidate.id, wanted) if candidate.id is not None else Unknown("an origin has no Id")
        if same is True:
            return Targeting(candidate, True)
        if isinstance(same, Unknown):
            maybe.append(candidate)
            undecided = undecided or same
    more = dist.origins.more or dist.origin_groups.more
    if maybe and more is None and len(dist.origins) == 1 and not dist.origin_groups and maybe[0] is dist.origins[0]:
        # CloudFront rejects a behavior that targets nothing: with one origin, the template deploys only if the
        # behavior targets it, so what is checked is that deployment
        return Targeting(maybe[0], True, assumed=True)
    if undecided is not None:
        return Targeting(None, undecided)
    return Targeting(None, more if more is not None else False)


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
    members = origins_by_id(dist)
    for behavior in dist.behaviors:
        target = targeting(behavior).target
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
