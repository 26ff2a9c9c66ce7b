"""The `policykit` command itself (policykit/cli/__init__.py): it answers --version, shows usage without
arguments, and the real entry point passes its exit code to the shell."""

from __future__ import annotations

import subprocess
import sys

from policykit import __version__
from tests.helpers import EXAMPLES, ROOT, RunCli

BROKEN = EXAMPLES / "cloudformation" / "broken-origins.yaml"


def test_the_command_answers_with_its_name(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--version")
    assert code == 0
    assert out.startswith("policykit ")


def test_no_arguments_shows_usage_not_a_crash(run_cli: RunCli) -> None:
    code, out, err = run_cli()
    assert code == 2
    assert "Usage:" in out + err
    assert "internal error" not in out + err


def test_subprocess_output_has_no_colour_and_exit_code() -> None:
    """The real entry point, stdout a pipe: no escape codes, and the exit code reaches the shell."""
    proc = subprocess.run([sys.executable, "-m", "policykit", "scan", str(BROKEN)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "PK201" in proc.stdout
    assert "\033[" not in proc.stdout + proc.stderr


def test_version(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--version")
    assert (code, out.strip()) == (0, f"policykit {__version__} (cloudfront-policykit)")
