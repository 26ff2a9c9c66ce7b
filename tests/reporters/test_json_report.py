"""The JSON report (policykit/reporters/json_report.py): the document's shape, and input errors on stderr."""

from __future__ import annotations

import json
from pathlib import Path

from policykit import api
from tests.helpers import RunCli
from tests.reporters.helpers import render

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
