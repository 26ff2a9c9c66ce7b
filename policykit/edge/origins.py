"""The origin a CloudFront Function chooses (`cf.updateRequestOrigin`, `cf.selectRequestOriginById`), as an origin
of a distribution of its own, so that `scan --edge` checks it with the static policies of a declared origin
(https, ports, TLS protocols, Host forwarding, the names CloudFront validates...).

The chosen origin is the behavior's origin (an origin group's primary: only it changes) with the function's
changes applied in call order; the settings a call leaves out stay the current origin's (facts 8.3). It lives in a
new `Model` beside the scanned one (the scanned model is never written); its findings are placed at the function's
association by policykit/api.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.values import MaybeMore
from policykit.model.cloudfront import CacheBehavior, CustomHeader, Distribution, Model, Origin
from policykit.model.function_runs import EdgeOrigin, EdgeRun

PROTOCOL_POLICY = {"http": "http-only", "https": "https-only"}


@record
class ChosenOrigin:
    """A distribution holding only the origin a function sends a behavior's requests to, and where to report."""

    model: Model
    association: Location
    function: str  # how messages name the function
    said: str  # the call that chose it, e.g. `cf.updateRequestOrigin({domainName: ...})`


def chosen_origins(dist: Distribution, behavior: CacheBehavior, run: EdgeRun, association: Location,
                   file: str) -> ChosenOrigin | None:
    """The origin `run`'s function chooses for `behavior`, as a model to check; None when it chooses none (or an
    origin group, whose members are declared origins checked as such)."""
    changes = run.result.origin_changes if run.result is not None else ()
    if not changes or any(c.helper == "createRequestOriginGroup" for c in changes):
        return None
    by_id = {o.id: o for o in dist.origins if isinstance(o.id, str)}
    current = by_id.get(behavior.target_origin_id) if isinstance(behavior.target_origin_id, str) else None
    if current is None:
        primary = next((g.member_ids[0] for g in dist.origin_groups
                        if g.id == behavior.target_origin_id and g.member_ids), None)
        current = by_id.get(primary) if isinstance(primary, str) else None
    for change in changes:
        if change.helper == "selectRequestOriginById":
            current = by_id.get(change.origin_id) if isinstance(change.origin_id, str) else None
        elif change.helper == "updateRequestOrigin" and current is not None:
            current = _updated(current, change)
        if current is None:
            return None  # an origin id the distribution lacks: PK714 says so
    if current is None:
        return None
    copy = replace(current, loc=association, locs={}, custom_headers=_headers(current, association))
    derived = replace(dist, origins=MaybeMore([copy]), origin_groups=MaybeMore(), ordered_behaviors=MaybeMore(),
                      default_behavior=None, loc=association, locs={})
    # the function's change is applied here: the behavior's functions are not what changes the origin any more
    derived.default_behavior = replace(behavior, target_origin_id=copy.id, path_pattern=None,
                                       function_associations=MaybeMore(), distribution=derived, loc=association,
                                       locs={})
    copy.distribution = derived
    for header in copy.custom_headers:
        header.origin = copy
    said = "; ".join(f"cf.{c.helper}()" for c in changes)
    return ChosenOrigin(Model(file=file, distributions=[derived]), association, run.function, said)


def _updated(origin: Origin, change: EdgeOrigin) -> Origin:
    """The origin with what `cf.updateRequestOrigin` gives replacing what it had."""
    params: Mapping[str, object] = change.params
    config = params.get("customOriginConfig")
    custom: Mapping[str, object] = config if isinstance(config, dict) else {}
    timeouts_given = params.get("timeouts")
    timeouts: Mapping[str, object] = timeouts_given if isinstance(timeouts_given, dict) else {}
    updated = replace(origin)
    if isinstance(change.domain_name, str):
        updated.domain_name = change.domain_name
        updated.target, updated.target_ref = None, None  # a new name: no longer the linked resource
    if isinstance(change.path_prefix, str):
        updated.origin_path = change.path_prefix
    protocol = custom.get("protocol")
    if isinstance(protocol, str) and protocol in PROTOCOL_POLICY:
        updated.protocol_policy = PROTOCOL_POLICY[protocol]
        updated.config_type = "custom"
    port = custom.get("port")
    if isinstance(port, int) and not isinstance(port, bool):
        if updated.protocol_policy == "http-only":
            updated.http_port = port
        else:
            updated.https_port = port
    protocols = custom.get("sslProtocols")
    if isinstance(protocols, list):
        updated.ssl_protocols = [p for p in protocols if isinstance(p, str)]
    for key, name in (("readTimeout", "read_timeout"), ("keepAliveTimeout", "keepalive_timeout"),
                      ("connectionTimeout", "connection_timeout")):
        value = timeouts.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            setattr(updated, name, value)
    attempts = params.get("connectionAttempts")
    if isinstance(attempts, int) and not isinstance(attempts, bool):
        updated.connection_attempts = attempts
    headers = params.get("customHeaders")
    if isinstance(headers, dict):
        updated.custom_headers = MaybeMore(CustomHeader(name=str(k), value=str(v)) for k, v in headers.items())
    return updated


def _headers(origin: Origin, association: Location) -> MaybeMore[CustomHeader]:
    return MaybeMore((replace(h, loc=association, locs={}) for h in origin.custom_headers),
                     more=origin.custom_headers.more)
