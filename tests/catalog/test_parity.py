"""CloudFormation and Terraform twins of the same distribution give the same findings.

The twins are policy fixtures (policies/PKnnn-slug/tests/{fail,pass}/), grouped by name: the
Terraform fixture `terraform-X` (an HCL module directory) has the twins `terraform-X.tf.json`
(Terraform JSON syntax), `terraform-X.plan.json` (`terraform show -json`) and
`terraform-X.cfn.yaml` (the same distribution in CloudFormation), each where present.

Twins are compared finding by finding, not only by the ids that fire: id, severity, subject
(origin id, alias, behavior path) and message must agree once what differs by format on
purpose is normalised (`normalise`):
- a resource's name: a CloudFormation logical id (`Alb`, `Distribution`) or a Terraform address
  (`aws_lb.app`, `module.cdn.aws_cloudfront_distribution.site[0]`), with the attribute a reference
  names after it (`Alb.DNSName`, `aws_lb.app.dns_name`), reads `<resource>`;
- an unknown piece of a partly known value (`${AWS::Region}`, `${AWS::AccountId}`, `${Alb}`, a Terraform
  `${data.aws_caller_identity.current.account_id}`, the Region piece of a computed name) reads
  `<unknown>`, and takes the separator before it with it (`s3-website-${AWS::Region}` and
  `s3-website(-|.)${region}` are the same unknown name).
Line numbers are not compared (the files differ); that each finding points at the attribute is
tested by `test_terraform_findings_point_at_the_attribute`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.policy.testing import OUTCOMES, expected_markers, fixture_dir
from tests.helpers import EXAMPLES, POLICIES

# (format, suffix of a twin's name after `terraform-X`); "" is the HCL module directory
TWIN_SUFFIXES = (("cfn", ".cfn.yaml"), ("tf-json", ".tf.json"), ("plan", ".plan.json"), ("hcl", ""))
FIRST_CATALOG = ("PK101", "PK201", "PK301", "PK401", "PK501")


@dataclass(frozen=True)
class Twins:
    policy_id: str
    outcome: str  # "fail": the policy fires on every twin; "pass": on none
    name: str  # `terraform-X`
    paths: dict[str, Path]  # format -> fixture
    # True: written as exact twins (`terraform-X.cfn.yaml`...): every finding agrees, message included.
    # False: `X.yaml` and `terraform-X` are the policy's cases in each format, not always the same cases:
    # the policy's findings on the objects both declare (same subject) agree in id, severity and subject.
    exact: bool = True

    def __str__(self) -> str:
        return f"{self.policy_id}-{self.outcome}-{self.name}"


def _static_policies() -> list[Path]:
    """Policies decided from the configuration alone (the live PK6xx ones are proven against servers, the
    PK7xx ones judge function results: their fixtures are result files, run by `policies test`)."""
    return [p for p in sorted(POLICIES.glob("PK*.yaml")) if not p.name.startswith(("PK6", "PK7"))]


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
                # `X.yaml` beside `terraform-X` is its CloudFormation twin when no `terraform-X.cfn.yaml` is
                plain = [directory / f"{name.removeprefix('terraform-')}{ext}" for ext in (".yaml", ".json")]
                exact = "cfn" in paths
                if not exact and any(p.exists() for p in plain):
                    paths["cfn"] = next(p for p in plain if p.exists())
                if "cfn" in paths and len(paths) > 1:
                    found.append(Twins(policy.name[:5], outcome, name, paths, exact))
    return found


def _twin_name(entry: str) -> str | None:
    if not entry.startswith("terraform-"):
        return None
    for _, suffix in TWIN_SUFFIXES:
        if suffix and entry.endswith(suffix):
            return entry[: -len(suffix)]
    return entry if "." not in entry else None


_TF_ADDRESS = re.compile(r"\b(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*(?:data\.)?aws_[a-z0-9_]+\.[\w-]+(?:\[[^\]]*\])?")
_ATTRIBUTE = re.compile(r"<resource>(?:\.[A-Za-z_][\w]*)?")
# an unknown piece with the separator before it, or with `(-|.)` standing for either
_PLACEHOLDER = re.compile(r"(?:\(-\|\.\)|[-.])?\$\{[^}]*\}")


def _logical_ids(path: Path) -> list[str]:
    if not path.is_file() or path.suffix not in (".yaml", ".yml", ".json", ".template"):
        return []
    from policykit.source.yaml_loader import load_yaml

    root = load_yaml(path.read_text(encoding="utf-8"), str(path))
    resources = root.get("Resources") if isinstance(root, dict) else None
    # longest first: `AlbListener` before `Alb`
    return sorted((str(k) for k in resources), key=len, reverse=True) if isinstance(resources, dict) else []


def normalise(text: str, logical_ids: list[str]) -> str:
    """The text with what differs by format on purpose (resource names, `${...}`) made alike."""
    text = _PLACEHOLDER.sub("<unknown>", text)
    text = _TF_ADDRESS.sub("<resource>", text)
    for name in logical_ids:
        text = re.sub(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", "<resource>", text)
    return _ATTRIBUTE.sub("<resource>", text)


Normalised = tuple[str, str, str, str]


def _findings(path: Path, policy_id: str = "") -> list[Normalised]:
    """(id, severity, subject, message) of each decided finding (of `policy_id` only, if given), normalised, sorted."""
    result = scan([path], ScanOptions())
    assert not result.errors, result.errors
    ids = _logical_ids(path)
    return sorted((f.policy_id, f.severity.value, normalise(f.subject, ids), normalise(f.message, ids))
                  for f in result.findings if not f.unknown and f.policy_id in (policy_id or f.policy_id))


def _fired(path: Path) -> set[str]:
    result = scan([path], ScanOptions())
    assert not result.errors, result.errors
    assert sum(result.distributions.values()) == 1, f"{path.name}: a twin holds exactly one distribution"
    return {f.policy_id for f in result.findings if not f.unknown}


TWINS = _twins()


def test_every_static_policy_has_twins() -> None:
    """Every static policy's findings are compared across the formats: it has a failing pair of twins."""
    for policy in _static_policies():
        assert any(t.policy_id == policy.name[:5] and t.outcome == "fail" for t in TWINS), \
            f"{policy.name[:5]} has no CloudFormation/Terraform twins among its fail fixtures"


def test_every_policy_of_the_first_catalog_has_twins() -> None:
    for policy_id in FIRST_CATALOG:
        for outcome in OUTCOMES:
            assert any(t.policy_id == policy_id and t.outcome == outcome and "hcl" in t.paths for t in TWINS), \
                f"{policy_id} has no CloudFormation/Terraform twins among its {outcome} fixtures"
    assert sum(1 for t in TWINS if t.outcome == "fail" and "plan" in t.paths) >= 3
    assert sum(1 for t in TWINS if t.outcome == "fail" and "tf-json" in t.paths) >= 3


@pytest.mark.parametrize("twins", [t for t in TWINS if t.exact], ids=str)
def test_twins_fire_the_same_policies(twins: Twins) -> None:
    fired = {kind: _fired(path) for kind, path in twins.paths.items()}
    assert (twins.policy_id in fired["cfn"]) == (twins.outcome == "fail")
    for kind, ids in fired.items():
        assert ids == fired["cfn"], f"{kind} twin differs from CloudFormation: {ids} != {fired['cfn']}"


@pytest.mark.parametrize("twins", TWINS, ids=str)
def test_twins_give_the_same_normalised_findings(twins: Twins) -> None:
    only = "" if twins.exact else twins.policy_id
    found = {kind: _findings(path, only) for kind, path in twins.paths.items()}
    assert bool(found["cfn"]) == (twins.outcome == "fail")
    for kind, findings in found.items():
        if twins.exact:
            assert findings == found["cfn"], f"{kind} twin differs from CloudFormation"
            continue
        common = {f[2] for f in findings} & {f[2] for f in found["cfn"]}
        assert common or not findings, f"{kind}: no object of the policy's findings is in both fixtures"
        assert {f[:3] for f in findings if f[2] in common} == {
            f[:3] for f in found["cfn"] if f[2] in common}, f"{kind} differs from CloudFormation on {common}"


def test_normalisation_keeps_what_matters() -> None:
    ids = ["AlbListener", "Alb", "Cdn"]
    assert normalise("origin 'app' of distribution Cdn connects to ${Alb}.elb.amazonaws.com (Alb.DNSName)", ids) == \
        normalise("origin 'app' of distribution aws_cloudfront_distribution.cdn connects to "
                  "${aws_lb.app}.elb.amazonaws.com (aws_lb.app.dns_name)", [])
    website = normalise("b.s3-website-${AWS::Region}.amazonaws.com", ids)
    assert website == normalise("b.s3-website(-|.)${region}.amazonaws.com", [])
    assert normalise("listener AlbListener", ids) == "listener <resource>"
    assert normalise("origin 'app'", ids) != normalise("origin 'api'", ids)  # the subject stays
    assert normalise("port 443", ids) != normalise("port 80", ids)


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
