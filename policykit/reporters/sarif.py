"""SARIF 2.1.0 for code scanning: the rules that fired, with help, and results with regions.

Paths are relative to `%SRCROOT%`, the git root of the scanned files (or `--base-dir`), so
GitHub code scanning maps them onto the repository wherever the scan ran. These are
reliability checks, not security findings: rules carry the policy's own tags and never a
`security` tag or `security-severity` (GitHub would file them as security alerts).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from policykit import __version__
from policykit.core.about import repository_url
from policykit.core.builtins import BUILTINS
from policykit.core.json_types import JsonObject, JsonValue
from policykit.core.repo import relative_to
from policykit.findings import Finding, PolicyInfo, ScanResult, Severity
from policykit.reporters import ReportOptions, base_dir, observed_text

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "policykit/v2"  # Finding.fingerprint: identity, not message or line
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_NOT_TAGS = frozenset({"security"})  # GitHub files results of rules tagged so as security alerts


def _artifact(path: str, base: Path) -> dict[str, str]:
    relative = relative_to(path, base)
    if relative is None:  # outside the repository: an absolute URI that consumers can still open
        return {"uri": Path(path).resolve().as_uri()}
    return {"uri": relative, "uriBaseId": SRCROOT}


def _base_uri(base: Path) -> str:
    uri = base.as_uri()
    return uri if uri.endswith("/") else uri + "/"  # the root directory is already file:///


def _rule(info: PolicyInfo) -> JsonObject:
    tags = [t for t in info.tags if t.lower() not in _NOT_TAGS]
    rule: JsonObject = {
        "id": info.id,
        "name": info.id,
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.description or info.title},
        "help": {"text": f"{info.description}\n\nFix: {info.fix}".strip(),
                 "markdown": f"{info.description}\n\n**Fix:** {info.fix}".strip()},
        "defaultConfiguration": {"level": _LEVELS[info.severity.value]},
        "properties": {"tags": tags},
    }
    if info.help_uri:
        rule["helpUri"] = info.help_uri
    return rule


def _result(finding: Finding, index: dict[str, int], base: Path) -> JsonObject:
    logical = [{"name": finding.resource or finding.subject or finding.distribution, "kind": "resource"}]
    location: JsonObject = {"logicalLocations": logical}
    if finding.location.file:  # a live probe of a deployed name has no file: a logical location only
        physical: JsonObject = {"artifactLocation": _artifact(finding.location.file, base)}
        if finding.location.line:
            physical["region"] = {"startLine": finding.location.line,
                                  "startColumn": max(finding.location.column, 1)}
        location = {"physicalLocation": physical, **location}
    result: JsonObject = {
        "ruleId": finding.policy_id,
        "level": _LEVELS[finding.severity.value],
        "message": {"text": finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint},
    }
    if finding.policy_id in index:
        result["ruleIndex"] = index[finding.policy_id]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    if finding.baseline:  # SARIF 2.1.0 3.27.24: compared with a baseline (not a suppression)
        result["baselineState"] = finding.baseline
    return result


def document(result: ScanResult, options: ReportOptions) -> JsonObject:
    base = base_dir(result, options)
    shown = [f for f in result.findings if options.show_unknown or not f.unknown]
    known = {p.id: p for p in result.policies}
    fired = sorted({f.policy_id for f in shown})
    rules = [_rule(known[i]) if i in known else _rule(_builtin_info(i, shown)) for i in fired]
    index = {policy_id: n for n, policy_id in enumerate(fired)}  # the rules are in this order
    notifications: list[JsonValue] = [
        {"level": "error", "message": {"text": str(error)},
         "locations": [{"physicalLocation": {"artifactLocation": _artifact(error.file, base)}}]}
        for error in result.errors
    ]
    driver: JsonObject = {"name": "policykit", "version": __version__, "semanticVersion": __version__,
                              "rules": rules}
    if repository_url():
        driver["informationUri"] = repository_url()
    run: JsonObject = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {SRCROOT: {"uri": _base_uri(base)}},
        "invocations": [{"executionSuccessful": not result.errors,
                         "toolExecutionNotifications": notifications}],
        "results": [_result(f, index, base) for f in shown],
    }
    properties: JsonObject = {}
    if result.observed:  # a live run: what was probed and seen, once per endpoint and name (as JSON's `live`)
        properties["policykit/live"] = observed_text.document(result)
    if result.config is not None:  # the configuration read and what it changed
        properties["configuration"] = result.config.data()
    if properties:  # the run's property bag
        run["properties"] = properties
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _builtin_info(policy_id: str, findings: list[Finding]) -> PolicyInfo:
    """Rules for findings that come from no policy file (core/builtins.py)."""
    builtin = BUILTINS.get(policy_id)
    first = next(f for f in findings if f.policy_id == policy_id)
    if builtin is None:
        return PolicyInfo(policy_id, first.title, first.severity, first.title, first.fix)
    return PolicyInfo(policy_id, builtin.title, Severity(builtin.severity), builtin.description, first.fix,
                      tags=builtin.tags)


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    json.dump(document(result, options), stream, indent=2)
    stream.write("\n")
