"""Near-miss suppression spellings (checkov's, cfn-lint's, typos) are PK008 warnings naming the accepted spelling."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.helpers import RunCli, Write
from tests.templates import BROKEN, TF_MODULE, with_resource_metadata


def _findings(run_cli: RunCli, path: Path) -> list[dict[str, object]]:
    code, out, err = run_cli("scan", str(path), "--format", "json")
    assert code in (0, 1), err
    findings: list[dict[str, object]] = json.loads(out)["findings"]
    return findings


@pytest.mark.parametrize("comment", [
    "#policykit:skip=PK101:migrating",           # checkov's spelling
    "# policykit: ignore PK101 migrating",       # a space after the colon
    "# policykit:disable",                       # another linter's word, no id
    "// POLICYKIT:SUPPRESS PK101 migrating",
    "# policykit skip PK101",
])
def test_terraform_near_misses_are_pk008_at_their_line(comment: str, write: Write, run_cli: RunCli) -> None:
    pytest.importorskip("policykit.terraform")
    path = write("infra/main.tf", TF_MODULE.replace("IGNORE", comment))
    findings = _findings(run_cli, path.parent)
    [near] = [f for f in findings if f["policy_id"] == "PK008"]
    assert near["severity"] == "warning" and near["line"] == 13 and str(near["file"]).endswith("main.tf")
    assert "# policykit:ignore PK" in str(near["message"])  # the exact spelling policykit accepts
    if "PK101" in comment:
        assert "'# policykit:ignore PK101 <why it is safe>'" in str(near["message"])
    pk101 = [f for f in findings if f["policy_id"] == "PK101"]
    assert pk101 and not any(f["suppressed"] for f in pk101)  # nothing was suppressed


def test_accepted_and_refused_spellings_are_not_near_misses(write: Write, run_cli: RunCli) -> None:
    pytest.importorskip("policykit.terraform")
    path = write("ok/main.tf", TF_MODULE.replace("IGNORE", "# policykit:ignore PK101 migrating"))
    assert not [f for f in _findings(run_cli, path.parent) if f["policy_id"] == "PK008"]
    prose = write("prose/main.tf", TF_MODULE.replace("IGNORE", "# checked by policykit in CI"))
    assert not [f for f in _findings(run_cli, prose.parent) if f["policy_id"] == "PK008"]
    # `policykit:ignore=` keeps its own error (a malformed suppression), not a second report
    bad = write("bad/main.tf", TF_MODULE.replace("IGNORE", "# policykit:ignore=PK101"))
    code, out, err = run_cli("scan", str(bad.parent), "--format", "json")
    assert code == 2 and "a suppression names a policy" in err
    assert not [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK008"]


def test_cfn_lint_style_metadata_is_pk008(write: Write, run_cli: RunCli) -> None:
    path = write("site.yaml", with_resource_metadata(
        BROKEN, "      policykit:\n        config:\n          ignore_checks: [PK101]\n"))
    findings = _findings(run_cli, path)
    [near] = [f for f in findings if f["policy_id"] == "PK008"]
    assert near["severity"] == "warning" and near["resource"] == "Distribution"
    assert "Metadata.policykit.config" in str(near["message"])
    assert "Metadata: {policykit: {ignore: [{id: PK101, reason: why}]}}" in str(near["message"])
    assert [f["suppressed"] for f in findings if f["policy_id"] == "PK101"] == [False]
    text = path.read_text(encoding="utf-8")
    assert near["line"] == text.splitlines().index("        config:") + 1


def test_near_misses_are_kept_by_select_of_the_policy_they_name(write: Write, run_cli: RunCli) -> None:
    """PK008 is always on (--select keeps it) while the policy the near miss names runs; a near miss of a policy
    that did not run is not reported (policykit/filters: bookkeeping only for policies that ran)."""
    path = write("site.yaml", with_resource_metadata(BROKEN, "      policykit:\n        skip: [PK101]\n"))
    code, out, _ = run_cli("scan", str(path), "--format", "json", "--select", "PK101", "--exit-zero")
    assert code == 0 and [f["policy_id"] for f in json.loads(out)["findings"]] == ["PK008", "PK101"]
    code, out, _ = run_cli("scan", str(path), "--format", "json", "--select", "PK201")
    assert code == 0 and [f["policy_id"] for f in json.loads(out)["findings"]] == []


@pytest.mark.parametrize("comment", [
    "  # policykit:ignore PK101 migrating",      # Terraform's accepted spelling: a template reads no comment
    "  #policykit:skip=PK101:migrating",         # checkov's
    "        Enabled: true  # policykit: disable PK101",
])
def test_a_suppression_comment_in_a_yaml_template_is_pk008(comment: str, write: Write, run_cli: RunCli) -> None:
    text = BROKEN.replace("        Enabled: true\n", "        Enabled: true\n" if comment.lstrip().startswith("#")
                          else comment + "\n")
    if comment.lstrip().startswith("#"):
        text = text.replace("  Distribution:\n", comment + "\n  Distribution:\n")
    findings = _findings(run_cli, write("site.yaml", text))
    [near] = [f for f in findings if f["policy_id"] == "PK008"]
    line = text.splitlines().index(comment) + 1
    assert near["severity"] == "warning" and near["line"] == line
    assert near["column"] == comment.index("#") + 1
    assert "a CloudFormation template reads none" in str(near["message"])
    assert "Metadata: {policykit: {ignore: [{id: PK101, reason: why}]}}" in str(near["message"])
    pk101 = [f for f in findings if f["policy_id"] == "PK101"]
    assert pk101 and not any(f["suppressed"] for f in pk101)


def test_yaml_text_that_only_mentions_policykit_is_no_near_miss(write: Write, run_cli: RunCli) -> None:
    text = BROKEN.replace('AWSTemplateFormatVersion: "2010-09-09"\n',
                          'AWSTemplateFormatVersion: "2010-09-09"\n'
                          'Description: "see # policykit:ignore in the docs"  # checked by policykit in CI\n')
    assert not [f for f in _findings(run_cli, write("site.yaml", text)) if f["policy_id"] == "PK008"]


def test_a_long_comment_line_is_read_in_linear_time(write: Write, run_cli: RunCli) -> None:
    """A comment naming policykit and then 20,000 spaces: the near-miss pattern split the run of spaces every way
    it could (28 s); read once, it is a plain scan."""
    path = write("t.yaml", BROKEN + "# policykit" + " " * 20_000 + "x\n")
    started = time.perf_counter()
    assert {f["policy_id"] for f in _findings(run_cli, path)} >= {"PK101"}
    assert time.perf_counter() - started < 10
