"""The pieces of an outline while it is built: a hop's draft, the hops and links of one variant of a distribution,
and how a model value is shown on a hop (bounded: a template value can be megabytes)."""

from __future__ import annotations

from dataclasses import field

from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.values import Unknown
from policykit.model.base import ModelObject

MAX_TEXT = 160  # characters of one value on a hop: a template value can be megabytes, a report stays readable


def shown(value: object) -> str:
    """A model value for people: an unknown piece as what it stands for (`${Alb}`), lists joined, bounded."""
    if value is None:
        text = "(not set)"
    elif isinstance(value, Unknown):
        text = value.placeholder
    elif isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, (list, tuple)):
        text = ", ".join(shown(item) for item in value) or "(none)"
    else:
        text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "\u2026"


def places(obj: ModelObject | None) -> list[Location]:
    """Where an object and each of its fields are written."""
    if obj is None:
        return []
    return [loc for loc in (obj.loc, *obj.locs.values()) if loc.file]


@record(frozen=False)
class Draft:
    """A hop while one variant of a distribution is read."""

    key: str
    kind: str
    title: str
    lines: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    places: list[Location] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    unknown: str = ""


class Drafts:
    """The hops and links drawn so far; a hop met again (an origin two behaviors reach) gathers what each adds."""

    def __init__(self) -> None:
        self.hops: dict[str, Draft] = {}
        self.links: dict[tuple[str, str], None] = {}

    def hop(self, key: str, kind: str, title: str, **values: list[str] | list[Location] | str) -> Draft:
        draft = self.hops.get(key)
        if draft is None:
            draft = self.hops[key] = Draft(key, kind, title)
        for name, value in values.items():
            if isinstance(value, list):
                getattr(draft, name).extend(value)
            else:
                setattr(draft, name, value)
        return draft

    def link(self, source: str, target: str) -> None:
        self.links[(source, target)] = None
