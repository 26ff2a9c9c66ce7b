"""Facts: values computed once, in Python, from the model, that any policy can test by name.

`FACTS[kind][name]` is a function of one model object. A boolean fact returns True, False
or `Unknown(reason)`; never an error over something it cannot know.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from policykit.facts import (
    aliases,
    associated_functions,
    association_arns,
    behaviors,
    grpc,
    integrity,
    load_balancers,
    origins,
    reachability,
    rewrites,
    settings,
    tls,
    viewer,
    wire_names,
)
from policykit.facts.cache import Fact, once, once_for
from policykit.model.base import ModelObject
from policykit.model.cloudfront import (
    Alias,
    CacheBehavior,
    CustomHeader,
    Distribution,
    EdgeAssociation,
    Origin,
    OriginGroup,
    ViewerCertificate,
)
from policykit.model.derived import FunctionSetting, OriginName, OriginSetting

_O = TypeVar("_O", bound=ModelObject)


def facts_of(subject: type[_O], facts: Mapping[str, Callable[[_O], object]]) -> dict[str, Fact]:
    """The facts of one kind of object, each computed once per object (policykit/facts/cache.py)."""
    return {name: once_for(subject, fact) for name, fact in facts.items()}


class Deferred(Mapping[str, Fact]):
    """A kind's facts imported on first use: the live and edge facts load only when their objects exist."""

    def __init__(self, module: str, kind: str) -> None:
        self.module, self.kind = module, kind
        self._loaded: dict[str, Fact] | None = None

    def _table(self) -> Mapping[str, Fact]:
        if self._loaded is None:  # computed once per object, like every other fact
            table = importlib.import_module(self.module).FACTS[self.kind]
            self._loaded = {name: once(fn) for name, fn in table.items()}
        return self._loaded

    def __getitem__(self, name: str) -> Fact:
        return self._table()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


FACTS: dict[str, Mapping[str, Fact]] = {
    "origin": facts_of(Origin, {
        "endpoint_kind": origins.endpoint_kind,
        "aws_generated_host": origins.aws_generated_host,
        "uses_https": origins.uses_https,
        "behaviors": origins.behaviors,
        "forwards_host": origins.forwards_host,
        "assumed_targets": origins.assumed_targets,
        "viewer_host_is_cloudfront_name": origins.viewer_host_is_cloudfront_name,
        "validated_names": origins.validated_names,
        "domain_name_problem": reachability.domain_name_problem,
        "domain_name_valid": reachability.domain_name_valid,
        "s3_config_mismatch": reachability.s3_config_mismatch,
        "plaintext_to_origin": reachability.plaintext_to_origin,
        "host_forwarded_to_aws_endpoint": reachability.host_forwarded_to_aws_endpoint,
        "host_forwarding_behaviors": reachability.host_forwarding_behaviors,
        "endpoint_name": reachability.endpoint_name,
        "load_balancer": load_balancers.load_balancer,
        "origin_protocols": load_balancers.origin_protocols,
        "missing_listeners": load_balancers.missing_listeners,
        "has_listener_for_origin": load_balancers.has_listener_for_origin,
        "load_balancer_internal": load_balancers.load_balancer_internal,
        "admits_cloudfront": load_balancers.admits_cloudfront,
        "security_group_names": load_balancers.security_group_names,
        "vpc_origin_note": load_balancers.vpc_origin_note,
        "origin_certificate_names": tls.origin_certificate_names,
        "https_listener": tls.https_listener,
        "elb_ssl_policy": tls.elb_ssl_policy,
        "cloudfront_protocols": tls.cloudfront_protocols,
        "ssl_protocols_problem": tls.ssl_protocols_problem,
        "common_protocols": tls.common_protocols,
        "common_ciphers": tls.common_ciphers,
        "tls_compatible": tls.tls_compatible,
        "duplicate_id": integrity.duplicate_id,
        "origin_shield_without_region": integrity.origin_shield_without_region,
        "origin_path_problem": wire_names.origin_path_problem,
        "origin_path_valid": wire_names.origin_path_valid,
        "origin_path_shown": wire_names.origin_path_shown,
        "host_may_be_rewritten": rewrites.host_may_be_rewritten,
        "host_rewrite_note": rewrites.host_rewrite_note,
        "function_note": rewrites.function_note,
    }),
    "origin_name": facts_of(OriginName, {
        "covered": tls.name_covered,
        "certificate_ids": tls.certificate_ids,
        "host_may_be_rewritten": rewrites.name_host_may_be_rewritten,
        "host_rewrite_note": rewrites.name_host_rewrite_note,
    }),
    "origin_setting": facts_of(OriginSetting, {
        "is_port": settings.is_port,
        "in_range": settings.in_range,
        "allowed_range": settings.allowed_range,
        "value_shown": settings.value_shown,
        "consequence": settings.consequence,
    }),
    "origin_group": facts_of(OriginGroup, {
        "group_problems": integrity.group_problems,
        "group_valid": integrity.group_valid,
    }),
    "custom_header": facts_of(CustomHeader, {
        "refused_by_cloudfront": integrity.header_refused,
    }),
    "distribution": facts_of(Distribution, {
        "aliases_without_certificate": viewer.aliases_without_certificate,
    }),
    "viewer_certificate": facts_of(ViewerCertificate, {
        "certificate_region": viewer.viewer_certificate_region,
        "certificate_in_us_east_1": viewer.certificate_in_us_east_1,
        "old_security_policy": viewer.old_security_policy,
    }),
    "function_setting": facts_of(FunctionSetting, {
        "rejected_at_edge": associated_functions.rejected_at_edge,
        "over_event_limit": associated_functions.over_event_limit,
        "event_limit": associated_functions.event_limit,
    }),
    "behavior": facts_of(CacheBehavior, {
        "forwards_host": behaviors.forwards_host,
        "forwarded_headers": behaviors.forwarded_headers,
        "target": behaviors.target,
        "target_exists": behaviors.target_exists,
        "target_ids": behaviors.target_ids,
        "target_assumed": behaviors.target_assumed,
        "assumed_target": behaviors.assumed_target,
        "serves_websocket": viewer.serves_websocket,
        "forwards_websocket_headers": viewer.forwards_websocket_headers,
        "websocket_reason": viewer.websocket_reason,
        "grpc_problems": grpc.grpc_problems,
        "grpc_works": grpc.grpc_works,
    }),
    "alias": facts_of(Alias, {
        "viewer_certificate_names": aliases.viewer_certificate_names,
        "viewer_certificate_resource": aliases.viewer_certificate_resource,
        "rejected": aliases.rejected,
        "covered_by_viewer_certificate": aliases.covered_by_viewer_certificate,
        "name_problem": wire_names.alias_problem,
        "name_valid": wire_names.alias_valid,
        "name_shown": wire_names.alias_shown,
    }),
    "lambda_association": facts_of(EdgeAssociation, {
        "arn_kind": association_arns.arn_kind,
        "function_region": associated_functions.function_region,
        "in_us_east_1": associated_functions.in_us_east_1,
        "body_on_response_event": associated_functions.body_on_response_event,
        "event_conflict": associated_functions.event_conflict,
        "conflict_kind": associated_functions.conflict_kind,
    }),
}
# objects only `scan --live` and `policykit probe` create (policykit/probes)
FACTS["live_origin"] = Deferred("policykit.facts.live", "live_origin")
FACTS["live_name"] = Deferred("policykit.facts.live", "live_name")
# objects only `scan --edge` and `policykit edge` create (policykit/edge)
for _kind in ("edge_run", "edge_result", "edge_header", "edge_origin", "edge_problem"):
    FACTS[_kind] = Deferred("policykit.facts.function_results", _kind)


def describe() -> dict[str, dict[str, str]]:
    """Each fact's first docstring line, for `policykit policies facts`."""
    return {kind: {name: (fn.__doc__ or "").strip().splitlines()[0] for name, fn in table.items()}
            for kind, table in FACTS.items()}
