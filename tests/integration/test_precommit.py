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

from policykit import __version__
from tests.helpers import ROOT, RunCli
from tests.templates import BROKEN, FIXED, TF_MODULE


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
    for name in ("stack.yaml", "stack.yml", "stack.json", "stack.template", "main.tf", "cdn.tf.json",
                 "terraform.tfvars", "cdn/terraform.tfvars.json", "prod.auto.tfvars", "cdn/x.auto.tfvars.json"):
        assert files.search(name), name
    for name in ("README.md", "main.py", "terraform.tfstate", "prod.tfvars", "myterraform.tfvars"):
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


def test_a_named_auto_loaded_variable_file_scans_its_module(tmp_path: Path) -> None:
    from policykit.api import discover

    module = tmp_path / "cdn"
    module.mkdir()
    for name in ("main.tf", "terraform.tfvars", "terraform.tfvars.json", "prod.auto.tfvars", "x.auto.tfvars.json"):
        (module / name).write_text("", encoding="utf-8")
    for name in ("terraform.tfvars", "terraform.tfvars.json", "prod.auto.tfvars", "x.auto.tfvars.json"):
        [item] = list(discover([module / name]))
        assert not isinstance(item, Exception) and (item.kind, item.path) == ("terraform", module), name
        assert [f.name for f in item.files] == ["main.tf"]


TF_PROTO_VARIABLE = TF_MODULE.replace("IGNORE", "").replace(
    'origin_protocol_policy = "https-only"', "origin_protocol_policy = var.proto") + """
variable "proto" {
  type    = string
  default = "http-only"
}
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def _skip_without_index(log: str) -> None:
    if "PK10" not in log and ("Could not find a version" in log or "NewConnectionError" in log):
        pytest.skip("pre-commit could not install the hook's dependencies (no package index)")


def test_readme_rev_is_the_release_tag_of_this_version() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"    rev: v{__version__}\n" in readme  # RELEASING.md tags each release vX.Y.Z
    assert f"rev: v{__version__}" in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")


def test_tagged_release_hook(tmp_path: Path) -> None:
    """As a user gets it: a scratch clone tagged the way RELEASING.md tags a release, `try-repo --ref
    vX.Y.Z` (installed from that tag into pre-commit's own virtualenv). A commit that changes only
    terraform.tfvars scans the module and PK101 fails it; a broken template fails, the fixed one passes."""
    command = _pre_commit()
    release = tmp_path / "release"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(release)], check=True, capture_output=True, timeout=120)
    env = _env(tmp_path)
    subprocess.run(["git", "tag", "-a", f"v{__version__}", "-m", f"policykit {__version__}"], cwd=release,
                   env=env, check=True, capture_output=True, timeout=60)
    infra = tmp_path / "infra"
    (infra / "cdn").mkdir(parents=True)
    _git(infra, "init", "-q")
    (infra / "cdn" / "main.tf").write_text(TF_PROTO_VARIABLE, encoding="utf-8")
    _git(infra, "add", ".")
    subprocess.run(["git", "commit", "-q", "-m", "module"], cwd=infra, env=env, check=True, capture_output=True)
    (infra / "cdn" / "terraform.tfvars").write_text('proto = "https-only"\n', encoding="utf-8")
    _git(infra, "add", "cdn/terraform.tfvars")
    proc = subprocess.run([*command, "try-repo", str(release), "policykit", "--ref", f"v{__version__}",
                           "--files", "cdn/terraform.tfvars"],
                          cwd=infra, env=env, capture_output=True, text=True, timeout=900)
    _skip_without_index(proc.stdout + proc.stderr)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "cdn/main.tf" in proc.stdout and "error PK101" in proc.stdout, proc.stdout

    def hook(name: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, "try-repo", str(release), "policykit", "--ref", f"v{__version__}",
                               "--files", name], cwd=infra, env=env, capture_output=True, text=True, timeout=900)

    (infra / "site.yaml").write_text(BROKEN, encoding="utf-8")
    _git(infra, "add", "site.yaml")
    broken = hook("site.yaml")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "site.yaml:17:37: error PK101" in broken.stdout
    (infra / "site.yaml").write_text(FIXED, encoding="utf-8")
    _git(infra, "add", "site.yaml")
    fixed = hook("site.yaml")
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


def test_all_files_of_a_repository_with_its_own_policies_pass(tmp_path: Path, run_cli: RunCli,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """`pre-commit run --all-files` names every file the hook's pattern takes, the policies' fail fixtures (broken
    on purpose), the policy files and the configuration included: only the templates are scanned."""
    import json
    import re

    from tests.helpers import user_repository

    repo = user_repository(tmp_path, "policies: [policies/]\nbaseline: .policykit-baseline.json\nfiles:\n"
                                     "  - pattern: cfn/web.yaml\n    params: {Proto: http-only}\n")
    (repo / ".policykit-baseline.json").write_text('{"policykit_baseline": 2, "findings": []}\n', encoding="utf-8")
    hook = next(h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
                if h["id"] == "policykit")
    taken = re.compile(hook["files"])
    files = sorted(p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
    named = [f for f in files if taken.search(f)]
    assert "policies/ACME001-read-timeout/tests/fail/slow.yaml" in named and ".policykit.yaml" in named
    monkeypatch.chdir(repo)
    code, out, err = run_cli("scan", "--format", "json", *named)
    document = json.loads(out)
    assert code == 0, err
    assert (list(document["summary"]["distributions_by_file"]), document["skipped"]) == (["cfn/web.yaml"], [])
