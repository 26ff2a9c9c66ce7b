"""Host names (policykit/facts/hostnames.py): which names a certificate name covers, what kind of endpoint a name is."""

from __future__ import annotations

import re

import pytest

from policykit.facts import hostnames
from policykit.facts.hostnames import name_covers


@pytest.mark.parametrize(("pattern", "host", "covered"), [
    ("www.example.com", "www.example.com", True),
    ("*.example.com", "ws.example.com", True),
    ("*.example.com", "example.com", False),
    ("*.example.com", "a.b.example.com", False),
    ("www.example.com", "ws.example.com", False),
])
def test_certificate_name_coverage(pattern: str, host: str, covered: bool) -> None:
    assert name_covers(pattern, host) is covered


def test_each_endpoint_pattern_is_tried_only_in_its_domain() -> None:
    """`endpoint_kind` tries (and compiles) a pattern only for a name in its domain: every alternative of each
    pattern ends in that domain, so the shortcut changes no answer."""
    for kind, suffix, pattern in hostnames.ENDPOINT_PATTERNS:
        for alternative in pattern().pattern.split("|^"):  # the top-level alternatives
            assert re.escape(suffix) in alternative, kind
    assert hostnames.endpoint_kind("origin.example.com") == "custom"
    assert hostnames.endpoint_kind("my-lb-1.us-east-1.elb.amazonaws.com") == "elb"


@pytest.mark.parametrize(("name", "kind"), [
    ("site.s3-website-us-east-1.amazonaws.com", "s3-website"),
    ("site.s3-website.eu-west-2.amazonaws.com", "s3-website"),
    ("bucket.s3.amazonaws.com", "s3"),
    ("bucket.s3.eu-west-1.amazonaws.com", "s3"),
    ("bucket.s3-eu-west-1.amazonaws.com", "s3"),
    ("internal-app-1.eu-west-1.elb.amazonaws.com", "elb"),
    ("ec2-1-2-3-4.compute-1.amazonaws.com", "ec2"),
    ("ec2-1-2-3-4.eu-west-1.compute.amazonaws.com", "ec2"),
    ("env.eu-west-1.elasticbeanstalk.com", "elastic-beanstalk"),
    ("abc123.execute-api.us-east-1.amazonaws.com", "api-gateway"),
    ("abc.lambda-url.us-east-1.on.aws", "lambda-url"),
    ("abc.data.mediastore.us-east-1.amazonaws.com", "mediastore"),
    ("d111111abcdef8.cloudfront.net", "cloudfront"),
    ("a1234.awsglobalaccelerator.com", "global-accelerator"),
    ("abc.us-east-1.awsapprunner.com", "app-runner"),
    ("main.d1.amplifyapp.com", "amplify"),
    ("search-d.eu-west-1.es.amazonaws.com", "opensearch"),
    ("10.0.0.1", "ip"), ("[2001:db8::1]", "ip"),
    ("Origin.Example.com ", "custom"),  # compared in lower case, without the spaces around
    ("s3.amazonaws.com.example.com", "custom"),
])
def test_endpoint_kind_of_known_names(name: str, kind: str) -> None:
    assert hostnames.endpoint_kind(name) == kind


def test_endpoint_kind_of_partly_known_names() -> None:
    from policykit.core.values import Partial, Unknown

    bucket, region = Unknown("the bucket"), Unknown("the Region")
    assert hostnames.endpoint_kind(Partial((bucket, ".s3-website-", region, ".amazonaws.com"))) == "s3-website"
    assert hostnames.endpoint_kind(Partial((bucket, ".s3-website", region, ".amazonaws.com"))) == "s3-website"
    assert hostnames.endpoint_kind(Partial((bucket, ".example.com"))) == "custom"  # its end is known
    assert hostnames.endpoint_kind(Partial(("www.", bucket))) == Unknown("the bucket")  # its end is not
    assert hostnames.endpoint_kind(Partial(("www.example.", bucket))) == Unknown("the bucket")
    assert hostnames.endpoint_kind(bucket) == Unknown("the bucket")
    assert hostnames.endpoint_kind(None) == Unknown("the origin domain is not known")
    assert hostnames.endpoint_kind("a" * 2000 + ".s3.amazonaws.com") == "custom"  # longer than any AWS name


def test_covered_by_any_known_certificate_name() -> None:
    from policykit.core.values import Unknown

    name = Unknown("a SAN only known at deployment")
    assert hostnames.covered("www.example.com", ["example.com", "*.example.com"]) is True
    assert hostnames.covered("www.example.com", ["example.com", None]) is False
    assert hostnames.covered("www.example.com", [name, "www.example.com"]) is True  # a known name decides
    assert hostnames.covered("www.example.com", ["example.com", name]) == name
    assert hostnames.covered(Unknown("the alias"), ["www.example.com"]) == Unknown("the alias")
    assert hostnames.name_covers("*.Example.com.", "WWW.example.com") is True  # case and the root dot
    assert hostnames.name_covers("*.example.com", ".example.com") is False  # an empty label is not one


def test_where_the_unknown_piece_of_a_name_stands() -> None:
    from policykit.core.values import Partial, Unknown

    piece = Unknown("a piece")
    assert hostnames.endpoint_kind(Partial(("www.example.", piece, "com"))) == piece  # inside the last label
    assert hostnames.endpoint_kind(Partial(("www.", piece, ".com"))) == "custom"  # a middle label
    assert hostnames.endpoint_kind(Partial(("a.b.", piece, "x.com"))) == "custom"
    suffix = ".s3.amazonaws.com"
    assert hostnames.endpoint_kind("a" * (1024 - len(suffix)) + suffix) == "s3"  # 1,024 characters: still tried
    assert hostnames.endpoint_kind("a" * (1025 - len(suffix)) + suffix) == "custom"


def test_coverage_edge_cases() -> None:
    from policykit.core.values import Unknown

    assert hostnames.name_covers("*.example.com", "www.example.com.") is True  # the root dot of the host
    assert hostnames.name_covers("*.example.com", "localhost") is False  # no dot at all
    assert hostnames.covered(5, ["www.example.com"]) == Unknown("the name is not known")
    assert hostnames.covered("www.example.com", [5]) == Unknown("a certificate name is not known")


def test_an_ip_address_may_be_written_in_brackets_only() -> None:
    assert hostnames.is_ip_address("[2001:db8::1]") and hostnames.is_ip_address("10.0.0.1")
    assert not hostnames.is_ip_address("X10.0.0.1X") and not hostnames.is_ip_address("10.0.0.1.example.com")
