"""Reporters: the JSON document's shape, SARIF valid against the SARIF 2.1.0 schema, and text output."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from policykit import api
from policykit.findings import ScanResult
from policykit.reporters import ReportOptions, get
from tests.helpers import EXAMPLES, SHARED, RunCli, Write, requires_shared

CFN = EXAMPLES / "cloudformation"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
FINDING_KEYS = {"policy_id", "severity", "message", "file", "line", "column", "resource", "distribution"}
NOT_A_TEMPLATE = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
INVALID = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n"


@pytest.fixture
def mixed(write: Write) -> list[Path]:
    """The broken examples, a file that is not a template, and one that cannot be read."""
    return [CFN / "broken-origins.yaml", CFN / "broken-viewer-and-edge.yaml",
            write("k8s/configmap.yaml", NOT_A_TEMPLATE), write("bad/invalid.yaml", INVALID)]


def render(name: str, result: ScanResult, **options: Any) -> str:
    stream = io.StringIO()
    get(name)(result, stream, ReportOptions(**options))
    return stream.getvalue()


def test_json_document_shape(mixed: list[Path]) -> None:
    document = json.loads(render("json", api.scan(mixed)))
    assert {"findings", "summary", "errors"} <= set(document)
    known = [f for f in document["findings"] if not f["unknown"]]
    assert {f["policy_id"] for f in known} >= {"PK101", "PK201", "PK301", "PK401", "PK501"}
    for finding in document["findings"]:
        assert set(finding) >= FINDING_KEYS
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["line"], int) and finding["line"] > 0
        assert isinstance(finding["column"], int) and finding["column"] > 0
    pk501 = next(f for f in known if f["policy_id"] == "PK501")
    assert pk501["file"].endswith("broken-viewer-and-edge.yaml")
    assert (pk501["resource"], pk501["distribution"]) == ("Distribution", "Distribution")
    summary = document["summary"]
    assert summary["files"] == 2
    assert summary["distributions"] == 2
    assert summary["skipped"] == 1
    assert summary["error"] >= 5
    assert summary["findings"]["error"] == summary["error"]
    assert set(summary["findings"]) == {"error", "warning", "info"}
    [error] = document["errors"]
    assert error["file"].endswith("invalid.yaml")
    assert error["line"] == 4
    assert error["message"].startswith("invalid YAML")


def test_json_via_cli_is_exit_2_with_errors_on_stderr(run_cli: RunCli, mixed: list[Path]) -> None:
    code, out, err = run_cli("scan", "--format", "json", *map(str, mixed))
    assert code == 2
    assert json.loads(out)["summary"]["input_errors"] == 1
    assert "invalid.yaml:4" in err


def _sarif_validator() -> Any:
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)  # the draft the schema declares (draft-04)
    validator_class.check_schema(schema)
    return validator_class(schema)


@requires_shared
@pytest.mark.parametrize("show_unknown", [False, True])
def test_sarif_validates_against_the_schema(mixed: list[Path], show_unknown: bool) -> None:
    document = json.loads(render("sarif", api.scan(mixed), show_unknown=show_unknown))
    errors = sorted(_sarif_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert run["invocations"][0]["executionSuccessful"] is False  # the invalid file


@requires_shared
def test_sarif_validator_rejects_a_broken_document() -> None:
    """The schema check can fail: a result without a message is not SARIF."""
    document = json.loads(render("sarif", api.scan([CFN / "broken-origins.yaml"])))
    assert not list(_sarif_validator().iter_errors(document))
    del document["runs"][0]["results"][0]["message"]
    assert list(_sarif_validator().iter_errors(document))


def test_sarif_points_at_the_property() -> None:
    document = json.loads(render("sarif", api.scan([CFN / "broken-origins.yaml"]), base_dir=str(CFN)))
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    location = results["PK201"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "broken-origins.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 33, "startColumn": 25}
    assert results["PK201"]["level"] == "error"


def test_text_report(mixed: list[Path]) -> None:
    out = render("text", api.scan(mixed))
    assert "\033[" not in out
    lines = out.splitlines()
    assert any("invalid.yaml:4:1: invalid YAML" in line and line.endswith("(input error)") for line in lines)
    first = next(line for line in lines if " PK201 " in line)
    assert first.startswith(f"{CFN / 'broken-origins.yaml'}:33:25: error PK201 origin 'api' of distribution")
    assert any(line.startswith("    fix: ") for line in lines)
    assert "1 file(s) skipped (not templates: " in lines[-1] and "configmap.yaml)" in lines[-1]
    assert "1 input error(s)" in lines[-1]


def test_text_report_colour_only_when_asked() -> None:
    result = api.scan([CFN / "broken-origins.yaml"])
    assert "\033[31m" in render("text", result, color=True)
    assert "\033[" not in render("text", result, color=False)


def test_text_hides_unknowns_unless_asked(write: Write) -> None:
    template = write("unknown.yaml", UNKNOWN_ORIGIN)
    result = api.scan([template])
    assert any(f.unknown and f.policy_id == "PK201" for f in result.findings)
    assert "not checked" not in render("text", result)
    assert "PK201 HTTPS to an AWS-generated origin name no certificate can cover: not checked for origin 'web'" in (
        render("text", result, show_unknown=True))


UNKNOWN_ORIGIN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Origin: {Type: String}
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - {Id: web, DomainName: !Ref Origin, CustomOriginConfig: {OriginProtocolPolicy: https-only}}
        DefaultCacheBehavior: {TargetOriginId: web, ViewerProtocolPolicy: redirect-to-https}
"""
