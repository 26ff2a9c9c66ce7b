"""Each distribution's request path as plain data (policykit/findings.py `Outline`), for the HTML report.

viewer names -> viewer certificate -> behaviors -> their request-side edge functions -> origin group -> origin ->
what stands behind it (load balancer -> listeners -> certificates; an S3 website endpoint; a VPC origin; any other
resource the origin's domain comes from). Response-side functions hang off their behavior.

Built by api after the engine ran, from the model and its facts (read, never written), and only when a report asks
(`ScanOptions.outlines`). A hop lists the finding subjects that name it and the places it is written, so a reporter
puts each finding on its hop without reading the model. What stands behind an origin is one entry of `BEHIND` per
kind of model object: a kind without one is still drawn, by its kind and name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from policykit.core.location import Location
from policykit.core.printable import printable
from policykit.findings import Hop, Outline
from policykit.model.cloudfront import Distribution, Model
from policykit.outlines.draft import Draft, shown
from policykit.outlines.variant import Variant
from policykit.scenarios import Describer, Scenario

if TYPE_CHECKING:
    from policykit.model.live import LiveOrigin


def _ordered(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(printable(item) for item in items))


def outline_model(model: Model, live: Mapping[Distribution, tuple[LiveOrigin, ...]] | None = None) -> list[Outline]:
    """One outline per distribution of the model: its variants (deploy-time scenarios) drawn as one, a hop that
    exists in some of them only labelled with the scenarios it exists in."""
    by_resource: dict[str, list[Distribution]] = {}
    for dist in model.distributions:
        by_resource.setdefault(dist.resource, []).append(dist)
    out = []
    for variants in by_resource.values():
        built = []
        for dist in variants:
            variant = Variant(dist, (live or {}).get(dist, ()))
            variant.build()
            built.append(variant)
        out.append(_merged(built))
    return out


def _merged(variants: list[Variant]) -> Outline:
    every = [Scenario(choices) for v in variants for choices in v.dist.scenarios]
    describer = Describer(every) if len(every) > 1 else None
    drafts: dict[str, list[tuple[Draft, Variant]]] = {}
    links: dict[tuple[str, str], None] = {}
    for variant in variants:
        for key, draft in variant.hops.items():
            drafts.setdefault(key, []).append((draft, variant))
        links.update(variant.links)
    hops = []
    for key, held in drafts.items():
        first = held[0][0]
        scenario = ""
        if describer is not None and len(held) < len(variants):
            scenario = describer.describe([Scenario(c) for _, v in held for c in v.dist.scenarios])
        if len(held) == 1:  # most hops: one variant, nothing to merge
            subjects, places_, mentions = first.subjects, first.places, first.mentions
        else:
            subjects = [s for d, _ in held for s in d.subjects]
            places_ = [p for d, _ in held for p in d.places]
            mentions = [m for d, _ in held for m in d.mentions]
        hops.append(Hop(key=printable(key), kind=first.kind, title=printable(shown(first.title)),
                        lines=tuple(printable(shown(line)) for line in first.lines), subjects=_ordered(subjects),
                        places=tuple(_printable(p) for p in dict.fromkeys(places_)), mentions=_ordered(mentions),
                        scenario=printable(scenario), unknown=printable(first.unknown)))
    dist = variants[0].dist
    return Outline(distribution=printable(dist.resource), label=printable(dist.label), location=_printable(dist.loc),
                   hops=tuple(hops), links=tuple((printable(a), printable(b)) for a, b in links))


def _printable(loc: Location) -> Location:
    """A location whose file name a report can carry (policykit/core/printable.py, as api does for findings)."""
    file = printable(loc.file)
    return loc if file is loc.file else loc._replace(file=file)


def renamed(outline: Outline, fix: Callable[[str], str]) -> Outline:
    """The outline with its files shown under other names (stdin's temporary file as `-`)."""
    def moved(loc: Location) -> Location:
        return loc._replace(file=fix(loc.file))

    return replace(outline, location=moved(outline.location),
                   hops=tuple(replace(hop, places=tuple(moved(p) for p in hop.places)) for hop in outline.hops))

