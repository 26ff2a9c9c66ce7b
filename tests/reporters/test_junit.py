"""JUnit XML (policykit/reporters/junit.py): valid against the schema CI servers read, a failure per finding at or
above the threshold, skipped cases with their reason, one suite per Terraform module."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from policykit import api
from policykit.reporters import ReportOptions
from tests.helpers import EXAMPLES, ROOT, RunCli, Write
from tests.reporters.helpers import render
from tests.templates import ALIASED_SITE, FORGING_ALIAS, TF_MODULE, WARNING_ONLY


def _junit_schema() -> Any:
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd"))


def test_junit_warnings_below_the_threshold_are_not_failures(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(WARNING_ONLY, encoding="utf-8")
    report = tmp_path / "junit.xml"
    code, _, err = run_cli("scan", str(site), "--output", f"junit={report}")
    assert code == 0, err
    _junit_schema().validate(str(report))
    root = ET.parse(report).getroot()
    assert root.findall(".//failure") == [] and root.get("failures") == "0"
    [case] = [c for c in root.iter("testcase") if (c.get("name") or "").startswith("PK306")]
    assert "below the error threshold" in (case.findtext("system-out") or "")
    # the same warning fails at --severity-threshold warning, as the exit code does
    code, _, _ = run_cli("scan", str(site), "--severity-threshold", "warning", "--output", f"junit={report}")
    assert code == 1 and len(ET.parse(report).getroot().findall(".//failure")) == 1


def test_junit_live_policies_without_live_are_skipped_with_the_reason(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(WARNING_ONLY, encoding="utf-8")
    root = ET.fromstring(render("junit", api.scan([site])))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    live = [name for name in cases if (name or "").startswith("PK6")]
    assert live and all("--live" in (cases[n].find("skipped").get("message") or "")  # type: ignore[union-attr]
                        for n in live)
    assert cases["PK101"].find("skipped") is None  # an applicable policy without findings passed


def test_junit_with_control_characters_is_well_formed(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(ALIASED_SITE.replace("ALIAS", FORGING_ALIAS), encoding="utf-8")
    code, out, _ = run_cli("scan", str(site), "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)  # well-formed
    _junit_schema().validate(out)
    assert "\x1b" not in out and "\\x1b[2J" in out
    [case] = [c for c in root.iter("testcase") if (c.get("name") or "").startswith("PK301")]
    assert "\n" not in (case.get("name") or "")


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


def test_junit_and_github_skip_baselined_findings(site_with_a_new_finding: Path, run_cli: RunCli) -> None:
    import xml.etree.ElementTree as ET

    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "github")
    annotations = [line for line in out.splitlines() if "PK101" in line]
    assert code == 1 and len(annotations) == 1 and "second" in annotations[0]
    # with only accepted findings, each PK101 case (one per origin) is skipped, not failed
    run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "junit")
    root = ET.fromstring(out)
    cases = {c.get("name"): c for c in root.iter("testcase") if (c.get("name") or "").startswith("PK101")}
    assert set(cases) == {"PK101 Distribution: origin 'site'", "PK101 Distribution: origin 'second'"}
    case = cases["PK101 Distribution: origin 'site'"]
    assert code == 0 and all(c.find("failure") is None for c in cases.values())
    assert "baseline" in (case.find("skipped").get("message") or "")  # type: ignore[union-attr]
