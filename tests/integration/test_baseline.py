"""Baselines: write, round-trip with a finding that moved, only new findings fail, atomic, portable."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import RunCli
from templates import BROKEN, FIXED

from policykit.findings import Finding, Severity
from policykit.location import Location

S3_ORIGIN_SECOND = """\
          - Id: second
            DomainName: !Select [1, !Split ["//", !GetAtt SiteBucket.WebsiteURL]]
            CustomOriginConfig:
              OriginProtocolPolicy: https-only
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # fingerprints are relative to the working directory
    (tmp_path / "site.yaml").write_text(BROKEN, encoding="utf-8")
    return tmp_path


def test_round_trip_with_a_moved_finding(repo: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("scan", "site.yaml", "--write-baseline", ".policykit-baseline.json")
    assert code == 0, err  # recording accepts what is there
    data = json.loads((repo / ".policykit-baseline.json").read_text(encoding="utf-8"))
    assert [e["policy_id"] for e in data["findings"]] == ["PK101"]
    assert "recorded 1 finding(s)" in err

    # The finding moves down five lines: still the accepted one.
    moved = BROKEN.replace("Resources:\n", "Description: >-\n  moved\n  down\n  by\n  five\nResources:\n")
    (repo / "site.yaml").write_text(moved, encoding="utf-8")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", ".policykit-baseline.json", "--format", "json")
    assert code == 0
    [pk101] = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK101"]
    assert pk101["line"] == 22 and pk101["suppressed"] is True
    assert pk101["suppression_reason"].startswith("baseline:")

    # A new finding is reported and fails.
    added = moved.replace("        DefaultCacheBehavior:", S3_ORIGIN_SECOND + "        DefaultCacheBehavior:")
    (repo / "site.yaml").write_text(added, encoding="utf-8")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", ".policykit-baseline.json")
    assert code == 1
    assert "origin 'second'" in out and "suppressed: baseline" in out


def test_fixed_findings_leave_the_baseline_harmless(repo: Path, run_cli: RunCli) -> None:
    run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    (repo / "site.yaml").write_text(FIXED, encoding="utf-8")
    code, _, _ = run_cli("scan", "site.yaml", "--baseline", "b.json")
    assert code == 0


def test_fingerprint_is_path_relative(repo: Path) -> None:
    def finding(file: str) -> Finding:
        return Finding("PK101", "t", Severity.ERROR, "m", Location(file, 3, 1), resource="D")

    assert finding("site.yaml").fingerprint == finding(str(repo / "site.yaml")).fingerprint
    assert finding("site.yaml").fingerprint == finding("./site.yaml").fingerprint
    other = repo / "clone"
    other.mkdir()
    os.chdir(other)  # another clone of the same repository, same relative layout
    assert finding("site.yaml").fingerprint == Finding("PK101", "t", Severity.ERROR, "m",
                                                       Location(str(other / "site.yaml"), 9, 1),
                                                       resource="D").fingerprint


def test_bad_baseline_is_an_input_error(repo: Path, run_cli: RunCli) -> None:
    (repo / "b.json").write_text("{not json", encoding="utf-8")
    code, out, err = run_cli("scan", "site.yaml", "--baseline", "b.json")
    assert code == 2 and "b.json:1:2:" in out + err and "Traceback" not in out + err
    (repo / "b.json").write_text('{"something": "else"}', encoding="utf-8")
    code, out, err = run_cli("scan", "site.yaml", "--baseline", "b.json")
    assert code == 2 and "not a policykit baseline" in out + err


def test_baseline_write_is_atomic(repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "b.json").write_text("previous", encoding="utf-8")

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    assert code == 2 and "cannot write b.json: disk full" in err
    assert (repo / "b.json").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in repo.iterdir()) == ["b.json", "site.yaml"]
