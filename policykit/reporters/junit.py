"""JUnit XML (the Ant/Jenkins dialect every CI server reads): one test case per policy x resource.

A suite per scanned input. A case fails when the policy found something on that resource
(one <failure> per finding, with message and location); suppressed and baselined findings and
"not checked" results are <skipped> with the reason; a policy with no finding in a file that
declares distributions is one passing case; in a file without distributions every policy is
skipped, because it did not apply.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from policykit.findings import Finding, ScanResult, evidence_text
from policykit.reporters import ReportOptions


def _case(suite: ET.Element, name: str, classname: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", name=name, classname=classname, time="0")


def _failure_text(finding: Finding) -> str:
    lines = [f"{finding.location}: {finding.severity.value} {finding.policy_id} {finding.message}"]
    if finding.scenario:
        lines.append(f"scenario: {finding.scenario}")
    lines.extend(f"{key}: {evidence_text(value)}" for key, value in finding.evidence)
    if finding.fix:
        lines.append(f"fix: {finding.fix}")
    return "\n".join(lines)


def _fill_case(case: ET.Element, findings: list[Finding]) -> tuple[int, int]:
    """Adds failures or a skip reason; returns (failures, skipped) for the suite counts."""
    active = [f for f in findings if not f.accepted and not f.unknown]
    if active:
        for finding in active:
            failure = ET.SubElement(case, "failure", message=f"{finding.policy_id} {finding.message}",
                                    type=finding.severity.value)
            failure.text = _failure_text(finding)
        return 1, 0
    first = findings[0]
    if first.suppressed:
        reason = f"suppressed: {first.suppressed}"
    elif first.accepted:
        reason = "in the baseline (accepted)"
    else:
        reason = f"not checked: {first.message}"
    ET.SubElement(case, "skipped", message=reason)
    return 0, 1


def _files(result: ScanResult) -> list[str]:
    files = list(result.files)
    for finding in result.findings:
        if _input_of(finding, files) is None:
            files.append(finding.location.file)
    return files


def _input_of(finding: Finding, inputs: list[str]) -> str | None:
    """The scanned input a finding belongs to: its file, or the Terraform module directory holding it."""
    file = finding.location.file
    if file in inputs:
        return file
    parent = str(Path(file).parent)
    return parent if parent in inputs else None


def document(result: ScanResult, options: ReportOptions) -> ET.Element:
    root = ET.Element("testsuites", name="policykit")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    policy_ids = [p.id for p in result.policies]
    files = _files(result)
    for file in files:
        suite = ET.SubElement(root, "testsuite", name=file)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        grouped: dict[tuple[str, str], list[Finding]] = {}
        for finding in result.findings:
            if _input_of(finding, files) == file:
                grouped.setdefault((finding.policy_id, finding.resource), []).append(finding)
        applies = bool(grouped) or any(count and (name == file or str(Path(name).parent) == file)
                                       for name, count in result.distributions.items())
        for (policy_id, resource), findings in grouped.items():
            failed, skipped = _fill_case(_case(suite, f"{policy_id} {resource}".strip(), file), findings)
            counts["tests"] += 1
            counts["failures"] += failed
            counts["skipped"] += skipped
        fired = {policy_id for policy_id, _ in grouped}
        for policy_id in policy_ids:
            if policy_id in fired:
                continue
            case = _case(suite, policy_id, file)
            counts["tests"] += 1
            if not applies:
                ET.SubElement(case, "skipped", message="no CloudFront distribution in this input")
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for error in result.errors:
        suite = ET.SubElement(root, "testsuite", name=error.file, tests="1", failures="0", errors="1",
                              skipped="0", time="0")
        case = _case(suite, "input", error.file)
        failure = ET.SubElement(case, "error", message=error.message, type="input error")
        failure.text = str(error)
        totals["tests"] += 1
        totals["errors"] += 1
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals[key]))
    root.set("time", "0")
    return root


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    root = document(result, options)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
