"""Baselines: accept today's findings, fail only on new ones.

`--write-baseline FILE` records the fingerprint of every active finding (not suppressed, not
"not checked"); `--baseline FILE` marks findings whose fingerprint is recorded as accepted.
Fingerprints (`Finding.identity`) are the policy, the file from its repository root, the resource
and the subject: not the line, the message or the scenarios, so a baseline survives edits that
move a resource or add an origin, and works in every clone and from every directory.

Format 2 is written; format 1 (fingerprints that included the message, with paths from the
working directory) is still read, and matched the way it was computed, so an existing baseline
keeps accepting what it accepted until it is rewritten.
Findings stay in the result with a baseline state (`Finding.baseline`): "unchanged" when recorded,
"new" otherwise. That is not a suppression (nobody wrote one in the source): JSON shows
`"baseline"`, SARIF `baselineState`; text, JUnit and GitHub output leave unchanged findings out,
and like suppressed findings they do not count for the summary or the exit code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from policykit import __version__
from policykit.core.errors import InputError
from policykit.core.output import write_output
from policykit.findings import BASELINE_NEW, BASELINE_UNCHANGED, Finding, ScanResult

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)


def document(result: ScanResult) -> dict[str, Any]:
    entries = {}
    for finding in result.findings:
        if finding.suppressed or finding.unknown:
            continue
        policy_id, file, resource, subject, _ = finding.identity
        entries[finding.fingerprint] = {
            "fingerprint": finding.fingerprint,
            "policy_id": policy_id,
            "file": file,
            "resource": resource,
            "subject": subject,
            "message": finding.message,  # for the reader: not part of the fingerprint
        }
    return {"policykit_baseline": FORMAT_VERSION, "generated_by": f"policykit {__version__}",
            "findings": sorted(entries.values(), key=lambda e: (e["file"], e["policy_id"], e["fingerprint"]))}


def write(path: Path, result: ScanResult) -> int:
    """Writes the baseline atomically; returns how many findings it records."""
    data = document(result)
    write_output(path, json.dumps(data, indent=2) + "\n")
    return len(data["findings"])


@dataclasses.dataclass(frozen=True)
class Baseline:
    fingerprints: frozenset[str]
    version: int = FORMAT_VERSION

    def matches(self, finding: Finding) -> bool:
        if self.version >= 2:
            return finding.fingerprint in self.fingerprints
        # format 1 recorded the scenario label after the message's full stop, as the engine then wrote it
        labelled = f"{finding.unscoped_message} ({finding.scenario})" if finding.scenario else finding.message
        return any(legacy_fingerprint(finding, message) in self.fingerprints
                   for message in {finding.unscoped_message, finding.message, labelled})


def legacy_fingerprint(finding: Finding, message: str | None = None) -> str:
    """Format 1's fingerprint: with the message (lately without its scenario label, at first with
    it: `matches` tries both), and the path from the working directory."""
    try:
        relative = os.path.relpath(finding.location.file)
    except ValueError:  # another drive on Windows
        relative = ".."
    file = Path(finding.location.file if relative.startswith("..") else relative).as_posix()
    text = "\x1f".join((finding.policy_id, file, finding.resource, finding.subject,
                         finding.unscoped_message if message is None else message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def load(path: Path) -> Baseline:
    """The recorded fingerprints; a missing or malformed file is an input error (exit code 2)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read the baseline: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"the baseline is not valid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    version = data.get("policykit_baseline") if isinstance(data, dict) else None
    if type(version) is int and version > FORMAT_VERSION:
        raise InputError(str(path), f"baseline format {version} is newer than this policykit reads "
                         f"({', '.join(map(str, READABLE_VERSIONS))}): upgrade policykit", 1, 1)
    if not isinstance(data, dict) or type(version) is not int or version not in READABLE_VERSIONS \
            or not isinstance(data.get("findings"), list):
        raise InputError(str(path), "not a policykit baseline (write one with --write-baseline)", 1, 1)
    fingerprints = set()
    for entry in data["findings"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprint"), str):
            raise InputError(str(path), "a baseline entry has no fingerprint", 1, 1)
        fingerprints.add(entry["fingerprint"])
    return Baseline(frozenset(fingerprints), int(data["policykit_baseline"]))


def apply(result: ScanResult, baseline: Baseline, name: str) -> ScanResult:
    """The result with every finding given its baseline state (`result.baseline_count()` counts the accepted).

    Every result gets a state, as SARIF wants once a run is compared with a baseline; a
    suppressed or "not checked" finding is never recorded, so it is "new" unless it once was."""
    findings = tuple(dataclasses.replace(f, baseline=BASELINE_UNCHANGED if baseline.matches(f) else BASELINE_NEW)
                     for f in result.findings)
    return dataclasses.replace(result, baseline=name, findings=findings)
