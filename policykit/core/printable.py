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
    and dataclass instances (rebuilt with `dataclasses.replace`). Anything else is kept."""
    return cast(T, _deep(value))


def _deep(value: object) -> object:
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, list):
        return [_deep(item) for item in value]
    if isinstance(value, tuple):
        items = tuple(_deep(item) for item in value)
        make = getattr(value, "_make", None)  # a named tuple (Location, Mark) keeps its type
        return make(items) if make is not None else items
    if isinstance(value, dict):
        return {_deep(key): _deep(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _deep(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value
