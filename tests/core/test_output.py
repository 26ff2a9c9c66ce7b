"""Writing a report (policykit/core/output.py): atomically where it is a file, into it where it is a device or a
FIFO, keeping an existing file's mode."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from policykit.core.output import write_atomic
from tests.helpers import ROOT, RunCli


def test_output_onto_a_device_node_leaves_it_a_device(tmp_path: Path, run_cli: RunCli) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a twin of /dev/null
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    code, _, err = run_cli("scan", str(ROOT / "examples" / "cloudformation"), "--output", f"sarif={null}")
    assert code == 1, err
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]  # no temporary file left beside it


def test_output_onto_a_fifo_writes_into_it(tmp_path: Path, run_cli: RunCli) -> None:
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, _, _ = run_cli("scan", str(ROOT / "examples" / "cloudformation"), "--output", f"json={fifo}")
    reader.join(timeout=30)
    assert code == 1 and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert json.loads(received[0])["summary"]["error"] >= 1


def test_an_existing_report_keeps_its_mode(tmp_path: Path, run_cli: RunCli) -> None:
    report = tmp_path / "report.sarif"
    report.write_text("old", encoding="utf-8")
    os.chmod(report, 0o640)
    run_cli("scan", str(ROOT / "examples" / "cloudformation"), "--output", f"sarif={report}")
    assert stat.S_IMODE(os.stat(report).st_mode) == 0o640
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_atomic_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"

    import os

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(target, "half")
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]  # temp file cleaned up
