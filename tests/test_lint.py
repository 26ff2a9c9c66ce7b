"""The package stays `ruff` and `mypy --strict` clean (config in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.helpers import ROOT


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "ruff", "check", "policykit", "action"],  # action/: the GitHub Action's scan step
    [sys.executable, "-m", "mypy"],
], ids=["ruff", "mypy"])
def test_linter_is_clean(command: list[str]) -> None:
    module = command[2]
    if shutil.which(module) is None and subprocess.run(
            [sys.executable, "-c", f"import {module}"], capture_output=True).returncode:
        pytest.skip(f"{module} is not installed")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
