"""Origin connection settings in range: ports, attempts, timeouts, and the response completion timeout, which must
be at least the origin's response (read) timeout. One object per written setting (policykit/model/derived.py)."""

from __future__ import annotations

from collections.abc import Callable

from policykit.core.truth import Truth
from policykit.core.values import Number, Partial, Unknown, reason_of
from policykit.model.cloudfront import Distribution, Origin
from policykit.model.derived import OriginSetting

# CloudFront's OriginReadTimeout when none is written (custom, S3 and VPC origin configs alike)
DEFAULT_READ_TIMEOUT = 30
COMPLETION = "response_completion_timeout"

# (model field, CloudFormation property, lowest, highest, the field's value on an origin)
SETTINGS: tuple[tuple[str, str, int, int, Callable[[Origin], Number | None]], ...] = (
    ("http_port", "HTTPPort", 80, 65535, lambda origin: origin.http_port),
    ("https_port", "HTTPSPort", 80, 65535, lambda origin: origin.https_port),
    ("connection_attempts", "ConnectionAttempts", 1, 3, lambda origin: origin.connection_attempts),
    ("connection_timeout", "ConnectionTimeout", 1, 10, lambda origin: origin.connection_timeout),
    # 1-60 s by default; up to 180 s only after a Service Quotas increase (warning, not error)
    ("read_timeout", "OriginReadTimeout", 1, 60, lambda origin: origin.read_timeout),
    ("keepalive_timeout", "OriginKeepaliveTimeout", 1, 60, lambda origin: origin.keepalive_timeout),
    # at least the read timeout (below): no fixed range
    (COMPLETION, "ResponseCompletionTimeout", 1, 0, lambda origin: origin.response_completion_timeout),
)
_RANGES = {name: (low, high) for name, _, low, high, _ in SETTINGS}
# The timeouts of a VPC origin config (and an S3 origin config's read timeout) are 1-120 s (API_VpcOriginConfig,
# API_S3OriginConfig), where a custom origin's are 1-60 s without a quota increase.
_WIDER = {("vpc", "read_timeout"): (1, 120), ("vpc", "keepalive_timeout"): (1, 120), ("s3", "read_timeout"): (1, 120)}


def origin_settings(dist: Distribution) -> list[OriginSetting]:
    """One object per numeric connection setting of each origin that is written or that the provider sends."""
    out: list[OriginSetting] = []
    for origin in dist.origins:
        for field_name, name, _, _, read in SETTINGS:
            defaulted = field_name in origin.provider_defaults
            if field_name not in origin.locs and not defaulted:
                continue  # not written: the (valid) default applies
            out.append(OriginSetting(origin=origin, field_name=field_name, name=name, value=read(origin),
                                     defaulted=defaulted, resource=dist.resource,
                                     loc=origin.location_of(field_name)))
    return out


def is_port(setting: OriginSetting) -> bool:
    """Is this setting a port (HTTPPort/HTTPSPort)?"""
    return setting.field_name in ("http_port", "https_port")


def _range(setting: OriginSetting) -> tuple[int, int]:
    config = setting.origin.config_type if setting.origin else None
    return _WIDER.get((config if isinstance(config, str) else "", setting.field_name), _RANGES[setting.field_name])


def read_timeout(origin: Origin) -> Number:
    """The origin's response (read) timeout as CloudFront applies it: written, or CloudFront's default of 30 s."""
    value = origin.read_timeout
    return DEFAULT_READ_TIMEOUT if value is None else value


def in_range(setting: OriginSetting) -> Truth:
    """Is the value in CloudFront's valid range (ports: 80, 443, 1024-65535; timeouts: default quota; the response
    completion timeout: at least the read timeout)?"""
    value = setting.value
    if isinstance(value, (Unknown, Partial)):
        return Unknown(value.reason or f"{setting.name} is not known")
    if not isinstance(value, int) or isinstance(value, bool):
        return Unknown(f"{setting.name} is not a number")
    if is_port(setting):
        return value in (80, 443) or 1024 <= value <= 65535
    if setting.field_name == COMPLETION:
        least = read_timeout(setting.origin) if setting.origin else DEFAULT_READ_TIMEOUT
        if not isinstance(least, int):
            return Unknown(reason_of(least, "OriginReadTimeout is not known"))
        return value >= least
    low, high = _range(setting)
    return low <= value <= high


def allowed_range(setting: OriginSetting) -> str:
    """The valid values of this setting, for messages."""
    if is_port(setting):
        return "80, 443 or 1024-65535"
    if setting.field_name == COMPLETION:
        least = read_timeout(setting.origin) if setting.origin else DEFAULT_READ_TIMEOUT
        written = setting.origin is not None and setting.origin.read_timeout is not None
        return f"{least} or more (at least OriginReadTimeout, {least} s{'' if written else ' when not written'})"
    low, high = _range(setting)
    return f"{low}-{high}"


def value_shown(setting: OriginSetting) -> str:
    """The value, and where it comes from when it was not written (the Terraform provider's default)."""
    shown = setting.value.placeholder if isinstance(setting.value, Unknown) else str(setting.value)
    if setting.defaulted:
        return f"{shown} (the AWS provider's default when it is not written)"
    return shown


def consequence(setting: OriginSetting) -> str:
    """What CloudFront does with the value out of range, for messages."""
    if setting.field_name == COMPLETION:
        return ("CloudFront rejects the distribution: the whole response cannot have less time than its first "
                "byte")
    return "CloudFront rejects it unless your account's quota was raised"
