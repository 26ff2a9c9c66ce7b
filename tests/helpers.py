"""What the tests share besides fixtures (tests/conftest.py) and inputs (tests/templates.py): the repository's
paths, the types of the common fixtures, and small functions several areas use."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
POLICIES = ROOT / "policies"
# The team's shared material (corpus, SARIF schema, references) sits beside the checkout, as in CI.
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
requires_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared (corpus, schemas, references) is not beside this checkout")

# The fixtures of tests/conftest.py: `run_cli(*args) -> (exit code, stdout, stderr)`, `write(name, text) -> path`.
RunCli = Callable[..., tuple[int, str, str]]
Write = Callable[[str, str], Path]


def line_of(path: Path, needle: str, after: str = "") -> int:
    """The first line holding `needle` (after the first line holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


REPORT_SCHEMA = ROOT / "policykit" / "reporters" / "report_schema.json"


@functools.cache
def _report_validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_report(document: Mapping[str, object]) -> None:
    """Fail unless `document` is a JSON report as policykit/reporters/report_schema.json describes it (every
    error listed, each with where it is). tests/conftest.py applies it to every JSON report a test produces."""
    errors = sorted(_report_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:20]]
        raise AssertionError("the JSON report does not match policykit/reporters/report_schema.json:\n"
                             + "\n".join(lines))
