"""The CloudFront distribution, as every input format is normalized to it."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.values import Flag, MaybeMore, Number, ResourceAttr, Scalar, Text, Unknown, joined
from policykit.model.base import DeclaredObject, ModelObject
from policykit.model.related import (
    Certificate,
    CloudFrontFunction,
    DistributionTenant,
    LambdaFunction,
    RequestPolicy,
    VpcOrigin,
)


@record(frozen=False, eq=False, repr=False)
class CustomHeader(DeclaredObject):
    """A custom header an origin sends to its server."""

    kind = "custom_header"
    name: Text | None = None
    value: Text | None = None
    origin: Origin | None = field(default=None, repr=False)  # the origin that sends this header


@record(frozen=False, eq=False, repr=False)
class Origin(DeclaredObject):
    """One origin of a distribution: where CloudFront connects, and how."""

    kind = "origin"
    id: Text | None = None
    domain_name: Text | None = None
    origin_path: Text | None = None
    # "custom" (CustomOriginConfig), "s3" (S3OriginConfig), "vpc" (VpcOriginConfig), Unknown or None
    config_type: str | Unknown | None = None
    protocol_policy: Text | None = None
    http_port: Number | None = 80
    https_port: Number | None = 443
    ssl_protocols: list[Scalar] | Unknown | None = None  # None when not written (provider default applies)
    read_timeout: Number | None = None  # OriginReadTimeout of the custom, VPC or S3 origin config
    keepalive_timeout: Number | None = None
    connection_attempts: Number | None = None
    connection_timeout: Number | None = None
    # the whole response's deadline (must be at least the read timeout); None when not sent: no maximum
    response_completion_timeout: Number | None = None
    origin_shield_enabled: Flag | None = None
    origin_shield_region: Text | None = None
    mtls_certificate_arn: Text | None = None  # OriginMtlsConfig.ClientCertificateArn: CloudFront's client certificate
    vpc_origin_id: Text | None = None  # VpcOriginConfig.VpcOriginId
    vpc_origin: VpcOrigin | None = None  # the VPC origin it names, when declared here
    # fields the Terraform provider fills in when they are not written (its default is what is sent)
    provider_defaults: tuple[str, ...] = ()
    custom_headers: MaybeMore[CustomHeader] = field(default_factory=MaybeMore)
    target_ref: ResourceAttr | None = None  # the resource the domain name comes from
    target: ModelObject | None = None  # the linked related resource, e.g. a LoadBalancer
    distribution: Distribution | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"origin '{_named(self.id)}'"


@record(frozen=False, eq=False, repr=False)
class OriginGroup(DeclaredObject):
    """An origin group: a primary and a failover origin."""

    kind = "origin_group"
    id: Text | None = None
    member_ids: MaybeMore[Text | None] = field(default_factory=MaybeMore)
    status_codes: MaybeMore[Scalar] = field(default_factory=MaybeMore)
    distribution: Distribution | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"origin group '{_named(self.id)}'"


@record(frozen=False, eq=False, repr=False)
class EdgeAssociation(DeclaredObject):
    """A Lambda@Edge function association on a cache behavior."""

    kind = "lambda_association"
    event_type: Text | None = None
    lambda_arn: Text | None = None
    include_body: Flag | None = False
    # what the ARN names when the builder knows it from the referenced resource:
    # version | alias | unqualified | function-name | latest (None: read it from the ARN text)
    arn_source: str | None = None
    function: LambdaFunction | None = None
    behavior: CacheBehavior | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"{self.event_type} function"


@record(frozen=False, eq=False, repr=False)
class FunctionAssociation(DeclaredObject):
    """A CloudFront Functions association on a cache behavior."""

    kind = "function_association"
    event_type: Text | None = None
    function_arn: Text | None = None
    function: CloudFrontFunction | None = None  # when the ARN names a function declared here
    behavior: CacheBehavior | None = field(default=None, repr=False)


@record(frozen=False, eq=False)
class ForwardedValues:
    """Legacy ForwardedValues of a cache behavior."""

    headers: list[Scalar] | Unknown = field(default_factory=list)
    cookies: Text | None = None
    query_string: Flag | None = None


@record(frozen=False, eq=False, repr=False)
class CacheBehavior(DeclaredObject):
    """A cache behavior (or the default one): which origin it targets and what it forwards."""

    kind = "behavior"
    path_pattern: Text | None = None  # None for the default cache behavior
    target_origin_id: Text | None = None
    viewer_protocol_policy: Text | None = None
    allowed_methods: list[Scalar] | Unknown = field(default_factory=lambda: list[Scalar](["GET", "HEAD"]))
    cache_policy_id: Text | None = None
    origin_request_policy_id: Text | None = None
    cache_policy: RequestPolicy | None = None
    origin_request_policy: RequestPolicy | None = None
    forwarded_values: ForwardedValues | None = None
    grpc_enabled: Flag | None = None  # GrpcConfig.Enabled
    lambda_associations: MaybeMore[EdgeAssociation] = field(default_factory=MaybeMore)
    function_associations: MaybeMore[FunctionAssociation] = field(default_factory=MaybeMore)
    distribution: Distribution | None = field(default=None, repr=False)

    @property
    def is_default(self) -> bool:
        return self.path_pattern is None

    @property
    def label(self) -> str:
        return "default cache behavior" if self.is_default else f"cache behavior '{self.path_pattern}'"


@record(frozen=False, eq=False, repr=False)
class ViewerCertificate(DeclaredObject):
    """The certificate CloudFront shows viewers, and its security policy."""

    kind = "viewer_certificate"
    acm_certificate_arn: Text | None = None
    iam_certificate_id: Text | None = None
    cloudfront_default: Flag | None = None
    minimum_protocol_version: Text | None = None
    ssl_support_method: Text | None = None
    certificate: Certificate | None = None  # the ACM certificate resource, when declared


@record(frozen=False, eq=False, repr=False)
class Alias(DeclaredObject):
    """An alternate domain name (CNAME) of a distribution."""

    kind = "alias"
    name: Text | None = None
    distribution: Distribution | None = field(default=None, repr=False)
    tenant: DistributionTenant | None = None  # a multi-tenant distribution's: the tenant whose domain it is

    @property
    def label(self) -> str:
        if self.tenant is not None:
            return f"domain '{_named(self.name)}' of tenant {self.tenant.resource}"
        return f"alias '{_named(self.name)}'"


@record(frozen=False, eq=False, repr=False)
class Distribution(DeclaredObject):
    """A CloudFront distribution, as every input format is normalized to it."""

    kind = "distribution"
    enabled: Flag | None = True
    http_version: Text | None = None  # HttpVersion, or the format's default when not written
    connection_mode: Text | None = None  # ConnectionMode: "tenant-only" for a multi-tenant distribution
    aliases: MaybeMore[Alias] = field(default_factory=MaybeMore)
    viewer_certificate: ViewerCertificate | None = None
    origins: MaybeMore[Origin] = field(default_factory=MaybeMore)
    origin_groups: MaybeMore[OriginGroup] = field(default_factory=MaybeMore)
    default_behavior: CacheBehavior | None = None
    ordered_behaviors: MaybeMore[CacheBehavior] = field(default_factory=MaybeMore)
    websocket_paths: list[Scalar] = field(default_factory=list)  # declared by the user (metadata/tags)
    # the tenant parameters' values this variant stands for (a multi-tenant distribution's), as (input, value) pairs
    tenant_choices: tuple[tuple[str, object], ...] = ()
    scenario: str = ""  # e.g. "when Env=prod"; empty when no deploy-time choice was assumed
    # the deploy-time scenarios this variant stands for, each as (input, value) pairs (policykit/scenarios.py);
    # several when they resolve to the same configuration. The engine names findings with them.
    scenarios: tuple[tuple[tuple[str, Any], ...], ...] = ((),)

    @property
    def behaviors(self) -> MaybeMore[CacheBehavior]:
        """The ordered behaviors, then the default one (maybe more when the ordered ones may be)."""
        head = [self.default_behavior] if self.default_behavior else []
        return joined(self.ordered_behaviors, head)

    @property
    def label(self) -> str:
        return f"distribution {self.resource}"


@record(frozen=False, eq=False)
class Model:
    """Everything one input (a template, a Terraform module, a plan) declares."""

    file: str
    distributions: list[Distribution] = field(default_factory=list)
    resources: dict[str, ModelObject] = field(default_factory=dict)  # related objects by logical id/address
    problems: list[Problem] = field(default_factory=list)
    # distributions that exist in no scenario (Condition/count always false): (resource, why), for the summary
    never_deployed: list[tuple[str, str]] = field(default_factory=list)
    # Said of every finding's location when it is not a line of the source (a plan's JSON)
    location_note: str = ""


@record
class Problem:
    """A value of the wrong type where CloudFront needs another: reported as PK002."""

    message: str
    location: Location
    resource: str = ""
    distribution: str = ""


def _named(value: object) -> str:
    """How a label shows a name: an unknown one by what it stands for (`${FQDN}`), not by its reason,
    which changes from one scenario to the next."""
    return value.placeholder if isinstance(value, Unknown) else str(value)
