"""The CLI answers, and the built-in catalog loads and is valid against the policy schema."""

from __future__ import annotations

from tests.helpers import RunCli


def test_version(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--version")
    assert code == 0
    assert out.startswith("policykit ")
