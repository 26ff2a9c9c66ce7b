"""JUnit XML (the Ant/Jenkins dialect every CI server reads): one test case per policy per scanned input.

A suite per input (a file, a Terraform module, a probed target), timed from reading it to its findings. In it,
one case per policy that applied there (it had objects of its kind to check) or found something, timed by the
policy's own evaluation:
- it fails, with one <failure> listing every finding at or above the severity threshold (so the job's verdict
  and the report agree, and a dashboard counts a policy once, however many origins it fired on);
- it passes when it found nothing, or only findings below the threshold (listed in <system-out>: a warning on
  a green job is not a failed test) or "not checked" notes about some of its objects;
- it is <skipped> with the reason when all it found was suppressed or in the baseline, or when it could not
  check any of its objects from the template.
Policies that did not apply (no Lambda@Edge association to check, live policies without --live) have no case:
the suite's <system-out> says which were not run and why. An input without anything to check is one skipped case.
Strings are XML-escaped by the serializer; control characters (which XML 1.0 cannot carry even escaped) and line
breaks in file names and template values become visible escapes such as `\\x1b` and `\\n`
(policykit/core/printable.py): no line of the document can be forged, or read as a workflow command.
The configuration read, and what it changed, is each suite's <properties>.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TextIO

from policykit.core.record import record
from policykit.findings import Finding, PolicyRun, ScanResult, Severity, evidence_text
from policykit.reporters import ReportOptions, safe_line, visible, visible_lines

NOT_APPLICABLE = "not applicable: no CloudFront distribution in this input"
NONE_APPLIED = "no selected policy applies to what this input declares"
NOT_LIVE = "not run: {count} live check(s) (run the scan with --live)"


@record(frozen=False)
class _Counts:
    tests: int = 0
    failures: int = 0
    errors: int = 0
    skipped: int = 0
    seconds: float = 0.0

    def add(self, other: _Counts) -> None:
        self.tests += other.tests
        self.failures += other.failures
        self.errors += other.errors
        self.skipped += other.skipped
        self.seconds += other.seconds


def _seconds(value: float) -> str:
    """A time as JUnit readers parse it: seconds with a decimal point, never negative or in exponent form."""
    return f"{max(value, 0.0):.6f}"




def _details(finding: Finding) -> str:
    where = str(finding.location) if finding.location.file else finding.resource  # a probe's: its target
    lines = [visible(f"{where}: {finding.severity.value} {finding.policy_id} {finding.message}")]
    if finding.scenario:
        lines.append(visible(f"scenario: {finding.scenario}"))
    lines.extend(visible(f"{key}: {evidence_text(value)}") for key, value in finding.evidence)
    if finding.fix:
        lines.append("fix: " + "\n".join(visible_lines(finding.fix)))  # the policy's own line breaks stay
    return "\n".join(lines)


def _accepted_reason(finding: Finding) -> str:
    return f"suppressed: {finding.suppressed}" if finding.suppressed else "in the baseline (accepted)"


def _fill_case(case: ET.Element, findings: list[Finding], threshold: Severity, objects: int) -> _Counts:
    """One policy's findings on one input, as a failure, output or a skip reason; the counts for the suite."""
    active = [f for f in findings if not f.accepted and not f.unknown]
    failing = [f for f in active if f.severity.at_least(threshold)]
    below = [f for f in active if not f.severity.at_least(threshold)]
    accepted = [f for f in findings if f.accepted and not f.unknown]
    unknown = [f for f in findings if f.unknown and not f.accepted]
    out: list[str] = []
    counts = _Counts(tests=1)
    if failing:
        worst = max(failing, key=lambda f: f.severity.rank)
        headline = failing[0].message if len(failing) == 1 else (
            f"{len(failing)} findings: " + "; ".join(f.subject or f.resource or str(f.location) for f in failing))
        failure = ET.SubElement(case, "failure", message=visible(f"{failing[0].policy_id} {headline}"),
                                type=worst.severity.value)
        failure.text = "\n\n".join(_details(f) for f in failing)
        counts.failures = 1
    out.extend(f"below the {threshold.value} threshold: {_details(f)}" for f in below)
    out.extend(f"{_accepted_reason(f)}: {_details(f)}" for f in accepted)
    out.extend(visible(f"not checked: {f.location if f.location.file else f.resource}: {f.message}")
               for f in unknown)
    undecided = len({(f.resource, f.subject) for f in unknown})
    if not failing and not below:
        reason = ""
        if accepted:
            reasons = list(dict.fromkeys(_accepted_reason(f) for f in accepted))
            reason = "; ".join(reasons) if len(reasons) <= 3 else f"{'; '.join(reasons[:3])} (and more)"
        elif unknown and undecided >= objects:
            reason = f"not checked: {unknown[0].message}" + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1
                                                             else "")
        if reason:
            case.insert(0, ET.Element("skipped", message=visible(reason)))  # <skipped> comes first in a testcase
            counts.skipped = 1
    if out:
        ET.SubElement(case, "system-out").text = "\n".join(out)
    return counts


def _input_of(finding: Finding, inputs: list[str]) -> str:
    """The scanned input a finding belongs to: its file, or the Terraform module directory holding it (a probe's
    findings, which have no file, belong to the probed target, their resource)."""
    file = finding.location.file
    if file in inputs:
        return file
    parent = str(Path(file).parent)
    if parent in inputs:
        return parent
    return file or finding.resource


def _inputs(result: ScanResult) -> list[str]:
    inputs = list(result.files)
    for run in result.policy_runs:
        if run.input not in inputs:
            inputs.append(run.input)
    for finding in result.findings:
        name = _input_of(finding, inputs)
        if name not in inputs:
            inputs.append(name)
    return inputs


def _has_distributions(result: ScanResult, name: str) -> bool:
    return any(count and (file == name or str(Path(file).parent) == name)
               for file, count in result.distributions.items())


def _suite(root: ET.Element, name: str, result: ScanResult, findings: dict[str, list[Finding]],
           runs: dict[str, PolicyRun], threshold: Severity) -> _Counts:
    suite = ET.SubElement(root, "testsuite", name=visible(name))
    _config_properties(suite, result)  # <properties> come before the test cases
    titles = {p.id: p.title for p in result.policies}
    applied = {policy_id for policy_id, run in runs.items() if run.objects}
    totals = _Counts()
    for policy_id in sorted(applied | set(findings)):
        found = findings.get(policy_id, [])
        title = found[0].title if found else titles.get(policy_id, "")
        run = runs.get(policy_id)
        case = ET.SubElement(suite, "testcase", name=visible(f"{policy_id} {title}".strip()), classname=visible(name),
                             time=_seconds(run.seconds if run else 0.0))
        totals.add(_fill_case(case, found, threshold, run.objects if run else 0))
    if not totals.tests:
        reason = NONE_APPLIED if _has_distributions(result, name) else NOT_APPLICABLE
        case = ET.SubElement(suite, "testcase", name="policies", classname=visible(name), time=_seconds(0.0))
        ET.SubElement(case, "skipped", message=reason)
        totals.add(_Counts(tests=1, skipped=1))
    live = [p.id for p in result.policies if p.live and p.id not in applied]
    if live and not result.live and _has_distributions(result, name):
        ET.SubElement(suite, "system-out").text = NOT_LIVE.format(count=len(live)) + ": " + ", ".join(live)
    totals.seconds = result.input_seconds.get(name, sum(r.seconds for r in runs.values()))
    for key in ("tests", "failures", "errors", "skipped"):
        suite.set(key, str(getattr(totals, key)))
    suite.set("time", _seconds(totals.seconds))
    return totals


def document(result: ScanResult, options: ReportOptions) -> ET.Element:
    root = ET.Element("testsuites", name="policykit")
    threshold = Severity(options.threshold)
    inputs = _inputs(result)
    findings: dict[str, dict[str, list[Finding]]] = {}
    for finding in result.findings:
        findings.setdefault(_input_of(finding, inputs), {}).setdefault(finding.policy_id, []).append(finding)
    runs: dict[str, dict[str, PolicyRun]] = {}
    for run in result.policy_runs:
        runs.setdefault(run.input, {})[run.policy_id] = run
    totals = _Counts()
    for name in inputs:
        totals.add(_suite(root, name, result, findings.get(name, {}), runs.get(name, {}), threshold))
    for error in result.errors:
        seconds = _seconds(result.input_seconds.get(error.file, 0.0))
        suite = ET.SubElement(root, "testsuite", name=visible(error.file), tests="1", failures="0", errors="1",
                              skipped="0", time=seconds)
        case = ET.SubElement(suite, "testcase", name="input", classname=visible(error.file), time=seconds)
        failure = ET.SubElement(case, "error", message=visible(error.message), type="input error")
        failure.text = visible(str(error))  # one line: a file name's line break is escaped
        totals.add(_Counts(tests=1, errors=1, seconds=result.input_seconds.get(error.file, 0.0)))
    for key in ("tests", "failures", "errors"):  # the schema has no skipped count on <testsuites>
        root.set(key, str(getattr(totals, key)))
    root.set("time", _seconds(totals.seconds))
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
