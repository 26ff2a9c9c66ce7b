"""Origin facts (policykit/facts/origins.py): what the origin domain is, whether CloudFront speaks HTTPS to it,
which behaviors reach it and whether one forwards the viewer's Host, and the names its certificate must hold."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.origins import (
    assumed_targets,
    aws_generated_host,
    endpoint_kind,
    forwards_host,
    uses_https,
    validated_names,
    viewer_host_is_cloudfront_name,
)
from tests.facts.helpers import origin
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template

ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"


@pytest.mark.parametrize(("domain", "kind"), [
    ("site.s3-website-us-east-1.amazonaws.com", "s3-website"),  # the dash form of older Regions
    ("site.s3-website.eu-west-2.amazonaws.com", "s3-website"),  # the dot form of newer Regions
    ("my.site.s3-website.cn-north-1.amazonaws.com.cn", "s3-website"),
    ("site.s3.us-east-1.amazonaws.com", "s3"),  # the REST endpoint is not the website endpoint
    ("site.s3.amazonaws.com", "s3"),
    ("s3-website-us-east-1.example.com", "custom"),  # the words elsewhere than in an AWS name
    ("app-123.us-east-1.elb.amazonaws.com", "elb"),
    ("ec2-1-2-3-4.compute-1.amazonaws.com", "ec2"),
    ("origin.example.com", "custom"),
])
def test_endpoint_kind_of_a_known_domain(write: Write, domain: str, kind: str) -> None:
    found = origin(write("t.yaml", cfn_template(cfn_distribution("Site", domain))))
    assert endpoint_kind(found) == kind
    assert aws_generated_host(found) is (kind == "elb" or kind == "ec2")


def test_endpoint_kind_of_a_partly_known_domain(write: Write) -> None:
    website = origin(write("a.yaml", cfn_template(cfn_distribution(
        "Site", "!Sub '${Name}.s3-website-us-east-1.amazonaws.com'"), "  Name: {Type: String}\n")))
    assert endpoint_kind(website) == "s3-website"
    unknown = origin(write("b.yaml", cfn_template(cfn_distribution("Site", "!Ref Domain"),
                                                   "  Domain: {Type: String}\n")))
    assert isinstance(endpoint_kind(unknown), Unknown) and isinstance(aws_generated_host(unknown), Unknown)


def test_uses_https_by_origin_protocol_policy(write: Write) -> None:
    def uses(protocol: str, parameters: str = "") -> object:
        return uses_https(origin(write(f"{len(protocol)}.yaml", cfn_template(
            cfn_distribution("Site", protocol=protocol), parameters))))

    assert uses("https-only") is True and uses("match-viewer") is True and uses("http-only") is False
    assert isinstance(uses("!Ref Policy", "  Policy: {Type: String}\n"), Unknown)


def behavior_with(policy: str) -> str:
    return f"          OriginRequestPolicyId: {policy}\n"


def test_all_viewer_forwards_host_and_all_viewer_except_host_header_does_not(write: Write) -> None:
    def host_forwarded(policy: str) -> object:
        return forwards_host(origin(write(f"{policy[:4]}.yaml", cfn_template(cfn_distribution(
            "Site", "app.example.com", config_extra="        Aliases: [www.example.com]\n",
            behavior_extra=behavior_with(policy))))))

    assert host_forwarded(ALL_VIEWER) is True
    assert host_forwarded(ALL_VIEWER_EXCEPT_HOST) is False
    assert host_forwarded("bf0718e1-ba1e-49d1-88b1-f726733018ae") is True  # HostHeaderOnly
    assert host_forwarded("59781a5b-3903-41f3-afcb-af62929ccde1") is False  # CORS-CustomOrigin


def test_validated_names_are_the_domain_or_the_aliases_when_host_is_forwarded(write: Write) -> None:
    def names(policy: str) -> list[object]:
        return validated_names(origin(write(f"{policy[:4]}.yaml", cfn_template(cfn_distribution(
            "Site", "app.example.com", config_extra="        Aliases: [www.example.com, api.example.com]\n",
            behavior_extra=behavior_with(policy))))))

    assert names(ALL_VIEWER) == ["www.example.com", "api.example.com"]
    assert names(ALL_VIEWER_EXCEPT_HOST) == ["app.example.com"]


def test_the_viewer_host_is_the_cloudfront_name_only_without_aliases(write: Write) -> None:
    bare = origin(write("a.yaml", cfn_template(cfn_distribution("Site"))))
    assert viewer_host_is_cloudfront_name(bare) is True
    aliased = origin(write("b.yaml", cfn_template(cfn_distribution(
        "Site", config_extra="        Aliases: [www.example.com]\n"))))
    assert viewer_host_is_cloudfront_name(aliased) is False


def test_uses_https_of_an_s3_origin_and_of_a_policy_not_known(write: Write) -> None:
    custom = "            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n"
    s3 = cfn_template(cfn_distribution("Site", "site.s3.us-east-1.amazonaws.com")).replace(
        custom, "            S3OriginConfig: {}\n")
    assert uses_https(origin(write("s3.yaml", s3))) is False  # CloudFront's own way to S3, not this fact's
    unknown = origin(write("p.yaml", cfn_template(cfn_distribution("Site", protocol="!Ref Policy"),
                                                  "  Policy: {Type: String}\n")))
    assert uses_https(unknown) == Unknown("parameter Policy has no default (give --param Policy=...)")


def test_validated_names_when_only_some_behaviors_forward_host(write: Write) -> None:
    path_behavior = ("        CacheBehaviors:\n          - PathPattern: /static/*\n            TargetOriginId: app\n"
                     "            ViewerProtocolPolicy: https-only\n"
                     "            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6\n")
    found = origin(write("some.yaml", cfn_template(cfn_distribution(
        "Site", "app.example.com", config_extra="        Aliases: [www.example.com]\n" + path_behavior,
        behavior_extra=behavior_with(ALL_VIEWER)))))
    assert validated_names(found) == ["app.example.com", "www.example.com"]  # both are checked


def test_assumed_targets_say_why_a_behavior_is_taken_to_reach_the_origin(write: Write) -> None:
    text = cfn_template(cfn_distribution("Site").replace("TargetOriginId: app", "TargetOriginId: !Ref Target"),
                        "  Target: {Type: String}\n")
    (note,) = assumed_targets(origin(write("assumed.yaml", text)))
    assert note.startswith("the TargetOriginId of the default cache behavior (${Target}) is not known before ")
    assert assumed_targets(origin(write("decided.yaml", cfn_template(cfn_distribution("Site"))))) == []


def test_uses_https_without_a_written_protocol_policy_is_unknown(write: Write) -> None:
    text = cfn_template(cfn_distribution("Site")).replace("              OriginProtocolPolicy: https-only\n",
                                                          "              HTTPSPort: 443\n")
    assert uses_https(origin(write("none.yaml", text))) == Unknown("the origin protocol policy is not known")
