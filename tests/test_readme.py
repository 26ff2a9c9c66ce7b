"""The README stays true: its test command is what CI runs, and its example policy works."""

from __future__ import annotations

import re
from pathlib import Path

from policykit import api
from policykit.policy.loader import read_policy_file
from tests.helpers import ROOT, RunCli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str, language: str) -> str:
    section = README[README.index(heading):]
    match = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert match, f"no {language} block after {heading}"
    return match.group(1)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = _block_after("## Run the tests", "sh").strip()
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci_lines
    # After the install step (Node.js for the edge tests), the README command is what runs: the last line.
    assert ci_lines[-1] == command


def test_ci_installs_nodejs_only_when_node_is_missing_and_before_the_tests() -> None:
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = _block_after("## Run the tests", "sh").strip()
    install = text.index("apt-get install -y nodejs")
    assert text.index("command -v node") < text.index("apt-get update") < install < text.index(command)


def test_ci_installs_chromium_only_when_it_is_missing_and_before_the_tests() -> None:
    """The HTML report's browser test (tests/reporters/test_html_in_browser.py) runs in CI, never skipped."""
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = _block_after("## Run the tests", "sh").strip()
    check = text.index("command -v chromium")
    assert check < text.index("apt-get update", check) < text.index("apt-get install -y chromium") < text.index(command)


def test_the_formats_table_names_every_format_and_the_screenshot_is_there() -> None:
    from policykit.reporters import Format

    table = README[README.index("### Output formats"):README.index("Reports are written atomically")]
    rows = [line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [f.value for f in Format]
    screenshot = ROOT / "docs" / "report-examples.png"
    assert "](docs/report-examples.png)" in README
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 300_000  # small enough for the repository


def test_the_readme_example_policy_is_valid_and_fires(tmp_path: Path) -> None:
    policy_dir = tmp_path / "policies"
    policy_dir.mkdir()
    (policy_dir / "ACME001-origin-read-timeout.yaml").write_text(_block_after("## Your own policies", "yaml"))
    read_policy_file(policy_dir / "ACME001-origin-read-timeout.yaml", validate=True)
    template = tmp_path / "cdn.yaml"
    template.write_text("""\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Origins:
          - Id: app
            DomainName: app.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only, OriginReadTimeout: 60}
        DefaultCacheBehavior: {TargetOriginId: app, ViewerProtocolPolicy: redirect-to-https}
""")
    result = api.scan([template], api.ScanOptions(policy_dirs=(policy_dir,)))
    fired = [f for f in result.findings if f.policy_id == "ACME001"]
    assert [(f.location.line, f.severity.value) for f in fired] == [(10, "warning")]
    assert fired[0].message == "origin 'app' of distribution Cdn waits 60 s for the origin: our limit is 30 s."


def test_the_serverless_section_shows_what_the_scan_prints(run_cli: RunCli) -> None:
    block = _block_after("## Serverless Framework", "text").splitlines()
    code, out, _ = run_cli("scan", "examples/serverless")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(block[0].removesuffix(" ..."))
    assert lines[-1] == block[-1]
