"""Every static built-in policy (PK1xx-PK5xx) has a Terraform example (`policykit policies show --as hcl`) that
is right: the bad one, made into the module it is a piece of (tests/catalog/helpers.py), fires the policy when
scanned; the good one does not; both are valid for the AWS provider (tests/catalog/provider_schema.py) and
formatted as `terraform fmt` writes them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.policy.loader import load_policies
from tests.catalog.helpers import example_module, split_example
from tests.catalog.provider_schema import provider_problems

STATIC = {p.id: p for p in load_policies(validate_builtin=True)
          if p.id[2] in "12345" and not p.applies_to.startswith(("live_", "edge_"))}
CASES = [(policy_id, kind) for policy_id in sorted(STATIC) for kind in ("bad", "good")]


def test_every_static_policy_has_a_terraform_example() -> None:
    assert len(STATIC) >= 34
    missing = [p for p, policy in STATIC.items()
               if not (policy.examples.get("terraform_bad", "").strip() and policy.examples.get("terraform_good"))]
    assert missing == []


def _findings(policy_id: str, kind: str, tmp_path: Path) -> list[str]:
    module = tmp_path / "module"
    module.mkdir()
    (module / "main.tf").write_text(example_module(STATIC[policy_id].examples[f"terraform_{kind}"]), encoding="utf-8")
    result = scan([module], ScanOptions())
    assert result.errors == (), result.errors
    return [f"{f.location.line}: {f.message}" for f in result.findings if f.policy_id == policy_id and not f.unknown]


@pytest.mark.parametrize(("policy_id", "kind"), CASES, ids=[f"{p}-{k}" for p, k in CASES])
def test_the_terraform_example_fires_its_policy_when_bad_and_not_when_good(policy_id: str, kind: str,
                                                                              tmp_path: Path) -> None:
    fired = _findings(policy_id, kind, tmp_path)
    if kind == "bad":
        assert fired, f"{policy_id}'s terraform_bad does not fire it"
    else:
        assert fired == [], f"{policy_id}'s terraform_good fires it"


@pytest.mark.parametrize(("policy_id", "kind"), CASES, ids=[f"{p}-{k}" for p, k in CASES])
def test_the_terraform_example_is_valid_for_the_aws_provider(policy_id: str, kind: str) -> None:
    module = example_module(STATIC[policy_id].examples[f"terraform_{kind}"])
    assert provider_problems(module) == []


def test_examples_are_split_into_top_level_blocks_and_pieces_of_the_distribution() -> None:
    top, body = split_example('resource "aws_lb" "app" {\n  internal = true\n}\n\n# the origin\n'
                              'origin {\n  origin_id = "a"\n}\naliases = [\n  "x.example.com",\n]\n')
    assert top == ['resource "aws_lb" "app" {\n  internal = true\n}']
    assert body == ['\n# the origin\norigin {\n  origin_id = "a"\n}', 'aliases = [\n  "x.example.com",\n]']
    assert provider_problems(example_module("origin {\n  origin_idd = \"a\"\n}")) != []  # the check can fail


def test_terraform_examples_are_formatted_as_terraform_fmt_writes_them(tmp_path: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed")
    for policy_id, kind in CASES:
        (tmp_path / f"{policy_id}_{kind}.tf").write_text(STATIC[policy_id].examples[f"terraform_{kind}"],
                                                         encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "TF_CLI_CONFIG_FILE"}
    proc = subprocess.run([terraform, "fmt", "-check", "-list=true", str(tmp_path)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, f"not as `terraform fmt` writes them: {proc.stdout}{proc.stderr}"
