"""The text report's "what was seen" block: per live endpoint and name, once (policykit/probes/observed.py)."""

from __future__ import annotations

from policykit.findings import Finding, Observed, ScanResult


def covered_keys(result: ScanResult) -> dict[tuple[str, str], tuple[str, ...]]:
    """(distribution, subject) -> the evidence keys the block already shows for that subject."""
    return {(o.distribution, o.subject): o.covers for o in result.observed}


def lines(result: ScanResult, shown: list[Finding]) -> list[str]:
    """The block for the endpoints and names that shown findings speak of (every one for `probe`)."""
    if not result.observed:
        return []
    wanted = {(f.distribution, f.subject) for f in shown}
    endpoints = {(o.distribution, o.endpoint) for o in result.observed if (o.distribution, o.subject) in wanted}
    seen: set[tuple[str, str]] = set()
    out: list[str] = []
    for item in result.observed:
        key = (item.distribution, item.subject)
        show = result.show_all_observed or key in wanted or key in endpoints
        if not show or key in seen or not item.lines:
            continue
        seen.add(key)
        out.extend(_block(item))
    return (["live probes, what was seen:", *out]) if out else []


def _block(item: Observed) -> list[str]:
    indent = "    " if item.endpoint else "  "
    named = not item.distribution or item.endpoint or item.distribution in item.subject
    where = "" if named else f" ({item.distribution})"
    out = [f"{indent[:-2]}{item.subject}{where}:"]
    out.extend(f"{indent}{what}: {value}" for what, value in item.lines)
    return out
