"""Reporters: one module per output format, each `render(result, stream, options)`.

The registry names modules rather than importing them, so a scan loads only the reporter it uses.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
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
}


def get(name: str) -> Render:
    module = importlib.import_module(REPORTERS[name])
    render: Render = module.render
    return render
