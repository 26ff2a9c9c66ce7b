"""Resources a distribution depends on: certificates, load balancers, functions, policies."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policykit.model.base import ModelObject
from policykit.model.values import Partial, Unknown


@dataclass(eq=False)
class Certificate(ModelObject):
    """An ACM certificate declared in the template or module."""

    kind = "certificate"
    domain_name: Any = None
    subject_alternative_names: list[Any] = field(default_factory=list)
    region: Any = None

    @property
    def names(self) -> list[Any]:
        return [self.domain_name, *self.subject_alternative_names]


@dataclass(eq=False)
class SecurityGroupRule(ModelObject):
    kind = "security_group_rule"
    protocol: Any = None  # "tcp", "-1", ...
    from_port: Any = None
    to_port: Any = None
    cidr: Any = None  # IPv4 or IPv6 CIDR
    prefix_list: Any = None
    source_group: Any = None


@dataclass(eq=False)
class SecurityGroup(ModelObject):
    kind = "security_group"
    ingress: list[SecurityGroupRule] = field(default_factory=list)


@dataclass(eq=False)
class Listener(ModelObject):
    kind = "listener"
    port: Any = None
    protocol: Any = None  # HTTP, HTTPS, TCP, TLS, ...
    ssl_policy: Any = None  # None when omitted (the API default applies)
    certificate_arns: list[Any] = field(default_factory=list)
    certificates: list[Certificate] = field(default_factory=list)


@dataclass(eq=False)
class LoadBalancer(ModelObject):
    kind = "load_balancer"
    scheme: Any = None  # internet-facing | internal; None = default (internet-facing)
    lb_type: Any = None  # application | network | classic
    security_group_refs: list[Any] = field(default_factory=list)
    security_groups: list[SecurityGroup] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)


@dataclass(eq=False)
class LambdaFunction(ModelObject):
    kind = "lambda_function"
    runtime: Any = None
    memory_size: Any = None
    timeout: Any = None
    architectures: list[Any] = field(default_factory=list)
    package_type: Any = None
    has_environment: Any = False
    has_vpc_config: Any = False
    has_layers: Any = False
    has_dead_letter_config: Any = False
    ephemeral_storage: Any = None
    region: Any = None


@dataclass(eq=False)
class CloudFrontFunction(ModelObject):
    """A CloudFront Function declared in the template or module: its inline code, when written there."""

    kind = "cloudfront_function"
    name: Any = None
    code: Any = None  # the JavaScript source, Unknown when it is not inline (a file, a parameter)


def function_code(value: Any) -> str | Unknown:
    """A function's source as written: text (the substituted pieces of `!Sub`/`${}` shown as `${X}`:
    they are values, not code), or Unknown (`file("fn.js")`, a parameter)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Partial):
        return str(value)
    return value if isinstance(value, Unknown) else Unknown("the function code is not known")


@dataclass(eq=False)
class HeadersConfig:
    """Which viewer headers a cache policy or origin request policy sends to the origin."""

    behavior: Any = None  # none | whitelist | allViewer | allViewerAndWhitelistCloudFront | allExcept
    headers: list[Any] = field(default_factory=list)


@dataclass(eq=False)
class RequestPolicy(ModelObject):
    """A custom cache policy or origin request policy declared in the template or module."""

    kind = "request_policy"
    policy_type: str = "origin_request"  # or "cache"
    name: Any = None
    headers: HeadersConfig = field(default_factory=HeadersConfig)
