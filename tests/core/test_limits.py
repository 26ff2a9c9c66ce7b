"""The limits a large repository may outgrow (policykit/core/limits.py): each error names its limit and how to raise it;
`--limit NAME=N` and `limits:` in .policykit.yaml raise it (the command line wins); a typo or a bad number is exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.core import limits
from policykit.core.limits import DEFAULTS, LIMITS, NAMES
from tests.helpers import EXAMPLES, RunCli
from tests.templates import cfn_with_ten_choices

CORRECT = EXAMPLES / "cloudformation" / "correct.yaml"


def _scan(run_cli: RunCli, *args: str) -> tuple[int, dict[str, object], str]:
    code, out, err = run_cli("scan", "--format", "json", *args)
    assert "Traceback" not in err
    return code, json.loads(out) if out.strip() else {}, err


def test_a_lowered_limit_is_reached_and_named_and_the_default_passes(run_cli: RunCli) -> None:
    code, document, _ = _scan(run_cli, "--no-config", str(CORRECT))
    assert code == 0 and document["errors"] == []
    code, document, _ = _scan(run_cli, "--no-config", "--limit", "document_values=20", str(CORRECT))
    assert code == 2
    [error] = document["errors"]  # type: ignore[misc]
    assert error["message"] == ("YAML document has more than 20 values: the document_values limit "
                                "(--limit document_values=N raises it)")
    assert error["line"] > 0


def test_the_configuration_sets_limits_and_the_command_line_wins(tmp_path: Path, run_cli: RunCli) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(CORRECT.read_text("utf-8"), encoding="utf-8")
    config = tmp_path / ".policykit.yaml"
    config.write_text("limits:\n  file_bytes: 100\n", encoding="utf-8")
    code, document, _ = _scan(run_cli, "--config", str(config), str(template))
    assert code == 2 and "larger than 100 bytes: the file_bytes limit" in str(document["errors"])
    code, document, _ = _scan(run_cli, "--config", str(config), "--limit", "file_bytes=1_000_000", str(template))
    assert code == 0 and document["errors"] == []


@pytest.mark.parametrize(("option", "said"), [
    ("document_valus=5", "--limit: no limit 'document_valus' (did you mean document_values?)"),
    ("nonsense=5", "--limit: no limit 'nonsense' (limits: file_bytes, document_values,"),
    ("scenarios=0", "--limit: limit scenarios takes a whole number of at least 1, not '0'"),
    ("scenarios=many", "--limit: limit scenarios takes a whole number of at least 1, not 'many'"),
    ("scenarios", "--limit takes KEY=VALUE, not 'scenarios'"),
])
def test_a_bad_limit_option_is_one_line_and_exit_2(run_cli: RunCli, option: str, said: str) -> None:
    code, _, err = run_cli("scan", "--no-config", "--limit", option, str(CORRECT))
    assert code == 2
    assert said in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("body", "said"), [
    ("limits:\n  file_byte: 10\n", "unknown key 'limits.file_byte' in the configuration"),
    ("limits:\n  file_bytes: 0\n", "limits.file_bytes: must be at least 1"),  # never quoting the value
    ("limits:\n  file_bytes: lots\n", "limits.file_bytes: must be a whole number"),
])
def test_a_bad_limit_in_the_configuration_names_its_line(tmp_path: Path, run_cli: RunCli, body: str,
                                                          said: str) -> None:
    config = tmp_path / ".policykit.yaml"
    config.write_text(body, encoding="utf-8")
    code, _, err = run_cli("scan", "--config", str(config), str(CORRECT))
    assert code == 2
    assert said in err and f"{config}:2:" in err


def test_the_configuration_schema_knows_every_limit() -> None:
    schema = json.loads((Path(limits.__file__).parent.parent / "config_schema.json").read_text("utf-8"))
    assert tuple(schema["properties"]["limits"]["properties"]) == NAMES


def test_a_scan_puts_the_limits_back() -> None:
    before = {name: getattr(LIMITS, name) for name in NAMES}
    result = scan([CORRECT], ScanOptions(limits={"document_values": 20, "scenarios": 1_000}))
    assert result.errors
    assert {name: getattr(LIMITS, name) for name in NAMES} == before == {n: getattr(DEFAULTS, n) for n in NAMES}


def test_a_raised_scenarios_limit_combines_what_the_default_does_not(tmp_path: Path, run_cli: RunCli) -> None:
    """Ten two-valued parameters are 1,024 combinations: past the default 256, a PK009 note names the limit;
    with --limit scenarios=2048 they are all combined and no note is given."""
    template = tmp_path / "t.yaml"
    template.write_text(cfn_with_ten_choices("origin.example.com"), encoding="utf-8")
    _, document, _ = _scan(run_cli, "--no-config", str(template))
    [note] = [f for f in document["findings"] if f["policy_id"] == "PK009"]  # type: ignore[union-attr]
    assert "(256 combinations per distribution, the scenarios limit (--limit scenarios=N raises it))" \
        in note["message"]
    _, document, _ = _scan(run_cli, "--no-config", "--limit", "scenarios=2048", str(template))
    assert [f for f in document["findings"] if f["policy_id"] == "PK009"] == []  # type: ignore[union-attr]


@pytest.mark.parametrize("limit", ["1073741824", "1_000_000_000"])
def test_a_huge_limit_is_a_bound_not_an_allocation(limit: str, tmp_path: Path) -> None:
    """Standard input and pipes are read a MiB at a time: `--limit file_bytes=1073741824` (the ceiling) reads
    what there is, it does not ask for a GiB first."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "policykit", "scan", "--no-config", "--format", "json", "--limit",
               f"file_bytes={limit}", "-"]
    proc = subprocess.run(command, input=CORRECT.read_bytes(), capture_output=True, timeout=60, check=False)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr, proc.stderr
    assert json.loads(proc.stdout)["errors"] == []
    proc = subprocess.run([*command[:-1], "--limit", "file_bytes=10", "-"], input=CORRECT.read_bytes(),
                          capture_output=True, timeout=60, check=False)
    assert proc.returncode == 2 and b"stdin is larger than 10 bytes: the file_bytes limit" in proc.stderr


def test_a_limit_has_a_ceiling_and_the_schema_agrees() -> None:
    """Raised past its ceiling a limit would be none: hours of scenarios, or all the memory there is."""
    from policykit.core.limits import CEILINGS, parse

    with pytest.raises(ValueError, match="limit scenarios can be raised to 65,536 at most, not 1,000,000"):
        parse({"scenarios": "1000000"}, "--limit")
    schema = json.loads((Path(limits.__file__).parent.parent / "config_schema.json").read_text("utf-8"))
    properties = schema["properties"]["limits"]["properties"]
    assert {name: properties[name]["maximum"] for name in NAMES} == CEILINGS
    assert all(getattr(DEFAULTS, name) <= CEILINGS[name] for name in NAMES)
