"""Every real-world CloudFormation file of the shared corpus scans: exit 0, 1 or 2, never a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policykit import api
from policykit.findings import ScanResult, Severity
from tests.helpers import CORPUS, ROOT, validate_report

CFN = CORPUS / "cfn"
FILES = sorted(p for p in CFN.iterdir() if p.is_file()) if CFN.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason="the shared corpus (../shared/corpus/cfn) is not present")


def exit_code(result: ScanResult) -> int:
    """The CLI's rule: 2 on input errors, 1 on error findings, else 0."""
    if result.errors:
        return 2
    return 1 if result.worst_at_least(Severity.ERROR) else 0


@pytest.mark.parametrize("path", FILES, ids=[p.name[:80] for p in FILES])
def test_corpus_file_scans(path: Path) -> None:
    result = api.scan([path])  # an exception here is the bug this test exists for
    assert exit_code(result) in (0, 1, 2)
    assert result.files or result.errors or result.skipped
    for error in result.errors:
        assert error.file == str(path)
        assert error.line > 0, f"an input error without a line: {error}"
        assert "\n" not in error.message
    for finding in result.findings:
        assert finding.location.file == str(path)
        assert finding.location.line > 0, finding
        assert finding.message and "\n" not in finding.message
        if not finding.unknown:
            assert finding.fix, finding.policy_id


def test_corpus_totals() -> None:
    result = api.scan([CFN])
    assert len(result.files) + len(result.errors) >= len(FILES) - 1
    assert sum(result.distributions.values()) >= 65  # the corpus README counts 70 distributions


def test_corpus_subprocess_run() -> None:
    proc = subprocess.run([sys.executable, "-m", "policykit", "scan", "--format", "json", str(CFN)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    assert "internal error" not in proc.stderr
    document = json.loads(proc.stdout)
    validate_report(document)  # a child process: tests/conftest.py's check does not reach it
    assert document["summary"]["files"] >= len(FILES) - 5
    assert len(proc.stderr.strip().splitlines()) == len(document["errors"])  # one line per input error
