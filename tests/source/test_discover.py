"""The directory walk (policykit/source/discover.py) on hostile input: links back to scanned directories, FIFOs,
names that are not UTF-8. Each case is the minimal input that once crashed (exit 3) or hung, and now gives
findings or a note."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from policykit.source.discover import Input, Skip, discover
from tests.helpers import RunCli, user_repository
from tests.source.helpers import BROKEN, scanned_files


@pytest.fixture
def undecodable_dir(tmp_path: Path) -> Path:
    if sys.platform == "darwin":  # pragma: no cover - APFS refuses names that are not UTF-8
        pytest.skip("the file system requires UTF-8 names")
    directory = tmp_path / "scan"
    directory.mkdir()
    raw = os.fsencode(directory) + b"/bad\xff.yaml"
    with open(raw, "wb") as stream:
        stream.write(BROKEN.read_bytes())
    return directory


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(run_cli: RunCli, undecodable_dir: Path, fmt: str) -> None:
    code, out, err = run_cli("scan", "--format", fmt, str(undecodable_dir))
    assert code == 1, err
    out.encode("utf-8")  # no surrogate left: every format can be written
    shown = "bad\\\\xff.yaml" if fmt in ("json", "sarif") else "bad\\xff.yaml"
    assert shown in out or (fmt == "sarif" and "bad%5Cxff.yaml" in out)  # a file: URI outside the cwd
    if fmt in ("json", "sarif"):
        text = json.dumps(json.loads(out))
        assert "\\udcff" not in text


def test_a_link_to_a_scanned_directory_is_not_followed(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "t.yaml").write_bytes(BROKEN.read_bytes())
    (tmp_path / "x").symlink_to(".")  # was scanned 41 times
    (tmp_path / "y").symlink_to(".")  # with two links the walk exploded
    (tmp_path / "sub" / "up").symlink_to("..")
    started = time.monotonic()
    files, err = scanned_files(run_cli, tmp_path)
    assert time.monotonic() - started < 20
    assert list(files) == [str(tmp_path / "sub" / "t.yaml")]
    assert f"{tmp_path / 'x'}: skipped, a link to a directory that is already scanned" in err


def test_a_link_to_another_directory_is_followed_once(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "t.yaml").write_bytes(BROKEN.read_bytes())
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "shared").symlink_to("../shared")
    files, _ = scanned_files(run_cli, tmp_path / "app")
    assert list(files) == [str(tmp_path / "app" / "shared" / "t.yaml")]


def test_a_fifo_in_a_walked_directory_is_skipped_with_a_note(run_cli: RunCli, tmp_path: Path, fifo: Path) -> None:
    (tmp_path / "t.yaml").write_bytes(BROKEN.read_bytes())
    # Opening the FIFO for reading would block forever: the scan finishing is the proof it was not opened.
    files, err = scanned_files(run_cli, tmp_path)
    assert list(files) == [str(tmp_path / "t.yaml")]
    assert f"policykit: note: {fifo}: skipped, not a regular file (a FIFO)" in err


def test_service_files_are_found_by_name_and_programs_are_noted(tmp_path: Path) -> None:
    for name in ("serverless.yml", "serverless.yaml", "serverless.json", "serverless.ts", "serverless.js"):
        (tmp_path / name.replace(".", "_")).mkdir()
        (tmp_path / name.replace(".", "_") / name).write_text("{}\n" if name.endswith("json") else "x: 1\n")
    (tmp_path / ".serverless").mkdir()
    (tmp_path / ".serverless" / "serverless.yml").write_text("x: 1\n")  # the framework's output: hidden, not walked
    found = list(discover([tmp_path]))
    inputs = sorted((item.path.name, item.kind) for item in found if isinstance(item, Input))
    assert inputs == [("serverless.json", "serverless"), ("serverless.yaml", "serverless"),
                      ("serverless.yml", "serverless")]
    notes = sorted(item.path.name for item in found if isinstance(item, Skip))
    assert notes == ["serverless.js", "serverless.ts"]
    assert all("runs no code" in item.reason for item in found if isinstance(item, Skip))
# -- What is never scanned: exclusions, policykit's own files; hidden directories named --------------------------

def _scanned(run_cli: RunCli, *args: str) -> tuple[list[str], list[str], str]:
    """(files scanned, files skipped, the text summary) of a scan in the working directory."""
    code, out, err = run_cli("scan", "--format", "json", "--exit-zero", *args)
    assert code == 0, err
    document = json.loads(out)
    summary = run_cli("scan", "--exit-zero", *args)[1].splitlines()[-1]
    return sorted(document["summary"]["distributions_by_file"]), document["skipped"], summary


def test_policykit_own_files_are_never_scanned_nor_listed_as_skipped(tmp_path: Path, run_cli: RunCli,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The policy directories' policies and fixtures (a fail fixture is broken on purpose), the baseline and the
    configuration are policykit's: not templates, walked or named (as pre-commit names every changed file)."""
    repo = user_repository(tmp_path, "policies: [policies/]\nbaseline: .policykit-baseline.json\n")
    (repo / ".policykit-baseline.json").write_text('{"policykit_baseline": 2, "findings": []}\n', encoding="utf-8")
    (repo / "policies" / "stack.yaml.md").write_text("not a policy\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    files, skipped, summary = _scanned(run_cli, ".")
    assert (files, skipped) == (["cfn/web.yaml"], [])
    assert "skipped" not in summary
    named = [".policykit.yaml", ".policykit-baseline.json", "policies/ACME001-read-timeout.yaml",
             "policies/ACME001-read-timeout/tests/fail/slow.yaml", "cfn/web.yaml"]
    assert _scanned(run_cli, *named)[:2] == (["cfn/web.yaml"], [])
    monkeypatch.chdir(repo / "cfn")
    assert _scanned(run_cli, "..")[:2] == (["../cfn/web.yaml"], [])


def test_exclude_passes_over_paths_walked_or_named(tmp_path: Path, run_cli: RunCli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo = user_repository(tmp_path, "")  # no policies: in the configuration: its fixtures are templates here
    (repo / "cfn" / "generated").mkdir()
    (repo / "cfn" / "generated" / "copy.yaml").write_bytes(BROKEN.read_bytes())
    monkeypatch.chdir(repo)
    files, _, _ = _scanned(run_cli, ".")
    assert files == ["cfn/generated/copy.yaml", "cfn/web.yaml", "policies/ACME001-read-timeout/tests/fail/slow.yaml",
                     "policies/ACME001-read-timeout/tests/pass/fast.yaml"]
    files, _, _ = _scanned(run_cli, ".", "--exclude", "policies/", "--exclude", "generated")
    assert files == ["cfn/web.yaml"]
    named = ("cfn/web.yaml", "policies/ACME001-read-timeout/tests/fail/slow.yaml")
    assert _scanned(run_cli, *named, "--exclude", "policies")[0] == ["cfn/web.yaml"]
    monkeypatch.chdir(repo / "cfn")  # --exclude is relative to the working directory
    assert _scanned(run_cli, ".", "--exclude", "generated/*.yaml")[0] == ["web.yaml"]


def test_a_hidden_directory_holding_templates_is_named_and_scanned_when_named(tmp_path: Path, run_cli: RunCli,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (".infra/cdn.yaml", ".deploy/stacks/site.json", "web/site.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(BROKEN.read_bytes())
    (tmp_path / ".github" / "workflows").mkdir(parents=True)  # a tool's: not named
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (tmp_path / ".notes").mkdir()  # nothing of a template's kind: not named
    (tmp_path / ".notes" / "todo.txt").write_text("x\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    files, _, summary = _scanned(run_cli, ".")
    assert files == ["web/site.yaml"]  # generated copies (.aws-sam, .serverless) would count twice
    assert "; not scanned: .deploy, .infra (name them to scan);" in summary
    files, _, summary = _scanned(run_cli, ".infra", "web")
    assert files == [".infra/cdn.yaml", "web/site.yaml"] and "not scanned" not in summary
    assert "; not scanned: .infra (name it to scan);" in _scanned(run_cli, ".", "--exclude", ".deploy")[2]
