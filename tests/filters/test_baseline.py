"""Baselines (policykit/filters/baseline.py) and the fingerprints they keep: write, round-trip with a finding that
moved, only new findings fail, atomic, portable; lines that move or a new origin leave a fingerprint as it was."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from policykit import api
from policykit.core.location import Location
from policykit.findings import Finding, Severity
from tests.helpers import RunCli, Write
from tests.templates import BROKEN, EXTRA_ORIGIN, FIXED, SECOND_S3_ORIGIN, SITE


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
    added = moved.replace("        DefaultCacheBehavior:", SECOND_S3_ORIGIN + "        DefaultCacheBehavior:")
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
    added = BROKEN.replace("        DefaultCacheBehavior:", SECOND_S3_ORIGIN + "        DefaultCacheBehavior:")
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


def _fingerprints(path: Path) -> dict[tuple[str, str], str]:
    return {(f.policy_id, f.subject): f.fingerprint for f in api.scan([path]).findings if not f.unknown}


def test_fingerprints_survive_a_new_origin_moved_lines_and_the_working_directory(
        site_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_repo / "infra" / "cdn" / "site.yaml"
    before = _fingerprints(site)
    assert ("PK501", "default cache behavior") in before and ("PK301", "alias 'shop.example.com'") in before
    moved = SITE.replace("Resources:\n", "Description: >-\n  five\n  lines\n  down\n  here\nResources:\n")
    site.write_text(moved.replace("        DefaultCacheBehavior", EXTRA_ORIGIN + "        DefaultCacheBehavior"),
                    encoding="utf-8")
    [pk501] = [f for f in api.scan([site]).findings if f.policy_id == "PK501"]
    assert "extra" in pk501.message  # the message changed, the line moved ...
    after = _fingerprints(site)
    assert after == before  # ... the fingerprints did not
    monkeypatch.chdir(site_repo / "infra")
    assert _fingerprints(Path("cdn/site.yaml")) == before  # nor from another directory


def test_a_new_origin_is_not_a_new_finding_against_the_baseline(site_repo: Path, run_cli: RunCli,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(site_repo)
    site = site_repo / "infra" / "cdn" / "site.yaml"
    run_cli("scan", str(site), "--write-baseline", "b.json")
    data = json.loads((site_repo / "b.json").read_text(encoding="utf-8"))
    assert data["policykit_baseline"] == 2
    assert {(e["file"], e["subject"]) for e in data["findings"]} >= {("infra/cdn/site.yaml", "default cache behavior")}
    site.write_text(SITE.replace("        DefaultCacheBehavior", EXTRA_ORIGIN + "        DefaultCacheBehavior"),
                    encoding="utf-8")
    code, out, err = run_cli("scan", str(site), "--baseline", "b.json")
    assert code == 0, out + err


def test_a_baseline_of_the_previous_format_is_still_honoured(site_repo: Path, run_cli: RunCli,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from policykit.filters.baseline import legacy_fingerprint

    monkeypatch.chdir(site_repo / "infra")
    findings = [f for f in api.scan([Path("cdn/site.yaml")]).findings if not f.unknown]
    # what policykit wrote before format 2: the message in the fingerprint, paths from the working directory
    old = {"policykit_baseline": 1, "generated_by": "policykit 0.1.0",
           "findings": [{"fingerprint": legacy_fingerprint(f), "policy_id": f.policy_id,
                         "file": f.location.file, "resource": f.resource, "message": f.message} for f in findings]}
    (site_repo / "infra" / "old.json").write_text(json.dumps(old), encoding="utf-8")
    assert legacy_fingerprint(findings[0]) != findings[0].fingerprint
    code, out, err = run_cli("scan", "cdn/site.yaml", "--baseline", "old.json", "--format", "json")
    assert code == 0, err
    states = {f["policy_id"]: f.get("baseline") for f in json.loads(out)["findings"] if not f["unknown"]}
    assert states == {"PK301": "unchanged", "PK501": "unchanged"}
    (site_repo / "infra" / "new.json").write_text(json.dumps({**old, "policykit_baseline": 9}), encoding="utf-8")
    code, _, err = run_cli("scan", "cdn/site.yaml", "--baseline", "new.json")
    assert code == 2 and "newer than this policykit reads" in err


def test_a_previous_format_baseline_with_the_scenario_label_after_the_full_stop_still_matches(
        write: Write) -> None:
    """Format 1 put the message in the fingerprint, once with the scenario label after its full stop (as the engine
    wrote it then): the label is now inside the sentence, and such a baseline still accepts the finding."""
    from policykit.filters.baseline import Baseline, legacy_fingerprint

    template = write("site.yaml", BROKEN.replace(
        "Resources:\n", "Parameters:\n  Env: {Type: String, AllowedValues: [dev, prod]}\n"
                        "Conditions:\n  Prod: !Equals [!Ref Env, prod]\nResources:\n").replace(
        "OriginProtocolPolicy: https-only", "OriginProtocolPolicy: !If [Prod, https-only, http-only]"))
    [finding] = [f for f in api.scan([template]).findings if f.policy_id == "PK101"]
    assert finding.scenario == "when Env=prod" and finding.message.endswith(" (when Env=prod).")
    written_then = f"{finding.unscoped_message} ({finding.scenario})"  # `... get 502. (when Env=prod)`
    assert written_then.endswith(". (when Env=prod)")
    assert Baseline(frozenset({legacy_fingerprint(finding, written_then)}), 1).matches(finding)
# The module's own rules, without the command line: what is recorded, how a file is read, format 1's fingerprint.
def _finding(message: str = "m", file: str = "site.yaml", **extra: object) -> Finding:
    return Finding("PK101", "t", Severity.ERROR, message, Location(file, 3, 1), resource="D", **extra)  # type: ignore[arg-type]


def test_the_document_records_active_findings_only_with_what_identifies_them(repo: Path) -> None:
    from policykit.filters.baseline import document, write
    from policykit.findings import ScanResult

    active = _finding(subject="origin 'a'")
    result = ScanResult(findings=[active, _finding(suppressed="reason", subject="origin 'b'"),
                                  _finding(unknown=True, subject="origin 'c'")])
    data = document(result)
    assert data == {"policykit_baseline": 2, "generated_by": "policykit 0.1.0", "findings": [
        {"fingerprint": active.fingerprint, "policy_id": "PK101", "file": "site.yaml", "resource": "D",
         "subject": "origin 'a'", "message": "m"}]}
    assert write(repo / "b.json", result) == 1
    assert (repo / "b.json").read_text(encoding="utf-8") == json.dumps(data, indent=2) + "\n"


def test_format_1_fingerprints_hold_the_message_and_the_path_from_the_working_directory(repo: Path) -> None:
    import hashlib

    from policykit.filters.baseline import Baseline, legacy_fingerprint

    def expected(*parts: str) -> str:
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]

    inside = _finding(file=str(repo / "cdn" / "site.yaml"))
    assert legacy_fingerprint(inside) == expected("PK101", "cdn/site.yaml", "D", "", "m")
    outside = _finding(file=str(repo.parent / "elsewhere.yaml"))
    assert legacy_fingerprint(outside) == expected("PK101", (repo.parent / "elsewhere.yaml").as_posix(), "D", "", "m")
    scoped = _finding("m (when Env=prod)", scenario="when Env=prod")
    assert legacy_fingerprint(scoped) == expected("PK101", "site.yaml", "D", "", "m")
    assert legacy_fingerprint(scoped, scoped.message) == expected("PK101", "site.yaml", "D", "", "m (when Env=prod)")
    # a format 1 baseline matches either way it was computed: with the scenario label, and without
    assert Baseline(frozenset({legacy_fingerprint(scoped, scoped.message)}), 1).matches(scoped)
    assert Baseline(frozenset({legacy_fingerprint(scoped)}), 1).matches(scoped)
    assert not Baseline(frozenset({legacy_fingerprint(scoped)}), 2).matches(scoped)  # format 2: the identity
    assert Baseline(frozenset({scoped.fingerprint})).matches(scoped)


def test_format_1_fingerprints_of_a_file_on_another_drive_keep_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from policykit.filters import baseline

    def other_drive(path: str) -> str:
        raise ValueError("path is on mount 'D:', start on mount 'C:'")  # what Windows' relpath raises

    monkeypatch.setattr(baseline.os.path, "relpath", other_drive)
    found = _finding(file="/elsewhere/site.yaml")
    text = "\x1f".join(("PK101", "/elsewhere/site.yaml", "D", "", "m"))
    assert baseline.legacy_fingerprint(found) == hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@pytest.mark.parametrize(("text", "message", "where"), [
    (None, "cannot read the baseline: No such file or directory", (0, 0)),
    ('{"policykit_baseline": 3, "findings": []}',
     "baseline format 3 is newer than this policykit reads (1, 2): upgrade policykit", (1, 1)),
    ("[]", "not a policykit baseline (write one with --write-baseline)", (1, 1)),
    ('{"policykit_baseline": "2", "findings": []}', "not a policykit baseline (write one with --write-baseline)",
     (1, 1)),
    ('{"policykit_baseline": 0, "findings": []}', "not a policykit baseline (write one with --write-baseline)",
     (1, 1)),
    ('{"policykit_baseline": true, "findings": []}', "not a policykit baseline (write one with --write-baseline)",
     (1, 1)),  # true == 1 in Python, but it is not format 1
    ('{"policykit_baseline": 1.0, "findings": []}', "not a policykit baseline (write one with --write-baseline)",
     (1, 1)),
    ('{"policykit_baseline": 2, "findings": {}}', "not a policykit baseline (write one with --write-baseline)",
     (1, 1)),
    ('{"policykit_baseline": 2, "findings": ["x"]}', "a baseline entry has no fingerprint", (1, 1)),
    ('{"policykit_baseline": 2, "findings": [{"fingerprint": 1}]}', "a baseline entry has no fingerprint", (1, 1)),
])
def test_a_bad_baseline_is_one_input_error_naming_the_file(repo: Path, text: str | None, message: str,
                                                           where: tuple[int, int]) -> None:
    from policykit.core.errors import InputError
    from policykit.filters.baseline import load

    path = repo / "b.json"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    assert (caught.value.file, caught.value.message, (caught.value.line, caught.value.column)) == (
        str(path), message, where)


def test_a_good_baseline_of_either_format_loads(repo: Path) -> None:
    from policykit.filters.baseline import load

    path = repo / "b.json"
    path.write_text('{"policykit_baseline": 1, "findings": [{"fingerprint": "ab"}, {"fingerprint": "cd"}]}',
                    encoding="utf-8")
    loaded = load(path)
    assert loaded.fingerprints == {"ab", "cd"} and loaded.version == 1
    path.write_text('{"policykit_baseline": 2, "findings": []}', encoding="utf-8")
    assert load(path).version == 2 and load(path).fingerprints == frozenset()
