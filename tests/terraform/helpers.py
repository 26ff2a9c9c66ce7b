"""Helpers of the Terraform tests: a module read into models, its one distribution, the policies that fire; a scan
through the CLI (so an internal error, exit 3, or a traceback fails the test) with its one input error, or its
report when there is none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from policykit.api import ScanOptions, scan
from policykit.model.cloudfront import Distribution, Model
from policykit.terraform import read_input
from tests.helpers import RunCli


def models(path: Path, **options: Any) -> list[Model]:
    from policykit.api import Input

    files = tuple(sorted(path.glob("*.tf")))
    scan_options = ScanOptions(**options)
    found = read_input(Input(path, "terraform", files), scan_options.tf_vars, scan_options.tf_var_files)
    assert found is not None
    return found[0]


def only_distribution(path: Path, **options: Any) -> Distribution:
    dists = [d for m in models(path, **options) for d in m.distributions]
    assert len(dists) == 1
    return dists[0]


def ids(path: Path, **options: Any) -> set[str]:
    result = scan([path], ScanOptions(**options))
    assert not result.errors, result.errors
    return {f.policy_id for f in result.findings if not f.unknown}


def one_input_error(run_cli: RunCli, path: Path, *pieces: str) -> str:
    """The scan gives exactly one input error, on one line, naming the file, a line, and `pieces`."""
    code, out, err = run_cli("scan", str(path), "--format", "json")
    assert code == 2, out + err
    assert "Traceback" not in out + err and "internal error" not in out + err
    errors = json.loads(out)["errors"]
    assert len(errors) == 1, errors
    error = errors[0]
    assert error["line"] > 0, error
    assert "\n" not in error["message"]
    for piece in pieces:
        assert piece in error["message"], error
    return f"{error['file']}:{error['line']}: {error['message']}"


def scans_without_errors(run_cli: RunCli, path: Path) -> dict[str, object]:
    """The JSON report of a scan that gives findings (exit 0 or 1) and no input error."""
    code, out, err = run_cli("scan", str(path), "--format", "json")
    assert code in (0, 1), out + err
    assert "Traceback" not in out + err
    report: dict[str, object] = json.loads(out)
    assert not report["errors"], report["errors"]
    return report


def finding_lines(directory: Path, policy_id: str) -> list[int]:
    result = scan([directory], ScanOptions())
    return sorted(f.location.line for f in result.findings if f.policy_id == policy_id and not f.unknown)
