"""Configuration: discovery upward, pyproject.toml, precedence, --config/--no-config, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policykit import api
from policykit.config import discover, find, load
from policykit.findings import ScanResult
from tests.helpers import ROOT, LoopbackListener, RunCli, spied_sockets, user_repository
from tests.templates import BROKEN, cfn_with_origins


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
    findings, summary = out.splitlines()[:-1], out.splitlines()[-1]
    assert code == 0 and not any("PK101" in line for line in findings)  # the summary names what it turned off
    assert "turns off 1 policy (PK101)" in summary


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
    # the setting and what it takes; the value written is never quoted
    assert code == 2 and ":2:10:" in err and "severity.PK101: must be one of error, warning, info" in err
    assert "fatal" not in err


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
    # named with --config: a configuration found in the scanned tree may not set allow_private
    path = _config(repo, "live:\n  timeout: 2.5\n  concurrency: 4\n  expiry_warning_days: 10\n  allow_private: true\n",
                   "ci.yaml")
    live = _captured_live_options(run_cli, monkeypatch, "--config", str(path), "--timeout", "5", "--concurrency",
                                  "16", "--expiry-warning-days", "30", "--no-allow-private")
    assert (live.timeout, live.concurrency, live.expiry_warning_days, live.allow_private) \
        == (5.0, 16, 30, False)  # type: ignore[attr-defined]
    live = _captured_live_options(run_cli, monkeypatch, "--config", str(path))  # no flags: the file's values
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


# -- trust: what a configuration found in the scanned tree may change ---------------------------------------------

SECRET = "ghp_TOPSECRETTOKEN123"


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A pull request's checkout, the working directory of the run: its `.policykit.yaml` is found, not named."""
    root = tmp_path / "checkout"
    root.mkdir()
    monkeypatch.chdir(root)
    return root


def _origin_at(root: Path, port: int) -> Path:
    """A template whose one origin is 127.0.0.1:port over HTTP (an address: no DNS lookup is needed)."""
    path = root / "t.yaml"
    path.write_text(cfn_with_origins([{"id": "app", "domain": "127.0.0.1", "port": port, "policy": "http-only"}]),
                    encoding="utf-8")
    return path


def _warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("policykit: warning: ")]


@pytest.mark.parametrize("command", ["scan", "probe"])
def test_a_found_configuration_cannot_switch_the_address_guard_off(command: str, checkout: Path,
                                                                   run_cli: RunCli) -> None:
    """`live: {allow_private: true}` in the checkout's .policykit.yaml let `scan --live` and `probe` reach a loopback
    listener (it received `HEAD / HTTP/1.1`). Found in the scanned tree it is ignored, with a warning naming the
    flag; named with --config it is the CI owner's, and followed."""
    listener = LoopbackListener()
    try:
        _origin_at(checkout, listener.port)
        config = _config(checkout, "live:\n  allow_private: true\n")
        args = (["scan", "t.yaml", "--live"] if command == "scan"
                else ["probe", f"127.0.0.1:{listener.port}", "--protocol", "http"])
        with spied_sockets(allowed=(listener.address,)) as spy:
            code, out, err = run_cli(*args, "--format", "json", "--timeout", "2")
        assert code in (0, 1), err
        assert spy.to(listener.address) == [] and listener.received == []
        [warning] = _warnings(err)
        assert f"{config}:2:3: live.allow_private is ignored" in warning and "give --allow-private" in warning
        assert "--config" in warning
        assert json.loads(out)["summary"]["config"]["ignored"] == ["live.allow_private"]
        with spied_sockets(allowed=(listener.address,)) as spy:
            code, _, err = run_cli(*args, "--format", "json", "--timeout", "2", "--config", str(config))
        assert code in (0, 1) and _warnings(err) == []
        assert spy.to(listener.address) and any(data.startswith(b"HEAD / HTTP/1.1") for data in listener.received)
    finally:
        listener.stop()


def test_a_found_configuration_cannot_name_nameservers(checkout: Path, run_cli: RunCli) -> None:
    """`live: {nameservers: ["127.0.0.3:PORT"]}` sent DNS datagrams carrying the template's names to any address
    and port. Found in the scanned tree it is ignored (the system resolver is asked, here refused by the test)."""
    resolver = LoopbackListener("127.0.0.3", udp=True)
    try:
        (checkout / "t.yaml").write_text(cfn_with_origins([{"id": "app", "domain": "origin.example.test",
                                                            "port": 443}]), encoding="utf-8")
        config = _config(checkout, f"live:\n  nameservers: ['127.0.0.3:{resolver.port}']\n  timeout: 1\n")
        with spied_sockets() as spy:
            code, _, err = run_cli("scan", "t.yaml", "--live", "--format", "json")
        assert code in (0, 1), err
        assert spy.to(resolver.address) == [] and resolver.received == []
        [warning] = _warnings(err)
        assert f"{config}:2:3: live.nameservers is ignored" in warning and "give --nameserver" in warning
    finally:
        resolver.stop()


def test_configured_nameservers_pass_the_address_guard(checkout: Path, run_cli: RunCli) -> None:
    """A nameserver from the command line or from --config's file is refused, before any socket is used, when it
    is a loopback, private or link-local address, unless --allow-private; with it the query is sent."""
    resolver = LoopbackListener("127.0.0.3", udp=True)
    try:
        (checkout / "t.yaml").write_text(cfn_with_origins([{"id": "app", "domain": "origin.example.test",
                                                            "port": 443}]), encoding="utf-8")
        named = _config(checkout, f"live:\n  nameservers: ['127.0.0.3:{resolver.port}']\n", "ci.yaml")
        for args, said in (
                (["--nameserver", f"127.0.0.3:{resolver.port}"],
                 f"policykit: --nameserver 127.0.0.3:{resolver.port}: 127.0.0.3 is a loopback address (pass "
                 "--allow-private to use a DNS server there)"),
                (["--config", str(named)], f"policykit: {named}:2:3: live.nameservers: 127.0.0.3 is a loopback"),
                (["--nameserver", "169.254.169.254"], "169.254.169.254 is a link-local address"),
                (["--nameserver", "10.0.0.2"], "10.0.0.2 is a private address"),
                (["--nameserver", "dns.example.test"], "'dns.example.test' is not an IP address")):
            with spied_sockets() as spy:
                code, out, err = run_cli("scan", "t.yaml", "--live", *args)
            assert code == 2 and err.startswith("policykit: ") and said in err, (args, err)
            assert spy.attempts == [] and out == ""
        with spied_sockets(allowed=(resolver.address,)) as spy:
            code, _, err = run_cli("scan", "t.yaml", "--live", "--format", "json", "--timeout", "1",
                                   "--nameserver", f"127.0.0.3:{resolver.port}", "--allow-private")
        assert code in (0, 1), err
        assert spy.to(resolver.address) and b"origin" in b"".join(resolver.received)  # the control: it listens
    finally:
        resolver.stop()
    code, _, err = run_cli("probe", "origin.example.test", "--nameserver", "127.0.0.1")
    assert code == 2 and "127.0.0.1 is a loopback address" in err


def test_a_found_configuration_reads_no_policy_outside_its_directory(tmp_path: Path, checkout: Path,
                                                                     run_cli: RunCli) -> None:
    """`policies: [../outside]` (or an absolute path, or a link out) loaded YAML from anywhere, and the schema
    error quoted it: `invalid policy: (top): 'ghp_...' is not of type 'object'`."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ACME001-secret.yaml").write_text(f"{SECRET}\n", encoding="utf-8")
    (checkout / "linked").symlink_to(outside, target_is_directory=True)
    (checkout / "mine").mkdir()
    (checkout / "mine" / "ACME002-link.yaml").symlink_to(outside / "ACME001-secret.yaml")
    (checkout / "site.yaml").write_text(BROKEN, encoding="utf-8")
    config = _config(checkout, f"policies:\n  - ../outside\n  - {outside}\n  - linked\n  - mine\n")
    code, out, err = run_cli("scan", "site.yaml")
    assert code == 1 and SECRET not in out + err
    warnings = _warnings(err)
    assert [w.split(": ")[2].split(":")[1] for w in warnings] == ["2", "3", "4", "5"]  # one per entry, at its line
    assert all("is ignored" in w and "give --policies DIR" in w for w in warnings)
    assert "policies[0] is ignored" in warnings[0] and "policies[1] is ignored" in warnings[1]
    assert "an absolute path" in warnings[1] and "link to a file outside" in warnings[3]
    # named with --config (the CI owner's file), an absolute directory is read, and its bad file is named, not quoted
    code, out, err = run_cli("scan", "site.yaml", "--config", str(config))
    assert code == 2 and "outside/ACME001-secret.yaml: invalid policy: (top): a policy is a mapping" in err
    assert SECRET not in out + err


def test_no_configuration_error_quotes_the_value_written(checkout: Path, run_cli: RunCli) -> None:
    (checkout / "site.yaml").write_text(BROKEN, encoding="utf-8")
    for text, said in ((f"live:\n  timeout: {SECRET}\n", "live.timeout: must be a number"),
                       (f"policies: {SECRET}\n", "policies: must be a list"),
                       (f"severity_threshold: {SECRET}\n", "severity_threshold: must be one of error, warning, info"),
                       (f"disable: ['{SECRET}-x y']\n", "disable.0: does not have the expected form"),
                       (f"files:\n  - pattern: x\n    {SECRET}: 1\n", "unknown key 'files.0.ghp_"),
                       ("files:\n  - params: {A: b}\n", "files.0: needs the key pattern")):
        path = _config(checkout, text)
        code, out, err = run_cli("scan", "site.yaml")
        assert out == ""
        assert code == 2 and err.startswith(f"policykit: {path}:") and said in err, err
        assert SECRET not in err or said.startswith("unknown key"), err  # a key is a name; a value never shows


def test_a_found_configuration_may_lower_limits_not_raise_them(checkout: Path, run_cli: RunCli,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Raised to their ceilings by the repository's file, the Terraform limits let a 2 KB main.tf build 1.7 GB;
    found in the scanned tree, a raise is ignored (a warning naming --limit), a lowering is followed; so for the
    live run's time-outs and concurrency. Named with --config, the raise is the CI owner's."""
    (checkout / "site.yaml").write_text(BROKEN, encoding="utf-8")
    config = _config(checkout, "limits:\n  terraform_steps: 2000000000\n  terraform_string_bytes: 1073741824\n"
                               "  file_bytes: 100\nlive:\n  run_timeout: 3600\n  concurrency: 4\n")
    code, out, err = run_cli("scan", "site.yaml", "--format", "json")
    assert code == 2 and "larger than 100 bytes: the file_bytes limit" in out  # lowered: followed
    assert [w.split(" is ignored")[0].rsplit(" ", 1)[1] for w in _warnings(err)] == [
        "live.run_timeout", "limits.terraform_steps", "limits.terraform_string_bytes"]
    assert "give --limit terraform_steps=N" in err and "give --run-timeout" in err
    seen: list[api.ScanOptions] = []
    monkeypatch.setattr(api, "scan", lambda paths, options, policies=None: seen.append(options) or ScanResult())
    run_cli("scan", "site.yaml", "--live")
    assert seen[0].limits == {"file_bytes": 100}
    assert seen[0].live is not None and (seen[0].live.run_timeout, seen[0].live.concurrency) == (300.0, 4)
    run_cli("scan", "site.yaml", "--live", "--config", str(config))
    assert seen[1].limits == {"terraform_steps": 2_000_000_000, "terraform_string_bytes": 1_073_741_824,
                              "file_bytes": 100}
    assert seen[1].live is not None and seen[1].live.run_timeout == 3600


@pytest.mark.parametrize("text", ["disable: ['*']\n", "disable: [PK*]\n", "enable: [PK101]\ndisable: [PK101]\n"])
def test_a_configuration_that_turns_off_every_policy_is_an_input_error(text: str, checkout: Path,
                                                                       run_cli: RunCli) -> None:
    """`disable: ["*"]` turned a failing scan into `0 error(s) ... exit 0` in every format."""
    (checkout / "site.yaml").write_text(BROKEN, encoding="utf-8")
    config = _config(checkout, text)
    for extra in ((), ("--exit-zero",), ("--format", "json")):
        code, out, err = run_cli("scan", "site.yaml", *extra)
        assert code == 2 and out == "", extra
        [line] = err.strip().splitlines()
        assert line.startswith(f"policykit: {config}:") and "turns off every policy" in line


def test_every_format_names_the_configuration_and_what_it_changed(checkout: Path, run_cli: RunCli) -> None:
    """Severity overrides to info made a failing scan pass with nothing saying a configuration was read."""
    (checkout / "site.yaml").write_text(BROKEN, encoding="utf-8")
    config = _config(checkout, "disable: [PK306]\nseverity:\n  PK101: info\n  PK201: info\n  PK301: info\n"
                               "  PK501: info\nfiles:\n  - pattern: 'site*.yaml'\n    params: {Env: prod}\n")
    code, out, _ = run_cli("scan", "site.yaml")
    assert code == 0
    summary = out.splitlines()[-1]
    assert f"configuration {config} (found in the scanned tree): turns off 1 policy (PK306)" in summary
    assert "sets severities (PK101 info, PK201 info, PK301 info, PK501 info)" in summary
    assert "gives parameters to site*.yaml" in summary
    _, out, _ = run_cli("scan", "site.yaml", "--format", "json")
    described = json.loads(out)["summary"]["config"]
    assert described["file"] == str(config) and described["named"] is False
    assert described["disabled"] == ["PK306"] and described["severity"]["PK101"] == "info"
    assert described["files"] == ["site*.yaml"]
    _, out, _ = run_cli("scan", "site.yaml", "--format", "sarif")
    assert json.loads(out)["runs"][0]["properties"]["configuration"] == described
    _, out, _ = run_cli("scan", "site.yaml", "--format", "junit")
    import xml.etree.ElementTree as ET

    import xmlschema

    xmlschema.XMLSchema(str(ROOT / "tests" / "schemas" / "junit.xsd")).validate(out)
    properties = {p.get("name"): p.get("value") for p in ET.fromstring(out.split("\n", 1)[1]).iter("property")}
    assert properties["policykit.configuration"] == str(config)
    assert properties["policykit.configuration.named"] == "false"
    _, out, _ = run_cli("scan", "site.yaml", "--format", "github")
    [notice] = [line for line in out.splitlines() if line.startswith("::notice title=policykit configuration::")]
    assert f"configuration {config} (found in the scanned tree): turns off 1 policy (PK306)" in notice
    _, out, _ = run_cli("scan", "site.yaml", "--format", "json", "--no-config")
    assert json.loads(out)["summary"]["config"] is None


def test_a_found_configuration_cannot_replace_the_trusted_roots(repo: Path, run_cli: RunCli,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "roots.pem").write_text("not read\n", encoding="utf-8")
    path = _config(repo, "live:\n  trust_store: roots.pem\n  expiry_warning_days: 10\n")
    seen: list[api.ScanOptions] = []
    monkeypatch.setattr(api, "scan", lambda paths, options, policies=None: seen.append(options) or ScanResult())
    code, _, err = run_cli("scan", "site.yaml", "--live")
    assert code == 0 and seen[0].live is not None
    assert seen[0].live.trust_store is None and seen[0].live.expiry_warning_days == 10
    [warning] = _warnings(err)
    assert f"{path}:2:3: live.trust_store is ignored" in warning and "give --trust-store" in warning


def test_the_live_bounds_a_found_configuration_may_not_raise_are_the_live_defaults() -> None:
    from policykit import config
    from policykit.probes.options import LiveOptions

    defaults = LiveOptions()
    assert {key: default for key, (_, default) in config._LIVE_BOUNDS.items()} == {
        key: getattr(defaults, key) for key in config._LIVE_BOUNDS}


def test_a_found_configuration_that_widens_nothing_gets_no_warning(repo: Path, run_cli: RunCli) -> None:
    (repo / "loop").symlink_to(repo / "loop")
    _config(repo, "live:\n  allow_private: false\n  nameservers: []\n  timeout: 5\nlimits:\n  scenarios: 256\n")
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 1 and _warnings(err) == []
    _config(repo, "policies: [loop]\n")  # a link to itself: not known to stay inside, so ignored
    code, _, err = run_cli("scan", "site.yaml")
    assert code == 1 and "policies[0] is ignored" in err and "cannot be followed" in err
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
    assert code == 2 and f"{path}:1:10: exclude: must be a list" in err  # never the value written



def test_a_found_configuration_that_excludes_paths_says_so_in_every_report(tmp_path: Path, run_cli: RunCli,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """`exclude:` in a pull request's own `.policykit.yaml` keeps files from being checked: never unseen."""
    repo = user_repository(tmp_path, "policies: [policies]\nexclude: [cfn/web.yaml]\n")
    (repo / "cfn" / "other.yaml").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(repo)
    code, out, _ = run_cli("scan", ".")
    assert code == 1 and "(found in the scanned tree): excludes cfn/web.yaml" in out.splitlines()[-1]
    code, out, _ = run_cli("scan", ".", "--format", "json")
    assert json.loads(out)["summary"]["config"]["exclude"] == ["cfn/web.yaml"]
