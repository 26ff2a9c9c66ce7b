"""Reporters: one module per output format, each `render(result, stream, options)`.

The registry names modules rather than importing them, so a scan loads only the reporter it uses.
"""

from __future__ import annotations

import enum
import importlib
import re
from pathlib import Path
from typing import Protocol, TextIO

from policykit.core.patterns import lazy_pattern
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


# Module names, so a scan loads only the reporter it uses (json's module is not named `json`: the standard one is).
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


# C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides ("Trojan source"):
# anything that moves the cursor, ends a line or reorders what a reader sees; and lone surrogates
# (undecodable file names) and non-characters, which neither UTF-8 output nor XML can carry.
_CONTROL = lazy_pattern("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def visible(text: str) -> str:
    """`text` with every control character as a visible escape (`\\x1b`, `\\n`): for terminals and
    line-based formats, where a template string must not clear the screen or forge a line."""
    if text.isascii() and text.isprintable():  # no control character: most text, without the pattern
        return text
    return _CONTROL().sub(_escape, text)
