"""Fixtures of the source tests: a FIFO where a template could be."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):  # pragma: no cover
        pytest.skip("no FIFOs on this platform")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    yield path
