"""Text every output format can carry (policykit/core/printable.py): control characters never reach a terminal
and cannot forge a finding line."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
