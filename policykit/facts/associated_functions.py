"""The function behind a Lambda@Edge association, as the template declares it: its Region, what it uses that
the edge refuses, its memory/timeout quotas per event, and associations that conflict on one event."""

from __future__ import annotations

from typing import Any

from policykit.core.truth import Truth
from policykit.core.values import Partial, Unknown
from policykit.facts.viewer import arn_region
from policykit.model.cloudfront import Distribution, EdgeAssociation
from policykit.model.derived import FunctionSetting

# (model field, CloudFormation property) of function properties Lambda@Edge restricts
RESTRICTED: tuple[tuple[str, str], ...] = (
    ("has_environment", "Environment"),
    ("has_vpc_config", "VpcConfig"),
    ("has_layers", "Layers"),
    ("has_dead_letter_config", "DeadLetterConfig"),
    ("architectures", "Architectures"),
    ("package_type", "PackageType"),
    ("ephemeral_storage", "EphemeralStorage"),
    ("runtime", "Runtime"),
)
LIMITED: tuple[tuple[str, str], ...] = (("memory_size", "MemorySize"), ("timeout", "Timeout"))
VIEWER_EVENTS = ("viewer-request", "viewer-response")
RESPONSE_EVENTS = ("viewer-response", "origin-response")


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
            for field_name, name in (*RESTRICTED, *LIMITED):
                out.append(FunctionSetting(
                    association=association, function=function, field_name=field_name, name=name,
                    value=getattr(function, field_name), resource=function.resource,
                    loc=function.location_of(field_name)))
    return out


def rejected_at_edge(setting: FunctionSetting) -> Truth:
    """Does Lambda@Edge refuse this function property (env vars, VPC, layers, DLQ, arm64, image, storage, runtime)?"""
    value, field_name = setting.value, setting.field_name
    if field_name in LIMITED_FIELDS:
        return False
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


LIMITED_FIELDS = frozenset(name for name, _ in LIMITED)


def over_event_limit(setting: FunctionSetting) -> Truth:
    """Is MemorySize/Timeout over the Lambda@Edge quota of the event (viewer: 128 MB, 5 s; origin: 30 s)?"""
    if setting.field_name not in LIMITED_FIELDS:
        return False
    event = setting.association.event_type if setting.association else None
    if not isinstance(event, str):
        return Unknown(getattr(event, "reason", "the event type is not known"))
    value = setting.value
    if not isinstance(value, int) or isinstance(value, bool):
        return Unknown(getattr(value, "reason", f"{setting.name} is not known"))
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
        return Unknown(getattr(event, "reason", "the event type is not known"))
    return event in RESPONSE_EVENTS


def event_conflict(association: EdgeAssociation) -> Truth:
    """Does an earlier association of the behavior, or a CloudFront Function, use the same event type?"""
    behavior = association.behavior
    event = association.event_type
    if behavior is None:
        return False
    if not isinstance(event, str):
        return Unknown(getattr(event, "reason", "the event type is not known"))
    earlier = behavior.lambda_associations[:behavior.lambda_associations.index(association)]
    if any(a.event_type == event for a in earlier):
        return True
    if event in VIEWER_EVENTS and any(f.event_type == event for f in behavior.function_associations):
        return True
    unknown: Any = next((a.event_type for a in earlier if not isinstance(a.event_type, str)),
                        behavior.lambda_associations.more)
    if unknown is None and event in VIEWER_EVENTS:
        unknown = next((f.event_type for f in behavior.function_associations
                        if not isinstance(f.event_type, str)), None)
    return Unknown(getattr(unknown, "reason", "an event type is not known")) if unknown is not None else False


def conflict_kind(association: EdgeAssociation) -> str:
    """What the association conflicts with (for messages)."""
    behavior = association.behavior
    if behavior is not None and any(f.event_type == association.event_type for f in behavior.function_associations):
        return "a CloudFront Function on the same viewer event"
    return "another Lambda@Edge association for the same event type"
