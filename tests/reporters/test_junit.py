"""JUnit XML (policykit/reporters/junit.py): valid against the schema CI servers read, one case per policy per
input with its findings at or above the threshold as one failure, cases only for policies that applied, measured
times, skipped cases with their reason, one suite per Terraform module."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from policykit import api
from policykit.reporters import ReportOptions
from tests.helpers import EXAMPLES, ROOT, RunCli, Write
from tests.reporters.helpers import render
from tests.templates import ALIASED_SITE, FORGING_ALIAS, TF_MODULE, WARNING_ONLY, cfn_distribution, cfn_template


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


def test_junit_live_policies_without_live_are_not_cases_and_the_suite_says_why(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(WARNING_ONLY, encoding="utf-8")
    root = ET.fromstring(render("junit", api.scan([site])))
    _junit_schema().validate(ET.tostring(root, encoding="unicode"))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert not [name for name in cases if (name or "").startswith("PK6")]  # they did not apply: no case
    [suite] = root.findall("testsuite")
    said = suite.findtext("system-out") or ""
    assert "--live" in said and "PK601" in said  # ... and the suite says which were not run, and why
    pk101 = next(c for name, c in cases.items() if (name or "").startswith("PK101 "))
    assert pk101.find("skipped") is None and pk101.find("failure") is None  # an applicable policy passed


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
    assert "origin 'site'" in (pk101.get("message") or "")  # the case is the policy; its failure names the subject
    for suite in root.findall("testsuite"):
        names = [c.get("name") for c in suite.iter("testcase")]
        assert len(names) == len(set(names)), suite.get("name")  # one case per policy per input


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
    assert [c.get("name") for c in failed] == ["PK101 S3 website endpoint reached over HTTPS"]
    [failure] = failed[0].findall("failure")
    assert "aws_cloudfront_distribution.cdn" in (failure.text or "") and "origin 'site'" in (failure.text or "")
    assert not [c for c in suite.iter("testcase") if c.find("skipped") is not None
                and "no CloudFront distribution" in (c.find("skipped").get("message") or "")]  # type: ignore[union-attr]


def test_junit_and_github_skip_baselined_findings(site_with_a_new_finding: Path, run_cli: RunCli) -> None:
    import xml.etree.ElementTree as ET

    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "github")
    annotations = [line for line in out.splitlines() if "PK101" in line]
    assert code == 1 and len(annotations) == 1 and "second" in annotations[0]
    # with only accepted findings, the PK101 case (both origins) is skipped, not failed, and lists them
    run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "junit")
    root = ET.fromstring(out)
    [case] = [c for c in root.iter("testcase") if (c.get("name") or "").startswith("PK101")]
    assert code == 0 and case.find("failure") is None
    assert "baseline" in (case.find("skipped").get("message") or "")  # type: ignore[union-attr]
    listed = case.findtext("system-out") or ""
    assert "origin 'site'" in listed and "origin 'second'" in listed


def _case(root: ET.Element, prefix: str) -> ET.Element:
    [case] = [c for c in root.iter("testcase") if (c.get("name") or "").startswith(prefix + " ")]
    return case


def test_junit_is_one_case_per_policy_per_file_with_its_findings_as_one_failure(write: Write) -> None:
    """Three origins that are S3 website endpoints reached over HTTPS: one PK101 case, one failure naming all
    three; and the report counts cases per policy, not per policy and subject (`tests="403"` for 6 files)."""
    origins = "".join(f"          - Id: site{n}\n            DomainName: b{n}.s3-website-us-east-1.amazonaws.com\n"
                      f"            CustomOriginConfig: {{OriginProtocolPolicy: https-only}}\n" for n in range(3))
    template = cfn_template(cfn_distribution(origin_extra="", config_extra="").replace(
        "        Origins:\n", "        Origins:\n" + origins))
    result = api.scan([write("site.yaml", template)])
    root = ET.fromstring(render("junit", result))
    _junit_schema().validate(ET.tostring(root, encoding="unicode"))
    case = _case(root, "PK101")
    [failure] = case.findall("failure")
    assert all(f"origin 'site{n}'" in (failure.text or "") for n in range(3))
    assert "3 findings" in (failure.get("message") or "")
    assert root.get("failures") == str(len(root.findall(".//failure")))
    [suite] = root.findall("testsuite")
    applied = {r.policy_id for r in result.policy_runs if r.objects}
    fired = {f.policy_id for f in result.findings}
    assert int(suite.get("tests") or 0) == len(applied | fired) < len(result.policies)


def test_junit_passing_cases_only_for_policies_that_applied(write: Write) -> None:
    plain = api.scan([write("plain.yaml", cfn_template(cfn_distribution()))])
    root = ET.fromstring(render("junit", plain))
    names = [c.get("name") or "" for c in root.iter("testcase")]
    assert any(n.startswith("PK201 ") for n in names)  # every distribution has an origin: PK201 applied
    assert not any(n.startswith(("PK401 ", "PK405 ", "PK502 ")) for n in names)  # no Lambda@Edge, no origin group
    assert all(c.find("failure") is None and c.find("skipped") is None for c in root.iter("testcase"))
    edge = cfn_distribution(behavior_extra="          LambdaFunctionAssociations:\n"
                                           "            - EventType: origin-request\n"
                                           "              LambdaFunctionARN: arn:aws:lambda:us-east-1:111122223333:"
                                           "function:edge:3\n")
    root = ET.fromstring(render("junit", api.scan([write("edge.yaml", cfn_template(edge))])))
    case = _case(root, "PK401")  # now there is an association to check: it passes
    assert case.find("failure") is None and case.find("skipped") is None


def test_junit_times_are_measured(tmp_path: Path) -> None:
    result = api.scan([EXAMPLES / "cloudformation"])
    root = ET.fromstring(render("junit", result))
    _junit_schema().validate(ET.tostring(root, encoding="unicode"))
    suites = root.findall("testsuite")
    assert suites and all(float(s.get("time") or "-1") > 0 for s in suites if s.findall("testcase"))
    for suite in suites:
        cases = [float(c.get("time") or "-1") for c in suite.iter("testcase")]
        assert all(t >= 0 for t in cases) and sum(cases) <= float(suite.get("time") or 0)
    assert any(float(c.get("time") or 0) > 0 for c in root.iter("testcase"))
    assert float(root.get("time") or 0) == pytest.approx(sum(float(s.get("time") or 0) for s in suites), abs=1e-5)


def test_junit_not_checked_everywhere_is_skipped_and_somewhere_passes_with_a_note(write: Write) -> None:
    from tests.templates import cfn_with_origins

    unknown = "Parameters:\n  Domain: {Type: String}\n" + cfn_with_origins(
        [{"id": "a", "domain": "!Ref Domain", "port": 443}])
    root = ET.fromstring(render("junit", api.scan([write("unknown.yaml", unknown)])))
    skipped = _case(root, "PK103").find("skipped")
    assert skipped is not None and "not checked" in (skipped.get("message") or "")
    mixed = "Parameters:\n  Domain: {Type: String}\n" + cfn_with_origins(
        [{"id": "a", "domain": "!Ref Domain", "port": 443}, {"id": "b", "domain": "b.example.com", "port": 443}])
    case = _case(ET.fromstring(render("junit", api.scan([write("mixed.yaml", mixed)]))), "PK103")
    assert case.find("skipped") is None and "not checked" in (case.findtext("system-out") or "")


def test_junit_of_a_probe_is_one_suite_for_the_target() -> None:
    """`policykit probe` findings have no file: their suite and locations are the probed target."""
    from policykit.core.location import Location
    from policykit.findings import Finding, PolicyInfo, PolicyRun, ScanResult, Severity

    target = "origin.example.com:443"
    finding = Finding(policy_id="PK601", title="Origin name does not resolve", severity=Severity.ERROR,
                      message="origin.example.com does not resolve", location=Location(""), resource=target)
    result = ScanResult(findings=(finding,), live=True,
                        policies=(PolicyInfo("PK601", "DNS", Severity.ERROR, applies_to="live_origin"),
                                  PolicyInfo("PK602", "TCP", Severity.ERROR, applies_to="live_origin")),
                        policy_runs=(PolicyRun("PK601", target, 1, 0.002), PolicyRun("PK602", target, 1, 0.001)),
                        input_seconds={target: 0.5})
    root = ET.fromstring(render("junit", result))
    _junit_schema().validate(ET.tostring(root, encoding="unicode"))
    [suite] = root.findall("testsuite")
    assert suite.get("name") == target and suite.get("tests") == "2" and suite.get("time") == "0.500000"
    failure = _case(root, "PK601").find("failure")
    assert failure is not None and (failure.text or "").startswith(f"{target}: error PK601")
    assert _case(root, "PK602").find("failure") is None
