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
from tests.helpers import RunCli
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
