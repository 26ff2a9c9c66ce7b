"""Machine output: findings, summary and input errors as one JSON object."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TextIO

from policykit import __version__
from policykit.core.json_types import JsonObject
from policykit.findings import Finding, ScanResult
from policykit.reporters import ReportOptions, observed_text


def finding_dict(finding: Finding, examples: Mapping[str, str] | None = None, code: bool = False) -> JsonObject:
    """One finding; `examples`: its policy's snippets, shown as `fix_example` in the file's own language (`code`:
    the examples are a function's code, shown as written)."""
    out: JsonObject = {
        "policy_id": finding.policy_id,
        "title": finding.title,
        "severity": finding.severity.value,
        "message": finding.message,
        "file": finding.location.file,
        "line": finding.location.line,
        "column": finding.location.column,
        "resource": finding.resource,
        "distribution": finding.distribution,
        "subject": finding.subject,
        "fix": finding.fix,
        "help_uri": finding.help_uri,
        "scenario": finding.scenario,
        "unknown": finding.unknown,
        "evidence": dict(finding.evidence),
        "suppressed": bool(finding.suppressed),
        "suppression_reason": finding.suppressed,
        "fingerprint": finding.fingerprint,
    }
    if finding.baseline:  # only when the scan compared with a baseline
        out["baseline"] = finding.baseline
    if examples and not finding.unknown:
        from policykit.reporters.snippets import CODE, example, language_of

        language = CODE if code else language_of(finding.location.file)
        snippet = example(examples, "good", language)
        if snippet:
            out["fix_example"] = {"language": language, "snippet": snippet}
    return out


def document(result: ScanResult) -> JsonObject:
    counts = result.counts()
    examples = {p.id: dict(p.examples) for p in result.policies if p.examples}
    code = {p.id for p in result.policies if p.code_examples}
    return {
        "version": __version__,
        "findings": [finding_dict(f, examples.get(f.policy_id), f.policy_id in code) for f in result.findings],
        "summary": {
            "files": len(result.files),
            "skipped": len(result.skipped),
            "distributions": sum(result.distributions.values()),
            "distributions_by_file": dict(result.distributions),
            "never_deployed": list(result.never_deployed),
            "findings": counts,
            **counts,
            "input_errors": len(result.errors),
            # not in the counts above: accepted by a suppression or by the baseline
            "suppressed": result.suppressed_count(),
            **({"baseline": result.baseline_count()} if result.baseline else {}),
            # the configuration file read and what it changed; null when none was read
            "config": result.config.data() if result.config is not None else None,
        },
        "errors": [{"file": e.file, "line": e.line, "column": e.column, "message": e.message}
                   for e in result.errors],
        "skipped": list(result.skipped),
        **({"live": observed_text.document(result)} if result.observed else {}),
    }


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    json.dump(document(result), stream, indent=2)
    stream.write("\n")
