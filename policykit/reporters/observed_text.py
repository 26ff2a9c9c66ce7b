"""The "what was seen" block of a live run, once per endpoint and name (policykit/probes/observed.py).

Every endpoint and name probed is listed, so a clean run shows what was probed: in full (with the commands that
reproduce each check) where a shown finding speaks of it, on one line otherwise; `policykit probe` shows all in
full. The counts of what was probed go in the summary line. JSON and SARIF carry the same as data (`document`).
"""

from __future__ import annotations

from policykit.core.json_types import JsonObject, JsonValue
from policykit.findings import Finding, Observed, ScanResult


def covered_keys(result: ScanResult) -> dict[tuple[str, str], tuple[str, ...]]:
    """(distribution, subject) -> the evidence keys the block already shows for that subject."""
    return {(o.distribution, o.subject): o.covers for o in result.observed}


def probed_counts(observed: tuple[Observed, ...]) -> tuple[int, int, int]:
    """(origins, endpoints, names) probed: origins per distribution, endpoints and names once each."""
    origins = sum(1 for o in observed if not o.endpoint and o.target)
    endpoints = len({o.target for o in observed if not o.endpoint and o.target})
    names = len({o.target for o in observed if o.endpoint and o.target})
    return origins, endpoints, names


def counts_words(result: ScanResult) -> str:
    """`probed 2 origin(s): 2 endpoint(s), 3 name(s)` for the summary line ("" when nothing was to probe)."""
    if not result.observed:
        return ""
    origins, endpoints, names = probed_counts(result.observed)
    return f"probed {origins} origin(s): {endpoints} endpoint(s), {names} name(s)"


def document(result: ScanResult) -> JsonObject:
    """What a live run probed and saw, once per endpoint and name, as data (JSON's `live`, SARIF's run property)."""
    origins, endpoints, names = probed_counts(result.observed)
    seen: list[JsonValue] = [{"subject": o.subject, "distribution": o.distribution, "endpoint": o.endpoint or None,
                              "probed": bool(o.target), "summary": o.summary, **o.data} for o in result.observed]
    return {"probed": {"origins": origins, "endpoints": endpoints, "names": names}, "observed": seen}


def lines(result: ScanResult, shown: list[Finding]) -> list[str]:
    """The block: every endpoint and name, in full where shown findings speak of it (every one for `probe`)."""
    if not result.observed:
        return []
    wanted = {(f.distribution, f.subject) for f in shown}
    endpoints = {(o.distribution, o.endpoint) for o in result.observed if (o.distribution, o.subject) in wanted}
    seen: set[tuple[str, str]] = set()
    out: list[str] = []
    for item in result.observed:
        key = (item.distribution, item.subject)
        if key in seen or not (item.lines or item.summary):
            continue
        seen.add(key)
        full = result.show_all_observed or key in wanted or key in endpoints
        out.extend(_block(item) if full and item.lines else _line(item))
    return (["live probes, what was seen:", *out]) if out else []


def _where(item: Observed) -> str:
    named = not item.distribution or item.endpoint or item.distribution in item.subject
    return "" if named else f" ({item.distribution})"


def _block(item: Observed) -> list[str]:
    indent = "    " if item.endpoint else "  "
    out = [f"{indent[:-2]}{item.subject}{_where(item)}:"]
    out.extend(f"{indent}{what}: {value}" for what, value in item.lines)
    return out


def _line(item: Observed) -> list[str]:
    indent = "    " if item.endpoint else "  "
    return [f"{indent[:-2]}{item.subject}{_where(item)}: {item.summary}"]
