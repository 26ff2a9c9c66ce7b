"""Every policy's fixtures hold (one test per fixture), and the fixture runner itself can fail."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
    assert fired[0].message.endswith(scenario)
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


PK101_SOURCE = (POLICIES / "PK101-s3-website-over-https.yaml").read_text(encoding="utf-8")
WEBSITE_HTTPS = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: site
            DomainName: www.example.com.s3-website-us-east-1.amazonaws.com
            CustomOriginConfig:
              OriginProtocolPolicy: https-only{marker}
        DefaultCacheBehavior: {{TargetOriginId: site, ViewerProtocolPolicy: allow-all}}
"""


@pytest.fixture
def user_dir(write: Callable[[str, str], Path]) -> Path:
    """A user policy directory holding a copy of PK101 under the id PK901."""
    return write("mine/PK901-copy.yaml", PK101_SOURCE.replace("id: PK101", "id: PK901")).parent


def test_runner_fails_a_pass_fixture_that_fires(run_cli: RunCli, user_dir: Path,
                                                write: Callable[[str, str], Path]) -> None:
    write("mine/PK901-copy/tests/fail/bad.yaml", WEBSITE_HTTPS.format(marker="  # expect: PK901"))
    write("mine/PK901-copy/tests/pass/wrong.yaml", WEBSITE_HTTPS.format(marker=""))
    code, out, _ = run_cli("policies", "test", str(user_dir))
    assert code == 1
    assert "PASS PK901 fail/bad.yaml" in out
    assert "FAIL PK901 pass/wrong.yaml: fired " in out
    assert "wrong.yaml:11:37" in out
    assert "2 fixture(s): 1 passed, 1 failed" in out


def test_runner_fails_a_marker_without_finding(run_cli: RunCli, user_dir: Path,
                                               write: Callable[[str, str], Path]) -> None:
    text = WEBSITE_HTTPS.format(marker="").replace("- Id: site", "- Id: site  # expect: PK901")
    write("mine/PK901-copy/tests/fail/misplaced.yaml", text)
    write("mine/PK901-copy/tests/pass/ok.yaml", WEBSITE_HTTPS.format(marker="").replace("https-only", "http-only"))
    code, out, _ = run_cli("policies", "test", str(user_dir))
    assert code == 1
    assert "FAIL PK901 fail/misplaced.yaml: no finding on marked line(s): " in out
    assert "misplaced.yaml:8 PK901" in out
    assert "PASS PK901 pass/ok.yaml" in out


def test_runner_fails_a_fail_fixture_that_does_not_fire_or_cannot_be_read(
        run_cli: RunCli, user_dir: Path, write: Callable[[str, str], Path]) -> None:
    write("mine/PK901-copy/tests/fail/silent.yaml", WEBSITE_HTTPS.format(marker="").replace("https-only", "http-only"))
    write("mine/PK901-copy/tests/fail/broken.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")
    write("mine/PK901-copy/tests/pass/ok.yaml", WEBSITE_HTTPS.format(marker="").replace("https-only", "http-only"))
    code, out, _ = run_cli("policies", "test", str(user_dir))
    assert code == 1
    assert "FAIL PK901 fail/silent.yaml: PK901 did not fire" in out
    assert "FAIL PK901 fail/broken.yaml: input error: " in out


def test_runner_reports_missing_fixtures(run_cli: RunCli, user_dir: Path) -> None:
    code, out, _ = run_cli("policies", "test", str(user_dir))
    assert code == 1
    assert "FAIL PK901 fail/(none): no fail fixtures in" in out
    assert "FAIL PK901 pass/(none): no pass fixtures in" in out


def test_bad_policy_dir_is_exit_2(run_cli: RunCli, tmp_path: Path, write: Callable[[str, str], Path]) -> None:
    code, _, err = run_cli("policies", "test", str(tmp_path / "nowhere"))
    assert code == 2
    assert "does not exist" in err
    bad = write("bad/PK902-bad.yaml", "id: PK902\ntitle: x\nseverity: fatal\n")
    code, _, err = run_cli("policies", "test", str(bad.parent))
    assert code == 2
    assert "PK902-bad.yaml" in err and "invalid policy" in err
