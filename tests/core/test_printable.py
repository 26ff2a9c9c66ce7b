"""Text every output format can carry (policykit/core/printable.py): control characters never reach a terminal
and cannot forge a finding line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import RunCli
from tests.templates import ALIASED_SITE, FORGING_ALIAS


def test_control_characters_cannot_reach_the_terminal_or_forge_lines(tmp_path: Path, run_cli: RunCli) -> None:
    evil_dir = tmp_path / "d\x1b[2Jx\nforged.yaml:1:1: error PK999 y"
    evil_dir.mkdir()
    site = evil_dir / "site.yaml"
    site.write_text(ALIASED_SITE.replace("ALIAS", FORGING_ALIAS), encoding="utf-8")
    missing = tmp_path / "gone\x1b]0;title\x07.yaml"
    for fmt in ("text", "github"):
        code, out, err = run_cli("scan", str(site), str(missing), "--format", fmt, "--color", "never")
        assert code == 2
        for stream in (out, err):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", stream), (fmt, stream)
        # no forged finding line: every line is a finding of the real file, its indented detail, the summary
        # (text) or a workflow command (github)
        for line in out.splitlines():
            assert line.startswith(("::", str(tmp_path), "    ", "         ")) or line[0].isdigit(), line
        assert "forged" in out and not any(line.startswith("forged") for line in out.splitlines())
        assert "\\x1b[2J" in out and "\\n" in out
        assert "gone\\x1b]0;title\\x07.yaml" in err
    code, out, _ = run_cli("scan", str(site), "--format", "json")
    aliases = [f["subject"] for f in json.loads(out)["findings"] if f["policy_id"] == "PK301"]
    assert aliases == ["alias 'evil\x1b[2J.example.com\nforged.yaml:1:1: error PK999 forged'"]  # kept whole


def test_printable_data_rebuilds_only_what_it_escapes() -> None:
    """A result with nothing to escape is returned as it is (a small scan rebuilds nothing); a string with a
    surrogate is escaped wherever it sits, and what holds it is rebuilt with its type."""
    from policykit.core.location import Location
    from policykit.core.printable import printable_data
    from policykit.findings import ScanError, ScanResult

    clean = ScanResult(errors=(ScanError("a.yaml", "bad"),), files=("a.yaml",), distributions={"a.yaml": 1})
    assert printable_data(clean) is clean
    bad = "b\udcff.yaml"
    escaped = printable_data(ScanResult(errors=(ScanError(bad, "bad"),), files=("a.yaml", bad),
                                        distributions={bad: 2}))
    assert escaped.errors == (ScanError("b\\xff.yaml", "bad"),) and escaped.files == ("a.yaml", "b\\xff.yaml")
    assert escaped.distributions == {"b\\xff.yaml": 2}
    where = printable_data([Location(bad, 1, 2), {"k": [bad]}])
    assert where == [Location("b\\xff.yaml", 1, 2), {"k": ["b\\xff.yaml"]}] and type(where[0]) is Location


# Line breaks a file name or a template value may hold, each followed by what would be a workflow command.
_BREAKS = ("\n", "\r\n", "\r", "\u2028", "\x85", "\x0b")
_HOSTILE_POLICY = """\
id: ACME901
title: "Forged \\n::warning::FORGED title"
severity: error
applies_to: origin
condition:
  fact: endpoint_kind
  equals: custom
at: domain_name
message: "{label} of {distribution.label} is custom ({domain_name})."
fix: "Line one.\\n::warning::FORGED fix line\\n  ::error::FORGED indented"
"""


def _hostile_tree(root: Path) -> Path:
    """Inputs whose names and values hold line breaks followed by workflow commands: a directory, a template
    named so that its path starts a line with `::`, an alias and an origin name, a broken template (an input
    error naming its file), and a policy of the repository whose title and fix do the same."""
    for number, brk in enumerate(_BREAKS):
        folder = root / f"d{number}{brk}::warning::FORGED dir"
        folder.mkdir()
        alias = json.dumps(f"a{number}{brk}::warning::FORGED alias.example.com")
        (folder / "site.yaml").write_text(ALIASED_SITE.replace("ALIAS", alias), encoding="utf-8")
        (folder / f"bad{brk}::error::FORGED.yaml").write_text(
            "AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n", encoding="utf-8")
    (root / "::warning::FORGED.yaml").write_text(ALIASED_SITE.replace("ALIAS", "x.example.com"), encoding="utf-8")
    (root / "policies").mkdir()
    (root / "policies" / "ACME901-forged.yaml").write_text(_HOSTILE_POLICY, encoding="utf-8")
    return root


def _commands(text: str) -> list[str]:
    """Lines the GitHub Actions runner would read as workflow commands (it skips leading spaces)."""
    return [line for line in text.splitlines() if line.lstrip().startswith("::")]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_no_output_line_starts_a_workflow_command_from_input_data(fmt: str, tmp_path: Path, run_cli: RunCli,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = _hostile_tree(tmp_path)
    monkeypatch.chdir(root)
    code, out, err = run_cli("scan", ".", "--no-config", "--policies", "policies", "--format", fmt,
                             "--color", "never", "--show-unknown")
    assert code == 2 and "Traceback" not in err
    assert "FORGED" in out  # the hostile names are reported (escaped), not dropped
    assert _commands(err) == []
    if fmt == "github":  # its own commands, one per line, and no other
        assert out.splitlines() and all(line.startswith(("::error ", "::warning ", "::notice "))
                                        for line in out.splitlines())
    else:
        assert _commands(out) == [], fmt
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        document = ET.fromstring(out.split("\n", 1)[1])
        assert document.iter("failure") and document.iter("error")  # the forged texts sit inside elements


def test_policy_commands_print_no_workflow_command_from_a_policy_file(tmp_path: Path, run_cli: RunCli) -> None:
    root = _hostile_tree(tmp_path)
    (root / "policies" / "ACME902-broken.yaml").write_text("id: [\n", encoding="utf-8")
    (root / "policies" / "ACME902-broken.yaml").rename(root / "policies" / "ACME902\n::error::FORGED.yaml")
    for args in (("policies", "validate", str(root / "policies")),
                 ("policies", "list", "--policies", str(root / "policies")),
                 ("scan", str(root / "::warning::FORGED.yaml"), "--policies", str(root / "policies"))):
        _, out, err = run_cli(*args)
        assert "FORGED" in out + err, args
        assert _commands(out) == [] and _commands(err) == [], args
    (root / "policies" / "ACME902\n::error::FORGED.yaml").unlink()
    code, out, _ = run_cli("policies", "show", "ACME901", "--policies", str(root / "policies"))
    assert code == 0 and "FORGED fix line" in out and _commands(out) == []


def test_a_leading_command_is_escaped_and_other_lines_kept() -> None:
    from policykit.core.printable import safe_line, visible, visible_lines

    assert safe_line("::warning::x") == "\\x3a:warning::x"
    assert safe_line("  \t::error::x") == "  \t\\x3a:error::x"
    assert safe_line("file.yaml:1:1: error ::x") == "file.yaml:1:1: error ::x"
    assert safe_line(":x") == ":x" and safe_line("") == ""
    assert visible("a\nb\u2028c\x85d\udcff") == "a\\nb\\u2028c\\x85d\\xff"
    assert visible_lines("one\n::warning::two\n  three") == ["one", "\\x3a:warning::two", "  three"]
