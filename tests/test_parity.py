"""CloudFormation and Terraform twins of the same distribution give the same findings.

The twins are policy fixtures (policies/PKnnn-slug/tests/{fail,pass}/), grouped by name: the
Terraform fixture `terraform-X` (an HCL module directory) has the twins `terraform-X.tf.json`
(Terraform JSON syntax), `terraform-X.plan.json` (`terraform show -json`) and
`terraform-X.cfn.yaml` (the same distribution in CloudFormation), each where present.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.policy.testing import OUTCOMES, expected_markers, fixture_dir
from tests.conftest import EXAMPLES, POLICIES

# (format, suffix of a twin's name after `terraform-X`); "" is the HCL module directory
TWIN_SUFFIXES = (("cfn", ".cfn.yaml"), ("tf-json", ".tf.json"), ("plan", ".plan.json"), ("hcl", ""))
FIRST_CATALOG = ("PK101", "PK201", "PK301", "PK401", "PK501")


@dataclass(frozen=True)
class Twins:
    policy_id: str
    outcome: str  # "fail": the policy fires on every twin; "pass": on none
    name: str  # `terraform-X`
    paths: dict[str, Path]  # format -> fixture

    def __str__(self) -> str:
        return f"{self.policy_id}-{self.outcome}-{self.name}"


def _static_policies() -> list[Path]:
    """Policies decided from the configuration alone (the live PK6xx ones are proven against servers)."""
    return [p for p in sorted(POLICIES.glob("PK*.yaml")) if not p.name.startswith("PK6")]


def _twins() -> list[Twins]:
    found: list[Twins] = []
    for policy in _static_policies():
        for outcome in OUTCOMES:
            directory = fixture_dir(policy) / outcome
            if not directory.is_dir():
                continue
            names = {_twin_name(entry.name) for entry in directory.iterdir()} - {None}
            for name in sorted(n for n in names if n):
                paths = {kind: directory / f"{name}{suffix}" for kind, suffix in TWIN_SUFFIXES
                         if (directory / f"{name}{suffix}").exists()}
                if "cfn" in paths and len(paths) > 1:
                    found.append(Twins(policy.name[:5], outcome, name, paths))
    return found


def _twin_name(entry: str) -> str | None:
    if not entry.startswith("terraform-"):
        return None
    for _, suffix in TWIN_SUFFIXES:
        if suffix and entry.endswith(suffix):
            return entry[: -len(suffix)]
    return entry if "." not in entry else None


def _fired(path: Path) -> set[str]:
    result = scan([path], ScanOptions())
    assert not result.errors, result.errors
    assert sum(result.distributions.values()) == 1, f"{path.name}: a twin holds exactly one distribution"
    return {f.policy_id for f in result.findings if not f.unknown}


TWINS = _twins()


def test_every_policy_of_the_first_catalog_has_twins() -> None:
    for policy_id in FIRST_CATALOG:
        for outcome in OUTCOMES:
            assert any(t.policy_id == policy_id and t.outcome == outcome and "hcl" in t.paths for t in TWINS), \
                f"{policy_id} has no CloudFormation/Terraform twins among its {outcome} fixtures"
    assert sum(1 for t in TWINS if t.outcome == "fail" and "plan" in t.paths) >= 3
    assert sum(1 for t in TWINS if t.outcome == "fail" and "tf-json" in t.paths) >= 3


@pytest.mark.parametrize("twins", TWINS, ids=str)
def test_twins_fire_the_same_policies(twins: Twins) -> None:
    fired = {kind: _fired(path) for kind, path in twins.paths.items()}
    assert (twins.policy_id in fired["cfn"]) == (twins.outcome == "fail")
    for kind, ids in fired.items():
        assert ids == fired["cfn"], f"{kind} twin differs from CloudFormation: {ids} != {fired['cfn']}"


@pytest.mark.parametrize("policy", _static_policies(), ids=lambda p: p.name[:5])
def test_every_fixture_of_an_outcome_decides_alike_in_each_format(policy: Path) -> None:
    """A fail fixture fires its policy and a pass fixture does not, whatever its format."""
    policy_id = policy.name[:5]
    for outcome in OUTCOMES:
        directory = fixture_dir(policy) / outcome
        for fixture in sorted(directory.iterdir()) if directory.is_dir() else []:
            result = scan([fixture], ScanOptions())
            fired = any(f.policy_id == policy_id and not f.unknown for f in result.findings)
            assert fired == (outcome == "fail"), f"{outcome}/{fixture.name}"


@pytest.mark.parametrize("twins", [t for t in TWINS if t.outcome == "fail" and "hcl" in t.paths], ids=str)
def test_terraform_findings_point_at_the_attribute(twins: Twins) -> None:
    """The finding is on the line and column of the attribute marked `# expect: PKnnn` in the HCL twin."""
    module = twins.paths["hcl"]
    expected = expected_markers(module)
    assert expected, f"{module.name}: mark the attribute with `# expect: {twins.policy_id}`"
    result = scan([module], ScanOptions())
    where = {finding: (str(Path(finding.location.file).resolve()), finding.location.line, finding.policy_id)
             for finding in result.findings if not finding.unknown}
    assert expected <= set(where.values())
    for finding, place in where.items():
        if place in expected:
            assert finding.location.column > 1  # the attribute name, not the block


@pytest.mark.parametrize("name", ["broken-origins", "broken-viewer-and-edge", "correct"])
def test_terraform_examples_match_their_cloudformation_twins(name: str) -> None:
    template = EXAMPLES / "cloudformation" / f"{name}.yaml"
    if not template.exists():
        pytest.skip(f"{template.name} is not written yet")
    assert _fired(EXAMPLES / "terraform" / name) == _fired(template)
