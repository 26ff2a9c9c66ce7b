"""Resources a distribution depends on: certificates, load balancers, functions, policies."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.values import Flag, MaybeMore, Number, Partial, Scalar, Text, Unknown
from policykit.model.base import DeclaredObject, ModelObject


@record(frozen=False, eq=False, repr=False)
class Certificate(DeclaredObject):
    """An ACM certificate declared in the template or module."""

    kind = "certificate"
    domain_name: Text | None = None
    subject_alternative_names: list[Scalar] = field(default_factory=list)
    region: Scalar = None

    @property
    def names(self) -> list[Scalar]:
        return [self.domain_name, *self.subject_alternative_names]


@record(frozen=False, eq=False, repr=False)
class SecurityGroupRule(DeclaredObject):
    """One ingress rule of a security group."""

    kind = "security_group_rule"
    protocol: Scalar = None  # "tcp", "-1", ...
    from_port: Number | None = None
    to_port: Number | None = None
    cidr: Scalar = None  # IPv4 or IPv6 CIDR
    prefix_list: Scalar = None
    source_group: Scalar = None


@record(frozen=False, eq=False, repr=False)
class SecurityGroup(DeclaredObject):
    """A security group and its ingress rules."""

    kind = "security_group"
    ingress: list[SecurityGroupRule] = field(default_factory=list)


@record(frozen=False, eq=False, repr=False)
class Listener(DeclaredObject):
    """A load balancer listener: port, protocol and security policy."""

    kind = "listener"
    port: Number | None = None
    protocol: Scalar = None  # HTTP, HTTPS, TCP, TLS, ...
    ssl_policy: Text | None = None  # None when omitted (the API default applies)
    certificate_arns: list[Scalar] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)


@record(frozen=False, eq=False, repr=False)
class LoadBalancer(DeclaredObject):
    """An Application, Network or Classic Load Balancer an origin can point at."""

    kind = "load_balancer"
    scheme: Scalar = None  # internet-facing | internal; None = default (internet-facing)
    lb_type: Scalar = None  # application | network | classic
    security_group_refs: list[Scalar] = field(default_factory=list)
    security_groups: list[SecurityGroup] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)


@record(frozen=False, eq=False, repr=False)
class VpcOrigin(DeclaredObject):
    """A CloudFront VPC origin: the load balancer or instance in a VPC that origins reach through it, and the
    protocol and ports CloudFront uses to connect to it (they are the VPC origin's, not the origin's)."""

    kind = "vpc_origin"
    endpoint_arn: Text | None = None
    http_port: Number | None = 80
    https_port: Number | None = 443
    protocol_policy: Text | None = None
    ssl_protocols: list[Scalar] | Unknown | None = None  # None when not written
    target: ModelObject | None = None  # the load balancer of the endpoint ARN, when declared here


@record(frozen=False, eq=False, repr=False)
class DistributionTenant(DeclaredObject):
    """A tenant of a multi-tenant distribution: the domains it serves and the certificate they are served with."""

    kind = "distribution_tenant"
    distribution_id: Text | None = None  # names the multi-tenant distribution
    domains: MaybeMore[tuple[Location, Text | None]] = field(default_factory=MaybeMore)  # each with where it is
    certificate_arn: Text | None = None  # Customizations.Certificate.Arn: its own certificate, when it has one
    certificate: Certificate | None = None  # that certificate, when declared here
    managed_certificate: bool = False  # ManagedCertificateRequest: CloudFront issues a certificate for its domains


@record
class FunctionCode:
    """Where a function's code is, as the template or module says it (what `scan --edge` runs)."""

    kind: str  # inline | path | s3 | image | unknown
    inline: str | None = None  # Code.ZipFile, InlineCode, FunctionCode, source_content
    path: str | None = None  # CodeUri, aws:asset:path, filename, source_dir/source_file, relative to `base`
    base: str = ""  # the directory `path` is relative to
    reason: str = ""  # why it is not local (S3, an image, a value only known at deployment)
    ref: str = ""  # Terraform: the data.archive_file it comes from, until linked


@record(frozen=False, eq=False, repr=False)
class LambdaFunction(DeclaredObject):
    """A Lambda function (or version or alias) that a behavior associates at the edge."""

    kind = "lambda_function"
    runtime: Text | None = None
    handler: Text | None = None
    code: FunctionCode | None = None
    memory_size: Number | None = None
    timeout: Number | None = None
    architectures: list[Scalar] = field(default_factory=list)
    package_type: Text | None = None
    has_environment: Flag = False
    has_vpc_config: Flag = False
    has_layers: Flag = False
    has_dead_letter_config: Flag = False
    ephemeral_storage: Number | None = None
    region: Scalar = None
    # the execution role, and whether its trust policy lets both lambda.amazonaws.com and edgelambda.amazonaws.com
    # assume it (None: not read, as from a template; a read from AWS reads it, policykit/aws)
    execution_role: Text | None = None
    role_trusts_edge: Flag | None = None


@record(frozen=False, eq=False, repr=False)
class CloudFrontFunction(DeclaredObject):
    """A CloudFront Function declared in the template or module: its inline code, when written there."""

    kind = "cloudfront_function"
    name: Text | None = None
    code: str | Unknown | None = None  # the JavaScript source, Unknown when it is not inline (a file, a parameter)
    runtime: Text | None = None  # cloudfront-js-1.0 | cloudfront-js-2.0
    # the key value stores associated with it: ARNs, or references to stores declared here
    key_value_stores: list[Scalar] = field(default_factory=list)


@record(frozen=False, eq=False, repr=False)
class KeyValueStoreKey(DeclaredObject):
    """A key of a CloudFront key value store, declared in the module (Terraform `aws_cloudfrontkeyvaluestore_key`):
    what `cf.kvs().get()` reads when `scan --edge` runs a function associated with that store."""

    kind = "key_value_store_key"
    store: Scalar = None  # the store's ARN, a reference when the store is declared here
    key: Text | None = None
    value: Text | None = None


def function_code(value: Any) -> str | Unknown:
    """A function's source as written: text (the substituted pieces of `!Sub`/`${}` shown as `${X}`:
    they are values, not code), or Unknown (`file("fn.js")`, a parameter)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Partial):
        return str(value)
    return value if isinstance(value, Unknown) else Unknown("the function code is not known")


@record(frozen=False, eq=False)
class HeadersConfig:
    """Which viewer headers a cache policy or origin request policy sends to the origin."""

    behavior: Text | None = None  # none | whitelist | allViewer | allViewerAndWhitelistCloudFront | allExcept
    headers: list[Scalar] = field(default_factory=list)


@record(frozen=False, eq=False, repr=False)
class RequestPolicy(DeclaredObject):
    """A custom cache policy or origin request policy declared in the template or module."""

    kind = "request_policy"
    policy_type: str = "origin_request"  # or "cache"
    name: Text | None = None
    headers: HeadersConfig = field(default_factory=HeadersConfig)
