"""Where findings point when a read from AWS saved nothing: the distribution by id and the API path of the
property (`aws:cloudfront/E123 Origins.Items[1].CustomOriginConfig`), since there is no file to point into.

The model is built from the answers as the AWS CLI prints them, with their positions; once built (before any
policy reads it), each object's locations are rewritten into API paths.
"""

from __future__ import annotations

import dataclasses

from policykit.aws.documents import Places
from policykit.core.location import Location
from policykit.model.base import DeclaredObject
from policykit.model.cloudfront import Model


def relocate(model: Model, places: dict[str, Places]) -> None:
    """Rewrite every location of `model` that is a position in an answer into that answer's API path."""

    def moved(loc: Location) -> Location:
        found = places.get(loc.file)
        return found.location(loc) if found is not None else loc

    seen: set[int] = set()
    stack: list[object] = list(model.distributions)
    while stack:
        obj = stack.pop()
        if not isinstance(obj, DeclaredObject) or id(obj) in seen:
            continue
        seen.add(id(obj))
        obj.loc = moved(obj.loc)
        obj.locs = {name: moved(loc) for name, loc in obj.locs.items()}
        for item in dataclasses.fields(obj):
            value = getattr(obj, item.name)
            if isinstance(value, DeclaredObject):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(v for v in value if isinstance(v, DeclaredObject))
    model.problems = [dataclasses.replace(p, location=moved(p.location)) for p in model.problems]
