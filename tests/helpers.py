"""What the tests share besides fixtures (tests/conftest.py) and inputs (tests/templates.py): the repository's
paths, the types of the common fixtures, and small functions several areas use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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


def user_repository(root: Path, config: str) -> Path:
    """A repository laid out as the README describes, at `root`: `cfn/web.yaml` (PK101 unless Proto=http-only),
    the user's policy ACME001 in `policies/` with a fail fixture that is a broken template and a pass fixture, and
    `config` as its `.policykit.yaml`; a `.git` directory marks its root (as policykit finds it). Returns `root`."""
    from tests.templates import READ_TIMEOUT_POLICY, SLOW_FIXTURE, WEB_WITH_PROTO

    files = {
        ".policykit.yaml": config,
        "cfn/web.yaml": WEB_WITH_PROTO,
        "policies/ACME001-read-timeout.yaml": READ_TIMEOUT_POLICY,
        "policies/ACME001-read-timeout/tests/fail/slow.yaml": SLOW_FIXTURE,
        "policies/ACME001-read-timeout/tests/pass/fast.yaml": WEB_WITH_PROTO,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)
    return root
