"""The examples show what the README promises: five policies on the broken templates, nothing on the correct one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit import api
from tests.helpers import EXAMPLES, RunCli, line_of

CFN = EXAMPLES / "cloudformation"

# (file, policy, text on the offending property's line, where on that line the value starts)
EXPECTED = [
    ("broken-origins.yaml", "PK101", "OriginProtocolPolicy: https-only", "https-only"),  # the first: origin 'site'
    ("broken-origins.yaml", "PK201", "DomainName: !GetAtt Alb.DNSName", "!GetAtt"),
    ("broken-viewer-and-edge.yaml", "PK301", "- shop.example.com", "shop.example.com"),
    ("broken-viewer-and-edge.yaml", "PK401", "LambdaFunctionARN: !GetAtt EdgeAuth.Arn", "!GetAtt"),
    ("broken-viewer-and-edge.yaml", "PK501", "TargetOriginId: Web", "Web"),
]


def position(path: Path, needle: str, value: str) -> tuple[int, int]:
    """(line, column) of `value` on the first line of `path` that contains `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + needle.index(value) + 1
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture(scope="module")
def result() -> api.ScanResult:
    return api.scan([CFN])


@pytest.mark.parametrize(("name", "policy_id", "needle", "value"), EXPECTED, ids=[e[1] for e in EXPECTED])
def test_each_policy_points_at_the_offending_property(result: api.ScanResult, name: str, policy_id: str,
                                                      needle: str, value: str) -> None:
    line, column = position(CFN / name, needle, value)
    hits = [f for f in result.findings if f.policy_id == policy_id and not f.unknown
            and Path(f.location.file).name == name]
    assert [(f.location.line, f.location.column) for f in hits] == [(line, column)]
    assert hits[0].severity.value == "error"
    assert hits[0].distribution == "Distribution"
    assert hits[0].fix  # every finding says how to fix it


def test_correct_example_is_clean(result: api.ScanResult) -> None:
    mine = [f for f in result.findings if f.location.file.endswith("correct.yaml")]
    assert [f for f in mine if not f.unknown] == []
    assert not [f for f in mine if f.policy_id == "PK002"]
    assert not result.errors


def test_cli_scan_of_examples_shows_all_five(run_cli: RunCli) -> None:
    code, out, err = run_cli("scan", "--format", "json", str(CFN))
    assert code == 1, err
    document = json.loads(out)
    ids = {f["policy_id"] for f in document["findings"] if not f["unknown"]}
    assert {"PK101", "PK201", "PK301", "PK401", "PK501"} <= ids
    assert document["summary"]["files"] == 3
    assert document["summary"]["distributions"] == 3


def test_cli_scan_of_correct_example_exits_0(run_cli: RunCli) -> None:
    code, out, _ = run_cli("scan", str(CFN / "correct.yaml"))
    assert code == 0
    assert out.startswith("0 error(s), 0 warning(s), 0 info in 1 file(s), 1 distribution(s)")


SERVERLESS = EXAMPLES / "serverless"


def test_serverless_example_finds_the_match_viewer_s3_website_origin() -> None:
    """The site and Lambda@Edge function of examples/serverless: the distribution the framework makes of the
    `cloudFront` event reaches the S3 website with match-viewer (its default for a URL origin): PK101."""
    service = SERVERLESS / "serverless.yml"
    result = api.scan([SERVERLESS])
    assert not result.errors
    assert result.files == (str(service),)
    assert result.distributions == {str(service): 1}
    errors = [f for f in result.findings if not f.unknown]
    line, column = position(service, "origin: https://", "https://")
    assert [(f.policy_id, f.location.file, f.location.line, f.location.column, f.distribution) for f in errors] == [
        ("PK101", str(service), line, column, "CloudFrontDistribution")]
    assert "match-viewer" in errors[0].message and "RewriteLambdaFunction" in errors[0].message
    # the aliases the included resources file writes with the framework's variables, resolved
    cdn = SERVERLESS / "resources" / "cdn.yml"
    aliases = sorted((f.location.line, f.subject) for f in result.findings if f.policy_id == "PK301")
    assert aliases == [(line_of(cdn, "-blue."), "alias 'shop-blue.example.com'"),
                       (line_of(cdn, "${sls:stage}"), "alias 'shop-dev.example.com'")]
    assert result.notes == (f"{cdn}: skipped, read as part of the Serverless service {service}, which includes it",)


def test_serverless_example_cli(run_cli: RunCli) -> None:
    code, out, _ = run_cli("scan", str(SERVERLESS))
    assert code == 1
    assert out.splitlines()[-1].startswith("1 error(s), 0 warning(s), 0 info in 1 file(s), 1 distribution(s)")
