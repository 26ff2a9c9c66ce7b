"""Every fixture of the catalog holds (one test per fixture), every static policy has fail and pass fixtures."""

from __future__ import annotations

import pytest

from policykit import api
from policykit.policy.loader import load_policies
from policykit.policy.testing import Fixture, check_fixture, fixtures_of, needs_fixtures
from tests.helpers import POLICIES, RunCli

CATALOG = load_policies(validate_builtin=True)
FIXTURES = [f for p in CATALOG for f in fixtures_of(p)]


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_fixture(fixture: Fixture) -> None:
    result = check_fixture(fixture, CATALOG)
    assert result.ok, result.line()


STATIC = [p for p in CATALOG if needs_fixtures(p)]


def test_live_policies_are_the_only_ones_without_fixtures() -> None:
    assert {p.id for p in CATALOG if not needs_fixtures(p)} == {p.id for p in CATALOG if p.id.startswith("PK6")}


@pytest.mark.parametrize("policy", STATIC, ids=[p.id for p in STATIC])
def test_policy_has_fail_and_pass_fixtures(policy: object) -> None:
    outcomes = {f.outcome for f in FIXTURES if f.policy_id == getattr(policy, "id", "")}
    assert outcomes == {"fail", "pass"}, f"{getattr(policy, 'source', '')}: needs tests/fail and tests/pass fixtures"


def test_first_five_policies_have_yaml_and_json_fixtures() -> None:
    for policy_id in ("PK101", "PK201", "PK301", "PK401", "PK501"):
        for outcome in ("fail", "pass"):
            names = [f.path.name for f in FIXTURES if f.policy_id == policy_id and f.outcome == outcome]
            assert any(n.endswith(".yaml") for n in names), (policy_id, outcome)
            assert any(n.endswith(".json") for n in names), (policy_id, outcome)


@pytest.mark.parametrize(("fixture", "scenario"), [
    ("PK101-s3-website-over-https/tests/fail/if-one-branch-bad.yaml", "(when Env=prod)"),
    ("PK201-https-to-aws-generated-name/tests/fail/if-one-branch-bad.yaml", "(when OriginMode=alb)"),
])
def test_undecided_condition_names_the_scenario(fixture: str, scenario: str) -> None:
    result = api.scan([POLICIES / fixture])
    fired = [f for f in result.findings if not f.unknown and f.policy_id == fixture[:5]]
    assert len(fired) == 1
    assert fired[0].message.endswith(f"{scenario}.")  # inside the sentence, before its full stop
    assert "false" not in fired[0].scenario


def test_cli_runs_the_catalog_fixtures(run_cli: RunCli) -> None:
    code, out, _ = run_cli("policies", "test")
    assert "PASS PK101 fail/website-https.yaml" in out
    assert "PASS PK401 pass/sam-version.yaml" in out
    assert out.rstrip().splitlines()[-1].startswith(f"{len(FIXTURES) + _missing()} fixture(s): ")
    assert code == (1 if "FAIL" in out else 0)


def _missing() -> int:
    return sum(1 for p in STATIC for o in ("fail", "pass")
               if not any(f.policy_id == p.id and f.outcome == o for f in FIXTURES))
