"""The SVG of one distribution's request path (policykit/findings.py `Outline`), each finding on the hop it breaks.

A finding is put on the hop that its subject names and its location points at (both: surely that hop; one of them:
a candidate); among candidates the one whose owner its message names wins, then the deepest hop (the listener
rather than the origin, the certificate rather than the load balancer: where the path actually breaks). A finding
nothing places is on the viewer hop, the distribution's own. Every string is escaped (`esc`).

Bounded: a column shows at most MAX_PER_COLUMN hops (those with findings first, the rest as one "more" hop whose
findings are still listed below the diagram); a line of text is cut to fit its hop, the whole of it in a tooltip.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence

from policykit.findings import Finding, Hop, Observed, Outline
from policykit.reporters import visible
from policykit.reporters.html_layout import NODE_WIDTH, Layout, arrange, ranks

MAX_PER_COLUMN = 16
MAX_LINES = 6  # of a hop's own lines
MAX_SEEN = 5  # lines of what a live probe saw, on its hop (the rest below the diagram)
MAX_BADGES = 8
PAD = 8
TITLE_HEIGHT = 17
LINE_HEIGHT = 14
BADGE_HEIGHT = 18
CHAR_WIDTH = 6.7  # 11px monospace
FITS = int((NODE_WIDTH - 2 * PAD) / CHAR_WIDTH)
TITLE_FITS = int((NODE_WIDTH - 2 * PAD) / 7.3)  # 12px bold
VIEWER = "viewer"
RANKED = ("error", "warning", "info", "unknown")  # worst first
CAPTIONS = {"alias": "viewer names", "default_domain": "viewer names", "viewer_certificate": "viewer certificate",
            "behavior": "behaviors", "edge_function": "edge functions", "origin_group": "origin groups",
            "origin": "origins", "load_balancer": "behind the origin",
            "s3_website": "behind the origin", "vpc_origin": "behind the origin", "listener": "listeners",
            "certificate": "origin certificates"}


def esc(text: str) -> str:
    """A string from a template, a file name or a message, as HTML text or attribute: control characters and
    bidirectional overrides as visible escapes, markup characters as entities."""
    return html.escape(visible(text), quote=True)


def level(finding: Finding) -> str:
    """How a finding colours its hop: its severity, or "unknown" for a check that could not be made."""
    return "unknown" if finding.unknown else finding.severity.value


def worst(findings: Sequence[Finding]) -> str:
    levels = {level(f) for f in findings if not f.accepted}
    return next((name for name in RANKED if name in levels), "ok")


def placements(outline: Outline, findings: Sequence[Finding], rank: Mapping[str, int]) -> list[list[str]]:
    """The hops each finding sits on (its subject and location; then its message; then the deepest)."""
    by_subject: dict[str, list[Hop]] = {}
    by_place: dict[object, list[Hop]] = {}
    for hop in outline.hops:
        for subject in hop.subjects:
            by_subject.setdefault(subject, []).append(hop)
        for place in hop.places:
            by_place.setdefault(place, []).append(hop)
    fallback = [VIEWER] if any(h.key == VIEWER for h in outline.hops) else [h.key for h in outline.hops[:1]]
    out = []
    for finding in findings:
        score: Counter[str] = Counter()
        held: dict[str, Hop] = {}
        for hop in by_subject.get(finding.subject, ()):
            score[hop.key] += 2
            held[hop.key] = hop
        for hop in by_place.get(finding.location, ()):
            score[hop.key] += 2
            held[hop.key] = hop
        for key, hop in held.items():
            if any(mention in finding.message for mention in hop.mentions):
                score[key] += 1
        if not score:
            out.append(fallback)
            continue
        best = max(score.values())
        top = [key for key in score if score[key] == best]
        deepest = max(rank.get(key, 0) for key in top)
        out.append([key for key in top if rank.get(key, 0) == deepest])
    return out


def draw(outline: Outline, findings: Sequence[Finding], anchors: Sequence[str],
         observed: Sequence[Observed] = ()) -> tuple[str, list[list[str]]]:
    """The SVG, and for each finding the titles of the hops it is drawn on (said beside it in the list)."""
    keys = [hop.key for hop in outline.hops]
    hops = {hop.key: hop for hop in outline.hops}
    rank = ranks(keys, outline.links, {hop.key: hop.kind for hop in outline.hops})
    placed = placements(outline, findings, rank)
    on: dict[str, list[int]] = {}
    for index, where in enumerate(placed):
        for key in where:
            on.setdefault(key, []).append(index)
    seen = _seen(outline, observed)
    keys, links, merged = _bounded(keys, list(outline.links), rank, on, hops)
    nodes: dict[str, _Node] = {}
    for key in keys:
        hop = hops.get(key)
        stands_for = [key] if hop else merged[key]
        shown = [findings[i] for k in stands_for for i in on.get(k, ())]
        badges = [(findings[i], anchors[i]) for i in on.get(key, ())] if hop else []
        nodes[key] = _node(hop, len(merged.get(key, ())), shown, badges, seen.get(key, []))
    layout = arrange(keys, links, {key: node.height for key, node in nodes.items()}, rank)
    titles = [[hops[key].title for key in where if key in hops] for where in placed]
    return _svg(outline, layout, nodes, hops), titles


class _Node:
    """What one hop shows: its rows of text and its badges, and how tall that makes it."""

    def __init__(self, kind: str, state: str, rows: list[tuple[str, str]], badges: list[tuple[Finding, str]],
                 tooltip: str, dashed: bool) -> None:
        self.kind, self.state, self.rows, self.tooltip, self.dashed = kind, state, rows, tooltip, dashed
        self.badge_rows = _badge_rows(badges)
        self.height = (PAD * 2 + sum(TITLE_HEIGHT if style == "t" else LINE_HEIGHT for style, _ in rows) + 2
                       + BADGE_HEIGHT * len(self.badge_rows))


def _node(hop: Hop | None, hidden: int, findings: list[Finding], badges: list[tuple[Finding, str]],
          seen: list[tuple[str, str]]) -> _Node:
    if hop is None:  # the hops a column had no room for, as one
        return _Node("more", worst(findings), [("t", f"{hidden} more"), ("", "listed below the diagram")], [],
                     f"{hidden} more hops", False)
    rows: list[tuple[str, str]] = [("t", part) for part in _fit(hop.title, 2, TITLE_FITS)]
    for line in hop.lines[:MAX_LINES]:
        rows.extend(("", part) for part in _fit(line, 2))
    if len(hop.lines) > MAX_LINES:
        rows.append(("", f"\u2026 {len(hop.lines) - MAX_LINES} more"))
    if hop.scenario:
        rows.extend(("s", part) for part in _fit(f"only {hop.scenario}", 2))
    for what, value in seen[:MAX_SEEN]:
        rows.extend(("seen", part) for part in _fit(f"{what}: {value}", 2))
    cut = (len(hop.lines) > MAX_LINES or len(seen) > MAX_SEEN or bool(hop.unknown)
           or any(text.endswith("\u2026") for _, text in rows))
    tooltip = "\n".join([hop.title, *hop.lines, *([hop.scenario] if hop.scenario else []),
                         *([f"known at deployment: {hop.unknown}"] if hop.unknown else []),
                         *(f"seen {what}: {value}" for what, value in seen)]) if cut else ""
    dashed = bool(hop.unknown) or worst(findings) == "unknown"
    return _Node(hop.kind, worst(findings), rows, badges, tooltip[:2000], dashed)


def _fit(text: str, rows: int, fits: int = FITS) -> list[str]:
    """`text` in at most `rows` rows of `fits` characters, broken after a space, dot, slash, dash or comma near the
    end of a row when there is one; the last row cut with an ellipsis when the text is longer."""
    text = visible(text)
    out: list[str] = []
    while text and len(out) < rows:
        if len(text) <= fits or len(out) == rows - 1:
            out.append(text if len(text) <= fits else text[:fits - 1] + "\u2026")
            break
        cut = max(text.rfind(mark, fits // 2, fits) for mark in " ./-,") + 1 or fits
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return out or [""]


def _badge_text(finding: Finding) -> str:
    text = f"{finding.policy_id} {finding.scenario}".strip()
    return text if len(text) <= FITS - 2 else text[:FITS - 3] + "\u2026"


def _badge_rows(badges: list[tuple[Finding, str]]) -> list[list[tuple[Finding, str, str]]]:
    kept = [b for b in badges if not b[0].accepted]
    rows: list[list[tuple[Finding, str, str]]] = []
    used = FITS
    for finding, anchor in kept[:MAX_BADGES]:
        text = _badge_text(finding)
        if used + len(text) + 2 > FITS:
            rows.append([])
            used = 0
        rows[-1].append((finding, anchor, text))
        used += len(text) + 2
    if len(kept) > MAX_BADGES:
        rows.append([(kept[MAX_BADGES][0], kept[MAX_BADGES][1], f"+{len(kept) - MAX_BADGES} more")])
    return rows


def _seen(outline: Outline, observed: Sequence[Observed]) -> dict[str, list[tuple[str, str]]]:
    """What live probes saw, on the hop whose subjects name it."""
    by_subject = {subject: hop.key for hop in outline.hops for subject in hop.subjects}
    out: dict[str, list[tuple[str, str]]] = {}
    for item in observed:
        key = by_subject.get(item.subject) or by_subject.get(item.endpoint)
        if key is not None:
            out.setdefault(key, []).extend(item.lines)
    return out


def _bounded(keys: list[str], links: list[tuple[str, str]], rank: dict[str, int], on: Mapping[str, list[int]],
             hops: Mapping[str, Hop]) -> tuple[list[str], list[tuple[str, str]], dict[str, list[str]]]:
    """At most MAX_PER_COLUMN hops per column: the first ones with findings, then the first others; the rest merged
    into one "more" hop of that column (its key -> the hops it stands for)."""
    columns: dict[int, list[str]] = {}
    for key in keys:
        columns.setdefault(rank[key], []).append(key)
    merged: dict[str, list[str]] = {}
    instead: dict[str, str] = {}
    for number, column in columns.items():
        if len(column) <= MAX_PER_COLUMN:
            continue
        order = {key: index for index, key in enumerate(column)}
        kept = set(sorted(column, key=lambda k: (k not in on, order[k]))[:MAX_PER_COLUMN - 1])
        more = f"more:{number}"
        merged[more] = [key for key in column if key not in kept]
        instead.update(dict.fromkeys(merged[more], more))
        rank[more] = number
    if not merged:
        return keys, links, merged
    shown = [key for key in keys if key not in instead]
    shown.extend(merged)
    moved = dict.fromkeys((instead.get(s, s), instead.get(t, t)) for s, t in links)
    return shown, [link for link in moved if link[0] != link[1]], merged


def _svg(outline: Outline, layout: Layout, nodes: Mapping[str, _Node], hops: Mapping[str, Hop]) -> str:
    parts = [f'<svg class="diagram" xmlns="http://www.w3.org/2000/svg" width="{layout.width}" '
             f'height="{layout.height}" viewBox="0 0 {layout.width} {layout.height}" role="img" '
             f'aria-label="request path of {esc(outline.label)}">']
    captions: dict[int, Counter[str]] = {}
    for key, box in layout.boxes.items():
        kind = nodes[key].kind
        captions.setdefault(box.column, Counter())[CAPTIONS.get(kind, kind.replace("_", " "))] += 1
    for column, names in sorted(captions.items()):
        x = layout.boxes[next(k for k, b in layout.boxes.items() if b.column == column)].x
        caption = " / ".join(name for name, _ in names.most_common(2))
        parts.append(f'<text class="caption" x="{x}" y="16">{esc(caption)}</text>')
    for route in layout.routes:  # a link into a broken hop has its colour
        state = nodes[route.target].state
        classes = f' class="s-{state}"' if state != "ok" else ""
        parts.append(f'<path{classes} d="{_curve(route.points)}"/>')
    for key, box in layout.boxes.items():
        node = nodes[key]
        dashed = " dashed" if node.dashed else ""
        tooltip = f"<title>{esc(node.tooltip)}</title>" if node.tooltip else ""
        parts.append(f'<g class="hop s-{node.state}{dashed}" data-hop="{esc(key)}">{tooltip}'
                     f'<rect x="{box.x}" y="{box.y}" width="{NODE_WIDTH}" height="{box.height}"/>')
        y = box.y + PAD + 12
        for style, text in node.rows:
            classes = f' class="{style}"' if style else ""
            parts.append(f'<text x="{box.x + PAD}" y="{y}"{classes}>{esc(text)}</text>')
            y += TITLE_HEIGHT if style == "t" else LINE_HEIGHT
        y += 2
        for row in node.badge_rows:
            x = box.x + PAD
            for finding, anchor, text in row:
                width = int(len(text) * CHAR_WIDTH) + 8
                parts.append(f'<a href="#{anchor}" class="badge s-{level(finding)}">'
                             f'<title>{esc(finding.policy_id)} {esc(finding.title)}</title>'
                             f'<rect x="{x}" y="{y - 11}" width="{width}" height="15"/>'
                             f'<text x="{x + 4}" y="{y}">{esc(text)}</text></a>')
                x += width + 4
            y += BADGE_HEIGHT
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _curve(points: Sequence[tuple[int, int]]) -> str:
    """A smooth path through a route: a curve between columns, a straight line through a crossed column."""
    (x, y), rest = points[0], points[1:]
    out = [f"M{x} {y}"]
    for index, (nx, ny) in enumerate(rest):
        if index % 2 == 0:  # from a column's right edge to the next column's left edge
            middle = (x + nx) // 2
            out.append(f"C{middle} {y} {middle} {ny} {nx} {ny}")
        else:
            out.append(f"L{nx} {ny}")
        x, y = nx, ny
    return "".join(out)
