"""Objects derived from the model so a policy can report one finding per offending item.

A policy's finding points at one object; when one origin or one function can be wrong in
several places (two ports, several Lambda@Edge restrictions, several names its certificate
must cover), each place is an object of its own here, built by the engine's `OBJECTS`.
"""

from __future__ import annotations

from dataclasses import field

from policykit.core.record import record
from policykit.core.truth import Truth
from policykit.core.values import Number, Scalar, Text, Unknown
from policykit.model.base import DeclaredObject
from policykit.model.cloudfront import EdgeAssociation, Origin
from policykit.model.related import Certificate, LambdaFunction


@record(frozen=False, eq=False, repr=False)
class OriginName(DeclaredObject):
    """A name CloudFront checks the origin certificate against (origin domain or forwarded alias)."""

    kind = "origin_name"
    origin: Origin | None = field(default=None, repr=False)
    name: Text | None = None
    source: str = "origin domain"  # "origin domain" or "alias (Host forwarded)"
    needed: Truth = True  # does CloudFront check this name? (Unknown when Host forwarding is unknown)
    certificate_names: list[Scalar] | Unknown | None = None  # Unknown: no certificate declared here
    certificates: list[Certificate] = field(default_factory=list)  # the Certificate objects the names come from

    @property
    def label(self) -> str:
        return f"name '{self.name}'"


@record(frozen=False, eq=False, repr=False)
class OriginSetting(DeclaredObject):
    """One numeric connection setting of an origin (a port, a timeout, the attempts)."""

    kind = "origin_setting"
    origin: Origin | None = field(default=None, repr=False)
    field_name: str = ""  # the model field, e.g. "http_port"
    name: str = ""  # the CloudFormation property, e.g. "HTTPPort"
    value: Number | None = None
    defaulted: bool = False  # not written: the Terraform provider sends its default

    @property
    def label(self) -> str:
        return f"{self.name} of origin '{self.origin.id if self.origin else '?'}'"


@record(frozen=False, eq=False, repr=False)
class FunctionSetting(DeclaredObject):
    """One property of a Lambda@Edge function (reached through an association) that the edge may refuse."""

    kind = "function_setting"
    association: EdgeAssociation | None = field(default=None, repr=False)
    function: LambdaFunction | None = field(default=None, repr=False)
    field_name: str = ""  # the model field, e.g. "has_environment"
    name: str = ""  # the CloudFormation property, e.g. "Environment"
    value: Scalar | list[Scalar] = None

    @property
    def label(self) -> str:
        return f"{self.name} of function {self.function.resource if self.function else '?'}"
