"""junit and github formats, --output FORMAT=FILE repeated, atomic writes, SARIF with suppressions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit.core.location import Location
from policykit.core.output import write_atomic
from policykit.findings import Finding, ScanResult, Severity
from policykit.reporters import ReportOptions
from policykit.reporters.github import escape_data, escape_property
from tests.helpers import EXAMPLES, ROOT, SHARED, RunCli, Write
from tests.templates import BROKEN, FIXED, TF_MODULE, with_resource_metadata


def _junit_schema() -> object:
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd"))


def test_junit_validates_and_has_a_failure_per_finding(tmp_path: Path, run_cli: RunCli) -> None:
    import xml.etree.ElementTree as ET

    schema = _junit_schema()
    report = tmp_path / "junit.xml"
    code, _, _ = run_cli("scan", str(EXAMPLES), "--format", "junit", "--output", str(report))
    assert code == 1
    schema.validate(str(report))  # type: ignore[attr-defined]
    root = ET.parse(report).getroot()
    failures = root.findall(".//testcase/failure")
    assert len(failures) == int(root.get("failures", "0")) >= 5
    pk101 = next(f for f in failures if f.get("message", "").startswith("PK101"))
    assert "broken-origins.yaml:30:37" in (pk101.text or "")
    case_names = {c.get("name") for c in root.iter("testcase")}
    assert "PK101 Distribution: origin 'site'" in case_names  # policy x resource x subject


def test_junit_skips_policies_that_did_not_apply(write: Write) -> None:
    import xml.etree.ElementTree as ET

    from policykit.api import scan
    from policykit.reporters.junit import document

    path = write("bucket.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
                                "  B:\n    Type: AWS::S3::Bucket\n")
    root = document(scan([path]), ReportOptions())
    cases = list(root.iter("testcase"))
    assert cases and all(c.find("skipped") is not None for c in cases)
    assert ET.tostring(root).count(b"<failure") == 0


def test_github_annotations(run_cli: RunCli) -> None:
    code, out, _ = run_cli("scan", str(EXAMPLES / "cloudformation" / "broken-origins.yaml"), "--format", "github")
    assert code == 1
    lines = out.splitlines()
    assert all(line.startswith("::") for line in lines)
    pk101 = next(line for line in lines if "title=PK101" in line)
    assert pk101.startswith("::error file=")
    assert ",line=30,col=37," in pk101
    assert "\n" not in pk101 and "%0AFix: " in pk101


def test_github_escaping_and_severity_commands() -> None:
    from io import StringIO

    from policykit.reporters.github import render

    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    findings = [
        Finding("PK9", "t: with, punctuation", severity, f"{severity.value} message", Location("a,b.yaml", 3, 4))
        for severity in Severity
    ]
    stream = StringIO()
    render(ScanResult(findings=findings), stream, ReportOptions())
    lines = stream.getvalue().splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::notice"]
    assert "file=a%2Cb.yaml,line=3,col=4,title=PK9 t%3A with%2C punctuation::" in lines[0]


def test_output_repeated_feeds_several_formats(tmp_path: Path, run_cli: RunCli) -> None:
    sarif, junit = tmp_path / "out.sarif", tmp_path / "out.xml"
    code, out, _ = run_cli("scan", str(EXAMPLES), "--output", f"sarif={sarif}", "--output", f"junit={junit}",
                           "--output", "text=-")
    assert code == 1
    assert "PK101" in out and "error(s)" in out  # the log
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert junit.read_text(encoding="utf-8").startswith("<?xml")


def test_plain_output_keeps_meaning_the_format_report(tmp_path: Path, run_cli: RunCli) -> None:
    report = tmp_path / "report.json"
    code, out, _ = run_cli("scan", str(EXAMPLES), "--format", "json", "--output", str(report))
    assert code == 1 and out == ""
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["error"] >= 5


def test_two_outputs_to_stdout_is_a_usage_error(run_cli: RunCli) -> None:
    code, _, err = run_cli("scan", str(EXAMPLES), "--output", "text=-", "--output", "json=-")
    assert code == 2
    assert "stdout" in err


def test_atomic_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"

    import os

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, "half")
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]  # temp file cleaned up


def test_sarif_with_suppression_validates(write: Write, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from policykit.api import scan
    from policykit.reporters.sarif import document

    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("shared SARIF schema not present")
    path = write("site.yaml", with_resource_metadata(
        BROKEN, "      policykit:\n        ignore:\n          - id: PK101\n            reason: migrating\n"))
    write("ok.yaml", FIXED)
    result = scan([path, tmp_path / "ok.yaml"])
    doc = document(result, ReportOptions(base_dir=str(tmp_path)))
    jsonschema.validate(doc, json.loads(schema_path.read_text(encoding="utf-8")))
    suppressed = [r for r in doc["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed and suppressed[0]["ruleId"] == "PK101"
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": "migrating"}]


def test_junit_groups_a_terraform_module_into_one_suite(write: Write) -> None:
    pytest.importorskip("policykit.terraform")
    from policykit.api import scan
    from policykit.reporters.junit import document

    path = write("infra/main.tf", TF_MODULE.replace("IGNORE", ""))
    root = document(scan([path.parent]), ReportOptions())
    [suite] = root.findall("testsuite")
    assert suite.get("name") == str(path.parent)
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["PK101 aws_cloudfront_distribution.cdn: origin 'site'"]
    assert not [c for c in suite.iter("testcase") if c.find("skipped") is not None
                and "no CloudFront distribution" in (c.find("skipped").get("message") or "")]  # type: ignore[union-attr]
