"""JUnit XML (the Ant/Jenkins dialect every CI server reads): one test case per policy x subject.

A suite per scanned input. A policy that found something has one case per (resource, subject)
it found it on (origin, alias, behavior...):
- it fails (one <failure> per finding, with message and location) when a finding is at or above
  the severity threshold, so the job's verdict and the report agree;
- it passes with the finding in <system-out> when the finding is below the threshold (a
  warning on a green job is not a failed test);
- it is <skipped> with the reason when the finding was suppressed, is in the baseline, or could
  not be checked from the template.
A policy with no finding in an input that declares distributions is one passing case. Cases that
did not run are <skipped> with the reason: every policy in an input without distributions, and
the live policies (PK6xx) when the scan did not use --live.
Strings are XML-escaped by the serializer; control characters (which XML 1.0 cannot carry even
escaped) and line breaks in file names and template values become visible escapes such as `\\x1b` and `\\n`
(policykit/core/printable.py): no line of the document can be forged, or read as a workflow command.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from policykit.findings import Finding, ScanResult, Severity, evidence_text
from policykit.reporters import ReportOptions, safe_line, visible, visible_lines

NOT_APPLICABLE = "not applicable: no CloudFront distribution in this input"
NOT_LIVE = "not run: a live check (run the scan with --live)"


def _case(suite: ET.Element, name: str, classname: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", name=visible(name), classname=visible(classname), time="0")


def _details(finding: Finding) -> str:
    lines = [visible(f"{finding.location}: {finding.severity.value} {finding.policy_id} {finding.message}")]
    if finding.scenario:
        lines.append(visible(f"scenario: {finding.scenario}"))
    lines.extend(visible(f"{key}: {evidence_text(value)}") for key, value in finding.evidence)
    if finding.fix:
        lines.append("fix: " + "\n".join(visible_lines(finding.fix)))  # the policy's own line breaks stay
    return "\n".join(lines)


def _fill_case(case: ET.Element, findings: list[Finding], threshold: Severity) -> tuple[int, int]:
    """Adds failures, output or a skip reason; returns (failures, skipped) for the suite counts."""
    active = [f for f in findings if not f.accepted and not f.unknown]
    failing = [f for f in active if f.severity.at_least(threshold)]
    for finding in failing:
        failure = ET.SubElement(case, "failure", message=visible(f"{finding.policy_id} {finding.message}"),
                                type=finding.severity.value)
        failure.text = _details(finding)
    below = [f for f in active if not f.severity.at_least(threshold)]
    if below:
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"below the {threshold.value} threshold: {_details(f)}" for f in below)
    if active:
        return (1 if failing else 0), 0
    first = findings[0]
    if first.suppressed:
        reason = f"suppressed: {first.suppressed}"
    elif first.accepted:
        reason = "in the baseline (accepted)"
    else:
        reason = f"not checked: {first.message}"
    case.insert(0, ET.Element("skipped", message=visible(reason)))  # <skipped> comes first in a testcase
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


def _name(policy_id: str, resource: str, subject: str) -> str:
    """`PK101 Distribution: origin 'site'`: the policy, the resource and the subject in it."""
    if not subject or subject == resource:
        return f"{policy_id} {resource}".strip()
    return f"{policy_id} {resource}: {subject}" if resource else f"{policy_id} {subject}"


def document(result: ScanResult, options: ReportOptions) -> ET.Element:
    root = ET.Element("testsuites", name="policykit")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    threshold = Severity(options.threshold)
    files = _files(result)
    for file in files:
        suite = ET.SubElement(root, "testsuite", name=visible(file))
        _config_properties(suite, result)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        grouped: dict[tuple[str, str, str], list[Finding]] = {}
        for finding in result.findings:
            if _input_of(finding, files) == file:
                grouped.setdefault((finding.policy_id, finding.resource, finding.subject), []).append(finding)
        applies = bool(grouped) or any(count and (name == file or str(Path(name).parent) == file)
                                       for name, count in result.distributions.items())
        for (policy_id, resource, subject), findings in grouped.items():
            failed, skipped = _fill_case(_case(suite, _name(policy_id, resource, subject), file), findings,
                                         threshold)
            counts["tests"] += 1
            counts["failures"] += failed
            counts["skipped"] += skipped
        fired = {policy_id for policy_id, _, _ in grouped}
        for policy in result.policies:
            if policy.id in fired:
                continue
            case = _case(suite, policy.id, file)
            counts["tests"] += 1
            reason = NOT_APPLICABLE if not applies else NOT_LIVE if policy.live and not result.live else ""
            if reason:
                ET.SubElement(case, "skipped", message=reason)
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for error in result.errors:
        suite = ET.SubElement(root, "testsuite", name=visible(error.file), tests="1", failures="0", errors="1",
                              skipped="0", time="0")
        case = _case(suite, "input", error.file)
        failure = ET.SubElement(case, "error", message=visible(error.message), type="input error")
        failure.text = visible(str(error))  # one line: a file name's line break is escaped
        totals["tests"] += 1
        totals["errors"] += 1
    for key in ("tests", "failures", "errors"):  # the schema has no skipped count on <testsuites>
        root.set(key, str(totals[key]))
    root.set("time", "0")
    return root


def _config_properties(suite: ET.Element, result: ScanResult) -> None:
    """The configuration read and what it changed, as the suite's properties (the one place JUnit has for them)."""
    if result.config is None:
        return
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="policykit.configuration", value=visible(result.config.file))
    ET.SubElement(properties, "property", name="policykit.configuration.named", value=str(result.config.named).lower())
    for change in result.config.changes():
        ET.SubElement(properties, "property", name="policykit.configuration.change", value=visible(change))


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    root = document(result, options)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    # every line safe where it starts, whatever an element's text holds
    stream.write("".join(f"{safe_line(line)}\n" for line in ET.tostring(root, encoding="unicode").split("\n")))
