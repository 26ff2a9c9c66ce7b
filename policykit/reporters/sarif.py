"""SARIF 2.1.0 for code scanning: the rules that fired, with help, and results with regions."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from policykit import __version__
from policykit.findings import Finding, PolicyInfo, ScanResult
from policykit.reporters import ReportOptions

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str, base: str) -> str:
    try:
        relative = os.path.relpath(Path(path).resolve(), Path(base).resolve())
    except ValueError:  # another drive on Windows
        return Path(path).resolve().as_uri()
    if relative.startswith(".."):
        return Path(path).resolve().as_uri()
    return Path(relative).as_posix()


def _rule(info: PolicyInfo) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": info.id,
        "name": info.id,
        "shortDescription": {"text": info.title},
        "fullDescription": {"text": info.description or info.title},
        "help": {"text": f"{info.description}\n\nFix: {info.fix}".strip(),
                 "markdown": f"{info.description}\n\n**Fix:** {info.fix}".strip()},
        "defaultConfiguration": {"level": _LEVELS[info.severity.value]},
        "properties": {"tags": ["cloudfront", "502"]},
    }
    if info.help_uri:
        rule["helpUri"] = info.help_uri
    return rule


def _result(finding: Finding, index: dict[str, int], options: ReportOptions) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": _uri(finding.location.file, options.base_dir)}}
    if not location["artifactLocation"]["uri"].startswith("file:"):
        location["artifactLocation"]["uriBaseId"] = "%SRCROOT%"
    if finding.location.line:
        location["region"] = {"startLine": finding.location.line,
                              "startColumn": max(finding.location.column, 1)}
    result: dict[str, Any] = {
        "ruleId": finding.policy_id,
        "level": _LEVELS[finding.severity.value],
        "message": {"text": finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")},
        "locations": [{"physicalLocation": location,
                       "logicalLocations": [{"name": finding.resource, "kind": "resource"}]}],
        "partialFingerprints": {"policykit/v1": finding.fingerprint},
    }
    if finding.policy_id in index:
        result["ruleIndex"] = index[finding.policy_id]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    if finding.baseline:  # SARIF 2.1.0 3.27.24: compared with a baseline (not a suppression)
        result["baselineState"] = finding.baseline
    return result


def document(result: ScanResult, options: ReportOptions) -> dict[str, Any]:
    shown = [f for f in result.findings if options.show_unknown or not f.unknown]
    known = {p.id: p for p in result.policies}
    fired = sorted({f.policy_id for f in shown})
    rules = [_rule(known[i]) if i in known else _rule(_builtin_info(i, shown)) for i in fired]
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    notifications = [
        {"level": "error", "message": {"text": str(error)},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(error.file, options.base_dir)}}}]}
        for error in result.errors
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "policykit", "version": __version__, "semanticVersion": __version__,
                                "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(options.base_dir).resolve().as_uri() + "/"}},
            "invocations": [{"executionSuccessful": not result.errors,
                             "toolExecutionNotifications": notifications}],
            "results": [_result(f, index, options) for f in shown],
        }],
    }


def _builtin_info(policy_id: str, findings: list[Finding]) -> PolicyInfo:
    """Rules for findings that come from no policy file (PK002: wrong types)."""
    first = next(f for f in findings if f.policy_id == policy_id)
    return PolicyInfo(policy_id, first.title, first.severity, first.title, first.fix)


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    json.dump(document(result, options), stream, indent=2)
    stream.write("\n")
