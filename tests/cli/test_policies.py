"""`policykit policies list|show|validate|test`: the catalog and users' policies on the command line."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import EXAMPLES, RunCli, Write
from tests.templates import WARNING_POLICY

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


def test_policies_list(run_cli: RunCli) -> None:
    code, out, _ = run_cli("policies", "list")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()]
    assert {"PK101", "PK201", "PK301", "PK401", "PK501"} <= set(ids)
    assert "PK101  error    S3 website endpoint reached over HTTPS" in out


def test_policies_list_includes_user_policies(run_cli: RunCli, write: Write) -> None:
    policy_dir = write("p/PK950-custom.yaml", WARNING_POLICY).parent
    code, out, _ = run_cli("policies", "list", "--policies", str(policy_dir))
    assert code == 0
    assert "PK950  warning  Custom origins are reviewed by the platform team" in out


def test_policies_show(run_cli: RunCli) -> None:
    code, out, _ = run_cli("policies", "show", "pk401")
    assert code == 0
    assert out.startswith("PK401: Lambda@Edge association does not name a numbered version")
    for section in ("why:", "symptom:", "fix:", "bad:", "good:", "references:", "source:"):
        assert section in out


def test_policies_show_unknown_id_is_exit_2(run_cli: RunCli) -> None:
    code, out, err = run_cli("policies", "show", "PK999")
    assert code == 2
    assert out == ""
    assert err.strip() == "policykit: no policy PK999; `policykit policies list` shows them"
