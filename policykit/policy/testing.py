"""Run a policy's fixtures: `policies/PKnnn-slug/tests/fail/*` must fire, `.../pass/*` must not.

A fixture is a file (CloudFormation YAML/JSON, Terraform `.tf.json`, a plan `.json`) or a
directory (a Terraform module, scanned as a whole). A fail fixture must give at least one
finding of its policy that is not an "unknown" (not checked) finding, and every line with a
comment `expect: PKnnn` must carry a finding of that id. A pass fixture must give no such
finding of its policy. Input errors fail the fixture: a fixture that cannot be read proves nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from policykit.core.errors import PolicyError, PolicykitError
from policykit.core.record import record
from policykit.findings import Finding, ScanResult
from policykit.model.subjects import EDGE_KINDS, LIVE_KINDS
from policykit.policy.loader import builtin_dir, load_policies, policy_files
from policykit.policy.model import Policy
from policykit.source.yaml_loader import load_yaml

OUTCOMES = ("fail", "pass")
# `# expect: PK101` in YAML or HCL, `// expect: PK101` in HCL; several ids separated by commas.
_EXPECT = re.compile(r"(?:#|//)\s*expect:\s*(PK\d+(?:\s*,\s*PK\d+)*)", re.IGNORECASE)
_MARKED_SUFFIXES = (".yaml", ".yml", ".tf", ".template", ".cfn", ".hcl")


@record
class Fixture:
    policy_id: str
    outcome: str  # "fail": the policy must fire; "pass": it must not
    path: Path

    @property
    def name(self) -> str:
        return f"{self.policy_id} {self.outcome}/{self.path.name}"


@record
class FixtureResult:
    fixture: Fixture
    ok: bool
    reason: str = ""

    def line(self) -> str:
        verdict = "PASS" if self.ok else "FAIL"
        return f"{verdict} {self.fixture.name}" + (f": {self.reason}" if self.reason else "")


def fixture_dir(policy_file: Path) -> Path:
    """`policies/PK101-slug.yaml` -> `policies/PK101-slug/tests`."""
    return policy_file.with_suffix("") / "tests"


def fixtures_of(policy: Policy) -> list[Fixture]:
    tests = fixture_dir(Path(policy.source))
    found: list[Fixture] = []
    for outcome in OUTCOMES:
        directory = tests / outcome
        if directory.is_dir():
            found.extend(Fixture(policy.id, outcome, entry) for entry in sorted(directory.iterdir())
                         if not entry.name.startswith(".") and _is_fixture(policy, entry))
    return found


# Policies over function results: their fixtures are `NAME.edge.yaml` sidecars (policykit/edge/fixtures.py)
EDGE_SIDECAR = ".edge.yaml"


def _is_fixture(policy: Policy, entry: Path) -> bool:
    return entry.name.endswith(EDGE_SIDECAR) if policy.applies_to in EDGE_KINDS else True


def policies_in(directory: Path) -> list[Policy]:
    """The policies defined by the files of `directory`, validated against the schema."""
    if not directory.is_dir():
        raise PolicyError(f"{directory}: policy directory does not exist")
    if not policy_files(directory):
        raise PolicyError(f"{directory}: no policy files (*.yaml) in this directory")
    own = {str(p.resolve()) for p in policy_files(directory)}
    is_builtin = directory.resolve() == builtin_dir().resolve()
    loaded = load_policies((), validate_builtin=True) if is_builtin else load_policies((directory,))
    return [p for p in loaded if str(Path(p.source).resolve()) in own]


def expected_markers(fixture: Path) -> set[tuple[str, int, str]]:
    """(resolved file, line, policy id) of every `expect:` comment in the fixture's files."""
    files = sorted(p for p in fixture.rglob("*") if p.is_file()) if fixture.is_dir() else [fixture]
    markers: set[tuple[str, int, str]] = set()
    for file in files:
        if not file.name.lower().endswith(_MARKED_SUFFIXES):
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the scan reports it
        for number, line in enumerate(text.splitlines(), start=1):
            match = _EXPECT.search(line)
            if match:
                for policy_id in re.split(r"\s*,\s*", match.group(1)):
                    markers.add((str(file.resolve()), number, policy_id.upper()))
    return markers


def check_fixture(fixture: Fixture, policies: list[Policy]) -> FixtureResult:
    from policykit import api

    if fixture.path.name.endswith(EDGE_SIDECAR):
        reason = _edge_fixture_fails(fixture, policies)
        return FixtureResult(fixture, not reason, reason)

    result = api.scan([fixture.path], api.ScanOptions(), policies=policies)
    problem = _unusable(result, fixture)
    if problem:
        return FixtureResult(fixture, False, problem)
    fired = [f for f in result.findings if f.policy_id == fixture.policy_id and not f.unknown]
    if fixture.outcome == "pass" and fired:
        return FixtureResult(fixture, False, "fired " + "; ".join(_describe(f) for f in fired[:3]))
    if fixture.outcome == "fail" and not fired:
        unknown = [f for f in result.findings if f.policy_id == fixture.policy_id]
        hint = f" (only 'not checked': {unknown[0].message})" if unknown else ""
        return FixtureResult(fixture, False, f"{fixture.policy_id} did not fire{hint}")
    missing = _missing_markers(list(result.findings), expected_markers(fixture.path))
    if missing:
        return FixtureResult(fixture, False, "no finding on marked line(s): " + ", ".join(missing))
    return FixtureResult(fixture, True)


def _edge_fixture_fails(fixture: Fixture, policies: list[Policy]) -> str:
    """"" when a PK7xx fixture holds, else why not: the run its sidecar describes is judged as `policykit edge`
    judges one, and every `expect:` (an id, or ID:LINE of the result file) must have a finding."""
    from policykit import api

    sidecar, policy_id = fixture.path, fixture.policy_id
    try:
        spec = load_yaml(sidecar.read_text(encoding="utf-8"), str(sidecar))
        if not isinstance(spec, dict) or not isinstance(spec.get("event"), str):
            return f"{sidecar.name}: needs `event:`"
        findings = api.edge_fixture_findings(sidecar, spec, policies)
    except PolicykitError as exc:
        return f"input error: {exc}"
    fired = [f for f in findings if f.policy_id == policy_id and not f.unknown]
    if fixture.outcome == "pass":
        return ("fired " + "; ".join(f"{f.location}: {f.message[:120]}" for f in fired[:3])) if fired else ""
    if not fired:
        unknown = [f for f in findings if f.policy_id == policy_id]
        return f"{policy_id} did not fire" + (f" (only 'not checked': {unknown[0].message})" if unknown else "")
    missing = [e for e in spec.get("expect") or [] if not _has(findings, str(e))]
    return ("no finding for " + ", ".join(map(str, missing))) if missing else ""


def _has(findings: list[Finding], expected: str) -> bool:
    policy_id, _, line = expected.partition(":")
    return any(f.policy_id == policy_id and not f.unknown and (not line or f.location.line == int(line))
               for f in findings)


def _unusable(result: ScanResult, fixture: Fixture) -> str:
    if result.errors:
        return "input error: " + str(result.errors[0])
    if not result.files:
        return "not read as a template (skipped)" if result.skipped else "nothing to scan"
    return ""


def _missing_markers(findings: list[Finding], markers: set[tuple[str, int, str]]) -> list[str]:
    found = {(str(Path(f.location.file).resolve()), f.location.line, f.policy_id)
             for f in findings if not f.unknown}
    return [f"{_show(Path(file))}:{line} {policy_id}" for file, line, policy_id in sorted(markers - found)]


def _describe(finding: Finding) -> str:
    location = finding.location
    return f"{_show(Path(location.file))}:{location.line}:{location.column} {finding.message[:120]}"


def _show(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def needs_fixtures(policy: Policy) -> bool:
    # Policies over probe results: a template alone cannot make them fire, so they are proven by tests
    # against real servers (tests/live), not by static fixtures.
    return policy.applies_to not in LIVE_KINDS


def run_policy(policy: Policy, policies: list[Policy]) -> Iterator[FixtureResult]:
    """Every fixture of one policy; a static policy without a fail and a pass fixture fails too."""
    found = fixtures_of(policy)
    for outcome in OUTCOMES if needs_fixtures(policy) else ():
        if not any(f.outcome == outcome for f in found):
            where = _show(fixture_dir(Path(policy.source)) / outcome)
            yield FixtureResult(Fixture(policy.id, outcome, Path(where, "(none)")), False,
                                f"no {outcome} fixtures in {where}")
    for fixture in found:
        yield check_fixture(fixture, policies)


def run_dirs(directories: Iterable[Path]) -> Iterator[FixtureResult]:
    """Fixture results for every policy of each directory (the built-in catalog by default)."""
    for directory in list(directories) or [builtin_dir()]:
        own = policies_in(directory)
        # Scan with the whole catalog plus this directory, so markers of other ids can be checked too.
        catalog = {p.id: p for p in load_policies()}
        catalog.update({p.id: p for p in own})
        everything = sorted(catalog.values(), key=lambda p: p.id)
        for policy in own:
            yield from run_policy(policy, everything)
