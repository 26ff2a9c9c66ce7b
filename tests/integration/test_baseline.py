"""Baselines: write, round-trip with a finding that moved, only new findings fail, atomic, portable."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policykit.core.location import Location
from policykit.findings import Finding, Severity
from tests.helpers import SHARED, RunCli
from tests.templates import BROKEN, FIXED

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
    assert pk101["line"] == 22 and pk101["baseline"] == "unchanged"
    assert pk101["suppressed"] is False  # a baseline is not a suppression

    # A new finding is reported and fails; the accepted one is only counted.
    added = moved.replace("        DefaultCacheBehavior:", S3_ORIGIN_SECOND + "        DefaultCacheBehavior:")
    (repo / "site.yaml").write_text(added, encoding="utf-8")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", ".policykit-baseline.json")
    assert code == 1
    assert "origin 'second'" in out and "origin 'site'" not in out
    assert out.splitlines()[-1].startswith("1 error(s),")
    assert "; 1 in the baseline .policykit-baseline.json (not shown)" in out.splitlines()[-1]


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


def _with_second_origin(repo: Path, run_cli: RunCli) -> None:
    """site.yaml with the baselined PK101 on origin 'site' and a new one on origin 'second'."""
    run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    added = BROKEN.replace("        DefaultCacheBehavior:", S3_ORIGIN_SECOND + "        DefaultCacheBehavior:")
    (repo / "site.yaml").write_text(added, encoding="utf-8")


def test_json_baseline_state_and_summary(repo: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("scan", "site.yaml", "--format", "json")
    assert code == 1 and all("baseline" not in f for f in json.loads(out)["findings"])  # no baseline in use
    _with_second_origin(repo, run_cli)
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "json")
    doc = json.loads(out)
    states = {f["subject"]: f["baseline"] for f in doc["findings"] if f["policy_id"] == "PK101"}
    assert states == {"origin 'site'": "unchanged", "origin 'second'": "new"}
    assert all(not f["suppressed"] for f in doc["findings"] if f["policy_id"] == "PK101")
    assert code == 1 and doc["summary"]["error"] == 1 and doc["summary"]["baseline"] == 1


def test_only_baselined_findings_pass_any_threshold(repo: Path, run_cli: RunCli) -> None:
    run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--severity-threshold", "info",
                           "--format", "json")
    summary = json.loads(out)["summary"]
    assert code == 0 and summary["error"] == 0 and summary["baseline"] == 1


def test_sarif_baseline_state_validates(repo: Path, run_cli: RunCli) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("shared SARIF schema not present")
    _with_second_origin(repo, run_cli)
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "sarif")
    assert code == 1  # the new finding
    doc = json.loads(out)
    jsonschema.validate(doc, json.loads(schema_path.read_text(encoding="utf-8")))
    results = doc["runs"][0]["results"]
    assert {r["baselineState"] for r in results if r["ruleId"] == "PK101"} == {"new", "unchanged"}
    assert all("baselineState" in r for r in results)  # every result once a baseline is used
    assert not [r for r in results if r.get("suppressions")]  # a baseline match is not an inSource suppression
    _, out, _ = run_cli("scan", "site.yaml", "--format", "sarif")
    assert not [r for r in json.loads(out)["runs"][0]["results"] if "baselineState" in r]


def test_junit_and_github_skip_baselined_findings(repo: Path, run_cli: RunCli) -> None:
    import xml.etree.ElementTree as ET

    _with_second_origin(repo, run_cli)
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "github")
    annotations = [line for line in out.splitlines() if "PK101" in line]
    assert code == 1 and len(annotations) == 1 and "second" in annotations[0]
    # with only accepted findings, each PK101 case (one per origin) is skipped, not failed
    run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "junit")
    root = ET.fromstring(out)
    cases = {c.get("name"): c for c in root.iter("testcase") if (c.get("name") or "").startswith("PK101")}
    assert set(cases) == {"PK101 Distribution: origin 'site'", "PK101 Distribution: origin 'second'"}
    case = cases["PK101 Distribution: origin 'site'"]
    assert code == 0 and all(c.find("failure") is None for c in cases.values())
    assert "baseline" in (case.find("skipped").get("message") or "")  # type: ignore[union-attr]
