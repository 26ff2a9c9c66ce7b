"""CloudFormation and Terraform twins of the same distribution give the same findings.

tests/parity/PKnnn/{bad,good}/ holds `template.yaml` (CloudFormation), `module/` (HCL) and,
for some scenarios, `main.tf.json` (Terraform JSON syntax) and `plan.json` (`terraform show -json`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from tests.conftest import ROOT

PARITY = ROOT / "tests" / "parity"
SCENARIOS = sorted(p.name for p in PARITY.iterdir() if p.is_dir())
_EXPECT = re.compile(r"#\s*expect:\s*(PK\d+)")


def _inputs(variant: Path) -> dict[str, Path]:
    found = {"cfn": variant / "template.yaml", "hcl": variant / "module"}
    for name, kind in (("main.tf.json", "tf-json"), ("plan.json", "plan")):
        if (variant / name).exists():
            found[kind] = variant / name
    return found


def _fired(path: Path) -> set[str]:
    result = scan([path], ScanOptions())
    assert not result.errors, result.errors
    assert sum(result.distributions.values()) == 1
    return {f.policy_id for f in result.findings if not f.unknown}


def test_every_policy_of_the_first_catalog_has_twins() -> None:
    assert {"PK101", "PK201", "PK301", "PK401", "PK501"} <= set(SCENARIOS)
    assert sum(1 for s in SCENARIOS if (PARITY / s / "bad" / "plan.json").exists()) >= 3
    assert sum(1 for s in SCENARIOS if (PARITY / s / "bad" / "main.tf.json").exists()) >= 3


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_broken_twins_fire_the_same_policies(scenario: str) -> None:
    inputs = _inputs(PARITY / scenario / "bad")
    fired = {kind: _fired(path) for kind, path in inputs.items()}
    assert scenario in fired["cfn"]
    for kind, ids in fired.items():
        assert ids == fired["cfn"], f"{kind} twin differs from CloudFormation: {ids} != {fired['cfn']}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_correct_twins_stay_silent_alike(scenario: str) -> None:
    inputs = _inputs(PARITY / scenario / "good")
    fired = {kind: _fired(path) for kind, path in inputs.items()}
    assert scenario not in fired["cfn"]
    for kind, ids in fired.items():
        assert ids == fired["cfn"], f"{kind} twin differs from CloudFormation: {ids} != {fired['cfn']}"


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_terraform_findings_point_at_the_attribute(scenario: str) -> None:
    """The finding is on the line of the attribute marked `# expect: PKnnn` in the HCL twin."""
    main = PARITY / scenario / "bad" / "module" / "main.tf"
    expected = {(n, m.group(1)) for n, line in enumerate(main.read_text().splitlines(), 1)
                for m in [_EXPECT.search(line)] if m}
    assert expected
    result = scan([main.parent], ScanOptions())
    got = {(f.location.line, f.policy_id) for f in result.findings if not f.unknown}
    assert expected <= got
    for finding in result.findings:
        if (finding.location.line, finding.policy_id) in expected:
            assert finding.location.column > 1  # the attribute name, not the block


@pytest.mark.parametrize("name", ["broken-origins", "broken-viewer-and-edge", "correct"])
def test_terraform_examples_match_their_cloudformation_twins(name: str) -> None:
    from tests.conftest import EXAMPLES

    template = EXAMPLES / "cloudformation" / f"{name}.yaml"
    if not template.exists():
        pytest.skip(f"{template.name} is not written yet")
    assert _fired(EXAMPLES / "terraform" / name) == _fired(template)
