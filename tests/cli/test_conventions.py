"""What users of checkov and cfn-lint reach for, and strictness where their intent is clear."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, RunCli
from tests.templates import BROKEN, FIXED

BROKEN_CFN = EXAMPLES / "cloudformation" / "broken-origins.yaml"


def _ids(out: str) -> set[str]:
    return {f["policy_id"] for f in json.loads(out)["findings"] if not f["unknown"]}


def test_unknown_output_format_prefix_is_exit_2_naming_the_formats(tmp_path: Path, run_cli: RunCli,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("scan", str(BROKEN_CFN), "--output", "xml=out.x")
    assert code == 2 and out == ""
    assert "unknown format 'xml'" in err and "text, json, sarif, junit, github" in err
    assert list(tmp_path.iterdir()) == []
    code, _, _ = run_cli("scan", str(BROKEN_CFN), "--output", "./xml=out.x")  # a file of that name, if meant
    assert code == 1 and (tmp_path / "xml=out.x").is_file()


def test_select_and_skip_take_ids_and_globs(run_cli: RunCli) -> None:
    _, out, _ = run_cli("scan", str(BROKEN_CFN), "--format", "json")
    everything = _ids(out)
    assert {"PK101", "PK201"} <= everything
    _, out, _ = run_cli("scan", str(BROKEN_CFN), "--format", "json", "--select", "PK2*")
    assert _ids(out) == {i for i in everything if i.startswith("PK2")}
    _, out, _ = run_cli("scan", str(BROKEN_CFN), "--format", "json", "--skip", "pk2*,PK101")
    assert _ids(out) == everything - {"PK101"} - {i for i in everything if i.startswith("PK2")}
    _, out, _ = run_cli("scan", str(BROKEN_CFN), "--format", "json", "--select", "PK101", "--select", "PK201")
    assert _ids(out) == {"PK101", "PK201"}


def test_unknown_ids_on_the_command_line_are_exit_2_with_did_you_mean(run_cli: RunCli) -> None:
    code, out, err = run_cli("scan", str(BROKEN_CFN), "--skip", "PK5O1")
    assert code == 2 and out == ""
    assert err.strip() == ("policykit: --skip: no policy 'PK5O1' (did you mean PK501?); "
                           "`policykit policies list` shows them")
    code, _, err = run_cli("scan", str(BROKEN_CFN), "--select", "PK9*")
    assert code == 2 and "--select: no policy 'PK9*'" in err


def test_unknown_ids_in_the_config_are_exit_2_with_did_you_mean(tmp_path: Path, run_cli: RunCli,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site.yaml").write_text(BROKEN, encoding="utf-8")
    config = tmp_path / ".policykit.yaml"
    config.write_text("disable:\n  - PK306\n  - PK5O1\n", encoding="utf-8")
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 2
    assert f"{config}:3:5: disable: no policy 'PK5O1' (did you mean PK501?)" in err
    config.write_text("severity:\n  PK2O1: warning\n", encoding="utf-8")
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 2 and ":2:3: severity: no policy 'PK2O1' (did you mean PK201?)" in err
    config.write_text("disable: ['PK1*']\n", encoding="utf-8")  # a glob is fine
    code, out, _ = run_cli("scan", "site.yaml", "--format", "json")
    assert code == 0 and not [i for i in _ids(out) if i.startswith("PK1")]


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    class Stdin(io.TextIOWrapper):
        pass

    monkeypatch.setattr(sys, "stdin", Stdin(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))


def test_scan_stdin_with_stdin_filename(tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, BROKEN)
    code, out, _ = run_cli("scan", "-", "--stdin-filename", "infra/site.yaml")
    assert code == 1
    assert "infra/site.yaml:17:37: error PK101" in out
    assert "policykit-stdin" not in out
    _stdin(monkeypatch, BROKEN)
    code, out, _ = run_cli("scan", "-")
    assert code == 1 and out.startswith("-:17:37: error PK101")
    _stdin(monkeypatch, FIXED)
    assert run_cli("scan", "-", "--stdin-filename", "site.yaml")[0] == 0
    code, _, err = run_cli("scan", str(BROKEN_CFN), "--stdin-filename", "x.yaml")
    assert code == 2 and "--stdin-filename needs -" in err


def test_stdin_suppressions_and_config_patterns_use_the_stdin_filename(
        tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.templates import with_resource_metadata

    monkeypatch.chdir(tmp_path)
    _stdin(monkeypatch, with_resource_metadata(
        BROKEN, "      policykit:\n        ignore:\n          - id: PK101\n            reason: migrating\n"))
    code, out, _ = run_cli("scan", "-", "--stdin-filename", "site.yaml", "--format", "json")
    [pk101] = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK101"]
    assert code == 0 and pk101["suppressed"] and pk101["file"] == "site.yaml"


def test_exit_zero_never_fails_on_findings_but_still_on_errors(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("scan", str(BROKEN_CFN), "--exit-zero")
    assert code == 0 and "error PK101" in out
    code, _, err = run_cli("scan", str(BROKEN_CFN), str(tmp_path / "missing.yaml"), "--exit-zero")
    assert code == 2 and "missing.yaml: no such file or directory" in err


def test_color_option_and_environment(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert "\033[31m" in run_cli("scan", str(BROKEN_CFN), "--color", "always")[1]
    assert "\033[" not in run_cli("scan", str(BROKEN_CFN), "--color", "auto")[1]  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\033[31m" in run_cli("scan", str(BROKEN_CFN))[1]
    assert "\033[" not in run_cli("scan", str(BROKEN_CFN), "--color", "never")[1]  # the flag wins
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("NO_COLOR", "1")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    from policykit.cli.common import Color, use_color

    assert not use_color(Color.auto, Terminal())
    monkeypatch.delenv("NO_COLOR")
    assert use_color(Color.auto, Terminal())
    monkeypatch.setenv("TERM", "dumb")
    assert not use_color(Color.auto, Terminal())
    # colour never reaches a report file or another format
    _, out, _ = run_cli("scan", str(BROKEN_CFN), "--color", "always", "--format", "json")
    assert "\033[" not in out


def test_errors_go_to_stderr_and_the_skipped_file_is_named(tmp_path: Path, run_cli: RunCli) -> None:
    notes = tmp_path / "notes.yaml"
    notes.write_text("just: notes\n", encoding="utf-8")
    code, out, err = run_cli("scan", str(BROKEN_CFN), str(notes), str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "missing.yaml: no such file or directory" in err and "no such file" not in out
    assert f"1 file(s) skipped (not templates: {notes})" in out.splitlines()[-1]


# -- Conventions every command keeps --------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [(), ("scan",), ("probe",), ("policies",), ("policies", "list"),
                                     ("policies", "show"), ("policies", "facts"), ("policies", "test"),
                                     ("policies", "validate"), ("edge",), ("edge", "validate"), ("edge", "run")])
def test_every_command_takes_dash_h(run_cli: RunCli, command: tuple[str, ...]) -> None:
    code, out, err = run_cli(*command, "-h")
    assert (code, err) == (0, "") and out.startswith("Usage: policykit")
    assert run_cli(*command, "--help")[1] == out


def test_scan_without_a_path_scans_the_working_directory(run_cli: RunCli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "site.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("scan", "--format", "json")
    assert code == 1, err
    assert json.loads(out)["summary"]["distributions_by_file"] == {"infra/site.yaml": 1}


@pytest.mark.parametrize("command", [("scan",), ("probe",), ("edge", "validate"), ("edge", "run")])
def test_every_command_that_prints_a_report_takes_color_quiet_and_compact(run_cli: RunCli,
                                                                         command: tuple[str, ...]) -> None:
    out = run_cli(*command, "--help")[1]
    for option in ("--color", "--quiet", "--compact"):
        assert option in out, option


def test_probe_and_edge_reports_are_coloured_when_asked(run_cli: RunCli, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    result = tmp_path / "result.json"
    # a header CloudFront reserves, set by a viewer-request function: PK705, an error
    result.write_text('{"status": "302", "headers": {"x-cache": [{"key": "X-Cache", "value": "HIT"}]}}',
                      encoding="utf-8")
    edge = ("edge", "validate", str(result), "--event", "viewer-request")
    assert "\033[31m" in run_cli(*edge, "--color", "always")[1]
    assert "\033[" not in run_cli(*edge)[1]  # not a terminal
    # nothing listens on port 1 of loopback: refused, an error finding (loopback needs --allow-private)
    probe = ("probe", "127.0.0.1:1", "--allow-private", "--timeout", "2")
    code, out, _ = run_cli(*probe, "--color", "always")
    assert code == 1 and "\033[31m" in out
    code, out, _ = run_cli(*probe, "--quiet")
    assert code == 1 and "what was seen" not in out and " error(s)" not in out and "PK6" in out
