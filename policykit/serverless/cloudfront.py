"""The distribution the framework makes of `cloudFront` events, and the silvermine plugin's associations.

`functions.<fn>.events[].cloudFront` (packages/serverless/lib/plugins/aws/package/compile/events/cloud-front.js):
one distribution, logical id `CloudFrontDistribution`. Each event's `origin` (a URL: `s3://` makes an
S3OriginConfig, any other scheme a custom origin with `match-viewer`, the URL's path the OriginPath; or a
CloudFormation origin object) is an origin with Id `s3/<domain><path>` or `custom/<domain><path>`; events
with the same origin share it. Each event is a behavior: `ViewerProtocolPolicy: allow-all`, its `behavior`
over that, `CachePolicyId` from `cachePolicy` (an id, or a `provider.cloudFront.cachePolicies` name), else
Managed-CachingOptimized unless the behavior caches by ForwardedValues or TTLs, its `pathPattern`, and the
function's numbered version on its `eventType`; events with the same path and origin share a behavior.
Behaviors without a path come first; when all have one, a default behavior targets the `isDefaultOrigin`
origin (or the only one). `resources.Resources.CloudFrontDistribution` is merged over it afterwards.

The plugin (silvermine/serverless-plugin-cloudfront-lambda-edge, src/index.js), when listed under `plugins:`,
adds `{EventType, IncludeBody, LambdaFunctionARN: version}` of each function's `lambdaAtEdge: {distribution,
eventType, pathPattern}` to that distribution's behavior with that path (the default one without), once
`resources` are merged.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

from policykit.core.errors import InputError
from policykit.core.nodes import Mark, MDict, MList, file_of
from policykit.core.values import Unknown
from policykit.serverless.functions import listed, marked, normalized, version_id
from policykit.serverless.values import Part, Pieces, Value, pieces

DISTRIBUTION_ID = "CloudFrontDistribution"
DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # the framework's default cache policy
PLUGIN = "serverless-plugin-cloudfront-lambda-edge"

# (function name, the function's mapping, the mapping's mark)
Functions = list[tuple[str, MDict, Mark]]


def events(function: MDict) -> Iterator[tuple[MDict, Mark]]:
    """The function's `cloudFront` events, with where each is written."""
    listing = function.get("events")
    if not isinstance(listing, MList):
        return
    for index, event in enumerate(listing):
        if isinstance(event, MDict) and isinstance(event.get("cloudFront"), MDict):
            yield event["cloudFront"], listing.mark_of(index)


def _policies(provider: MDict) -> MDict:
    settings = provider.get("cloudFront")
    policies = settings.get("cachePolicies") if isinstance(settings, MDict) else None
    return policies if isinstance(policies, MDict) else MDict()


def cache_policies(provider: MDict) -> list[tuple[str, MDict]]:
    """`provider.cloudFront.cachePolicies`: a CachePolicy resource each."""
    policies = _policies(provider)
    out: list[tuple[str, MDict]] = []
    for name, config in policies.items():
        mark = policies.mark_of(name)
        body = MDict(config.mark) if isinstance(config, MDict) else MDict(mark)
        for key, value in config.items() if isinstance(config, MDict) else ():
            body.set(key, value, config.key_marks.get(key, mark), config.mark_of(key))
        body.set("Name", name, mark, mark)  # the framework names it `<service>-<stage>-<name>`
        out.append((f"CloudFrontCachePolicy{normalized(name)}", marked(
            mark, ("Type", "AWS::CloudFront::CachePolicy", mark),
            ("Properties", marked(mark, ("CachePolicyConfig", body, mark)), mark))))
    return out


def distribution(functions: Functions, provider: MDict, file: str) -> MDict | None:
    """The distribution the `cloudFront` events make, or None when there are none."""
    origins: list[MDict] = []
    behaviors: list[MDict] = []
    default_origin: Value = None
    policies = set(_policies(provider))
    origin_index: dict[str, int] = {}  # an origin's Id (as text) -> its place: events with one origin share it
    behavior_index: dict[tuple[str, str], int] = {}  # (path, origin Id) -> its place
    for name, function, _ in functions:
        for event, mark in events(function):
            origin = _origin(event.get("origin"), event.mark_of("origin") if "origin" in event else mark, file)
            same = origin_index.setdefault(_key(origin.get("Id")), len(origins))
            if same == len(origins):
                origins.append(origin)
            else:
                origins[same] = origin = _extended(origins[same], origin)
            if event.get("isDefaultOrigin") is True:
                if default_origin is not None and default_origin != origin.get("Id"):
                    raise _refused("more than one cloudFront event has isDefaultOrigin", mark, file)
                default_origin = origin.get("Id")
            behavior = _behavior(event, mark, name, policies, origin.get("Id"), file)
            same = behavior_index.setdefault((_key(behavior.get("PathPattern")), _key(behavior.get("TargetOriginId"))),
                                             len(behaviors))
            if same == len(behaviors):
                behaviors.append(behavior)
            else:
                behaviors[same] = _extended(behaviors[same], behavior)
    if not behaviors:
        return None
    behaviors.sort(key=lambda b: "PathPattern" in b)  # stable: those without a path first
    first = behaviors[0]
    if "PathPattern" in first:
        if default_origin is None and len(origins) > 1:
            raise _refused("there is more than one origin but no cloudFront event has isDefaultOrigin",
                           first.mark, file)
        target = default_origin if default_origin is not None else origins[0].get("Id")
        default = MDict(first.mark)
        for key, value in first.items():
            if key not in ("PathPattern", "LambdaFunctionAssociations"):
                default.set(key, value, first.key_marks.get(key, first.mark), first.mark_of(key))
        default.set("TargetOriginId", target, first.mark, first.mark)
        behaviors.insert(0, default)
    mark = behaviors[0].mark
    config = marked(mark, ("Enabled", True, mark), ("DefaultCacheBehavior", behaviors[0], mark),
                    ("Origins", listed(origins[0].mark, *origins), mark))
    if len(behaviors) > 1:
        config.set("CacheBehaviors", listed(behaviors[1].mark, *behaviors[1:]), mark, mark)
    return marked(mark, ("Type", DISTRIBUTION_TYPE, mark),
                  ("Properties", marked(mark, ("DistributionConfig", config, mark)), mark))


def _key(value: Value) -> str:
    """A value as a key: equal values (text, or the same unknown parts) give the same key."""
    return value if isinstance(value, str) else repr(value)


def _refused(why: str, mark: Mark, file: str) -> InputError:
    return InputError(file_of(mark, file), f"the Serverless Framework refuses this service: {why}",
                      mark.line, mark.column)


def _origin(origin: Value, mark: Mark, file: str) -> MDict:
    """createOrigin: a URL, or an origin object as written; its Id is naming.getCloudFrontOriginId's."""
    out = MDict(getattr(origin, "mark", mark))
    if isinstance(origin, MDict):
        for key, value in origin.items():
            out.set(key, value, origin.key_marks.get(key, origin.mark), origin.mark_of(key))
    elif isinstance(origin, (str, Pieces)):
        scheme, host, path = _url(origin, mark, file)
        out.set("DomainName", host, mark, mark)
        if path not in ("", "/"):
            out.set("OriginPath", path, mark, mark)
        if scheme == "s3":
            out.set("S3OriginConfig", MDict(mark), mark, mark)
        else:
            out.set("CustomOriginConfig", marked(mark, ("OriginProtocolPolicy", "match-viewer", mark)), mark, mark)
    else:
        out.set("DomainName", Unknown("the cloudFront event's origin is only known at deployment"), mark, mark)
        out.set("Id", Unknown("the cloudFront event's origin is only known at deployment"), mark, mark)
        return out
    domain = out.get("DomainName")
    kind = "s3" if out.get("S3OriginConfig") is not None else "custom"
    if isinstance(domain, (str, Pieces)):
        written: Value = domain
    else:  # an intrinsic: its JSON text, letters and digits only, the first upper-cased
        text = _json(domain)
        written = Unknown("the origin's id is made of a value only known at deployment") if text is None \
            else normalized("".join(c for c in text if c.isascii() and c.isalnum()))
    path = out.get("OriginPath") or ""
    parts = [f"{kind}/", *_parts(written), *(_parts(path) if path else ())]
    out.set("Id", pieces(parts), mark, mark)
    return out


def _parts(value: Value) -> list[Part]:
    if isinstance(value, Pieces):
        return list(value.parts)
    if isinstance(value, (str, Unknown)):
        return [value]
    return [Unknown("the origin's id is made of a value only known at deployment")]


def _json(value: Value) -> str | None:
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def _url(origin: str | Pieces, mark: Mark, file: str) -> tuple[str, Value, Value]:
    """(scheme, host, path) of an origin URL, as JavaScript's `new URL()` reads it (the host lower-cased, no
    port); a partly known URL is split at its known `://` and the first `/` after it."""
    if isinstance(origin, str):
        try:
            split = urlsplit(origin)
            hostname = split.hostname
        except ValueError:
            hostname = None
        if not hostname or not origin.partition("://")[1]:
            raise _refused(f"the cloudFront event's origin '{origin}' is not a URL", mark, file)
        return split.scheme.lower(), hostname, split.path
    first = origin.parts[0]
    if not isinstance(first, str) or "://" not in first:
        shown = "".join(p if isinstance(p, str) else p.placeholder if isinstance(p, Unknown) else f"${{{p.name}}}"
                        for p in origin.parts)
        return "", Unknown(f"the cloudFront event's origin URL {shown} is only known at deployment", name=shown), ""
    scheme, _, rest = first.partition("://")
    host: list[Part] = []
    path: list[Part] = []
    for part in (rest, *origin.parts[1:]):
        if path:
            path.append(part)
        elif isinstance(part, str) and "/" in part:
            before, _, after = part.partition("/")
            host.append(before.lower())
            path.append("/" + after)
        else:
            host.append(part.lower() if isinstance(part, str) else part)
    return scheme.lower(), pieces(host), pieces(path) if path else ""


def _behavior(event: MDict, mark: Mark, function: str, policies: set[str], origin_id: Value, file: str) -> MDict:
    given = event.get("behavior")
    out = MDict(given.mark if isinstance(given, MDict) else mark)
    out.set("ViewerProtocolPolicy", "allow-all", mark, mark)
    assign_policy = True
    if isinstance(given, MDict):
        for key, value in given.items():
            out.set(key, value, given.key_marks.get(key, given.mark), given.mark_of(key))
        if given.get("CachePolicyId") or given.get("ForwardedValues") or any(
                given.get(ttl) is not None for ttl in ("MaxTTL", "MinTTL", "DefaultTTL")):
            assign_policy = False
    policy = event.get("cachePolicy")
    if isinstance(policy, MDict):
        where = event.mark_of("cachePolicy")
        name = policy.get("name")
        if name is not None and not policy.get("id"):
            if isinstance(name, str) and name not in policies:
                raise _refused(f"the cloudFront event names cache policy '{name}', which "
                               "provider.cloudFront.cachePolicies does not define", where, file)
            ref = marked(where, ("Ref", f"CloudFrontCachePolicy{normalized(str(name))}", where))
            out.set("CachePolicyId", ref, where, where)
        else:
            out.set("CachePolicyId", policy.get("id"), policy.mark_of("id"), policy.mark_of("id"))
        assign_policy = False
    if assign_policy:
        out.set("CachePolicyId", CACHING_OPTIMIZED, mark, mark)
    association = MDict(mark)
    association.set("EventType", event.get("eventType"), event.mark_of("eventType"), event.mark_of("eventType"))
    association.set("LambdaFunctionARN", marked(mark, ("Ref", version_id(function), mark)), mark, mark)
    if event.get("includeBody") is not None:
        association.set("IncludeBody", event["includeBody"], event.mark_of("includeBody"),
                        event.mark_of("includeBody"))
    out.set("TargetOriginId", origin_id, mark, mark)
    out.set("LambdaFunctionAssociations", listed(mark, association), mark, mark)
    path = event.get("pathPattern")
    if isinstance(path, (str, Pieces)) and path:
        out.set("PathPattern", path, event.mark_of("pathPattern"), event.mark_of("pathPattern"))
    return out


def _extended(old: MDict, new: MDict) -> MDict:
    """extendDeep: what `old` has stays (mappings merged, lists joined without repeats), the rest is added."""
    out = MDict(old.mark)
    for key, value in old.items():
        out.set(key, value, old.key_marks.get(key, old.mark), old.mark_of(key))
    for key, value in new.items():
        if key not in out:
            out.set(key, value, new.key_marks.get(key, new.mark), new.mark_of(key))
        elif isinstance(out[key], MList) and isinstance(value, MList):
            joined = MList(out[key].mark)
            seen: set[str] = set()  # _.uniqWith(_.isEqual), by value
            for items in (out[key], value):
                for index, item in enumerate(items):
                    if repr(item) not in seen:
                        seen.add(repr(item))
                        joined.add(item, items.mark_of(index))
            out.set(key, joined, out.key_marks.get(key, out.mark), out.mark_of(key))
        elif isinstance(out[key], MDict) and isinstance(value, MDict):
            out.set(key, _extended(out[key], value), out.key_marks.get(key, out.mark), out.mark_of(key))
    return out
