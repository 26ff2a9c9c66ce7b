"""Text that every output format can carry: no surrogate code points, with visible escapes instead.

A file name with a byte that is not UTF-8 reaches Python as a lone surrogate (PEP 383's
`surrogateescape`: byte 0xff becomes U+DCFF); a JSON string can spell one as `\\ud800`. Neither
can be encoded as UTF-8, so a report that carries one would crash. Before reporting, each such
code point is replaced by its escape: `\\xff` for an undecodable byte, `\\ud800` for the rest.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable
from typing import TypeVar, cast

_SURROGATE = re.compile("[\ud800-\udfff]")

T = TypeVar("T")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that surrogateescape could not decode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with each surrogate code point replaced by a visible escape."""
    return text if text.isascii() else _SURROGATE.sub(_escape, text)


def printable_path(path: object) -> str:
    """A path as shown to people (`str(path)`, escaped)."""
    return printable(str(path))


def printable_data(value: T) -> T:
    """`value` with every string inside it made printable: str, list, tuple (named too), dict,
    and dataclass instances (rebuilt with `dataclasses.replace`). Anything else is kept, and so is a
    container none of whose strings needed an escape (the common case: nothing is rebuilt)."""
    return cast(T, _deep(value))


def _same(new: Iterable[object], old: Iterable[object]) -> bool:
    return all(a is b for a, b in zip(new, old, strict=True))


def _deep(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return printable(value)  # the same string when nothing is escaped
    if isinstance(value, list):
        items = [_deep(item) for item in value]
        return value if _same(items, value) else items
    if isinstance(value, tuple):
        members = tuple(_deep(item) for item in value)
        if _same(members, value):
            return value
        make = getattr(value, "_make", None)  # a named tuple (Location, Mark) keeps its type
        return make(members) if make is not None else members
    if isinstance(value, dict):
        pairs = [(_deep(key), _deep(item)) for key, item in value.items()]
        unchanged = _same((k for k, _ in pairs), value) and _same((v for _, v in pairs), value.values())
        return value if unchanged else dict(pairs)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _deep(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        if all(new is getattr(value, name) for name, new in changes.items()):
            return value
        return dataclasses.replace(value, **changes)
    return value
