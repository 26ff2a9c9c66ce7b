"""action.yml (composite): its own steps run as the runner would run them, with bash, in a scratch workspace.

The steps that are other actions (setup-python, cache, upload-sarif) are not run; their shape is checked. The
install step runs with a stand-in Python that records what it is asked to do (it would download packages), and
the scan steps then run with this test's own Python, where policykit is installed."""

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

from tests.helpers import EXAMPLES, ROOT, validate_report
from tests.templates import READ_TIMEOUT_POLICY

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}")


class Runner:
    """The values a step's expressions read: inputs, the action's path, the runner's temp, earlier steps."""

    def __init__(self, workspace: Path, inputs: dict[str, str]) -> None:
        self.workspace = workspace
        self.temp = workspace.parent / "runner-temp"
        self.temp.mkdir(exist_ok=True)
        self.inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()} | inputs
        self.outputs: dict[str, dict[str, str]] = {"install": {"python": sys.executable}}  # policykit is here
        self.outcomes: dict[str, str] = {}

    def value(self, expression: str) -> str:
        expression = expression.strip()
        if expression.startswith("inputs."):
            return self.inputs[expression.removeprefix("inputs.")]
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "runner.temp":
            return str(self.temp)
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if match:
            return self.outputs.get(match.group(1), {}).get(match.group(2), "")
        raise AssertionError(f"an expression this test does not know: {expression}")

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        """`if:` as the runner reads the few forms action.yml uses (eval of action.yml's own conditions only)."""
        python = text.replace("always()", "True").replace("&&", " and ").replace("||", " or ")
        python = re.sub(r"steps\.([\w-]+)\.outcome", lambda m: repr(self.outcomes.get(m.group(1), "skipped")), python)
        python = re.sub(r"steps\.([\w-]+)\.outputs\.([\w-]+)",
                        lambda m: repr(self.outputs.get(m.group(1), {}).get(m.group(2), "")), python)
        python = re.sub(r"inputs\.([\w-]+)", lambda m: repr(self.inputs[m.group(1)]), python)
        return bool(eval(python, {"__builtins__": {}}, {"True": True}))

    def run(self, step: dict[str, Any], extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        bash = shutil.which("bash")
        if bash is None:
            pytest.skip("bash is not installed")
        github_output = self.temp / f"output-{step.get('id', 'step')}"
        github_output.write_text("", encoding="utf-8")
        env = {**os.environ, "GITHUB_OUTPUT": str(github_output), "RUNNER_TEMP": str(self.temp),
               "GITHUB_WORKSPACE": str(self.workspace), "GITHUB_REPOSITORY": "acme/site",
               "GITHUB_EVENT_NAME": "push", "GITHUB_ACTOR": "someone"}
        env |= {k: self.expand(str(v)) for k, v in step.get("env", {}).items()} | (extra_env or {})
        cwd = self.workspace / self.expand(str(step.get("working-directory", ".")))
        proc = subprocess.run([bash, "-e", "-c", self.expand(step["run"])], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=300)
        if "id" in step:
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in github_output.read_text().splitlines()
                                            if "=" in line)
        return proc


def _step(step_id: str) -> dict[str, Any]:
    return next(s for s in STEPS if s.get("id") == step_id)


def _run_steps(workspace: Path, upload_outcome: str = "success", extra_env: dict[str, str] | None = None,
               **given: str) -> tuple[dict[str, subprocess.CompletedProcess[str]], Runner]:
    """Every step of the action after the install, by id (or name), as the runner would run them."""
    runner = Runner(workspace, given)
    ran: dict[str, subprocess.CompletedProcess[str]] = {}
    for step in STEPS:
        if step.get("id") in ("python", "install") or ("uses" in step and "run" not in step and
                                                         step.get("id") != "upload"):
            continue  # another action, or the install (tested on its own below)
        if "if" in step and not runner.condition(step["if"]):
            continue
        if "uses" in step:  # the upload: what it would have done is the test's to say
            runner.outcomes[step["id"]] = upload_outcome
            continue
        ran[step.get("id") or step["name"]] = runner.run(step, extra_env)
    return ran, runner


def test_action_shape() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert {"paths", "args", "version", "working-directory", "sarif-file", "upload-sarif"} <= set(ACTION["inputs"])
    python = _step("python")
    # a Python for policykit alone: the job's own Python, PATH and environment stay as they were
    assert python["uses"].startswith("actions/setup-python@") and python["with"]["update-environment"] is False
    assert all(not str(s.get("uses", "")).startswith("actions/setup-python") or s is python for s in STEPS)
    assert not any(word in str(s.get("run", "")) for s in STEPS for word in ("GITHUB_PATH", "GITHUB_ENV"))
    install = _step("install")
    assert install["env"]["PYTHON"] == "${{ steps.python.outputs.python-path }}"
    assert install["env"]["VENV"].startswith("${{ runner.temp }}")
    cache = next(s for s in STEPS if str(s.get("uses", "")).startswith("actions/cache@"))
    assert cache["with"]["path"] == install["env"]["PIP_CACHE_DIR"]  # pip's downloads are what is cached
    upload = _step("upload")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["if"].startswith("always()") and "steps.scan.outputs.upload == 'true'" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.scan.outputs.sarif }}"
    assert upload["continue-on-error"] == "${{ inputs.upload-sarif != 'true' }}"
    assert "$PATHS" not in _step("scan")["run"] and "$ARGS" not in _step("scan")["run"]  # no shell splits them


def _install(tmp_path: Path, version: str) -> tuple[subprocess.CompletedProcess[str], Runner, str]:
    """The install step with a stand-in Python that records its arguments (and makes the venv's)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    log = tmp_path / "python.log"
    fake = tmp_path / "fake-python"
    fake.write_text("#!/bin/sh\n"
                    f'echo "$0 $*" >> "{log}"\n'
                    'if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; fi\n',
                    encoding="utf-8")
    fake.chmod(0o755)
    runner = Runner(tmp_path / "workspace", {"version": version})
    runner.workspace.mkdir(exist_ok=True)
    runner.outputs["python"] = {"python-path": str(fake)}
    proc = runner.run(_step("install"))
    return proc, runner, log.read_text(encoding="utf-8") if log.is_file() else ""


def test_the_install_step_makes_its_own_venv_and_installs_the_actions_policykit(tmp_path: Path) -> None:
    proc, runner, log = _install(tmp_path, "")
    assert proc.returncode == 0, proc.stderr
    venv = runner.temp / "policykit-venv"
    [made, installed] = log.splitlines()
    assert made.endswith(f"-m venv {venv}")
    assert installed.startswith(str(venv / "bin" / "python")) and installed.endswith(f"-m pip install "
                                                                                    f"--disable-pip-version-check "
                                                                                    f"--quiet {ROOT}")
    assert runner.outputs["install"]["python"] == str(venv / "bin" / "python")


def test_the_install_step_pins_the_version_asked_for_and_refuses_what_is_not_one(tmp_path: Path) -> None:
    proc, _, log = _install(tmp_path, "0.2.0")
    assert proc.returncode == 0 and log.splitlines()[-1].endswith("install --disable-pip-version-check --quiet "
                                                                  "cloudfront-policykit==0.2.0")
    for bad in ("latest", "0.2.0 --index-url http://evil.example", "1.0\n::error::forged"):
        proc, _, log = _install(tmp_path / bad.split()[0].replace("\n", "_"), bad)
        assert proc.returncode == 2 and log == ""
        assert "version: not a version number" in proc.stdout and "forged" not in proc.stdout and "evil" not in (
            proc.stdout)


def test_action_scan_steps_report_and_fail_on_findings(tmp_path: Path) -> None:
    infra = tmp_path / "infra"
    shutil.copytree(EXAMPLES / "cloudformation", infra)
    ran, runner = _run_steps(tmp_path, paths="infra")
    scan, verdict = ran["scan"], ran["Verdict"]
    assert scan.returncode == 0, scan.stderr  # the scan step records the code and lets the upload run
    assert runner.outputs["scan"]["exit-code"] == "1"
    assert verdict.returncode == 1  # ... and the last step fails the job
    sarif_path = Path(runner.outputs["scan"]["sarif"])
    assert sarif_path == tmp_path / "policykit.sarif" and runner.outputs["scan"]["upload"] == "true"
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris and all(u.startswith("infra/") for u in uris)
    lines = scan.stdout.splitlines()
    assert any(line.startswith("::error file=infra/") for line in lines)  # the annotations ...
    assert any(" error PK101 " in line and not line.startswith("::") for line in lines)  # ... and the text report
    assert any("error(s)" in line for line in lines)


def test_action_passes_args_and_succeeds_when_clean(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "cloudformation" / "correct.yaml", tmp_path / "correct.yaml")
    ran, runner = _run_steps(tmp_path, paths="correct.yaml", args="--severity-threshold warning",
                             **{"sarif-file": "report.sarif"})
    scan = ran["scan"]
    assert (runner.outputs["scan"]["exit-code"], ran["Verdict"].returncode) == ("0", 0), scan.stdout + scan.stderr
    assert json.loads((tmp_path / "report.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []


def test_paths_and_args_are_never_split_or_expanded_by_a_shell(tmp_path: Path) -> None:
    """`paths`/`args` were put unquoted on a bash command line: a path with a space became two, a `*` globbed."""
    spaced = tmp_path / "my infra"
    shutil.copytree(EXAMPLES / "cloudformation", spaced)
    (tmp_path / "stacks").mkdir()
    shutil.copy(EXAMPLES / "cloudformation" / "correct.yaml", tmp_path / "stacks" / "web site.yaml")
    ran, runner = _run_steps(tmp_path, paths="my infra\nstacks/web site.yaml\n",
                             args='--severity-threshold "warning"\n--output "json=report $HOME.json"')
    assert runner.outputs["scan"]["exit-code"] == "1", ran["scan"].stdout + ran["scan"].stderr
    assert "::error file=my infra/" in ran["scan"].stdout
    report = json.loads((tmp_path / "report $HOME.json").read_text(encoding="utf-8"))  # no variable expanded
    validate_report(report)
    assert "stacks/web site.yaml" in report["summary"]["distributions_by_file"]
    # the same as JSON lists; and a `*` is a file name, never a glob
    ran, runner = _run_steps(tmp_path, paths='["stacks/web site.yaml"]', args='["--severity-threshold", "info"]')
    assert runner.outputs["scan"]["exit-code"] == "0", ran["scan"].stdout + ran["scan"].stderr
    ran, runner = _run_steps(tmp_path, paths="stacks/*.yaml")
    assert runner.outputs["scan"]["exit-code"] == "2" and "stacks/*.yaml" in ran["scan"].stderr
    ran, runner = _run_steps(tmp_path, paths='["unclosed"')
    assert runner.outputs["scan"]["exit-code"] == "2" and "::error title=policykit action::paths" in (
        ran["scan"].stdout)
    assert ran["Verdict"].returncode == 2


def test_working_directory_is_where_policykit_runs(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "cloudformation", repo / "infra")
    ran, runner = _run_steps(tmp_path, paths="infra", **{"working-directory": "repo"})
    assert runner.outputs["scan"]["exit-code"] == "1", ran["scan"].stderr
    assert runner.outputs["scan"]["sarif"] == str(repo / "policykit.sarif")
    assert (repo / "policykit.sarif").is_file()


def _event(tmp_path: Path, head_repository: str) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"head": {"repo": {"full_name": head_repository}}}}),
                     encoding="utf-8")
    return {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event)}


@pytest.mark.parametrize(("upload", "head", "actor", "uploaded"), [
    ("auto", "acme/site", "someone", "true"),  # a pull request from a branch of the repository
    ("auto", "someone/site", "someone", "false"),  # from a fork: a read-only token
    ("auto", "acme/site", "dependabot[bot]", "false"),
    ("false", "acme/site", "someone", "false"),
    ("true", "someone/site", "someone", "true"),  # asked for: tried, and a failure fails the job
])
def test_the_sarif_is_uploaded_only_when_the_token_can(tmp_path: Path, upload: str, head: str, actor: str,
                                                       uploaded: str) -> None:
    shutil.copy(EXAMPLES / "cloudformation" / "correct.yaml", tmp_path / "correct.yaml")
    env = _event(tmp_path, head) | {"GITHUB_ACTOR": actor}
    ran, runner = _run_steps(tmp_path, extra_env=env, paths="correct.yaml", **{"upload-sarif": upload})
    assert runner.outputs["scan"]["upload"] == uploaded, ran["scan"].stdout + ran["scan"].stderr
    said = "::notice title=policykit::not uploading the SARIF report" in ran["scan"].stdout
    assert said == (upload == "auto" and uploaded == "false")  # skipping is said, never silent


def test_a_failed_upload_is_explained_in_a_warning(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "cloudformation" / "correct.yaml", tmp_path / "correct.yaml")
    ran, _ = _run_steps(tmp_path, upload_outcome="failure", paths="correct.yaml")
    explained = ran["Explain a failed upload"]
    assert "::warning title=policykit::the SARIF upload to code scanning failed" in explained.stdout
    assert "security-events: write" in explained.stdout and ran["Verdict"].returncode == 0
    ran, _ = _run_steps(tmp_path, upload_outcome="success", paths="correct.yaml")
    assert "Explain a failed upload" not in ran


def test_the_configs_policy_fixtures_are_not_scanned_as_templates(tmp_path: Path) -> None:
    """The README's layout keeps a policy's fail fixtures in the repository: the default `paths: .` scanned them."""
    policy = tmp_path / "policies" / "ACME001-read-timeout.yaml"
    policy.parent.mkdir()
    policy.write_text(READ_TIMEOUT_POLICY, encoding="utf-8")
    fixture = tmp_path / "policies" / "ACME001-read-timeout" / "tests" / "fail" / "slow.yaml"
    fixture.parent.mkdir(parents=True)
    fixture.write_text((EXAMPLES / "cloudformation" / "correct.yaml").read_text(encoding="utf-8").replace(
        "OriginProtocolPolicy: https-only", "OriginProtocolPolicy: https-only\n              OriginReadTimeout: 60"),
        encoding="utf-8")
    (tmp_path / ".policykit.yaml").write_text("policies: [policies]\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "cloudformation" / "correct.yaml", tmp_path / "site.yaml")
    ran, runner = _run_steps(tmp_path, args="--severity-threshold warning")
    assert runner.outputs["scan"]["exit-code"] == "0", ran["scan"].stdout + ran["scan"].stderr
