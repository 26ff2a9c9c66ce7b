"""Baselines: accept today's findings, fail only on new ones.

`--write-baseline FILE` records the fingerprint of every active finding (not suppressed, not
"not checked"); `--baseline FILE` marks findings whose fingerprint is recorded as accepted.
Fingerprints leave out the line and use paths relative to the working directory, so a baseline
survives edits that move a resource and works in every clone of the repository.
Findings stay in the result with a baseline state (`Finding.baseline`): "unchanged" when recorded,
"new" otherwise. That is not a suppression (nobody wrote one in the source): JSON shows
`"baseline"`, SARIF `baselineState`; text, JUnit and GitHub output leave unchanged findings out,
and like suppressed findings they do not count for the summary or the exit code.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from policykit import __version__
from policykit.errors import InputError
from policykit.findings import BASELINE_NEW, BASELINE_UNCHANGED, ScanResult
from policykit.reporters import write_atomic

FORMAT_VERSION = 1


def document(result: ScanResult) -> dict[str, Any]:
    entries = {}
    for finding in result.findings:
        if finding.suppressed or finding.unknown:
            continue
        entries[finding.fingerprint] = {
            "fingerprint": finding.fingerprint,
            "policy_id": finding.policy_id,
            "file": finding.location.file,
            "resource": finding.resource,
            "message": finding.message,
        }
    return {"policykit_baseline": FORMAT_VERSION, "generated_by": f"policykit {__version__}",
            "findings": sorted(entries.values(), key=lambda e: (e["file"], e["policy_id"], e["fingerprint"]))}


def write(path: Path, result: ScanResult) -> int:
    """Writes the baseline atomically; returns how many findings it records."""
    data = document(result)
    write_atomic(path, json.dumps(data, indent=2) + "\n")
    return len(data["findings"])


def load(path: Path) -> set[str]:
    """The recorded fingerprints; a missing or malformed file is an input error (exit code 2)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read the baseline: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"the baseline is not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    if not isinstance(data, dict) or data.get("policykit_baseline") != FORMAT_VERSION \
            or not isinstance(data.get("findings"), list):
        raise InputError(str(path), "not a policykit baseline (write one with --write-baseline)", 1, 1)
    fingerprints = set()
    for entry in data["findings"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise InputError(str(path), "a baseline entry has no fingerprint", 1, 1)
        fingerprints.add(entry["fingerprint"])
    return fingerprints


def apply(result: ScanResult, fingerprints: set[str], name: str) -> int:
    """Gives every finding its baseline state, in place; returns how many are unchanged (accepted).

    Every result gets a state, as SARIF wants once a run is compared with a baseline; a
    suppressed or "not checked" finding is never recorded, so it is "new" unless it once was."""
    result.baseline = name
    matched = 0
    for index, finding in enumerate(result.findings):
        unchanged = finding.fingerprint in fingerprints
        state = BASELINE_UNCHANGED if unchanged else BASELINE_NEW
        result.findings[index] = dataclasses.replace(finding, baseline=state)
        matched += unchanged and not finding.suppressed and not finding.unknown
    return matched
