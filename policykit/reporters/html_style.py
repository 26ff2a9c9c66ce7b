"""The HTML report's one style sheet (inline, allowed by its hash in the page's Content-Security-Policy).

The severity filters are checkboxes before `<header>` and `<main>`: an unchecked one hides its findings with a
sibling selector, no script. Colours: error red, warning amber, info blue, "not checked" grey and dashed.
"""

from __future__ import annotations

_LEVELS = {  # stroke, fill
    "error": ("#cf222e", "#ffebe9"),
    "warning": ("#9a6700", "#fff8c5"),
    "info": ("#0969da", "#ddf4ff"),
    "unknown": ("#6e7781", "#f6f8fa"),
    "ok": ("#8c959f", "#ffffff"),
}

_FILTERS = "".join(
    f"#show-{name}:not(:checked)~main .finding.s-{name}{{display:none}}"
    f"#show-{name}:not(:checked)~header label[for=show-{name}]{{opacity:.45;text-decoration:line-through}}"
    for name in ("error", "warning", "info", "unknown"))

_COLOURS = "".join(
    f".chip.s-{name}{{border-color:{stroke};background:{fill};color:{stroke if name != 'ok' else '#57606a'}}}"
    f"svg.diagram .hop.s-{name}>rect{{stroke:{stroke};fill:{fill}}}"
    f"svg.diagram path.s-{name}{{stroke:{stroke}}}"
    f"svg.diagram .badge.s-{name} rect{{fill:{stroke}}}"
    f".finding.s-{name}{{border-left-color:{stroke}}}"
    for name, (stroke, fill) in _LEVELS.items())

STYLE = (
    "*{box-sizing:border-box}"
    "body{margin:0;font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "color:#1f2328;background:#fff}"
    "header,main,footer{padding:0 20px}header{border-bottom:1px solid #d0d7de;padding-bottom:8px}"
    "h1{font-size:20px;margin:14px 0 6px}h4{margin:8px 0 2px;font-size:13px}"
    "code,pre,.file,dl.evidence{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px}"
    ".filter{position:absolute;left:-9999px}"
    ".chip{display:inline-block;border:1px solid;border-radius:10px;padding:0 8px;margin:0 4px 2px 0;"
    "font-size:12px;white-space:nowrap}label.chip{cursor:pointer;user-select:none}.chip.dashed{border-style:dashed}"
    "ul.facts{margin:6px 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;color:#57606a}"
    ".filters,.legend{margin:6px 0}.legend{color:#57606a;font-size:12px}"
    "section.dist{margin:10px 0;border:1px solid #d0d7de;border-radius:6px}"
    "section.dist>details>summary{padding:8px 10px;cursor:pointer;background:#f6f8fa;border-radius:6px}"
    "section.dist>details[open]>summary{border-bottom:1px solid #d0d7de;border-radius:6px 6px 0 0}"
    "#show-ok:not(:checked)~main section.dist.s-ok{display:none}"
    ".scroll{overflow-x:auto;padding:6px 10px}"
    "svg.diagram{display:block;font:11px 'DejaVu Sans Mono',Menlo,Consolas,monospace}"
    "svg.diagram text{fill:#1f2328}svg.diagram text.t{font-weight:bold;font-size:12px}"
    "svg.diagram text.s{font-style:italic;fill:#8250df}svg.diagram text.seen{fill:#1a7f37}"
    "svg.diagram .caption{fill:#57606a;text-transform:uppercase;letter-spacing:.05em}"
    "svg.diagram .hop>rect{stroke-width:1.2}svg.diagram .hop:not(.s-ok)>rect{stroke-width:2.5}"
    "svg.diagram .hop.dashed>rect{stroke-dasharray:5 3}"
    "svg.diagram path{fill:none;stroke:#8c959f;stroke-width:1.5}svg.diagram path[class]{stroke-width:2.5}"
    "svg.diagram .hop>rect{rx:6px}svg.diagram .badge rect{rx:3px}"
    "svg.diagram .badge text{fill:#fff;font-weight:bold}svg.diagram a.badge:hover rect{opacity:.8}"
    "ol.findings{list-style:none;margin:0;padding:4px 10px 8px}"
    ".finding{border-left:4px solid;padding:4px 10px;margin:8px 0;background:#fff}"
    ".finding p{margin:2px 0}.finding .on{color:#57606a}.finding .accepted{color:#57606a;font-style:italic}"
    "dl.evidence{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;margin:4px 0;color:#3d444d}"
    "dl.evidence dt{color:#57606a}dl.evidence dd{margin:0;overflow-wrap:anywhere}"
    "figure.snippet{margin:4px 0}figure.snippet figcaption{font-size:12px;color:#57606a}"
    "pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:6px 8px;overflow-x:auto;margin:2px 0}"
    "details.accepted,details.seen{margin:0 10px 8px;color:#57606a}"
    "section.errors{border:2px solid #cf222e;border-radius:6px;padding:0 12px;margin:10px 0}"
    "footer{color:#57606a;font-size:12px;padding-top:8px;padding-bottom:16px}"
    "@media print{.filters,.filter{display:none}section.dist{break-inside:auto}"
    ".finding{break-inside:avoid}.scroll{overflow:visible}svg.diagram{max-width:100%;height:auto}"
    "details::details-content{content-visibility:visible;display:block}}"
    + _FILTERS + _COLOURS
)
