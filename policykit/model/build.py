"""The one model builder: a distribution's resolved configuration -> `Distribution`, whatever the format.

How an origin, a behavior, an association or a custom header is read is written here once; a
format gives its spelling and block hooks (policykit/model/spelling.py). The caller resolves the
configuration first (CloudFormation intrinsics, Terraform expressions, a plan's values).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from policykit.core.location import Location
from policykit.core.values import MaybeMore, Partial, Unknown
from policykit.model.cloudfront import (
    Alias,
    CacheBehavior,
    CustomHeader,
    Distribution,
    EdgeAssociation,
    ForwardedValues,
    FunctionAssociation,
    Origin,
    OriginGroup,
    ViewerCertificate,
)
from policykit.model.index import TemplateIndex
from policykit.model.reader import Mapping, Reader, Scalar
from policykit.model.refs import ref_target
from policykit.model.related import Certificate, CloudFrontFunction, LambdaFunction, RequestPolicy
from policykit.model.spelling import Format, Spelling

if TYPE_CHECKING:
    from policykit.model.tenants import TenantValues

DEFAULT_METHODS = ("GET", "HEAD")
TENANT_ONLY = "tenant-only"


def is_tenant_only(fmt: Format, read: Reader, config: Mapping) -> bool:
    """Is the distribution multi-tenant (ConnectionMode tenant-only, as written or as the format always sends)?
    Its tenant parameters and tenants are read then (policykit/model/tenants.py)."""
    default = fmt.spelling.defaults.get("distribution", {}).get("connection_mode")
    mode = read.text(config, fmt.spelling.distribution["connection_mode"], default if isinstance(default, str)
                     else None)
    return isinstance(mode, str) and mode.strip() == TENANT_ONLY


def build_distribution(fmt: Format, read: Reader, config: Mapping, index: TemplateIndex, *, resource: str,
                       loc: Location, scenario: str = "", websocket_paths: Iterable[Scalar] = (),
                       tenant_values: TenantValues | None = None) -> Distribution:
    """The distribution a resolved configuration declares (DistributionConfig, or a Terraform body); a multi-tenant
    one's `{{name}}` parameters take `tenant_values` (policykit/model/tenants.py)."""
    s = fmt.spelling.distribution
    dist = Distribution(resource=resource, loc=loc, scenario=scenario, websocket_paths=list(websocket_paths))
    dist.enabled = read.boolean(config, s["enabled"], True)
    default_version = fmt.spelling.defaults.get("distribution", {}).get("http_version")
    dist.http_version = read.text(config, s["http_version"], default_version if isinstance(default_version, str)
                                  else None)
    default_mode = fmt.spelling.defaults.get("distribution", {}).get("connection_mode")
    dist.connection_mode = read.text(config, s["connection_mode"], default_mode if isinstance(default_mode, str)
                                     else None)
    dist.locs = read.locs(config, Spelling.locs_of(s))
    aliases = read.strings(config, s["aliases"])
    if isinstance(aliases, Unknown):
        dist.aliases.maybe(aliases)
    else:
        # Aliases from a variable have no marks of their own: point at the aliases property.
        dist.aliases.extend(
            Alias(name=_text(name), distribution=dist, resource=resource,
                  loc=_located(read.loc(config[s["aliases"]], i), read.loc(config, s["aliases"])))
            for i, name in enumerate(aliases))
    if tenant_values is not None:
        from policykit.model.tenants import tenant_domains  # multi-tenant distributions only

        tenant_domains(dist, index)
    dist.viewer_certificate = _viewer_certificate(fmt, read, config, index, dist)
    origins = _path_blocks(fmt, read, config, s["origins"])
    dist.origins.extend(_origin(fmt, read, node, at, dist, index, tenant_values) for at, node in origins)
    dist.origins.maybe(origins.more)
    groups = _path_blocks(fmt, read, config, s["origin_groups"])
    dist.origin_groups.extend(_origin_group(fmt, read, node, at, dist) for at, node in groups)
    dist.origin_groups.maybe(groups.more)
    default = fmt.located(read, config, s["default_behavior"])
    if default is not None:
        dist.default_behavior = _behavior(fmt, read, default[1], default[0], dist, index, default=True)
    else:
        # a default behavior known only at deployment (a dynamic block over an unknown value) is not "none":
        # the distribution's behaviors may hold one more, so what quantifies over them stays unknown
        unknown_default = fmt.block(read, config, s["default_behavior"])
        if isinstance(unknown_default, Unknown):
            dist.ordered_behaviors.maybe(unknown_default)
    ordered = fmt.blocks(read, config, s["ordered_behaviors"])
    dist.ordered_behaviors.extend(_behavior(fmt, read, node, at, dist, index) for at, node in ordered)
    dist.ordered_behaviors.maybe(ordered.more)
    return dist


def _path_blocks(fmt: Format, read: Reader, node: object, path: str) -> MaybeMore[tuple[Location, Mapping]]:
    """Blocks under a path `A.B`: `B` inside the one block `A` (CloudFormation's `OriginGroups.Items`)."""
    *heads, last = path.split(".")
    for head in heads:
        inner = fmt.block(read, node, head)
        if inner is None:
            return MaybeMore()
        if isinstance(inner, Unknown):
            return MaybeMore(more=inner)
        node = inner
    return fmt.blocks(read, node, last)


def _path_block(fmt: Format, read: Reader, node: object, path: str) -> tuple[Mapping | Unknown | None, str]:
    """The block holding the last key of `path`, and that key."""
    *heads, last = path.split(".")
    holder: Mapping | Unknown | None = node if isinstance(node, dict) else None
    for head in heads:
        if not isinstance(holder, dict):
            return holder, last
        holder = fmt.block(read, holder, head)
    return holder, last


def _located(loc: Location, fallback: Location) -> Location:
    return loc if loc.line else fallback


def _text(value: Scalar) -> str | Unknown | Partial | None:
    if isinstance(value, (bool, int, float)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    return value


def _present(node: Mapping, key: str) -> bool:
    """Is a block written (an empty list of blocks, e.g. a dynamic block over [], is not)?"""
    value = node.get(key)
    return value is not None and not (isinstance(value, list) and not value)


def _viewer_certificate(fmt: Format, read: Reader, config: Mapping, index: TemplateIndex,
                        dist: Distribution) -> ViewerCertificate | None:
    key = fmt.spelling.distribution["viewer_certificate"]
    found = fmt.located(read, config, key)
    if found is None:
        return None
    loc, node = found
    s = fmt.spelling.viewer_certificate
    arn = read.text(node, s["acm_certificate_arn"])
    certificate = _linked(arn, index)
    return ViewerCertificate(
        acm_certificate_arn=arn, iam_certificate_id=read.text(node, s["iam_certificate_id"]),
        cloudfront_default=read.boolean(node, s["cloudfront_default"]),
        minimum_protocol_version=read.text(node, s["minimum_protocol_version"]),
        ssl_support_method=read.text(node, s["ssl_support_method"]),
        certificate=certificate if isinstance(certificate, Certificate) else None,
        resource=dist.resource, loc=loc, locs=read.locs(node, s))


def _origin(fmt: Format, read: Reader, node: Mapping, loc: Location, dist: Distribution,
            index: TemplateIndex, tenant_values: TenantValues | None = None) -> Origin:
    s = fmt.spelling.origin
    domain, path = read.text(node, s["domain_name"]), read.text(node, s["origin_path"])
    if tenant_values is not None:
        from policykit.model.tenants import with_tenant_values  # multi-tenant distributions only

        domain, path = with_tenant_values(domain, tenant_values), with_tenant_values(path, tenant_values)
    ref = ref_target(domain)
    origin = Origin(
        id=read.text(node, s["id"]), domain_name=domain, origin_path=path,
        connection_attempts=read.integer(node, s["connection_attempts"]),
        connection_timeout=read.integer(node, s["connection_timeout"]),
        response_completion_timeout=read.integer(node, s["response_completion_timeout"]),
        target_ref=ref, target=index.object(ref.resource if ref else None),
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, {k: v for k, v in s.items() if k not in ("custom", "s3", "vpc", "origin_shield")}))
    defaults = fmt.spelling.defaults.get("origin", {})
    completion = defaults.get("response_completion_timeout")
    if s["response_completion_timeout"] not in node and isinstance(completion, int):
        origin.response_completion_timeout = completion  # the provider sends its default
        origin.provider_defaults += ("response_completion_timeout",)
    _origin_shield(fmt, read, node, origin)
    custom = fmt.block(read, node, s["custom"])
    if isinstance(custom, Unknown):
        origin.config_type = custom
        origin.locs["config_type"] = read.loc(node, s["custom"])
    elif custom is not None:
        c = fmt.spelling.custom_origin
        origin.config_type = "custom"
        origin.protocol_policy = read.text(custom, c["protocol_policy"])
        origin.http_port = read.integer(custom, c["http_port"], 80)
        origin.https_port = read.integer(custom, c["https_port"], 443)
        if custom.get(c["ssl_protocols"]) is not None:  # not written: the provider default applies
            origin.ssl_protocols = read.strings(custom, c["ssl_protocols"])
        origin.read_timeout = read.integer(custom, c["read_timeout"])
        origin.keepalive_timeout = read.integer(custom, c["keepalive_timeout"])
        origin.locs.update(read.locs(custom, {k: v for k, v in c.items() if k != "mtls"}))
        origin.locs.setdefault("config_type", read.loc(node, s["custom"]))
        _mtls(fmt, read, custom, origin)
    elif _present(node, s["s3"]):
        origin.config_type = "s3"
        origin.locs["config_type"] = read.loc(node, s["s3"])
        s3 = fmt.block(read, node, s["s3"])
        if isinstance(s3, dict):
            origin.read_timeout = read.integer(s3, fmt.spelling.s3_origin["read_timeout"])
            origin.locs.update(read.locs(s3, fmt.spelling.s3_origin))
    elif _present(node, s["vpc"]):
        from policykit.model.vpc_origins import vpc_origin  # only templates with VPC origins need it

        vpc_origin(fmt, read, node, origin, index)
    h = fmt.spelling.custom_header
    headers = fmt.blocks(read, node, s["custom_headers"])
    origin.custom_headers.extend(
        CustomHeader(name=read.text(header, h["name"]), value=read.text(header, h["value"]), origin=origin,
                     resource=dist.resource, loc=at, locs=read.locs(header, h))
        for at, header in headers)
    origin.custom_headers.maybe(headers.more)
    return origin


def _origin_shield(fmt: Format, read: Reader, node: Mapping, origin: Origin) -> None:
    key = fmt.spelling.origin["origin_shield"]
    shield = fmt.block(read, node, key)
    if isinstance(shield, Unknown):
        origin.origin_shield_enabled = shield
    elif shield is not None:
        k = fmt.spelling.origin_shield
        origin.origin_shield_enabled = read.boolean(shield, k["enabled"])
        origin.origin_shield_region = read.text(shield, k["region"])
        origin.locs.update({f"origin_shield_{name}": at for name, at in read.locs(shield, k).items()})
        origin.locs.setdefault("origin_shield_enabled", read.loc(node, key))


def _mtls(fmt: Format, read: Reader, custom: Mapping, origin: Origin) -> None:
    key = fmt.spelling.custom_origin["mtls"]
    mtls = fmt.block(read, custom, key)
    if isinstance(mtls, Unknown):
        origin.mtls_certificate_arn = mtls
    elif mtls is not None:
        origin.mtls_certificate_arn = read.text(mtls, fmt.spelling.mtls["certificate_arn"]) or Unknown(
            "OriginMtlsConfig has no ClientCertificateArn")
        origin.locs["mtls_certificate_arn"] = read.loc(custom, key)


def _origin_group(fmt: Format, read: Reader, node: Mapping, loc: Location, dist: Distribution) -> OriginGroup:
    s = fmt.spelling.origin_group
    members = _path_blocks(fmt, read, node, s["member_ids"])
    holder, key = _path_block(fmt, read, node, s["status_codes"])
    codes = read.strings(holder, key) if isinstance(holder, dict) else holder if isinstance(holder, Unknown) else []
    group = OriginGroup(
        id=read.text(node, s["id"]),
        member_ids=MaybeMore((read.text(member, s["member_id"]) for _, member in members), members.more),
        status_codes=MaybeMore(more=codes) if isinstance(codes, Unknown) else MaybeMore(codes),
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, Spelling.locs_of({k: v for k, v in s.items() if k != "member_id"})))
    return group


def _behavior(fmt: Format, read: Reader, node: Mapping, loc: Location, dist: Distribution, index: TemplateIndex,
              default: bool = False) -> CacheBehavior:
    s = fmt.spelling.behavior
    cache_policy_id = read.text(node, s["cache_policy_id"])
    request_policy_id = read.text(node, s["origin_request_policy_id"])
    holder, key = _path_block(fmt, read, node, s["allowed_methods"])  # `allowed_methods.items` in a block, too
    methods: list[Scalar] | Unknown = holder if isinstance(holder, Unknown) else read.strings(holder, key) \
        if isinstance(holder, dict) and holder.get(key) is not None else list(DEFAULT_METHODS)
    behavior = CacheBehavior(
        path_pattern=None if default else read.text(node, s["path_pattern"]),
        target_origin_id=read.text(node, s["target_origin_id"]),
        viewer_protocol_policy=read.text(node, s["viewer_protocol_policy"]),
        allowed_methods=methods, cache_policy_id=cache_policy_id, origin_request_policy_id=request_policy_id,
        cache_policy=_policy(cache_policy_id, index), origin_request_policy=_policy(request_policy_id, index),
        distribution=dist, resource=dist.resource, loc=loc,
        locs=read.locs(node, Spelling.locs_of({k: v for k, v in s.items()
                                               if k not in ("function_associations", "grpc")})))
    grpc = fmt.block(read, node, s["grpc"])
    if grpc is not None:
        behavior.grpc_enabled = grpc if isinstance(grpc, Unknown) else read.boolean(
            grpc, fmt.spelling.grpc["enabled"])
        behavior.locs["grpc_enabled"] = read.loc(node, s["grpc"])
    forwarded = fmt.block(read, node, s["forwarded_values"])
    if isinstance(forwarded, dict):
        f = fmt.spelling.forwarded_values
        cookies = fmt.block(read, forwarded, f["cookies"])
        behavior.forwarded_values = ForwardedValues(
            headers=read.strings(forwarded, f["headers"]),
            cookies=read.text(cookies, f["forward"]) if isinstance(cookies, dict) else None,
            query_string=read.boolean(forwarded, f["query_string"]))
        if f["headers"] in forwarded:
            behavior.locs["forwarded_values"] = read.loc(forwarded, f["headers"])
    a = fmt.spelling.lambda_association
    associations = fmt.blocks(read, node, s["lambda_associations"])
    for at, item in associations:
        arn = read.text(item, a["lambda_arn"])
        function = _linked(arn, index)
        behavior.lambda_associations.append(EdgeAssociation(
            event_type=read.text(item, a["event_type"]), lambda_arn=arn,
            arn_source=lambda_arn_kind(arn, fmt.spelling, index),
            include_body=read.boolean(item, a["include_body"], False),
            function=function if isinstance(function, LambdaFunction) else None,
            behavior=behavior, resource=dist.resource, loc=at, locs=read.locs(item, a)))
    behavior.lambda_associations.maybe(associations.more)
    f_spell = fmt.spelling.function_association
    functions = fmt.blocks(read, node, s["function_associations"])
    behavior.function_associations.extend(
        FunctionAssociation(event_type=read.text(item, f_spell["event_type"]),
                            function_arn=read.text(item, f_spell["function_arn"]),
                            function=_cloudfront_function(read.text(item, f_spell["function_arn"]), index),
                            behavior=behavior, resource=dist.resource, loc=at, locs=read.locs(item, f_spell))
        for at, item in functions)
    behavior.function_associations.maybe(functions.more)
    return behavior


def lambda_arn_kind(arn: object, spelling: Spelling, index: TemplateIndex) -> str | None:
    """What a Lambda ARN names when the referenced resource says it (None: read it from the ARN's text).

    Only a bare reference (`!Ref Version`, `aws_lambda_function.f.qualified_arn`) or a reference
    after the last `:` (`${Fn.Arn}:${Fn.Version}`) says it: `${Fn.Arn}:7` is a version, not `Fn.Arn`.
    """
    if isinstance(arn, Unknown) and arn.ref is not None:
        ref, table = arn.ref, spelling.lambda_arns
    elif isinstance(arn, Partial) and len(arn.parts) >= 2:
        last, before = arn.parts[-1], arn.parts[-2]
        if not (isinstance(last, Unknown) and last.ref is not None and isinstance(before, str)
                and before.endswith(":")):
            return None
        ref, table = last.ref, spelling.lambda_qualifiers
    else:
        return None
    kind = table.get((index.types.get(ref.resource, ""), ref.attribute))
    if kind == "published":
        published = index.published.get(ref.resource)
        return "version" if published is True else "latest" if published is False else None
    return kind


def _linked(value: object, index: TemplateIndex) -> object:
    ref = ref_target(value)
    return index.object(ref.resource if ref else None)


def _policy(policy_id: object, index: TemplateIndex) -> RequestPolicy | None:
    policy = _linked(policy_id, index)
    return policy if isinstance(policy, RequestPolicy) else None


def _cloudfront_function(arn: object, index: TemplateIndex) -> CloudFrontFunction | None:
    """The CloudFront Function an association's ARN names, when it is declared here (`!GetAtt F.FunctionARN`)."""
    ref = ref_target(arn)
    found = index.object(ref.resource if ref else None)
    return found if isinstance(found, CloudFrontFunction) else None
