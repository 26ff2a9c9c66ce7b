"""Reports CI and code scanning take as is: repository-relative SARIF, identity fingerprints, old
baselines honoured, JUnit that agrees with the job's verdict, output that cannot be forged."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from policykit import api
from policykit.findings import ScanResult
from policykit.reporters import ReportOptions, get
from tests.helpers import ROOT, SHARED, RunCli

# PK501 (its message lists every origin id) and PK301 on an alias the certificate does not cover.
TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: www.example.com
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases: [ALIAS]
        ViewerCertificate:
          AcmCertificateArn: !Ref Cert
          SslSupportMethod: sni-only
        Origins:
          - Id: web
            DomainName: www.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior: {TargetOriginId: Web, ViewerProtocolPolicy: redirect-to-https}
"""
PLAIN = TEMPLATE.replace("ALIAS", "shop.example.com")
EVIL_ALIAS = '"evil\\e[2J.example.com\\nforged.yaml:1:1: error PK999 forged"'
SECOND_ORIGIN = """\
          - Id: extra
            DomainName: extra.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
"""
# Only a warning: PK306 (viewer protocol allow-all) on an otherwise clean distribution.
WARNING_ONLY = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: web
            DomainName: www.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior: {TargetOriginId: web, ViewerProtocolPolicy: allow-all}
"""


def _git_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True, capture_output=True, timeout=60)
    return path


def render(name: str, result: ScanResult, **options: Any) -> str:
    stream = io.StringIO()
    get(name)(result, stream, ReportOptions(**options))
    return stream.getvalue()


def _sarif(run_cli: RunCli, *args: str) -> dict[str, Any]:
    code, out, err = run_cli("scan", "--format", "sarif", *args)
    assert code in (0, 1), err
    doc: dict[str, Any] = json.loads(out)
    return doc


# --- SARIF ----------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = _git_repo(tmp_path / "repo")
    (repo / "infra" / "cdn").mkdir(parents=True)
    (repo / "infra" / "cdn" / "site.yaml").write_text(PLAIN, encoding="utf-8")
    return repo


def _uris(doc: dict[str, Any]) -> set[str]:
    return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}


def test_sarif_uris_are_relative_to_the_git_root_from_anywhere(repo: Path, run_cli: RunCli,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for cwd, path in ((repo / "infra", "cdn/site.yaml"), (repo.parent, "repo/infra/cdn/site.yaml"),
                      (Path("/"), str(repo / "infra" / "cdn" / "site.yaml"))):
        monkeypatch.chdir(cwd)
        doc = _sarif(run_cli, path)
        run = doc["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/", cwd
        assert _uris(doc) == {"infra/cdn/site.yaml"}, cwd
        assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
                   for r in run["results"])


def test_sarif_base_dir_option_and_root_directory_base(repo: Path, run_cli: RunCli) -> None:
    doc = _sarif(run_cli, str(repo / "infra" / "cdn" / "site.yaml"), "--base-dir", str(repo / "infra"))
    assert _uris(doc) == {"cdn/site.yaml"}
    doc = _sarif(run_cli, str(repo / "infra" / "cdn" / "site.yaml"), "--base-dir", "/")
    assert doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///"  # not file:////


def test_sarif_rules_carry_the_policy_tags_and_levels_and_nothing_security(repo: Path, run_cli: RunCli) -> None:
    from policykit.policy.loader import load_policies

    policies = {p.id: p for p in load_policies()}
    doc = _sarif(run_cli, str(repo), "--show-unknown")
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    assert driver["rules"]
    for rule in driver["rules"]:
        if rule["id"] in policies:
            assert rule["properties"]["tags"] == list(policies[rule["id"]].tags), rule["id"]
            level = {"error": "error", "warning": "warning", "info": "note"}[policies[rule["id"]].severity.value]
            assert rule["defaultConfiguration"]["level"] == level
        assert "security" not in [t.lower() for t in rule["properties"]["tags"]]
        assert "security-severity" not in json.dumps(rule)


def test_sarif_not_checked_notes_only_with_show_unknown(repo: Path, run_cli: RunCli) -> None:
    def results(*args: str) -> dict[str, str]:
        return {r["partialFingerprints"]["policykit/v2"]: r["level"]
                for r in _sarif(run_cli, str(repo), *args)["runs"][0]["results"]}

    plain, shown = results(), results("--show-unknown")
    assert set(plain) < set(shown)
    assert {shown[k] for k in set(shown) - set(plain)} == {"note"}


def test_sarif_meets_the_schema_and_githubs_upload_limits(repo: Path, run_cli: RunCli) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    doc = _sarif(run_cli, str(ROOT / "examples"), "--show-unknown")
    if schema_path.is_file():
        jsonschema.validate(doc, json.loads(schema_path.read_text(encoding="utf-8")))
    # GitHub's documented upload limits and the properties it requires (checked offline)
    import gzip

    assert len(gzip.compress(json.dumps(doc).encode())) < 10 * 1024 * 1024
    assert len(doc["runs"]) <= 20
    run = doc["runs"][0]
    assert len(run["results"]) <= 25_000 and len(run["tool"]["driver"]["rules"]) <= 25_000
    assert run["tool"]["driver"]["name"] and doc["version"] == "2.1.0"
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    for result in run["results"]:
        assert result["ruleId"] in rule_ids and result["message"]["text"]
        assert len(result["locations"]) <= 10 and result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert set(result["partialFingerprints"]) == {"policykit/v2"}
        assert not re.match(r"^[a-z]+:/", result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) \
            or result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("file:///")


def test_a_finding_without_a_file_gets_a_logical_location_only() -> None:
    """What `probe` findings of a deployed name look like: no template, a target and a subject."""
    from policykit.core.location import Location
    from policykit.findings import Finding, Severity

    finding = Finding("PK602", "Origin TCP unreachable", Severity.ERROR, "port 443 refused", Location(""),
                      resource="api.example.com", subject="origin 'api'")
    result = ScanResult(findings=[finding])
    [sarif] = json.loads(render("sarif", result))["runs"][0]["results"]
    assert "physicalLocation" not in sarif["locations"][0]
    assert sarif["locations"][0]["logicalLocations"][0]["name"] == "api.example.com"
    assert render("text", result).startswith("api.example.com: error PK602 port 443 refused")
    assert render("github", result).startswith("::error title=PK602 Origin TCP unreachable::port 443 refused")


# --- fingerprints and baselines -------------------------------------------------------------


def _fingerprints(path: Path) -> dict[tuple[str, str], str]:
    return {(f.policy_id, f.subject): f.fingerprint for f in api.scan([path]).findings if not f.unknown}


def test_fingerprints_survive_a_new_origin_moved_lines_and_the_working_directory(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = repo / "infra" / "cdn" / "site.yaml"
    before = _fingerprints(site)
    assert ("PK501", "default cache behavior") in before and ("PK301", "alias 'shop.example.com'") in before
    moved = PLAIN.replace("Resources:\n", "Description: >-\n  five\n  lines\n  down\n  here\nResources:\n")
    site.write_text(moved.replace("        DefaultCacheBehavior", SECOND_ORIGIN + "        DefaultCacheBehavior"),
                    encoding="utf-8")
    [pk501] = [f for f in api.scan([site]).findings if f.policy_id == "PK501"]
    assert "extra" in pk501.message  # the message changed, the line moved ...
    after = _fingerprints(site)
    assert after == before  # ... the fingerprints did not
    monkeypatch.chdir(repo / "infra")
    assert _fingerprints(Path("cdn/site.yaml")) == before  # nor from another directory


def test_a_new_origin_is_not_a_new_finding_against_the_baseline(repo: Path, run_cli: RunCli,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    site = repo / "infra" / "cdn" / "site.yaml"
    run_cli("scan", str(site), "--write-baseline", "b.json")
    data = json.loads((repo / "b.json").read_text(encoding="utf-8"))
    assert data["policykit_baseline"] == 2
    assert {(e["file"], e["subject"]) for e in data["findings"]} >= {("infra/cdn/site.yaml", "default cache behavior")}
    site.write_text(PLAIN.replace("        DefaultCacheBehavior", SECOND_ORIGIN + "        DefaultCacheBehavior"),
                    encoding="utf-8")
    code, out, err = run_cli("scan", str(site), "--baseline", "b.json")
    assert code == 0, out + err


def test_a_baseline_of_the_previous_format_is_still_honoured(repo: Path, run_cli: RunCli,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from policykit.filters.baseline import legacy_fingerprint

    monkeypatch.chdir(repo / "infra")
    findings = [f for f in api.scan([Path("cdn/site.yaml")]).findings if not f.unknown]
    # what policykit wrote before format 2: the message in the fingerprint, paths from the working directory
    old = {"policykit_baseline": 1, "generated_by": "policykit 0.1.0",
           "findings": [{"fingerprint": legacy_fingerprint(f), "policy_id": f.policy_id,
                         "file": f.location.file, "resource": f.resource, "message": f.message} for f in findings]}
    (repo / "infra" / "old.json").write_text(json.dumps(old), encoding="utf-8")
    assert legacy_fingerprint(findings[0]) != findings[0].fingerprint
    code, out, err = run_cli("scan", "cdn/site.yaml", "--baseline", "old.json", "--format", "json")
    assert code == 0, err
    states = {f["policy_id"]: f.get("baseline") for f in json.loads(out)["findings"] if not f["unknown"]}
    assert states == {"PK301": "unchanged", "PK501": "unchanged"}
    (repo / "infra" / "new.json").write_text(json.dumps({**old, "policykit_baseline": 9}), encoding="utf-8")
    code, _, err = run_cli("scan", "cdn/site.yaml", "--baseline", "new.json")
    assert code == 2 and "newer than this policykit reads" in err


# --- JUnit ----------------------------------------------------------------------------------


def _junit_schema() -> Any:
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd"))


def test_junit_warnings_below_the_threshold_are_not_failures(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(WARNING_ONLY, encoding="utf-8")
    report = tmp_path / "junit.xml"
    code, _, err = run_cli("scan", str(site), "--output", f"junit={report}")
    assert code == 0, err
    _junit_schema().validate(str(report))
    root = ET.parse(report).getroot()
    assert root.findall(".//failure") == [] and root.get("failures") == "0"
    [case] = [c for c in root.iter("testcase") if (c.get("name") or "").startswith("PK306")]
    assert "below the error threshold" in (case.findtext("system-out") or "")
    # the same warning fails at --severity-threshold warning, as the exit code does
    code, _, _ = run_cli("scan", str(site), "--severity-threshold", "warning", "--output", f"junit={report}")
    assert code == 1 and len(ET.parse(report).getroot().findall(".//failure")) == 1


def test_junit_live_policies_without_live_are_skipped_with_the_reason(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(WARNING_ONLY, encoding="utf-8")
    root = ET.fromstring(render("junit", api.scan([site])))
    cases = {c.get("name"): c for c in root.iter("testcase")}
    live = [name for name in cases if (name or "").startswith("PK6")]
    assert live and all("--live" in (cases[n].find("skipped").get("message") or "")  # type: ignore[union-attr]
                        for n in live)
    assert cases["PK101"].find("skipped") is None  # an applicable policy without findings passed


def test_junit_with_control_characters_is_well_formed(tmp_path: Path, run_cli: RunCli) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(TEMPLATE.replace("ALIAS", EVIL_ALIAS), encoding="utf-8")
    code, out, _ = run_cli("scan", str(site), "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)  # well-formed
    _junit_schema().validate(out)
    assert "\x1b" not in out and "\\x1b[2J" in out
    [case] = [c for c in root.iter("testcase") if (c.get("name") or "").startswith("PK301")]
    assert "\n" not in (case.get("name") or "")


# --- terminal injection ---------------------------------------------------------------------


def test_control_characters_cannot_reach_the_terminal_or_forge_lines(tmp_path: Path, run_cli: RunCli) -> None:
    evil_dir = tmp_path / "d\x1b[2Jx\nforged.yaml:1:1: error PK999 y"
    evil_dir.mkdir()
    site = evil_dir / "site.yaml"
    site.write_text(TEMPLATE.replace("ALIAS", EVIL_ALIAS), encoding="utf-8")
    missing = tmp_path / "gone\x1b]0;title\x07.yaml"
    for fmt in ("text", "github"):
        code, out, err = run_cli("scan", str(site), str(missing), "--format", fmt, "--color", "never")
        assert code == 2
        for stream in (out, err):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", stream), (fmt, stream)
        # no forged finding line: every line is a finding of the real file, its indented detail, the summary
        # (text) or a workflow command (github)
        for line in out.splitlines():
            assert line.startswith(("::", str(tmp_path), "    ", "         ")) or line[0].isdigit(), line
        assert "forged" in out and not any(line.startswith("forged") for line in out.splitlines())
        assert "\\x1b[2J" in out and "\\n" in out
        assert "gone\\x1b]0;title\\x07.yaml" in err
    code, out, _ = run_cli("scan", str(site), "--format", "json")
    aliases = [f["subject"] for f in json.loads(out)["findings"] if f["policy_id"] == "PK301"]
    assert aliases == ["alias 'evil\x1b[2J.example.com\nforged.yaml:1:1: error PK999 forged'"]  # kept whole


# --- writing reports ------------------------------------------------------------------------


def test_output_onto_a_device_node_leaves_it_a_device(tmp_path: Path, run_cli: RunCli) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a twin of /dev/null
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    code, _, err = run_cli("scan", str(ROOT / "examples" / "cloudformation"), "--output", f"sarif={null}")
    assert code == 1, err
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary file left beside it


def test_output_onto_a_fifo_writes_into_it(tmp_path: Path, run_cli: RunCli) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = run_cli("scan", str(ROOT / "examples" / "cloudformation"), "--output", f"json={fifo}")
    reader.join(timeout=30)
    assert code == 1 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(received[0])["summary"]["error"] >= 1


def test_an_existing_report_keeps_its_mode(tmp_path: Path, run_cli: RunCli) -> None:
    report = tmp_path / "report.sarif"
    report.write_text("old", encoding="utf-8")
    os.chmod(report, 0o640)
    run_cli("scan", str(ROOT / "examples" / "cloudformation"), "--output", f"sarif={report}")
    assert stat.S_IMODE(os.stat(report).st_mode) == 0o640
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"
