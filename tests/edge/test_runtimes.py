"""The function's runtime (policykit/edge/runtimes.py): a Python handler runs on the interpreter of its `Runtime`
when one on PATH answers as that version; without one, code that does not compile here is "could not run here"
naming both versions. A Node.js handler's major version other than the local one is said."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policykit.edge import runtimes
from tests.helpers import RunCli, Write

# Python 3.12 syntax (PEP 695): a SyntaxError on 3.11 and earlier
PY312 = """\
type Headers = dict[str, list[dict[str, str]]]


def handler[Event](event: Event, context: object) -> Event:
    return event["Records"][0]["cf"]["request"]
"""
NEWER = sys.version_info < (3, 12)
needs_older_python = pytest.mark.skipif(not NEWER, reason="policykit's own Python compiles 3.12 syntax")


def _selecting_python312(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Make a `python3.12` on PATH answer as 3.12 (a pyenv shim needs its version selected); False when this
    machine has none."""
    def answers() -> bool:
        found = shutil.which("python3.12")
        if found is None:
            return False
        done = subprocess.run([found, "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                              text=True, cwd="/")
        return done.returncode == 0 and done.stdout.strip() == "(3, 12)"

    if answers():
        return True
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return False
    listed = subprocess.run([pyenv, "versions", "--bare"], capture_output=True, text=True).stdout.split()
    chosen = next((v for v in listed if v.startswith("3.12.")), None)
    if chosen is None:
        return False
    monkeypatch.setenv("PYENV_VERSION", chosen)
    return answers()


def _run(run_cli: RunCli, handler: Path, runtime: str) -> tuple[int, list[dict[str, object]]]:
    code, out, _ = run_cli("edge", "run", f"{handler}:handler", "--event", "viewer-request", "--runtime", runtime,
                           "--format", "json")
    return code, json.loads(out)["findings"]


@needs_older_python
def test_a_python312_handler_runs_on_python312(run_cli: RunCli, write: Write,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    if not _selecting_python312(monkeypatch):
        pytest.skip("no python3.12 on PATH")
    assert _run(run_cli, write("app.py", PY312), "python3.12") == (0, [])


@needs_older_python
def test_without_python312_it_could_not_run_here_naming_both_versions(run_cli: RunCli, write: Write,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no python3.12 (nor unshare: the run notes that)
    code, findings = _run(run_cli, write("app.py", PY312), "python3.12")
    assert code == 0 and [f["policy_id"] for f in findings] == ["PK716"]
    assert findings[0]["evidence"]["reason"] == "runtime"  # type: ignore[index]
    message = str(findings[0]["message"])
    local = f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert "python3.12" in message and f"Python {local}" in message and "SyntaxError" in message


def test_a_shim_that_answers_as_another_version_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`python3.12` on PATH that is something else (a wrapper, a misconfigured shim) is not taken for 3.12."""
    fake = tmp_path / "python3.12"
    fake.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    local = runtimes.local_python()
    chosen = runtimes.python_for("python3.12")
    assert chosen.matches is (local == "3.12") and chosen.executable == sys.executable


def test_python_of_the_same_version_is_this_one() -> None:
    local = runtimes.local_python()
    assert runtimes.python_for(f"python{local}") == runtimes.Python(sys.executable, local, local)
    assert runtimes.python_for(None).matches and runtimes.python_for("nodejs20.x").matches


def test_a_node_major_version_other_than_the_functions_is_said(run_cli: RunCli, write: Write, node: str) -> None:
    major = runtimes.node_major()
    assert major is not None
    other = f"nodejs{major + 2}.x"
    handler = write("fn/index.js", "exports.handler = async () => { throw new Error('no origin'); };\n")
    code, findings = _run(run_cli, handler, other)
    assert code == 1 and [f["policy_id"] for f in findings] == ["PK715"]
    assert f"(the function's runtime is {other}; it ran here on Node.js {major})" in str(findings[0]["message"])
    same = _run(run_cli, handler, f"nodejs{major}.x")[1]
    assert "the function's runtime is" not in str(same[0]["message"])


def test_the_interpreter_is_asked_once_per_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[object] = []
    real = subprocess.run

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[call-overload]

    fake = tmp_path / "python3.99"
    fake.write_text("#!/bin/sh\necho /nowhere/python3.99\necho 3.99\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ.get("PATH", ""))
    monkeypatch.setattr(subprocess, "run", counted)
    first = runtimes.python_for("python3.99")
    assert first == runtimes.python_for("python3.99") == runtimes.Python("/nowhere/python3.99", "3.99", "3.99")
    assert len(calls) == 1
