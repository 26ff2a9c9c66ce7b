"""Origin reachability facts (policykit/facts/reachability.py): a DomainName CloudFront can resolve, S3OriginConfig
on an S3 REST endpoint only, plain HTTP to an origin, and the viewer Host sent to an endpoint that refuses it."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.reachability import (
    domain_name_problem,
    domain_name_valid,
    endpoint_name,
    host_forwarded_to_aws_endpoint,
    host_forwarding_behaviors,
    plaintext_to_origin,
    s3_config_mismatch,
)
from policykit.model.cloudfront import Origin
from tests.facts.helpers import origin
from tests.helpers import Write
from tests.templates import ALL_VIEWER, cfn_distribution, cfn_template

FORWARD_HOST = f"          OriginRequestPolicyId: {ALL_VIEWER}\n"


def _custom(write: Write, domain: str, protocol: str = "https-only", parameters: str = "",
            behavior: str = "") -> Origin:
    text = cfn_template(cfn_distribution("Site", domain, protocol, behavior_extra=behavior), parameters)
    return origin(write(f"c{abs(hash(text))}.yaml", text))


def _s3(write: Write, domain: str, parameters: str = "", behavior: str = "") -> Origin:
    text = cfn_template(cfn_distribution("Site", domain, behavior_extra=behavior), parameters).replace(
        "            CustomOriginConfig:\n              OriginProtocolPolicy: https-only\n",
        "            S3OriginConfig: {}\n")
    return origin(write(f"s{abs(hash(text))}.yaml", text))


@pytest.mark.parametrize(("domain", "problem"), [
    ("origin.example.com", None),
    ("my_bucket.example.com", None),  # `_` as real names use it
    ("'https://origin.example.com'", "it starts with a URL scheme"),
    ("10.0.0.1", "it is an IP address, not a DNS name"),
    ("origin.example.com/app", "it contains a path ('/')"),
    ("origin.example.com:8443", "it contains a port (':port')"),
    ("'origin:example'", "it contains a colon"),
    ("'\"origin.example.com'", "it contains '\"', which no DNS name can hold"),
    ("'origin example.com'", "it contains a space, which no DNS name can hold"),
    ("''", "it is empty"),
    ("'${Domain}.example.com'", "it contains an unsubstituted '${...}' (Fn::Join does not substitute; use Fn::Sub)"),
])
def test_domain_name_problem_of_a_known_name(write: Write, domain: str, problem: str | None) -> None:
    found = _custom(write, domain)
    assert domain_name_problem(found) == problem
    assert domain_name_valid(found) is (problem is None)


@pytest.mark.parametrize(("domain", "problem"), [
    ("!Join ['', ['${Sub}', .example.com]]", "it contains an unsubstituted '${...}' (Fn::Join does not "
                                              "substitute; use Fn::Sub)"),
    ("!Sub 'https://${Name}.example.com'", "it starts with a URL scheme"),
    ("!Sub '${Name}.example.com/app'", "it contains a path ('/')"),
    ("!Sub '${Name}.example.com:443'", "it contains a colon (a port?)"),
    ("!Sub '${Name}.example com'", "it contains a space, which no DNS name can hold"),
])
def test_domain_name_problem_of_a_partly_known_name(write: Write, domain: str, problem: str | None) -> None:
    found = _custom(write, domain, parameters="  Name: {Type: String}\n")
    assert domain_name_problem(found) == problem


def test_a_domain_name_not_known_is_unknown(write: Write) -> None:
    for domain in ("!Ref Name", "!Sub '${Name}.example.com'"):
        found = _custom(write, domain, parameters="  Name: {Type: String}\n")
        assert isinstance(domain_name_problem(found), Unknown) and isinstance(domain_name_valid(found), Unknown)


def test_s3_origin_config_belongs_on_an_s3_rest_endpoint_only(write: Write) -> None:
    assert s3_config_mismatch(_s3(write, "site.s3.us-east-1.amazonaws.com")) is False
    assert s3_config_mismatch(_s3(write, "site.s3-website-us-east-1.amazonaws.com")) is True
    assert s3_config_mismatch(_s3(write, "origin.example.com")) is True
    assert isinstance(s3_config_mismatch(_s3(write, "!Ref Name", "  Name: {Type: String}\n")), Unknown)
    assert s3_config_mismatch(_custom(write, "origin.example.com")) is False  # a custom origin


def test_plaintext_to_origin(write: Write) -> None:
    assert plaintext_to_origin(_custom(write, "origin.example.com", "http-only")) is True
    # match-viewer behind redirect-to-https: viewers always come over HTTPS, and so does CloudFront
    assert plaintext_to_origin(_custom(write, "origin.example.com", "match-viewer")) is False
    assert plaintext_to_origin(_custom(write, "origin.example.com", "https-only")) is False
    assert plaintext_to_origin(_custom(write, "site.s3-website-us-east-1.amazonaws.com", "http-only")) is False
    assert plaintext_to_origin(_s3(write, "site.s3.us-east-1.amazonaws.com")) is False
    name = "  Name: {Type: String}\n"
    assert isinstance(plaintext_to_origin(_custom(write, "!Ref Name", "http-only", name)), Unknown)  # a website?
    assert plaintext_to_origin(_custom(write, "!Ref Name", "https-only", name)) is False
    assert isinstance(plaintext_to_origin(_custom(write, "origin.example.com", "!Ref Name", name)), Unknown)


def test_host_forwarded_to_an_endpoint_that_routes_by_its_own_name(write: Write) -> None:
    website = _custom(write, "site.s3-website-us-east-1.amazonaws.com", "http-only", behavior=FORWARD_HOST)
    assert host_forwarded_to_aws_endpoint(website) is True
    assert host_forwarding_behaviors(website) == list(website.distribution.behaviors)  # type: ignore[union-attr]
    assert host_forwarded_to_aws_endpoint(_custom(write, "abc.execute-api.us-east-1.amazonaws.com",
                                                  behavior=FORWARD_HOST)) is True
    assert host_forwarded_to_aws_endpoint(_custom(write, "origin.example.com", behavior=FORWARD_HOST)) is False
    assert host_forwarded_to_aws_endpoint(_custom(write, "app-1.us-east-1.elb.amazonaws.com",
                                                  behavior=FORWARD_HOST)) is False
    not_forwarded = _custom(write, "site.s3-website-us-east-1.amazonaws.com", "http-only")
    assert host_forwarded_to_aws_endpoint(not_forwarded) is False and host_forwarding_behaviors(not_forwarded) == []
    name = "  Name: {Type: String}\n"
    assert isinstance(host_forwarded_to_aws_endpoint(_custom(write, "!Ref Name", parameters=name,
                                                             behavior=FORWARD_HOST)), Unknown)
    assert host_forwarded_to_aws_endpoint(_s3(write, "!Ref Name", name, behavior=FORWARD_HOST)) is True  # a bucket


@pytest.mark.parametrize(("domain", "words"), [
    ("site.s3.us-east-1.amazonaws.com", "S3 bucket (REST endpoint)"),
    ("site.s3-website-us-east-1.amazonaws.com", "S3 website endpoint"),
    ("abc.execute-api.us-east-1.amazonaws.com", "API Gateway"),
    ("origin.example.com", "custom"),
])
def test_endpoint_name_in_words(write: Write, domain: str, words: str) -> None:
    assert endpoint_name(_custom(write, domain)) == words


def test_endpoint_name_of_an_unknown_domain(write: Write) -> None:
    name = "  Name: {Type: String}\n"
    assert endpoint_name(_custom(write, "!Ref Name", parameters=name)) == "origin"
    assert endpoint_name(_s3(write, "!Ref Name", name)) == "S3 bucket"
