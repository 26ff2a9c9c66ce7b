"""Host names (policykit/facts/hostnames.py): which names a certificate name covers, what kind of endpoint a name is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykit.facts import hostnames
from policykit.facts.hostnames import name_covers
from tests.helpers import ROOT
from tests.templates import cfn_with_origins


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
    """`endpoint_kind` tries a kind's shapes only for a name in its domain: every shape of each kind ends in that
    domain (before an optional `.cn`), so the shortcut changes no answer."""
    for kind, suffix, shapes in hostnames.ENDPOINT_SHAPES:
        for shape in shapes:
            required = [label for label in shape if label.repeat == "one"]
            ending = [label.text for label in required[-suffix.count("."):]]
            assert "." + ".".join(ending) == suffix, kind
    assert hostnames.endpoint_kind("origin.example.com") == "custom"
    assert hostnames.endpoint_kind("my-lb-1.us-east-1.elb.amazonaws.com") == "elb"
    # a Network Load Balancer's name puts the Region after `elb`: as AWS-generated as an Application one's
    assert hostnames.endpoint_kind("my-nlb-0123456789abcdef.elb.eu-west-1.amazonaws.com") == "elb"


# The regular expressions the label shapes replaced: the oracle for short names (on long ones some of them
# backtrack exponentially, which is why they were replaced).
_L = r"[a-z0-9\x00-]+"
_REPLACED = [(kind, suffix, re.compile(pattern)) for kind, suffix, pattern in (
    ("s3-website", ".amazonaws.com",
     rf"^{_L}(\.{_L})*\.s3-website([.-]|(?=\x00)){_L}(\.{_L})?\.amazonaws\.com(\.cn)?$"),
    ("s3", ".amazonaws.com", rf"^{_L}(\.{_L})*\.s3([.-]{_L})*\.amazonaws\.com(\.cn)?$"),
    ("elb", ".amazonaws.com", rf"^{_L}(\.{_L})*\.elb(\.{_L})?\.amazonaws\.com(\.cn)?$"),
    ("ec2", ".amazonaws.com",
     rf"^{_L}(\.{_L})*\.compute(-1)?\.amazonaws\.com(\.cn)?$|^ec2-{_L}(\.{_L})*\.amazonaws\.com$"),
    ("elastic-beanstalk", ".elasticbeanstalk.com", rf"^{_L}(\.{_L})*\.elasticbeanstalk\.com$"),
    ("api-gateway", ".amazonaws.com", rf"^{_L}\.execute-api\.{_L}\.amazonaws\.com(\.cn)?$"),
    ("lambda-url", ".on.aws", rf"^{_L}\.lambda-url\.{_L}\.on\.aws$"),
    ("mediastore", ".amazonaws.com", rf"^{_L}\.data\.mediastore\.{_L}\.amazonaws\.com$"),
    ("mediapackage", ".amazonaws.com", rf"^{_L}(\.{_L})*\.mediapackage\.{_L}\.amazonaws\.com$"),
    ("cloudfront", ".cloudfront.net", rf"^{_L}\.cloudfront\.net$"),
    ("global-accelerator", ".awsglobalaccelerator.com", rf"^{_L}(\.{_L})*\.awsglobalaccelerator\.com$"),
    ("app-runner", ".awsapprunner.com", rf"^{_L}\.{_L}\.awsapprunner\.com$"),
    ("amplify", ".amplifyapp.com", rf"^{_L}(\.{_L})*\.amplifyapp\.com$"),
    ("opensearch", ".amazonaws.com", rf"^{_L}(\.{_L})*\.es\.amazonaws\.com(\.cn)?$"),
)]
_PIECES = ["a", "b1", "-", "\x00", "s3", "s3-", "s3-website", "s3-website-", "us-east-1", "elb", "compute",
           "compute-1", "ec2-", "execute-api", "lambda-url", "data", "mediastore", "mediapackage", "cloudfront",
           "awsglobalaccelerator", "awsapprunner", "amplifyapp", "es", "elasticbeanstalk", "amazonaws", "A", " "]
_DOMAINS = ["", ".amazonaws.com", ".amazonaws.com.cn", ".on.aws", ".cloudfront.net", ".elasticbeanstalk.com",
            ".awsglobalaccelerator.com", ".awsapprunner.com", ".amplifyapp.com", ".amazonaws.com\n", ".amazonaws.co"]


def _replaced_kind(name: str) -> str:
    return next((kind for kind, suffix, pattern in _REPLACED if suffix in name and pattern.match(name)), "")


@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from([".", ".", "", "-"])), min_size=1, max_size=6),
       st.sampled_from(_DOMAINS))
@settings(max_examples=800, derandomize=True, database=None, deadline=None)
def test_the_label_shapes_answer_as_the_patterns_they_replaced(pieces: list[tuple[str, str]], domain: str) -> None:
    name = "".join(piece + separator for piece, separator in pieces).strip(".")[:30] + domain
    assert hostnames.kind_of_aws_name(name) == _replaced_kind(name), repr(name)


@pytest.mark.parametrize(("name", "kind"), [
    ("b.data.mediastore.us-east-1.amazonaws.com", "mediastore"),
    ("bucket.s3-website-us-east-1.amazonaws.com", "s3-website"),
    ("bucket.s3-website.eu-central-1.amazonaws.com", "s3-website"),
    ("bucket.s3-website\x00.amazonaws.com", "s3-website"),  # GetAtt WebsiteURL: the Region and its separator
    ("bucket.s3.dualstack.eu-west-1.amazonaws.com.cn", "s3"),
    ("ec2-1-2-3-4.compute-1.amazonaws.com", "ec2"),
    ("ec2-1-2-3-4.eu-west-1.compute.amazonaws.com", "ec2"),
    ("x.s3-.amazonaws.com", ""),
    ("x..s3.amazonaws.com", ""),
])
def test_endpoint_shapes(name: str, kind: str) -> None:
    assert hostnames.kind_of_aws_name(name) == _replaced_kind(name) == kind


def _adversarial(kind: str, suffix: str, length: int) -> list[str]:
    """Names of about `length` characters built to make a backtracking matcher try every way to split them: runs
    of the characters and labels the kind's shapes repeat, ended so that no shape fits, or one fits at the end."""
    out = []
    for unit in ("-a", "a.", "\x00-", "s3-", "s3.", f"{kind}."):
        body = unit * (length // len(unit))
        for start in ("a.", "a.s3", "ec2-"):
            out.extend(start + body + end for end in (suffix[:-1], suffix + "!", suffix))
    return out


def test_no_endpoint_shape_backtracks_on_long_names() -> None:
    """Each shape against 10,000-character adversarial names, within a bound even a loaded machine meets (the
    patterns they replaced took > 30 s on a 67-character one, doubling with every `-a`)."""
    started, tried = time.perf_counter(), 0
    for kind, suffix, shapes in hostnames.ENDPOINT_SHAPES:
        for name in _adversarial(kind, suffix, 10_000):
            assert len(name) >= 10_000
            labels = name.split(".")
            for shape in shapes:
                hostnames.fits(labels, shape)
                tried += 1
    elapsed = time.perf_counter() - started
    assert elapsed < 60, f"{tried} matches took {elapsed:.1f} s"


def test_a_plain_scan_of_a_backtracking_name_is_quick(tmp_path: Path) -> None:
    """The 67-character valid origin name under which the S3 pattern backtracked exponentially (> 30 s), in a
    235-byte template, scanned with no flags and no configuration."""
    name = "a.s3" + "-a" * 25 + ".amazonaws.co"
    assert len(name) == 67
    template = tmp_path / "t.yaml"
    template.write_text(cfn_with_origins([{"id": "o", "domain": name, "port": 443}]), encoding="utf-8")
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "policykit", "scan", "--no-config", str(template)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode in (0, 1), done.stderr
    assert time.perf_counter() - started < 20


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
