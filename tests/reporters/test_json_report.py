"""The JSON report (policykit/reporters/json_report.py): the document's shape, input errors on stderr, and its JSON
Schema (policykit/reporters/report_schema.json, `policykit schema report`), which every report the tests make
must match (tests/conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykit import api
from tests.helpers import REPORT_SCHEMA, RunCli, validate_report
from tests.reporters.helpers import render
from tests.templates import with_resource_metadata

FINDING_KEYS = {"policy_id", "severity", "message", "file", "line", "column", "resource", "distribution"}


def test_json_document_shape(mixed: list[Path]) -> None:
    document = json.loads(render("json", api.scan(mixed)))
    assert {"findings", "summary", "errors"} <= set(document)
    known = [f for f in document["findings"] if not f["unknown"]]
    assert {f["policy_id"] for f in known} >= {"PK101", "PK201", "PK301", "PK401", "PK501"}
    for finding in document["findings"]:
        assert set(finding) >= FINDING_KEYS
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["line"], int) and finding["line"] > 0
        assert isinstance(finding["column"], int) and finding["column"] > 0
    pk501 = next(f for f in known if f["policy_id"] == "PK501")
    assert pk501["file"].endswith("broken-viewer-and-edge.yaml")
    assert (pk501["resource"], pk501["distribution"]) == ("Distribution", "Distribution")
    summary = document["summary"]
    assert summary["files"] == 2
    assert summary["distributions"] == 2
    assert summary["skipped"] == 1
    assert summary["error"] >= 5
    assert summary["findings"]["error"] == summary["error"]
    assert set(summary["findings"]) == {"error", "warning", "info"}
    [error] = document["errors"]
    assert error["file"].endswith("invalid.yaml")
    assert error["line"] == 4
    assert error["message"].startswith("invalid YAML")


def test_json_via_cli_is_exit_2_with_errors_on_stderr(run_cli: RunCli, mixed: list[Path]) -> None:
    code, out, err = run_cli("scan", "--format", "json", *map(str, mixed))
    assert code == 2
    assert json.loads(out)["summary"]["input_errors"] == 1
    assert "invalid.yaml:4" in err


def test_policykit_schema_report_prints_the_shipped_schema(run_cli: RunCli) -> None:
    from jsonschema import Draft202012Validator

    code, out, _ = run_cli("schema", "report")
    assert code == 0
    schema = json.loads(out)
    Draft202012Validator.check_schema(schema)
    assert schema == json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    for name, key in (("policy", "condition"), ("config", "baseline")):
        code, out, _ = run_cli("schema", name)
        assert code == 0 and key in json.loads(out)["properties"]


def _objects(node: object, where: str = "") -> Iterator[tuple[str, dict[str, object]]]:
    if isinstance(node, dict):
        if "properties" in node:
            yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


def test_every_object_of_the_report_schema_names_all_its_fields() -> None:
    """The report is our format: an object that admitted more than it names would let a new field in unseen."""
    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    closed = list(_objects(schema))
    assert len(closed) >= 6
    for where, node in closed:
        assert node.get("additionalProperties") is False, where
        assert set(node.get("required", [])) <= set(node["properties"]), where  # type: ignore[arg-type]


def test_a_field_the_schema_does_not_name_fails_the_test_that_writes_it(mixed: list[Path],
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.loads(render("json", api.scan(mixed)))
    for holder in (document, document["summary"], document["summary"]["findings"], document["findings"][0],
                   document["errors"][0]):
        holder["added_by_a_change"] = 1
        with pytest.raises(AssertionError, match="added_by_a_change"):
            validate_report(document)
        del holder["added_by_a_change"]
    validate_report(document)
    # ... and the check tests/conftest.py puts on every JSON report a test renders sees it too
    from policykit.reporters import json_report

    original = json_report.finding_dict
    monkeypatch.setattr(json_report, "finding_dict", lambda *a: {**original(*a), "added_by_a_change": 1})
    with pytest.raises(AssertionError, match="added_by_a_change"):
        render("json", api.scan(mixed))


def test_a_report_with_every_optional_field_is_valid(site_with_a_new_finding: Path, run_cli: RunCli) -> None:
    """Baseline states, a fix example, a suppression and structured evidence, all in one report."""
    site = site_with_a_new_finding / "site.yaml"
    text = with_resource_metadata(site.read_text(encoding="utf-8"), "      policykit:\n        ignore:\n"
                                  "          - {id: PK306, reason: viewers on plain HTTP are fine here}\n")
    site.write_text(text.replace("redirect-to-https", "allow-all"), encoding="utf-8")
    code, out, _ = run_cli("scan", "site.yaml", "--baseline", "b.json", "--format", "json")
    document = json.loads(out)
    validate_report(document)
    assert code == 1  # the new PK101
    findings = document["findings"]
    assert {f.get("baseline") for f in findings} >= {"new", "unchanged"}
    assert any("fix_example" in f for f in findings)
    assert "baseline" in document["summary"] and document["summary"]["suppressed"] == 1
    [suppressed] = [f for f in findings if f["suppressed"]]
    assert suppressed["policy_id"] == "PK306" and suppressed["suppression_reason"]
