"""Configuration: discovery upward, pyproject.toml, precedence, --config/--no-config, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policykit.config import discover, find, load
from tests.helpers import ROOT, RunCli, user_repository
from tests.templates import BROKEN


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "site.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "stacks")
    return tmp_path


def _config(repo: Path, text: str, name: str = ".policykit.yaml") -> Path:
    path = repo / name
    path.write_text(text, encoding="utf-8")
    return path


def test_found_from_a_subdirectory(repo: Path) -> None:
    path = _config(repo, "disable: [PK201]\n")
    assert find(Path.cwd()) == path
    assert discover().disabled == frozenset({"PK201"})


def test_pyproject_without_policykit_table_does_not_stop_the_search(repo: Path) -> None:
    (repo / "stacks" / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    path = _config(repo, "severity_threshold: warning\n")
    assert find(Path.cwd()) == path


def test_pyproject_tool_policykit(repo: Path, run_cli: RunCli) -> None:
    _config(repo, '[project]\nname = "x"\n\n[tool.policykit]\ndisable = ["PK101"]\n', "pyproject.toml")
    code, out, _ = run_cli("scan", "site.yaml")
    assert code == 0 and "PK101" not in out


def test_severity_override_and_threshold_with_cli_winning(repo: Path, run_cli: RunCli) -> None:
    _config(repo, "severity:\n  PK101: warning\nseverity_threshold: warning\n")
    code, out, _ = run_cli("scan", "site.yaml")
    assert code == 1 and "warning PK101" in out  # the file's threshold catches the warning
    code, _, _ = run_cli("scan", "site.yaml", "--severity-threshold", "error")
    assert code == 0  # the flag wins


def test_enable_runs_only_those(repo: Path, run_cli: RunCli) -> None:
    _config(repo, "enable: [PK301]\n")
    code, out, _ = run_cli("scan", "site.yaml", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and {f["policy_id"] for f in doc["findings"]} <= {"PK301"}


def test_policy_dirs_are_relative_to_the_file(repo: Path) -> None:
    config = load(_config(repo, "policies: [my-policies]\nbaseline: .policykit-baseline.json\n"))
    assert config.policy_dirs == (repo / "my-policies",)
    assert config.baseline == repo / ".policykit-baseline.json"


def test_params_per_file_pattern(repo: Path, run_cli: RunCli) -> None:
    template = ('AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  Policy:\n    Type: String\n'
                + BROKEN.split("\n", 1)[1].replace("OriginProtocolPolicy: https-only",
                                                   "OriginProtocolPolicy: !Ref Policy"))
    (repo / "stacks" / "param.yaml").write_text(template, encoding="utf-8")
    code, out, _ = run_cli("scan", "param.yaml", "--no-config")
    assert code == 0, out  # unknown parameter: not an error
    _config(repo, "files:\n  - pattern: 'param*.yaml'\n    params: {Policy: https-only}\n")
    code, out, _ = run_cli("scan", "param.yaml")
    assert code == 1 and "PK101" in out
    code, out, _ = run_cli("scan", "param.yaml", "--param", "Policy=http-only")
    assert code == 0  # the command line wins


def test_no_config_and_explicit_config(repo: Path, run_cli: RunCli) -> None:
    _config(repo, "disable: [PK101]\n")
    assert run_cli("scan", "site.yaml")[0] == 0
    assert run_cli("scan", "site.yaml", "--no-config")[0] == 1
    other = _config(repo, "disable: [PK301]\n", "other.yaml")
    assert run_cli("scan", "site.yaml", "--config", str(other))[0] == 1
    code, _, err = run_cli("scan", "site.yaml", "--config", str(repo / "missing.yaml"))
    assert code == 2 and "missing.yaml" in err


def test_unknown_key_names_key_file_and_line(repo: Path, run_cli: RunCli) -> None:
    path = _config(repo, "disable: [PK201]\nseverity_treshold: warning\n")
    code, out, err = run_cli("scan", "site.yaml")
    assert code == 2
    assert f"{path}:2:1: unknown key 'severity_treshold'" in err
    assert "Traceback" not in out + err


def test_nested_unknown_and_bad_values(repo: Path, run_cli: RunCli) -> None:
    path = _config(repo, "live:\n  timeout: 3\n  retries: 2\n")
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 2 and f"{path}:3:3: unknown key 'live.retries'" in err
    _config(repo, "severity:\n  PK101: fatal\n")
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 2 and ":2:10:" in err and "fatal" in err


def test_pyproject_unknown_key_has_a_line(repo: Path, run_cli: RunCli) -> None:
    path = _config(repo, '[project]\nname = "x"\n\n[tool.policykit]\ndisabel = ["PK101"]\n', "pyproject.toml")
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 2 and f"{path}:5:1: unknown key 'disabel'" in err


def test_live_settings_are_validated_and_passed_on(repo: Path) -> None:
    from policykit.cli.common import with_live_config
    from policykit.probes.options import LiveOptions

    config = load(_config(repo, "live:\n  timeout: 2.5\n  concurrency: 4\n  nameservers: ['127.0.0.1:5353']\n"
                                "  allow_private: true\n  expiry_warning_days: 10\n"))
    from policykit.api import ScanOptions

    options = with_live_config(ScanOptions(live=LiveOptions(concurrency=8)), config)
    assert options.live is not None
    assert options.live.timeout == 2.5 and options.live.allow_private and options.live.expiry_warning_days == 10
    assert options.live.concurrency == 8  # given on the command line: it wins
    assert str(options.live.nameservers[0]) == "127.0.0.1:5353"


def test_jsonschema_is_not_imported_without_a_config_file(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(BROKEN, encoding="utf-8")
    code = ("import sys\nfrom policykit.cli import main\nmain(['scan', 'site.yaml', '--format', 'json'])\n"
            "print('jsonschema' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip().endswith("False"), done.stdout + done.stderr


def test_bad_live_nameserver_is_an_input_error(repo: Path) -> None:
    from policykit.api import ScanOptions
    from policykit.cli.common import with_live_config
    from policykit.core.errors import InputError
    from policykit.probes.options import LiveOptions

    path = _config(repo, "live:\n  nameservers: ['host:notaport']\n")
    with pytest.raises(InputError, match=r"live\.nameservers") as caught:
        with_live_config(ScanOptions(live=LiveOptions()), load(path))
    assert caught.value.file == str(path)


def _captured_live_options(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, *args: str) -> object:
    """Runs `scan site.yaml --live ARGS` with api.scan replaced; the LiveOptions it was given."""
    from policykit import api
    from policykit.findings import ScanResult

    seen: list[object] = []

    def fake_scan(paths: object, options: api.ScanOptions, policies: object = None) -> ScanResult:
        seen.append(options.live)
        return ScanResult()

    monkeypatch.setattr(api, "scan", fake_scan)
    code, _, err = run_cli("scan", "site.yaml", "--live", *args)
    assert code == 0, err
    return seen[0]


def test_explicit_live_flags_equal_to_the_default_beat_the_file(repo: Path, run_cli: RunCli,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _config(repo, "live:\n  timeout: 2.5\n  concurrency: 4\n  expiry_warning_days: 10\n  allow_private: true\n")
    live = _captured_live_options(run_cli, monkeypatch, "--timeout", "5", "--concurrency", "16",
                                  "--expiry-warning-days", "30", "--no-allow-private")
    assert (live.timeout, live.concurrency, live.expiry_warning_days, live.allow_private) \
        == (5.0, 16, 30, False)  # type: ignore[attr-defined]
    live = _captured_live_options(run_cli, monkeypatch)  # no flags: the file's values
    assert (live.timeout, live.concurrency, live.expiry_warning_days, live.allow_private) \
        == (2.5, 4, 10, True)  # type: ignore[attr-defined]


def test_neither_flag_nor_file_gives_the_defaults(repo: Path, run_cli: RunCli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    live = _captured_live_options(run_cli, monkeypatch, "--no-config")
    assert (live.timeout, live.concurrency, live.expiry_warning_days, live.allow_private) \
        == (5.0, 16, 30, False)  # type: ignore[attr-defined]


def test_explicit_threshold_equal_to_the_default_beats_the_file(repo: Path, run_cli: RunCli) -> None:
    _config(repo, "severity:\n  PK101: warning\nseverity_threshold: warning\n")
    assert run_cli("scan", "site.yaml")[0] == 1
    assert run_cli("scan", "site.yaml", "--severity-threshold", "error")[0] == 0  # "error" is the default


# -- Paths in the configuration mean the same from any directory ----------------------------------------------------

_HTTP_ONLY = "policies: [policies/]\nfiles:\n  - pattern: cfn/web.yaml\n    params: {Proto: http-only}\n"


def _ids(out: str) -> list[str]:
    return [str(f["policy_id"]) for f in json.loads(out)["findings"] if not f["unknown"]]


@pytest.mark.parametrize("where", ["root", "subdirectory", "absolute", "dotted", "elsewhere"])
def test_files_patterns_are_relative_to_the_configuration_file(tmp_path: Path, run_cli: RunCli,
                                                              monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """`files: [{pattern: cfn/web.yaml, ...}]` applies to that file whatever the working directory or the spelling
    of its path: the same file, the same configuration, the same exit code."""
    repo = user_repository(tmp_path / "repo", _HTTP_ONLY)
    web = repo / "cfn" / "web.yaml"
    cwd, args = {"root": (repo, ["cfn/web.yaml"]), "subdirectory": (repo / "cfn", ["web.yaml"]),
                 "absolute": (repo / "cfn", [str(web)]), "dotted": (repo / "cfn", ["../cfn/./web.yaml"]),
                 "elsewhere": (tmp_path, [str(web), "--config", str(repo / ".policykit.yaml")])}[where]
    monkeypatch.chdir(cwd)
    code, out, err = run_cli("scan", "--format", "json", *args)
    assert (code, _ids(out)) == (0, []), err  # Proto=http-only: no PK101
    code, out, _ = run_cli("scan", "--format", "json", "--no-config", *args[:1])
    assert (code, _ids(out)) == (1, ["PK101"])  # the measurement works: without the configuration, PK101


def test_a_files_pattern_of_a_directory_covers_the_templates_under_it(tmp_path: Path, run_cli: RunCli,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    repo = user_repository(tmp_path, "files:\n  - pattern: cfn\n    params: {Proto: http-only}\n")
    monkeypatch.chdir(repo / "cfn")
    code, out, _ = run_cli("scan", "--format", "json", "web.yaml")
    assert (code, _ids(out)) == (0, [])


def test_policies_and_baseline_are_relative_to_the_configuration_file_from_a_subdirectory(
        tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = user_repository(tmp_path, "policies: [policies/]\nbaseline: .policykit-baseline.json\n")
    (repo / "cfn" / "slow.yaml").write_text((repo / "policies" / "ACME001-read-timeout" / "tests" / "fail" /
                                             "slow.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(repo)
    code, _, err = run_cli("scan", "cfn", "--write-baseline", ".policykit-baseline.json")
    assert code == 0 and "recorded 3 finding(s)" in err  # PK101 twice, ACME001 once
    monkeypatch.chdir(repo / "cfn")
    code, out, _ = run_cli("scan", "--format", "json", "slow.yaml")
    findings = json.loads(out)["findings"]
    assert code == 0 and {(f["policy_id"], f["baseline"]) for f in findings if not f["unknown"]} == {
        ("ACME001", "unchanged"), ("PK101", "unchanged")}


def test_exclude_in_the_configuration_is_relative_to_it(tmp_path: Path, run_cli: RunCli,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    repo = user_repository(tmp_path, "policies: [policies]\nexclude: [cfn/web.yaml]\n")
    (repo / "cfn" / "other.yaml").write_text(BROKEN, encoding="utf-8")
    for cwd, path in ((repo, "."), (repo / "cfn", "."), (tmp_path.parent, str(repo))):
        monkeypatch.chdir(cwd)
        args = ("--config", str(repo / ".policykit.yaml")) if cwd == tmp_path.parent else ()
        code, out, _ = run_cli("scan", "--format", "json", path, *args)
        files = json.loads(out)["summary"]["distributions_by_file"]
        assert code == 1  # other.yaml is broken (PK101); web.yaml, excluded, is not read
        assert [Path(f).name for f in files] == ["other.yaml"], (cwd, files)


def test_exclude_must_be_a_list_of_patterns(repo: Path, run_cli: RunCli) -> None:
    path = _config(repo, "exclude: policies/\n")
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 2 and f"{path}:1:10: exclude: 'policies/' is not of type 'array'" in err

