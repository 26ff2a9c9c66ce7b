"""Fixtures every test may use: a CLI runner that returns (exit code, stdout, stderr), a file writer, and the
hypothesis profiles. Paths and shared helpers are in tests/helpers.py, inputs in tests/templates.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import RunCli, Write, validate_report
from tests.templates import SITE

# Fuzz tests (tests/fuzz/): a fixed seed and a small budget in the normal suite, so it stays fast and
# repeatable; `--hypothesis-profile=long` for a deep run (see the README), POLICYKIT_FUZZ_EXAMPLES examples per test.
_FUZZ_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("default", max_examples=40, derandomize=True, database=None, deadline=None,
                          suppress_health_check=_FUZZ_CHECKS, print_blob=True)
settings.register_profile("long", max_examples=int(os.environ.get("POLICYKIT_FUZZ_EXAMPLES", "2500")),
                          derandomize=False, database=None, deadline=None, suppress_health_check=_FUZZ_CHECKS,
                          print_blob=True)
settings.load_profile("default")


@pytest.fixture(autouse=True, scope="session")
def _every_json_report_is_valid() -> Iterator[None]:
    """Every JSON report a test makes in this process (`--format json`, `render("json", ...)`) is validated against
    the shipped schema as it is written: a field added to the report without the schema fails the test that
    wrote it. (Reports made by a child process are validated where their test reads them.)"""
    from policykit.reporters import json_report

    original = json_report.document

    def validated(*args: object, **kwargs: object) -> object:
        document = original(*args, **kwargs)  # type: ignore[arg-type]
        validate_report(document)
        return document

    json_report.document = validated  # type: ignore[assignment]
    yield
    json_report.document = original


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run `policykit ARGS` in-process; returns (exit code, stdout, stderr)."""
    from policykit.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "stdout", out)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
        return code, out.getvalue(), err.getvalue()

    return run


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write a file under a temporary directory and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def site_repo(tmp_path: Path) -> Path:
    """A git repository (tmp_path/repo) holding infra/cdn/site.yaml: tests.templates.SITE (PK301 and PK501)."""
    repo = tmp_path / "repo"
    repo.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True, capture_output=True, timeout=60)
    (repo / "infra" / "cdn").mkdir(parents=True)
    (repo / "infra" / "cdn" / "site.yaml").write_text(SITE, encoding="utf-8")
    return repo
