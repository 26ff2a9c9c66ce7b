"""The function behind a Lambda@Edge association, as the template declares it: its Region, what it uses that
the edge refuses, its memory/timeout quotas per event, and associations that conflict on one event."""

from __future__ import annotations

from collections.abc import Callable

from policykit.core.truth import Truth
from policykit.core.values import Partial, Scalar, Text, Unknown, reason_of
from policykit.facts.viewer import arn_region
from policykit.model.cloudfront import Distribution, EdgeAssociation
from policykit.model.derived import FunctionSetting
from policykit.model.related import LambdaFunction

# (model field, CloudFormation property, the field's value on a function) of function properties Lambda@Edge
# restricts, then of those whose quota depends on the event (LIMITED_FIELDS)
PROPERTIES: tuple[tuple[str, str, Callable[[LambdaFunction], Scalar | list[Scalar]]], ...] = (
    ("has_environment", "Environment", lambda function: function.has_environment),
    ("has_vpc_config", "VpcConfig", lambda function: function.has_vpc_config),
    ("has_layers", "Layers", lambda function: function.has_layers),
    ("has_dead_letter_config", "DeadLetterConfig", lambda function: function.has_dead_letter_config),
    ("architectures", "Architectures", lambda function: function.architectures),
    ("package_type", "PackageType", lambda function: function.package_type),
    ("ephemeral_storage", "EphemeralStorage", lambda function: function.ephemeral_storage),
    ("runtime", "Runtime", lambda function: function.runtime),
    ("memory_size", "MemorySize", lambda function: function.memory_size),
    ("timeout", "Timeout", lambda function: function.timeout),
    ("execution_role", "Role", lambda function: _execution_role(function)),
)
LIMITED_FIELDS = frozenset({"memory_size", "timeout"})
VIEWER_EVENTS = ("viewer-request", "viewer-response")
RESPONSE_EVENTS = ("viewer-response", "origin-response")


def _execution_role(function: LambdaFunction) -> Scalar:
    """The execution role, said with what is wrong with its trust policy when something is."""
    role = function.execution_role
    if isinstance(role, str) and function.role_trusts_edge is False:
        return f"{role}, whose trust policy does not let edgelambda.amazonaws.com assume it"
    return role


def function_region(association: EdgeAssociation) -> str | Unknown:
    """The Region of the associated function: the ARN's, or the function resource's when known."""
    region = arn_region(association.lambda_arn)
    if isinstance(region, str):
        return region
    function = association.function
    if function is not None and isinstance(function.region, str):
        return function.region
    return region


def in_us_east_1(association: EdgeAssociation) -> Truth:
    """Is the associated function in us-east-1 (where Lambda@Edge functions must be created)?"""
    region = function_region(association)
    return region if isinstance(region, Unknown) else region == "us-east-1"


def function_settings(dist: Distribution) -> list[FunctionSetting]:
    """One object per restricted or limited property of each function behind an association."""
    out: list[FunctionSetting] = []
    for behavior in dist.behaviors:
        for association in behavior.lambda_associations:
            function = association.function
            if function is None:
                continue
            for field_name, name, read in PROPERTIES:
                out.append(FunctionSetting(
                    association=association, function=function, field_name=field_name, name=name,
                    value=read(function), resource=function.resource,
                    loc=function.location_of(field_name)))
    return out


def rejected_at_edge(setting: FunctionSetting) -> Truth:
    """Does Lambda@Edge refuse this function property (env vars, VPC, layers, DLQ, arm64, image, storage, runtime)?"""
    value, field_name = setting.value, setting.field_name
    if field_name in LIMITED_FIELDS:
        return False
    if field_name == "execution_role":  # the role's trust policy must admit edgelambda.amazonaws.com
        trust = setting.function.role_trusts_edge if setting.function is not None else None
        return False if trust is None else trust if isinstance(trust, Unknown) else not trust
    if isinstance(value, (Unknown, Partial)):
        return Unknown(value.reason or f"{setting.name} is not known")
    if field_name.startswith("has_"):
        return value is True
    if field_name == "architectures":
        names = value if isinstance(value, list) else []
        if any(isinstance(a, (Unknown, Partial)) for a in names):
            return Unknown("an architecture is not known")
        return any(isinstance(a, str) and a.lower() == "arm64" for a in names)
    if field_name == "package_type":
        return isinstance(value, str) and value.lower() == "image"
    if field_name == "ephemeral_storage":
        return isinstance(value, int) and value > 512
    if field_name == "runtime":
        if value is None:
            return False  # container images have no runtime: reported as PackageType
        return not (isinstance(value, str) and value.lower().startswith(("nodejs", "python")))
    return False


def over_event_limit(setting: FunctionSetting) -> Truth:
    """Is MemorySize/Timeout over the Lambda@Edge quota of the event (viewer: 128 MB, 5 s; origin: 30 s)?"""
    if setting.field_name not in LIMITED_FIELDS:
        return False
    event = setting.association.event_type if setting.association else None
    if not isinstance(event, str):
        return Unknown(reason_of(event, "the event type is not known"))
    value = setting.value
    if not isinstance(value, int) or isinstance(value, bool):
        return Unknown(reason_of(value, f"{setting.name} is not known"))
    viewer = event in VIEWER_EVENTS
    if setting.field_name == "memory_size":
        return viewer and value > 128
    return value > (5 if viewer else 30)


def event_limit(setting: FunctionSetting) -> str:
    """The quota that applies to this property for the association's event (for messages)."""
    event = setting.association.event_type if setting.association else None
    viewer = event in VIEWER_EVENTS
    if setting.field_name == "memory_size":
        return "128 MB for viewer events" if viewer else "the Lambda maximum for origin events"
    return "5 seconds for viewer events" if viewer else "30 seconds for origin events"


def body_on_response_event(association: EdgeAssociation) -> Truth:
    """Is IncludeBody set on a viewer-response or origin-response association?"""
    include = association.include_body
    if isinstance(include, (Unknown, Partial)):
        return Unknown(include.reason or "IncludeBody is not known")
    if include is not True:
        return False
    event = association.event_type
    if not isinstance(event, str):
        return Unknown(reason_of(event, "the event type is not known"))
    return event in RESPONSE_EVENTS


def event_conflict(association: EdgeAssociation) -> Truth:
    """Does an earlier association of the behavior, or a CloudFront Function, use the same event type?"""
    behavior = association.behavior
    event = association.event_type
    if behavior is None:
        return False
    if not isinstance(event, str):
        return Unknown(reason_of(event, "the event type is not known"))
    earlier = behavior.lambda_associations[:behavior.lambda_associations.index(association)]
    if any(a.event_type == event for a in earlier):
        return True
    if event in VIEWER_EVENTS and any(f.event_type == event for f in behavior.function_associations):
        return True
    unknown: Text | Unknown | None = next((a.event_type for a in earlier if not isinstance(a.event_type, str)),
                        behavior.lambda_associations.more)
    if unknown is None and event in VIEWER_EVENTS:
        unknown = next((f.event_type for f in behavior.function_associations
                        if not isinstance(f.event_type, str)), None)
    return Unknown(reason_of(unknown, "an event type is not known")) if unknown is not None else False


def conflict_kind(association: EdgeAssociation) -> str:
    """What the association conflicts with (for messages)."""
    behavior = association.behavior
    if behavior is not None and any(f.event_type == association.event_type for f in behavior.function_associations):
        return "a CloudFront Function on the same viewer event"
    return "another Lambda@Edge association for the same event type"
