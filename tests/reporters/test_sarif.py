"""SARIF 2.1.0 for code scanning (policykit/reporters/sarif.py): valid against the schema and within GitHub's upload
limits, results at the property with repository-relative URIs, rules with the policies' tags and levels, baseline
states and in-source suppressions, a logical location where there is no file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from policykit import api
from policykit.core.location import Location
from policykit.findings import Finding, ScanResult, Severity
from policykit.reporters import ReportOptions
from tests.helpers import EXAMPLES, ROOT, SHARED, RunCli, Write, requires_shared
from tests.reporters.helpers import render
from tests.templates import BROKEN, FIXED, with_resource_metadata

CFN = EXAMPLES / "cloudformation"
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def _sarif_validator() -> Any:
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)  # the draft the schema declares (draft-04)
    validator_class.check_schema(schema)
    return validator_class(schema)


@requires_shared
@pytest.mark.parametrize("show_unknown", [False, True])
def test_sarif_validates_against_the_schema(mixed: list[Path], show_unknown: bool) -> None:
    document = json.loads(render("sarif", api.scan(mixed), show_unknown=show_unknown))
    errors = sorted(_sarif_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])
    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
    assert run["invocations"][0]["executionSuccessful"] is False  # the invalid file


@requires_shared
def test_sarif_validator_rejects_a_broken_document() -> None:
    """The schema check can fail: a result without a message is not SARIF."""
    document = json.loads(render("sarif", api.scan([CFN / "broken-origins.yaml"])))
    assert not list(_sarif_validator().iter_errors(document))
    del document["runs"][0]["results"][0]["message"]
    assert list(_sarif_validator().iter_errors(document))


def test_sarif_points_at_the_property() -> None:
    document = json.loads(render("sarif", api.scan([CFN / "broken-origins.yaml"]), base_dir=str(CFN)))
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    location = results["PK201"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "broken-origins.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 33, "startColumn": 25}
    assert results["PK201"]["level"] == "error"


def _sarif(run_cli: RunCli, *args: str) -> dict[str, Any]:
    code, out, err = run_cli("scan", "--format", "sarif", *args)
    assert code in (0, 1), err
    doc: dict[str, Any] = json.loads(out)
    return doc


def _uris(doc: dict[str, Any]) -> set[str]:
    return {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}


def test_sarif_uris_are_relative_to_the_git_root_from_anywhere(site_repo: Path, run_cli: RunCli,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for cwd, path in ((site_repo / "infra", "cdn/site.yaml"), (site_repo.parent, "repo/infra/cdn/site.yaml"),
                      (Path("/"), str(site_repo / "infra" / "cdn" / "site.yaml"))):
        monkeypatch.chdir(cwd)
        doc = _sarif(run_cli, path)
        run = doc["runs"][0]
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == site_repo.resolve().as_uri() + "/", cwd
        assert _uris(doc) == {"infra/cdn/site.yaml"}, cwd
        assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
                   for r in run["results"])


def test_sarif_base_dir_option_and_root_directory_base(site_repo: Path, run_cli: RunCli) -> None:
    doc = _sarif(run_cli, str(site_repo / "infra" / "cdn" / "site.yaml"), "--base-dir", str(site_repo / "infra"))
    assert _uris(doc) == {"cdn/site.yaml"}
    doc = _sarif(run_cli, str(site_repo / "infra" / "cdn" / "site.yaml"), "--base-dir", "/")
    assert doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///"  # not file:////


def test_sarif_rules_carry_the_policy_tags_and_levels_and_nothing_security(site_repo: Path, run_cli: RunCli) -> None:
    from policykit.policy.loader import load_policies

    policies = {p.id: p for p in load_policies()}
    doc = _sarif(run_cli, str(site_repo), "--show-unknown")
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


def test_sarif_not_checked_notes_only_with_show_unknown(site_repo: Path, run_cli: RunCli) -> None:
    def results(*args: str) -> dict[str, str]:
        return {r["partialFingerprints"]["policykit/v2"]: r["level"]
                for r in _sarif(run_cli, str(site_repo), *args)["runs"][0]["results"]}

    plain, shown = results(), results("--show-unknown")
    assert set(plain) < set(shown)
    assert {shown[k] for k in set(shown) - set(plain)} == {"note"}


def test_sarif_meets_the_schema_and_githubs_upload_limits(site_repo: Path, run_cli: RunCli) -> None:
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

    finding = Finding("PK602", "Origin TCP unreachable", Severity.ERROR, "port 443 refused", Location(""),
                      resource="api.example.com", subject="origin 'api'")
    result = ScanResult(findings=[finding])
    [sarif] = json.loads(render("sarif", result))["runs"][0]["results"]
    assert "physicalLocation" not in sarif["locations"][0]
    assert sarif["locations"][0]["logicalLocations"][0]["name"] == "api.example.com"
    assert render("text", result).startswith("api.example.com: error PK602 port 443 refused")
    assert render("github", result).startswith("::error title=PK602 Origin TCP unreachable::port 443 refused")


def test_sarif_with_suppression_validates(write: Write, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from policykit.api import scan
    from policykit.reporters.sarif import document

    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("shared SARIF schema not present")
    path = write("site.yaml", with_resource_metadata(
        BROKEN, "      policykit:\n        ignore:\n          - id: PK101\n            reason: migrating\n"))
    write("ok.yaml", FIXED)
    result = scan([path, tmp_path / "ok.yaml"])
    doc = document(result, ReportOptions(base_dir=str(tmp_path)))
    jsonschema.validate(doc, json.loads(schema_path.read_text(encoding="utf-8")))
    suppressed = [r for r in doc["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed and suppressed[0]["ruleId"] == "PK101"
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": "migrating"}]


def test_sarif_baseline_state_validates(site_with_a_new_finding: Path, run_cli: RunCli) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip("shared SARIF schema not present")
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
