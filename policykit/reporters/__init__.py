"""Reporters: one module per output format, each `render(result, stream, options)`.

Every string from a template or a file name is escaped by the one function of policykit/core/printable.py
(`visible`, re-exported here), and every line of a line-based report is written through `safe_line`.

The registry names modules rather than importing them, so a scan loads only the reporter it uses.
"""

from __future__ import annotations

import enum
import importlib
from pathlib import Path
from typing import Protocol, TextIO

from policykit.core.printable import safe_line, visible, visible_lines
from policykit.core.record import record
from policykit.findings import ScanResult


@record
class ReportOptions:
    """How a report is written: colour, whether unknown checks show, the base of paths, the JUnit threshold."""

    color: bool = False
    show_unknown: bool = False  # include "not checked" info findings in human-facing formats
    # SARIF/annotations: paths relative to this; None: the git root of the scanned files (policykit.core.repo)
    base_dir: str | None = None
    threshold: str = "error"  # JUnit: findings below it are output of a passing case, not failures
    errors_inline: bool = True  # text: list input errors (the CLI prints them on stderr instead)
    config_file: str = ""  # html: the configuration file the scan read ("" when none), named in the summary
    # text: how much besides the findings (--quiet: each finding and its evidence, nothing else; --compact: one
    # line per finding and the summary; --show-suppressed: suppressed findings in full, not one line each)
    quiet: bool = False
    compact: bool = False
    show_suppressed: bool = False


class Render(Protocol):
    def __call__(self, result: ScanResult, stream: TextIO, options: ReportOptions) -> None: ...


class Format(str, enum.Enum):
    """The report formats, each written by one module of this package."""

    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    html = "html"


# Module names, so a scan loads only the reporter it uses (json's module is not named `json`: the standard one is).
__all__ = ["REPORTERS", "Format", "Render", "ReportOptions", "base_dir", "get", "safe_line", "visible",
           "visible_lines"]


REPORTERS: dict[str, str] = {f.value: f"policykit.reporters.{'json_report' if f is Format.json else f.value}"
                             for f in Format}


def get(name: str) -> Render:
    """The renderer of the format `name` (KeyError when there is no such format)."""
    module = importlib.import_module(REPORTERS[name])
    render: Render = module.render
    return render


def base_dir(result: ScanResult, options: ReportOptions) -> Path:
    from policykit.core.repo import base_dir as find_base

    return find_base([*result.files, *(f.location.file for f in result.findings[:1])], options.base_dir)
