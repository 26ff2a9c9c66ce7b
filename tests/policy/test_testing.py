"""The fixture runner (policykit/policy/testing.py, `policykit policies test DIR`) can fail: a pass fixture that
fires, a marker without its finding, a fail fixture that does not fire or cannot be read, missing fixtures, a bad
directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import POLICIES, RunCli, Write

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
def user_dir(write: Write) -> Path:
    """A user policy directory holding a copy of PK101 under the id PK901."""
    return write("mine/PK901-copy.yaml", PK101_SOURCE.replace("id: PK101", "id: PK901")).parent


def test_runner_fails_a_pass_fixture_that_fires(run_cli: RunCli, user_dir: Path,
                                                write: Write) -> None:
    write("mine/PK901-copy/tests/fail/bad.yaml", WEBSITE_HTTPS.format(marker="  # expect: PK901"))
    write("mine/PK901-copy/tests/pass/wrong.yaml", WEBSITE_HTTPS.format(marker=""))
    code, out, _ = run_cli("policies", "test", str(user_dir))
    assert code == 1
    assert "PASS PK901 fail/bad.yaml" in out
    assert "FAIL PK901 pass/wrong.yaml: fired " in out
    assert "wrong.yaml:11:37" in out
    assert "2 fixture(s): 1 passed, 1 failed" in out


def test_runner_fails_a_marker_without_finding(run_cli: RunCli, user_dir: Path,
                                               write: Write) -> None:
    text = WEBSITE_HTTPS.format(marker="").replace("- Id: site", "- Id: site  # expect: PK901")
    write("mine/PK901-copy/tests/fail/misplaced.yaml", text)
    write("mine/PK901-copy/tests/pass/ok.yaml", WEBSITE_HTTPS.format(marker="").replace("https-only", "http-only"))
    code, out, _ = run_cli("policies", "test", str(user_dir))
    assert code == 1
    assert "FAIL PK901 fail/misplaced.yaml: no finding on marked line(s): " in out
    assert "misplaced.yaml:8 PK901" in out
    assert "PASS PK901 pass/ok.yaml" in out


def test_runner_fails_a_fail_fixture_that_does_not_fire_or_cannot_be_read(
        run_cli: RunCli, user_dir: Path, write: Write) -> None:
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


def test_bad_policy_dir_is_exit_2(run_cli: RunCli, tmp_path: Path, write: Write) -> None:
    code, _, err = run_cli("policies", "test", str(tmp_path / "nowhere"))
    assert code == 2
    assert "does not exist" in err
    bad = write("bad/PK902-bad.yaml", "id: PK902\ntitle: x\nseverity: fatal\n")
    code, _, err = run_cli("policies", "test", str(bad.parent))
    assert code == 2
    assert "PK902-bad.yaml" in err and "invalid policy" in err
