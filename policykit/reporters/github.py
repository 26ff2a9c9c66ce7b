"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

Format: `::error file=F,line=L,col=C,title=T::message` (`::warning`, `::notice` for the other
severities). Paths are relative to the git root of the scanned files (or `--base-dir`), as the
annotations API wants. Control characters in template strings and file names first become visible
escapes (`\x1b`, `\n`), so a string cannot forge a command or an annotation; then the runner's own
escaping: in the message `%`, CR and LF (the Fix line's own newline); in property values also `:`
and `,`, which would otherwise end the value.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from policykit.core.repo import relative_to
from policykit.findings import Finding, ScanResult
from policykit.reporters import ReportOptions, base_dir, visible

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path(file: str, base: Path) -> str:
    """Annotations attach to repository-relative paths; outside the base keep the path as given."""
    return visible(relative_to(file, base) or file) if file else ""


def command(kind: str, message: str, file: str, line: int = 0, column: int = 0, title: str = "") -> str:
    props = [f"file={escape_property(file)}"] if file else []  # a live finding on a deployed name: no file
    if file and line:
        props.append(f"line={line}")
        if column:
            props.append(f"col={column}")
    if title:
        props.append(f"title={escape_property(title)}")
    return f"::{kind} {','.join(props)}::{escape_data(message)}"


def _finding(finding: Finding, base: Path) -> str:
    fix = "\n".join(visible(line) for line in finding.fix.split("\n"))  # the policy's own line breaks stay
    message = visible(finding.message) + (f"\nFix: {fix}" if finding.fix else "")
    return command(_COMMANDS[finding.severity.value], message, _path(finding.location.file, base),
                   finding.location.line, finding.location.column, visible(f"{finding.policy_id} {finding.title}"))


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    base = base_dir(result, options)
    if result.config is not None and result.config.changes():  # what a configuration turned off is never silent
        stream.write(command("notice", visible(result.config.describe()), "", title="policykit configuration") + "\n")
    for error in result.errors:
        stream.write(command("error", f"input error: {visible(error.message)}", _path(error.file, base),
                             error.line, error.column, "policykit input error") + "\n")
    for finding in result.findings:
        # Suppressed and baselined findings were accepted by someone: no annotation on the diff.
        if finding.accepted or (finding.unknown and not options.show_unknown):
            continue
        stream.write(_finding(finding, base) + "\n")
