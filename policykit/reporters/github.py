"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

Format: `::error file=F,line=L,col=C,title=T::message` (`::warning`, `::notice` for the other
severities). Escaping follows the runner's rules: in the message `%`, CR and LF; in property
values also `:` and `,`, which would otherwise end the value.
"""

from __future__ import annotations

import os
from typing import TextIO

from policykit.findings import Finding, ScanResult
from policykit.reporters import ReportOptions

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _path(file: str, base: str) -> str:
    """Annotations attach to repository-relative paths; outside the base keep the path as given."""
    try:
        relative = os.path.relpath(os.path.abspath(file), os.path.abspath(base))
    except ValueError:  # another drive on Windows
        return file
    return file if relative.startswith("..") else relative.replace(os.sep, "/")


def command(kind: str, message: str, file: str, line: int = 0, column: int = 0, title: str = "") -> str:
    props = [f"file={escape_property(file)}"]
    if line:
        props.append(f"line={line}")
        if column:
            props.append(f"col={column}")
    if title:
        props.append(f"title={escape_property(title)}")
    return f"::{kind} {','.join(props)}::{escape_data(message)}"


def _finding(finding: Finding, options: ReportOptions) -> str:
    message = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
    return command(_COMMANDS[finding.severity.value], message, _path(finding.location.file, options.base_dir),
                   finding.location.line, finding.location.column, f"{finding.policy_id} {finding.title}")


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    for error in result.errors:
        stream.write(command("error", f"input error: {error.message}", _path(error.file, options.base_dir),
                             error.line, error.column, "policykit input error") + "\n")
    for finding in result.findings:
        # Suppressed and baselined findings were accepted by someone: no annotation on the diff.
        if finding.accepted or (finding.unknown and not options.show_unknown):
            continue
        stream.write(_finding(finding, options) + "\n")
