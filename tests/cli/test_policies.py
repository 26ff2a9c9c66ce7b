"""`policykit policies list|show|validate|test`: the catalog and users' policies on the command line."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import EXAMPLES, RunCli, Write

POLICY = """id: PK901
title: Custom check
severity: error
applies_to: {kind}
condition:
{condition}
message: "{message}"
"""


def _policy(write: Write, condition: str, kind: str = "origin", message: str = "{{label}} is wrong") -> Path:
    path = write("mine/PK901-custom.yaml", POLICY.format(kind=kind, condition=condition, message=message))
    return path.parent


def test_policies_validate_reports_every_bad_file_and_exits_2(write: Write, run_cli: RunCli) -> None:
    assert run_cli("policies", "validate")[0] == 0  # the built-in catalog
    directory = _policy(write, "  fact: uses_http\n  equals: true")
    write("mine/PK902-other.yaml", POLICY.format(kind="alias", condition="  fact: nme\n  equals: x",
                                                 message="x").replace("PK901", "PK902"))
    code, out, err = run_cli("policies", "validate", str(directory))
    assert code == 2
    assert "2 policy file(s): 0 valid, 2 invalid" in out
    assert "'uses_http'" in err and "'nme'" in err
    assert run_cli("scan", "--policies", str(directory), str(EXAMPLES))[0] == 2
