"""The pre-commit hook, for real: `pre-commit try-repo <this checkout> policykit --files ...`.

try-repo installs this package into its own virtualenv (from the checkout's HEAD plus
uncommitted changes), so the hook runs exactly as users get it. It needs the package index
for the dependencies; CI has it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, RunCli
from templates import BROKEN, FIXED


def _pre_commit() -> list[str]:
    if shutil.which("pre-commit"):
        return ["pre-commit"]
    if subprocess.run([sys.executable, "-c", "import pre_commit"], capture_output=True).returncode == 0:
        return [sys.executable, "-m", "pre_commit"]
    pytest.skip("pre-commit is not installed")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, timeout=60)


def test_hook_manifest_matches_templates_and_terraform() -> None:
    import re

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "policykit")
    assert hook["language"] == "python"
    assert hook["entry"] == "policykit scan"
    assert hook.get("pass_filenames", True)
    files = re.compile(hook["files"])
    for name in ("stack.yaml", "stack.yml", "stack.json", "stack.template", "main.tf", "cdn.tf.json"):
        assert files.search(name), name
    for name in ("README.md", "main.py", "terraform.tfstate"):
        assert not files.search(name), name


def test_a_named_tf_file_scans_its_module(tmp_path: Path) -> None:
    from policykit.api import discover

    module = tmp_path / "cdn"
    module.mkdir()
    for name in ("main.tf", "variables.tf", "outputs.tf"):
        (module / name).write_text("", encoding="utf-8")
    inputs = list(discover([module / "main.tf", module / "variables.tf"]))
    assert len(inputs) == 1  # several changed files of one module: scanned once
    item = inputs[0]
    assert not isinstance(item, Exception) and item.kind == "terraform" and item.path == module
    assert sorted(f.name for f in item.files) == ["main.tf", "outputs.tf", "variables.tf"]


def test_hook_fails_on_broken_then_passes_on_fixed(tmp_path: Path) -> None:
    command = _pre_commit()
    repo = tmp_path / "infra"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "site.yaml").write_text(BROKEN, encoding="utf-8")
    _git(repo, "add", "site.yaml")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, "try-repo", str(ROOT), "policykit", "--files", "site.yaml"],
                              cwd=repo, env=env, capture_output=True, text=True, timeout=900)

    broken = hook()
    log = broken.stdout + broken.stderr
    if "PK101" not in log and ("Could not find a version" in log or "NewConnectionError" in log):
        pytest.skip("pre-commit could not install the hook's dependencies (no package index)")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "site.yaml:17:37: error PK101" in broken.stdout

    (repo / "site.yaml").write_text(FIXED, encoding="utf-8")
    _git(repo, "add", "site.yaml")
    fixed = hook()
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout


def test_hook_entry_handles_non_templates(tmp_path: Path, run_cli: RunCli) -> None:
    """pre-commit passes every .yaml/.json: files that are not templates are skipped, not errors."""
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x"}\n', encoding="utf-8")
    (tmp_path / "site.yaml").write_text(FIXED, encoding="utf-8")
    code, out, err = run_cli("scan", str(tmp_path / ".pre-commit-config.yaml"), str(tmp_path / "package.json"),
                             str(tmp_path / "site.yaml"))
    assert code == 0, out + err
    assert "1 file(s)" in out
