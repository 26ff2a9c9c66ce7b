"""Origin connection settings (policykit/facts/settings.py): one object per written setting, its valid range
(ports 80, 443, 1024-65535; timeouts by origin config; the completion timeout at least the read timeout)."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.settings import (
    allowed_range,
    consequence,
    in_range,
    is_port,
    origin_settings,
    read_timeout,
    value_shown,
)
from policykit.model.derived import OriginSetting
from tests.facts.helpers import distribution
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template

ON_THE_ORIGIN = ("ConnectionAttempts", "ConnectionTimeout", "ResponseCompletionTimeout")


def _settings(write: Write, lines: str, parameters: str = "") -> dict[str, OriginSetting]:
    """The settings of an origin with `lines` (`Name: value`, one a line), each where CloudFormation has it."""
    custom = "".join(f"              {line}\n" for line in lines.splitlines() if not line.startswith(ON_THE_ORIGIN))
    origin = "".join(f"            {line}\n" for line in lines.splitlines() if line.startswith(ON_THE_ORIGIN))
    text = cfn_template(cfn_distribution("Site", custom_extra=custom, origin_extra=origin), parameters)
    return {s.name: s for s in origin_settings(distribution(write(f"o{abs(hash(text))}.yaml", text)))}


@pytest.mark.parametrize(("line", "name", "valid"), [
    ("HTTPSPort: 443", "HTTPSPort", True), ("HTTPSPort: 80", "HTTPSPort", True),
    ("HTTPSPort: 1024", "HTTPSPort", True), ("HTTPSPort: 65535", "HTTPSPort", True),
    ("HTTPSPort: 1023", "HTTPSPort", False), ("HTTPSPort: 65536", "HTTPSPort", False),
    ("HTTPPort: 81", "HTTPPort", False), ("HTTPPort: 8080", "HTTPPort", True),
    ("ConnectionAttempts: 1", "ConnectionAttempts", True), ("ConnectionAttempts: 3", "ConnectionAttempts", True),
    ("ConnectionAttempts: 0", "ConnectionAttempts", False), ("ConnectionAttempts: 4", "ConnectionAttempts", False),
    ("ConnectionTimeout: 10", "ConnectionTimeout", True), ("ConnectionTimeout: 11", "ConnectionTimeout", False),
    ("OriginReadTimeout: 60", "OriginReadTimeout", True), ("OriginReadTimeout: 61", "OriginReadTimeout", False),
    ("OriginReadTimeout: 0", "OriginReadTimeout", False),
    ("OriginKeepaliveTimeout: 60", "OriginKeepaliveTimeout", True),
    ("OriginKeepaliveTimeout: 61", "OriginKeepaliveTimeout", False),
])
def test_each_setting_in_its_range(write: Write, line: str, name: str, valid: bool) -> None:
    setting = _settings(write, line)[name]
    assert in_range(setting) is valid
    assert is_port(setting) is name.endswith("Port")


def test_only_written_settings_are_objects_and_ranges_are_said(write: Write) -> None:
    found = _settings(write, "HTTPSPort: 8443\nOriginReadTimeout: 30\n")
    assert set(found) == {"HTTPSPort", "OriginReadTimeout"}
    assert allowed_range(found["HTTPSPort"]) == "80, 443 or 1024-65535"
    assert allowed_range(found["OriginReadTimeout"]) == "1-60"
    assert value_shown(found["HTTPSPort"]) == "8443"
    assert consequence(found["OriginReadTimeout"]) == "CloudFront rejects it unless your account's quota was raised"


def test_the_completion_timeout_is_at_least_the_read_timeout(write: Write) -> None:
    written = _settings(write, "OriginReadTimeout: 40\nResponseCompletionTimeout: 40\n")
    completion = written["ResponseCompletionTimeout"]
    assert in_range(completion) is True
    assert allowed_range(completion) == "40 or more (at least OriginReadTimeout, 40 s)"
    assert consequence(completion) == ("CloudFront rejects the distribution: the whole response cannot have less "
                                       "time than its first byte")
    short = _settings(write, "OriginReadTimeout: 40\nResponseCompletionTimeout: 39\n")
    assert in_range(short["ResponseCompletionTimeout"]) is False
    default = _settings(write, "ResponseCompletionTimeout: 29\n")["ResponseCompletionTimeout"]
    assert in_range(default) is False  # against CloudFront's default read timeout of 30 s
    assert allowed_range(default) == "30 or more (at least OriginReadTimeout, 30 s when not written)"
    assert read_timeout(default.origin) == 30  # type: ignore[arg-type]
    assert in_range(_settings(write, "ResponseCompletionTimeout: 30\n")["ResponseCompletionTimeout"])
    unknown = _settings(write, "OriginReadTimeout: !Ref T\nResponseCompletionTimeout: 60\n",
                        "  T: {Type: Number}\n")
    assert isinstance(in_range(unknown["ResponseCompletionTimeout"]), Unknown)


def test_a_setting_not_known_or_not_a_number_is_unknown(write: Write) -> None:
    found = _settings(write, "HTTPSPort: !Ref Port\n", "  Port: {Type: Number}\n")["HTTPSPort"]
    assert isinstance(in_range(found), Unknown) and value_shown(found) == "${Port}"
    text = _settings(write, "HTTPSPort: eighty\n")["HTTPSPort"]
    assert in_range(text) == Unknown("HTTPSPort is not a number")


def test_vpc_and_s3_origin_timeouts_have_the_wider_range(write: Write) -> None:
    from tests.helpers import POLICIES

    fixture = POLICIES / "PK106-load-balancer-without-listener" / "tests" / "fail"
    fixture /= "terraform-vpc-origin-port.cfn.yaml"
    vpc = fixture.read_text(encoding="utf-8").replace(
        "VpcOriginConfig: {VpcOriginId: !GetAtt VpcOrigin.Id}",
        "VpcOriginConfig: {VpcOriginId: !GetAtt VpcOrigin.Id, OriginReadTimeout: 90, OriginKeepaliveTimeout: 121}")
    found = {s.name: s for s in origin_settings(distribution(write("vpc.yaml", vpc)))}
    assert in_range(found["OriginReadTimeout"]) is True and allowed_range(found["OriginReadTimeout"]) == "1-120"
    assert in_range(found["OriginKeepaliveTimeout"]) is False
    s3 = cfn_template(cfn_distribution("Site")).replace(
        "            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n",
        "            S3OriginConfig: {OriginReadTimeout: 90}\n")
    (read,) = origin_settings(distribution(write("s3.yaml", s3)))
    assert in_range(read) is True and allowed_range(read) == "1-120"
    assert in_range(_settings(write, "OriginReadTimeout: 90\n")["OriginReadTimeout"]) is False  # a custom origin


def test_each_setting_object_says_where_it_comes_from(write: Write) -> None:
    setting = _settings(write, "HTTPSPort: 8443\n")["HTTPSPort"]
    assert setting.defaulted is False and setting.resource == "Site"


def test_a_setting_without_its_origin_uses_the_defaults() -> None:
    completion = OriginSetting(field_name="response_completion_timeout", name="ResponseCompletionTimeout", value=29)
    assert in_range(completion) is False  # against CloudFront's default read timeout of 30 s
    assert allowed_range(completion) == "30 or more (at least OriginReadTimeout, 30 s when not written)"
    read = OriginSetting(field_name="read_timeout", name="OriginReadTimeout", value=90)
    assert in_range(read) is False and allowed_range(read) == "1-60"


def test_a_boolean_is_not_a_number(write: Write) -> None:
    assert in_range(OriginSetting(field_name="http_port", name="HTTPPort", value=True)) == Unknown(
        "HTTPPort is not a number")
    unknown = _settings(write, "OriginReadTimeout: !Ref T\nResponseCompletionTimeout: 60\n", "  T: {Type: Number}\n")
    assert in_range(unknown["ResponseCompletionTimeout"]) == Unknown(
        "parameter T has no default (give --param T=...)")


def test_a_setting_the_provider_sends_is_an_object_too(write: Write) -> None:
    dist = distribution(write("p.yaml", cfn_template(cfn_distribution("Site"))))
    assert origin_settings(dist) == []  # nothing written
    (origin,) = dist.origins
    origin.response_completion_timeout = 0  # as the Terraform reader sets the AWS provider's default
    origin.provider_defaults += ("response_completion_timeout",)
    (sent,) = origin_settings(dist)
    assert sent.defaulted is True and value_shown(sent) == "0 (the AWS provider's default when it is not written)"
