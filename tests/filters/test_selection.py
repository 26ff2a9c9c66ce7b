"""Selection (policykit/filters/selection.py): every documented id can be selected or skipped, built-in findings
are kept by `--select`, and the library gives the findings the command line gives for the same choice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit import api
from policykit.core.builtins import BUILTIN_IDS, BUILTINS
from policykit.core.location import Location
from policykit.filters import selection
from policykit.filters.selection import Selection
from policykit.findings import Finding, ScanResult, Severity
from policykit.policy.loader import load_policies
from tests.helpers import EXAMPLES, ROOT, RunCli
from tests.templates import cfn_with_ten_choices

# 1,024 deploy-time combinations (a PK009 note), an origin that is an S3 website over HTTPS (PK101) and a key
# written twice (PK006)
TEMPLATE = cfn_with_ten_choices("site.s3-website-us-east-1.amazonaws.com", config_extra="        Enabled: true\n")


def _cli_findings(run_cli: RunCli, *args: str) -> list[tuple[str, int, str]]:
    code, out, err = run_cli("scan", "--no-config", "--format", "json", *args)
    assert code in (0, 1), err
    return sorted((f["policy_id"], f["line"], f["message"]) for f in json.loads(out)["findings"] if not f["unknown"])


def _library_findings(result: ScanResult) -> list[tuple[str, int, str]]:
    return sorted((f.policy_id, f.location.line, f.message) for f in result.findings if not f.unknown)


def test_every_builtin_id_the_readme_documents_is_in_the_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(BUILTIN_IDS) == [f"PK0{n:02d}" for n in range(2, 11)]
    for builtin_id in BUILTIN_IDS - {"PK010"}:  # PK010 is reserved for resources not read
        assert f"**{builtin_id}**" in readme, builtin_id


@pytest.mark.parametrize("builtin_id", sorted(BUILTIN_IDS))
def test_skip_accepts_every_builtin_id(run_cli: RunCli, builtin_id: str) -> None:
    code, _, err = run_cli("scan", "--no-config", "--skip", builtin_id, str(EXAMPLES / "cloudformation"))
    assert code == 1, err  # the examples' errors, not a usage error
    assert "no policy" not in err


def test_skip_pk009_drops_the_note_and_select_keeps_it(run_cli: RunCli, tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(TEMPLATE, encoding="utf-8")
    everything = {f[0] for f in _cli_findings(run_cli, str(template))}
    assert {"PK009", "PK006", "PK101"} <= everything
    assert "PK009" not in {f[0] for f in _cli_findings(run_cli, "--skip", "PK009", str(template))}
    # --select chooses among policies: the built-in findings about the input and the run stay
    selected = {f[0] for f in _cli_findings(run_cli, "--select", "PK101", str(template))}
    assert selected == {"PK009", "PK006", "PK101"}
    assert all(BUILTINS[i].always_on for i in ("PK006", "PK009"))


@pytest.mark.parametrize("args", [(), ("--select", "PK101"), ("--select", "PK2*"), ("--skip", "PK101,PK009")])
def test_the_library_gives_what_the_command_line_gives(run_cli: RunCli, tmp_path: Path, args: tuple[str, ...]) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(TEMPLATE, encoding="utf-8")
    paths = [template, EXAMPLES / "cloudformation"]
    known = BUILTIN_IDS | {p.id for p in load_policies(())}
    chosen = dict(zip(args[::2], args[1::2], strict=True))
    enabled = selection.expand(selection.split([chosen["--select"]]), known) if "--select" in chosen else frozenset()
    disabled = selection.expand(selection.split([chosen["--skip"]]), known) if "--skip" in chosen else frozenset()
    library = api.scan(paths, api.ScanOptions(enabled=enabled, disabled=disabled))
    assert _library_findings(library) == _cli_findings(run_cli, *args, *map(str, paths))


def test_selection_keeps_builtins_drops_unselected_and_overrides_severity() -> None:
    def finding(policy_id: str) -> Finding:
        return Finding(policy_id, "t", Severity.ERROR, "m", Location("f.yaml", 1, 1))

    result = ScanResult(findings=(finding("PK101"), finding("PK201"), finding("PK006")))
    chosen = Selection(enabled=frozenset({"PK101"}), severity_overrides={"PK101": "warning"}).apply(result)
    assert [(f.policy_id, f.severity) for f in chosen.findings] == [("PK006", Severity.ERROR),
                                                                     ("PK101", Severity.WARNING)]
    skipped = Selection(disabled=frozenset({"PK006"})).apply(result)
    assert [f.policy_id for f in skipped.findings] == ["PK101", "PK201"]


def test_a_severity_override_reaches_the_policy_description_too() -> None:
    from policykit.findings import PolicyInfo

    chosen = Selection(severity_overrides={"PK101": "warning"})
    info = PolicyInfo("PK101", "t", Severity.ERROR)
    assert chosen.info(info) == PolicyInfo("PK101", "t", Severity.WARNING)
    assert chosen.info(PolicyInfo("PK201", "t", Severity.ERROR)).severity is Severity.ERROR


def test_patterns_are_split_upper_cased_and_a_typo_gets_the_closest_id() -> None:
    assert selection.split(["pk101, pk2*", "", " PK301 ,"]) == ["PK101", "PK2*", "PK301"]
    assert selection.split(None) == []
    known = frozenset({"PK101", "PK201", "PK301"})
    assert selection.suggestion("pk1O1", known) == " (did you mean PK101?)"
    assert selection.suggestion("PK2O1", known) == " (did you mean PK201?)"  # the closest, not the first
    assert selection.suggestion("nothing-like-it", known) == ""
    assert selection.unknown("PK9*", known) and not selection.unknown("pk1*", known)
    assert selection.expand(["pk1*", "PK301"], known) == {"PK101", "PK301"}
