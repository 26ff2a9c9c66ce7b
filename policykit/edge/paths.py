"""JSON paths for messages (`$.headers['x-cache'][0]`) and locations for them."""

from __future__ import annotations

import re
from collections.abc import Callable

from policykit.core.location import Location
from policykit.core.nodes import path_mark

Path = tuple[str | int, ...]
Locator = Callable[[Path], Location]
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def jpath(path: Path) -> str:
    out = "$"
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif _PLAIN.match(step):
            out += f".{step}"
        else:
            out += "[" + repr(step) + "]"
    return out


def in_file(root: object, file: str) -> Locator:
    """Locations of paths inside a marked JSON document read from `file`."""
    def locate(path: Path) -> Location:
        mark = path_mark(root, path)
        return Location(file, mark.line, mark.column)
    return locate


def at(location: Location) -> Locator:
    """Every path at one place (a handler's definition, a template's association)."""
    return lambda path: location
