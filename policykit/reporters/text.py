"""Human output: `file:line:col: severity PKnnn message`, the fix, and a summary line.

Every string from a template or a file name is shown with its control characters as visible
escapes (`\x1b`, `\n`, policykit/core/printable.py), and every line is written through `safe_line`: an alias
cannot clear the screen, forge a finding line or start a workflow command. JSON and SARIF keep the full string.

How much is shown besides the findings: `quiet` (each finding and its evidence: no fix, no what-was-seen, no
summary), `compact` (one line per finding, and the summary); a suppressed finding is one line (its place, id,
subject and reason) unless `show_suppressed`.
"""

from __future__ import annotations

from typing import TextIO

from policykit.findings import Finding, ScanResult, evidence_text
from policykit.reporters import ReportOptions, observed_text, safe_line, visible, visible_lines

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"
_NAMED_SKIPPED = 3  # the summary names this many skipped files (one named on the command line, typically)
_NAMED_HIDDEN = 3


def _paint(text: str, code: str, options: ReportOptions) -> str:
    return f"{code}{text}{_RESET}" if options.color else text


def _where(finding: Finding, options: ReportOptions) -> str:
    where = str(finding.location) if finding.location.file else finding.resource or finding.subject
    return _paint(visible(where), _BOLD, options)


def _suppressed_line(finding: Finding, options: ReportOptions) -> str:
    """A suppressed finding in one line: where, which policy, on what, and the reason it was accepted."""
    subject = f" on {visible(finding.subject)}" if finding.subject else ""
    return _paint(f"{_where(finding, options)}: suppressed {finding.policy_id}{subject}: "
                  f"{visible(finding.suppressed)}", _DIM, options)


def _finding(finding: Finding, options: ReportOptions, hidden: tuple[str, ...] = ()) -> list[str]:
    if finding.suppressed and not options.show_suppressed:
        return [_suppressed_line(finding, options)]
    severity = _paint(finding.severity.value, _COLORS[finding.severity.value], options)
    lines = [f"{_where(finding, options)}: {severity} {finding.policy_id} {visible(finding.message)}"]
    if options.compact:
        return lines
    if finding.suppressed:
        lines.append(_paint(f"    suppressed: {visible(finding.suppressed)}", _DIM, options))
    for key, value in finding.evidence:
        if key not in hidden:
            lines.append(f"    {visible(key)}: {visible(evidence_text(value))}")
    if finding.fix and not options.quiet:
        # the policy's own line breaks stay, indented: no line of it can pass for a finding
        first, *rest = visible_lines(finding.fix)
        fix = "\n".join([f"    fix: {first}", *(f"         {line}" for line in rest)])
        lines.append(_paint(fix, _DIM, options))
    return lines


def shown_findings(result: ScanResult, options: ReportOptions) -> list[Finding]:
    """The findings a text report lists: baseline-matched ones were accepted when the baseline was written (only
    their number is shown), "not checked" ones only with --show-unknown."""
    return [f for f in result.findings if (options.show_unknown or not f.unknown) and (f.suppressed or not f.accepted)]


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    lines: list[str] = []
    for error in result.errors if options.errors_inline else ():
        lines.append(f"{_paint(visible(str(error)), _BOLD, options)} "
                     f"({_paint('input error', _COLORS['error'], options)})")
    shown = shown_findings(result, options)
    covered = observed_text.covered_keys(result)
    for finding in shown:
        seen_keys = covered.get((finding.distribution, finding.subject), ())
        lines.extend(_finding(finding, options, seen_keys))
    if not options.quiet:
        if not options.compact:
            # live evidence once per endpoint and name: names and certificate fields as the origin sent them
            lines.extend(visible(line) for line in observed_text.lines(result, shown))
        lines.append(summary(result, options))
    # every physical line escaped where it starts, whatever part of it came from the input
    stream.write("".join(f"{safe_line(line)}\n" for text in lines for line in text.split("\n")))


def summary(result: ScanResult, options: ReportOptions) -> str:
    """The one-line summary: counts, what was scanned or probed, and what was passed over."""
    counts = result.counts()
    hidden = sum(1 for f in result.findings if f.unknown and not f.accepted) if not options.show_unknown else 0
    suppressed = sum(1 for f in shown_findings(result, options) if f.suppressed)
    parts = [f"{counts['error']} error(s)", f"{counts['warning']} warning(s)", f"{counts['info'] - hidden} info"]
    line = (f"{', '.join(parts)} in {len(result.files)} file(s), "
            f"{sum(result.distributions.values())} distribution(s)")
    if result.show_all_observed:  # `policykit probe`: no template, one target
        probed = sorted({f.resource for f in result.findings} | {o.distribution for o in result.observed})
        line = f"{', '.join(parts)} probing {visible(', '.join(probed))}"
    probed_words = observed_text.counts_words(result)  # a live run says what it probed, clean or not
    if probed_words:
        line += f"; {probed_words}"
    if result.never_deployed:
        line += f"; {len(result.never_deployed)} never deployed: {visible('; '.join(result.never_deployed))}"
    if result.skipped:
        line += f"; {len(result.skipped)} file(s) skipped (not templates: {_named(result.skipped, _NAMED_SKIPPED)})"
    if result.hidden:
        them = "it" if len(result.hidden) == 1 else "them"
        line += f"; not scanned: {_named(result.hidden, _NAMED_HIDDEN)} (name {them} to scan)"
    if suppressed:
        line += f"; {suppressed} suppressed"
    if result.baseline:
        line += f"; {result.baseline_count()} in the baseline {visible(result.baseline)} (not shown)"
    if hidden:
        # `policykit probe` has no template: its checks wait on what the target answered
        why = "could not be made on what the target answered" if result.show_all_observed \
            else "not decidable from the template"
        line += f"; {hidden} check(s) {why} (--show-unknown lists them)"
    if result.errors:
        line += f"; {len(result.errors)} input error(s)"
    if result.config is not None:  # what a configuration turned off or down is never silent
        line += f"; {visible(result.config.describe())}"
    return line


def _named(names: tuple[str, ...], most: int) -> str:
    named = ", ".join(visible(name) for name in names[:most])
    return named + (f" and {len(names) - most} more" if len(names) > most else "")
