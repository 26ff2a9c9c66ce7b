"""`policykit policies list|show|validate|test`: the catalog and users' policies on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, RunCli, Write, user_repository
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


def test_policies_fields_lists_every_model_field_of_an_object_with_its_type(run_cli: RunCli) -> None:
    """`protocol_policy` was found only through a did-you-mean: the model's fields are listed, per object."""
    code, out, _ = run_cli("policies", "fields", "origin")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    assert "text" in rows["protocol_policy"] and "number" in rows["read_timeout"]
    assert "list of custom_header" in rows["custom_headers"] and rows["distribution"].split()[1] == "distribution"
    assert out.splitlines()[0] == "origin:"


def test_policies_fields_covers_every_field_a_fact_path_may_name(run_cli: RunCli) -> None:
    from dataclasses import fields

    from policykit.policy.paths import kinds

    code, out, _ = run_cli("policies", "fields")
    assert code == 0
    listed: dict[str, set[str]] = {}
    kind = ""
    for line in out.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            kind = line[:-1]
        elif line.startswith("  "):
            listed.setdefault(kind, set()).add(line.split()[0])
    for name, cls in kinds().items():
        assert {f.name for f in fields(cls)} - {"loc", "locs"} <= listed[name], name
    assert {"edge_result", "edge_header", "live_name"} <= set(listed)  # the function runs' and the probes' too


def test_policies_fields_of_a_kind_that_does_not_exist_is_exit_2_with_the_nearest(run_cli: RunCli) -> None:
    code, out, err = run_cli("policies", "fields", "orign")
    assert code == 2 and out == ""
    assert "no object kind 'orign' (did you mean 'origin'?)" in err
# -- The policies commands read the configuration `scan` reads -----------------------------------------------------

def test_policies_commands_read_the_configuration(tmp_path: Path, run_cli: RunCli,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The policy that `scan` runs from `.policykit.yaml` is the one `policies list/show/test/validate` know, from
    any directory of the repository; `--no-config` and `--config` as for `scan`."""
    repo = user_repository(tmp_path / "repo", "policies: [policies/]\nseverity: {PK101: warning}\ndisable: [PK202]\n")
    monkeypatch.chdir(repo / "cfn")
    code, out, err = run_cli("policies", "show", "ACME001")
    assert code == 0 and out.startswith("ACME001: Origin read timeout above our 30 s limit"), err
    code, out, _ = run_cli("policies", "list")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["ACME001"] == "ACME001  warning  Origin read timeout above our 30 s limit"
    assert lines["PK101"].startswith("PK101  warning  ")  # as the configuration sets it
    assert lines["PK202"].endswith("(off: disable in .policykit.yaml)")
    code, out, _ = run_cli("policies", "test")
    assert code == 0 and out.splitlines() == ["PASS ACME001 fail/slow.yaml", "PASS ACME001 pass/fast.yaml",
                                              "2 fixture(s): 2 passed, 0 failed"]
    code, out, _ = run_cli("policies", "validate")
    assert (code, out.strip()) == (0, "1 policy file(s): 1 valid, 0 invalid")
    assert run_cli("policies", "show", "ACME001", "--no-config")[0] == 2
    assert "ACME001" not in run_cli("policies", "list", "--no-config")[1]
    monkeypatch.chdir(tmp_path)
    assert "ACME001" not in run_cli("policies", "list")[1]  # no configuration here
    code, out, _ = run_cli("policies", "list", "--config", str(repo / ".policykit.yaml"))
    assert code == 0 and "ACME001" in out


def test_policies_show_says_what_the_configuration_changes(tmp_path: Path, run_cli: RunCli,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    repo = user_repository(tmp_path, "severity: {PK101: warning}\nenable: [PK2*]\n")
    monkeypatch.chdir(repo)
    code, out, _ = run_cli("policies", "show", "PK101")
    assert code == 0
    assert "severity: warning (set by .policykit.yaml; the policy says error)" in out
    assert "(off: not in enable of .policykit.yaml)" in out


def test_a_broken_configuration_stops_every_policies_command(tmp_path: Path, run_cli: RunCli,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    repo = user_repository(tmp_path, "policies: [policies/]\ndisabled: [PK201]\n")
    monkeypatch.chdir(repo)
    for command in (("list",), ("show", "PK101"), ("facts",), ("test",), ("validate",)):
        code, out, err = run_cli("policies", *command)
        assert code == 2 and "unknown key 'disabled'" in err and ".policykit.yaml:2:1" in err, (command, out, err)
    assert run_cli("policies", "facts", "--no-config")[0] == 0
    (repo / ".policykit.yaml").write_text("policies: [policies/]\ndisable: [PK2O1]\n", encoding="utf-8")
    for command in (("list",), ("show", "PK101"), ("facts",)):  # an id naming no policy, as `scan` says
        code, out, err = run_cli("policies", *command)
        assert code == 2 and "no policy 'PK2O1' (did you mean PK201?)" in err, (command, out, err)
