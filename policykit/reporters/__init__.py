"""Reporters: one module per output format, each `render(result, stream, options)`.

The registry names modules rather than importing them, so a scan loads only the reporter it uses.
"""

from __future__ import annotations

import importlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from policykit.findings import ScanResult


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_unknown: bool = False  # include "not checked" info findings in human-facing formats
    base_dir: str = "."  # SARIF/annotations: paths relative to this


class Render(Protocol):
    def __call__(self, result: ScanResult, stream: TextIO, options: ReportOptions) -> None: ...


REPORTERS: dict[str, str] = {
    "text": "policykit.reporters.text",
    "json": "policykit.reporters.json_report",
    "sarif": "policykit.reporters.sarif",
    "junit": "policykit.reporters.junit",
    "github": "policykit.reporters.github",
}


def get(name: str) -> Render:
    module = importlib.import_module(REPORTERS[name])
    render: Render = module.render
    return render


def write_atomic(path: Path, text: str) -> None:
    """Readers see the old file or the whole new one, never half of it: temp file beside it, then rename."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes it private; a report is an ordinary file
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
