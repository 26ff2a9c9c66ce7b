"""Standard input as one scan input (policykit/source/stdin.py, `scan -`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import RunCli
from tests.source.helpers import BROKEN, scanned_files


def test_stdin_is_read_as_given(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from policykit.source import files

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.read_bytes())))
    monkeypatch.setattr(files, "_STREAMS", {})
    files_scanned, _ = scanned_files(run_cli, Path("-"))
    assert files_scanned == {"-": 1}
