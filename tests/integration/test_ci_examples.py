"""The CI examples parse, and the policykit commands they run work on examples/."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import EXAMPLES, ROOT, RunCli

CI = ROOT / "examples" / "ci"


def _github_runs(doc: dict[str, Any]) -> list[str]:
    return [step["run"] for job in doc["jobs"].values() for step in job["steps"] if "run" in step]


def _gitlab_runs(doc: dict[str, Any]) -> list[str]:
    return [line for job in doc.values() if isinstance(job, dict) and "script" in job for line in job["script"]]


def _policykit_commands(runs: list[str]) -> list[list[str]]:
    commands = []
    for run in runs:
        for line in run.replace("\\\n", " ").splitlines():
            words = shlex.split(line)
            if words and words[0] == "policykit":
                commands.append(words[1:])
    return commands


def _run(command: list[str], run_cli: RunCli) -> tuple[int, str, str]:
    args = [str(EXAMPLES / "cloudformation") if word == "$INFRA" else word for word in command]
    return run_cli(*args)


def test_github_actions_example(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    steps = doc["jobs"]["policykit"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert upload["if"] == "always()"  # findings fail the scan step; the SARIF still goes up
    commands = _policykit_commands(_github_runs(doc))
    assert commands
    monkeypatch.chdir(tmp_path)
    for command in commands:
        code, out, _ = _run(command, run_cli)
        assert code == 1  # the examples are broken on purpose
        assert "::error file=" in out
    sarif = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"]


def test_gitlab_ci_example(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    report = doc["policykit"]["artifacts"]["reports"]["junit"]
    commands = _policykit_commands(_gitlab_runs(doc))
    assert commands
    monkeypatch.chdir(tmp_path)
    for command in commands:
        code, out, _ = _run(command, run_cli)
        assert code == 1 and "error(s)" in out
    xmlschema = pytest.importorskip("xmlschema")
    xmlschema.XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd")).validate(str(tmp_path / report))
