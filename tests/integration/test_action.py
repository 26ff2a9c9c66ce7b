"""action.yml (composite): its policykit steps run as the runner would run them, with bash."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import EXAMPLES, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def _expand(text: str, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        if expression == "github.action_path":
            return str(ROOT)
        if expression.startswith("steps.scan.outputs."):
            return outputs[expression.removeprefix("steps.scan.outputs.")]
        raise AssertionError(f"unexpected expression {expression}")

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def _run_steps(tmp_path: Path, **given: str) -> tuple[list[subprocess.CompletedProcess[str]], dict[str, str]]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | given
    outputs: dict[str, str] = {}
    github_output = tmp_path / "github_output"
    results = []
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_OUTPUT": str(github_output)}
    for step in ACTION["runs"]["steps"]:
        if "run" not in step or "pip install" in step["run"]:
            continue  # setup-python and the upload are other actions; installing is what this venv did
        step_env = {k: _expand(str(v), inputs, outputs) for k, v in step.get("env", {}).items()}
        proc = subprocess.run([bash, "-e", "-c", _expand(step["run"], inputs, outputs)], cwd=tmp_path,
                              env={**env, **step_env}, capture_output=True, text=True, timeout=300)
        results.append(proc)
        if github_output.is_file():
            outputs.update(line.split("=", 1) for line in github_output.read_text().splitlines() if "=" in line)
    return results, outputs


def test_action_shape() -> None:
    assert ACTION["runs"]["using"] == "composite"
    steps: list[dict[str, Any]] = ACTION["runs"]["steps"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert upload["if"].startswith("always()")
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "${{ github.action_path }}" in install["run"]  # the action's own version, not the index's policykit


def test_action_scan_steps_report_and_fail_on_findings(tmp_path: Path) -> None:
    infra = tmp_path / "infra"
    shutil.copytree(EXAMPLES / "cloudformation", infra)
    (scan, verdict), outputs = _run_steps(tmp_path, paths="infra")
    assert scan.returncode == 0, scan.stderr  # the scan step records the code and lets the upload run
    assert outputs["exit-code"] == "1"
    assert verdict.returncode == 1  # ... and the last step fails the job
    sarif = json.loads((tmp_path / "policykit.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris and all(u.startswith("infra/") for u in uris)
    assert any(line.startswith("::error file=infra/") for line in scan.stdout.splitlines())


def test_action_passes_args_and_succeeds_when_clean(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "cloudformation" / "correct.yaml", tmp_path / "correct.yaml")
    (scan, verdict), outputs = _run_steps(tmp_path, paths="correct.yaml", args="--severity-threshold warning",
                                          **{"sarif-file": "report.sarif"})
    assert (outputs["exit-code"], verdict.returncode) == ("0", 0), scan.stdout + scan.stderr
    assert json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []
