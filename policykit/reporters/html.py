"""The HTML report: one self-contained page a person opens from a CI artifact or an e-mail.

A summary, then one section per distribution: its request path drawn as SVG (policykit/reporters/html_diagram.py),
each finding on the hop it breaks, and below it the findings (message, fix, the fix's snippet in the template's
language, a link to file:line relative to the repository root); suppressed and baseline findings folded away.
Severity filters are checkboxes and CSS. No script, font or image: inline CSS and SVG only, and a
Content-Security-Policy that forbids everything else. Every string is escaped: template values can be hostile.

Bounded, so that 5,000 distributions still open in a browser: each section is a `<details>`, closed (not laid out
by the browser until opened) unless the report has at most OPEN_SECTIONS distributions and the section a finding;
a diagram shows at most 16 hops per column; a finding's evidence values are cut at MAX_EVIDENCE characters. A
distribution of about ten hops is about 4 KB of HTML, a finding 1-2 KB with its snippet: 5,000 distributions make
about 20 MB, which Chromium opens in a few seconds (README, "Output formats"; tests/reporters/test_html.py).
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from policykit import __version__
from policykit.findings import Finding, Observed, Outline, ScanResult, evidence_text
from policykit.reporters import ReportOptions, base_dir
from policykit.reporters.html_diagram import RANKED, draw, esc, level, worst
from policykit.reporters.html_style import STYLE

OPEN_SECTIONS = 25  # a report with at most this many distributions opens those with findings
MAX_EVIDENCE = 2000  # characters of one evidence value
LEVEL_WORDS = {"error": "error", "warning": "warning", "info": "info", "unknown": "not checked", "ok": "no finding"}
COUNTED = {"error": "error(s)", "warning": "warning(s)", "info": "info", "unknown": "not checked"}
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode("ascii")
# Nothing but the inline style sheet (by its hash): no script, no font, no image, no frame, no form.
POLICY = (f"default-src 'none'; style-src 'sha256-{STYLE_HASH}'; script-src 'none'; img-src 'none'; "
          "base-uri 'none'; form-action 'none'")


def render(result: ScanResult, stream: TextIO, options: ReportOptions) -> None:
    _Page(result, options, stream).write()


class _Page:
    def __init__(self, result: ScanResult, options: ReportOptions, stream: TextIO) -> None:
        self.result, self.options, self.stream = result, options, stream
        self.base = base_dir(result, options)
        self.anchors = 0
        self.examples = {p.id: dict(p.examples) for p in result.policies if p.examples}

    def write(self) -> None:
        result, out = self.result, self.stream
        shown = [f for f in result.findings if self.options.show_unknown or not f.unknown]
        counts = result.counts()
        title = f"policykit: {counts['error']} error(s), {counts['warning']} warning(s)"
        out.write('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                  f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
                  '<meta name="viewport" content="width=device-width, initial-scale=1">'
                  f'<meta name="generator" content="policykit {esc(__version__)}">'
                  f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n")
        for name in (*RANKED, "ok"):  # before everything they filter: the CSS sibling selectors need it
            out.write(f'<input type="checkbox" class="filter" id="show-{name}" checked>')
        out.write(f"<header><h1>{esc(title)}</h1>{self._summary()}</header>\n<main>\n")
        sections = _sections(result.outlines, shown)
        many = len(sections) > OPEN_SECTIONS
        seen: dict[str, list[Observed]] = {}
        for item in result.observed:  # grouped once: a live scan of thousands of distributions sees thousands
            seen.setdefault(item.distribution, []).append(item)
        for outline, findings, distribution in sections:
            observed = seen.get(distribution, [])
            if outline is not None:  # two templates may name their distributions alike: its own origins only
                named = {subject for hop in outline.hops for subject in hop.subjects}
                observed = [o for o in observed if o.subject in named or o.endpoint in named]
            out.write(self._section(outline, distribution, findings, observed, open_it=not many))
        if result.errors:
            items = "".join(f"<li>{esc(str(error))}</li>" for error in result.errors)
            out.write(f'<section class="errors"><h2>Input errors</h2><ul>{items}</ul></section>\n')
        out.write(f'</main><footer>policykit {esc(__version__)}</footer></body></html>\n')

    def _summary(self) -> str:
        result = self.result
        counts = result.counts()
        unknown = sum(1 for f in result.findings if f.unknown and not f.accepted)
        chips = [("error", counts["error"]), ("warning", counts["warning"]),
                 ("info", counts["info"] - unknown), ("unknown", unknown)]
        labels = "".join(f'<label for="show-{name}" class="chip s-{name}">{number} {COUNTED[name]}</label>'
                         for name, number in chips if name != "unknown" or self.options.show_unknown)
        labels += '<label for="show-ok" class="chip s-ok">distributions without findings</label>'
        facts = [f"{len(result.files)} file(s) scanned", f"{sum(result.distributions.values())} distribution(s)",
                 f"configuration: {self.options.config_file or 'none read'}",
                 "origins probed (--live)" if result.live else "origins not probed (no --live)"]
        if unknown and not self.options.show_unknown:
            facts.append(f"{unknown} check(s) not decidable from the template (--show-unknown lists them)")
        if result.suppressed_count():
            facts.append(f"{result.suppressed_count()} suppressed")
        if result.baseline:
            facts.append(f"{result.baseline_count()} in the baseline {result.baseline}")
        if result.skipped:
            facts.append(f"{len(result.skipped)} file(s) skipped (not templates)")
        if result.errors:
            facts.append(f"{len(result.errors)} input error(s)")
        for never in result.never_deployed:
            facts.append(f"never deployed: {never}")
        items = "".join(f"<li>{esc(fact)}</li>" for fact in facts)
        return (f'<p class="filters">Show: {labels}</p><ul class="facts">{items}</ul>'
                f'<p class="legend">On each hop: <span class="chip s-error">error</span> '
                '<span class="chip s-warning">warning</span> <span class="chip s-info">info</span> '
                '<span class="chip s-unknown dashed">not checked</span>; the badge links to the finding.</p>')

    def _section(self, outline: Outline | None, distribution: str, findings: list[Finding],
                 observed: list[Observed], open_it: bool) -> str:
        active = [f for f in findings if not f.accepted]
        accepted = [f for f in findings if f.accepted]
        anchors = [self._anchor() for _ in findings]
        state = worst(active)
        opened = " open" if open_it and active else ""
        if outline is not None:
            svg, titles = draw(outline, findings, anchors, observed)
            where = self._where(outline.location.file, outline.location.line, outline.location.column)
            figure = f'<div class="scroll">{svg}</div>'
            name = outline.label
        else:
            titles, where, name = [[] for _ in findings], "", distribution or "not in a distribution"
            figure = ""
        counts = ", ".join(f"{sum(1 for f in active if level(f) == n)} {COUNTED[n]}" for n in RANKED
                           if any(level(f) == n for f in active)) or LEVEL_WORDS["ok"]
        items = "".join(self._finding(f, a, t) for f, a, t in zip(findings, anchors, titles, strict=True)
                        if not f.accepted)
        parts = [f'<section class="dist s-{state}"><details{opened}><summary>'
                 f'<span class="chip s-{state}">{esc(counts)}</span> <b>{esc(name)}</b> {where}</summary>',
                 figure, f'<ol class="findings">{items}</ol>' if items else ""]
        if accepted:
            folded = "".join(self._finding(f, a, t) for f, a, t in zip(findings, anchors, titles, strict=True)
                             if f.accepted)
            parts.append(f'<details class="accepted"><summary>{len(accepted)} suppressed or in the baseline'
                         f'</summary><ol class="findings">{folded}</ol></details>')
        if observed:
            parts.append(self._observed(observed))
        parts.append("</details></section>\n")
        return "".join(parts)

    def _anchor(self) -> str:
        self.anchors += 1
        return f"f{self.anchors}"

    def _finding(self, finding: Finding, anchor: str, hops: list[str]) -> str:
        state = level(finding)
        on = f' <span class="on">on {esc(", ".join(hops))}</span>' if hops else ""
        where = self._where(finding.location.file, finding.location.line, finding.location.column) or esc(
            finding.resource or finding.subject)
        parts = [f'<li class="finding s-{state}" id="{anchor}"><p class="head"><span class="chip s-{state}">'
                 f'{LEVEL_WORDS[state]}</span> <b>{esc(finding.policy_id)}</b> {esc(finding.title)}{on}</p>',
                 f'<p class="where">{where}</p><p class="message">{esc(finding.message)}</p>']
        if finding.suppressed:
            parts.append(f'<p class="accepted">suppressed: {esc(finding.suppressed)}</p>')
        elif finding.accepted:
            parts.append('<p class="accepted">in the baseline</p>')
        if finding.evidence:
            rows = "".join(f"<dt>{esc(key)}</dt><dd>{esc(evidence_text(value)[:MAX_EVIDENCE])}</dd>"
                           for key, value in finding.evidence)
            parts.append(f'<dl class="evidence">{rows}</dl>')
        if finding.fix:
            parts.append(f'<p class="fix"><b>fix</b> {esc_block(finding.fix)}</p>')  # the policy's wrapping goes
        snippet = self._snippet(finding)
        if snippet:
            parts.append(snippet)
        parts.append("</li>")
        return "".join(parts)

    def _snippet(self, finding: Finding) -> str:
        examples = self.examples.get(finding.policy_id)
        if not examples or finding.unknown:
            return ""
        from policykit.reporters.snippets import example, language_of

        language = language_of(finding.location.file)
        text = example(examples, "good", language)
        names = {"yaml": "CloudFormation YAML", "json": "CloudFormation JSON", "hcl": "Terraform"}
        return (f'<figure class="snippet"><figcaption>fixed, in {names[language]}</figcaption>'
                f'<pre><code>{esc_block(text)}</code></pre></figure>') if text else ""

    def _where(self, file: str, line: int, column: int) -> str:
        """file:line:column relative to the repository root, a link to the file from a report written there."""
        if not file:
            return ""
        shown = relative(file, self.base)
        text = esc(f"{shown}:{line}:{column}" if line else shown)
        if shown == file and os.path.isabs(file):
            return f'<span class="file">{text}</span>'
        return f'<a class="file" href="./{esc(quote(shown))}">{text}</a>'

    def _observed(self, observed: list[Observed]) -> str:
        blocks = []
        for item in observed:
            rows = "".join(f"<dt>{esc(what)}</dt><dd>{esc(value[:MAX_EVIDENCE])}</dd>" for what, value in item.lines)
            blocks.append(f"<h4>{esc(item.subject)}</h4><dl class=\"evidence\">{rows}</dl>")
        return f'<details class="seen"><summary>what the live probes saw</summary>{"".join(blocks)}</details>'


def esc_block(text: str) -> str:
    """A multi-line snippet: each line escaped, the line breaks kept."""
    return "\n".join(esc(line) for line in text.split("\n"))


def relative(file: str, base: Path) -> str:
    """`file` relative to `base` when it is inside it, else as given."""
    try:
        return Path(os.path.abspath(file)).relative_to(base.resolve()).as_posix()
    except ValueError:
        return file


def _sections(outlines: Sequence[Outline], findings: Sequence[Finding]
              ) -> list[tuple[Outline | None, list[Finding], str]]:
    """Each outline with the findings on its distribution; then the distributions without an outline (`policykit
    probe`'s targets, a library scan without outlines) and the findings of no distribution. Worst first."""
    by_name: dict[str, list[Outline]] = {}
    for outline in outlines:
        by_name.setdefault(outline.distribution, []).append(outline)
    files = {id(o): {o.location.file, *(p.file for hop in o.hops for p in hop.places)} for o in outlines}
    held: dict[int, list[Finding]] = {id(o): [] for o in outlines}
    loose: dict[str, list[Finding]] = {}
    for finding in findings:
        candidates = by_name.get(finding.distribution, []) if finding.distribution else []
        chosen = next((o for o in candidates if finding.location.file in files[id(o)]), None)
        if chosen is None and candidates:
            chosen = next((o for o in candidates if Path(o.location.file).parent == Path(finding.location.file).parent),
                          candidates[0])
        if chosen is not None:
            held[id(chosen)].append(finding)
        else:
            loose.setdefault(finding.distribution, []).append(finding)
    out: list[tuple[Outline | None, list[Finding], str]] = [(o, held[id(o)], o.distribution) for o in outlines]
    out.extend((None, found, name) for name, found in loose.items())
    order = {name: index for index, name in enumerate((*RANKED, "ok"))}
    return sorted(out, key=lambda section: order[worst([f for f in section[1] if not f.accepted])])
