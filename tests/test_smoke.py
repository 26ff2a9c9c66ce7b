"""The CLI answers, and the built-in catalog loads and is valid against the policy schema."""

from __future__ import annotations

from policykit.policy.loader import load_policies
from tests.helpers import RunCli


def test_version(run_cli: RunCli) -> None:
    code, out, _ = run_cli("--version")
    assert code == 0
    assert out.startswith("policykit ")


def test_builtin_policies_are_schema_valid() -> None:
    ids = [p.id for p in load_policies(validate_builtin=True)]
    assert {"PK101", "PK201", "PK301", "PK401", "PK501"} <= set(ids)
