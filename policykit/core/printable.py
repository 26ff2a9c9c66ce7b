"""How file names and template values are shown: one escaping function for every report and every stderr line.

`visible` is the escaping: each control character (C0, C1, DEL), line or paragraph separator, bidirectional
override ("Trojan source"), lone surrogate and non-character becomes a visible escape (`\\x1b`, `\\n`,
`\\u202e`), so a template string cannot clear a terminal, reorder what a reader sees or end a line of a report.
A file name with a byte that is not UTF-8 reaches Python as a lone surrogate (PEP 383's `surrogateescape`: byte
0xff becomes U+DCFF) and is shown as that byte, `\\xff`.

`printable` applies the same escapes to the code points no UTF-8 output can carry (surrogates) and keeps the
rest: JSON and SARIF escape control characters themselves, and keep a string whole.

`safe_line` is for a whole line of output: a line that would begin with `::` (after its indentation, as the
GitHub Actions runner reads it) is a workflow command there, so its first colon is escaped too (`\\x3a:`).
Every line-based report writes its lines through it; the annotations report writes commands of its own making.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Iterable
from typing import TypeVar, cast

from policykit.core.patterns import lazy_pattern

# C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides and isolates: anything that
# moves the cursor, ends a line or reorders what a reader sees; and lone surrogates (undecodable file names) and
# non-characters, which neither UTF-8 output nor XML can carry.
_CONTROL = lazy_pattern("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_SURROGATE = lazy_pattern("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_COMMAND = "::"  # how a GitHub Actions workflow command starts

T = TypeVar("T")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that surrogateescape could not decode: shown as that byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character as a visible escape (`\\x1b`, `\\n`): the one escaping of file names
    and template values for terminals and line-based formats, where a string must not clear the screen or forge
    a line."""
    if text.isascii() and text.isprintable():  # no control character: most text, without the pattern
        return text
    return _CONTROL().sub(_escape, text)


def printable(text: str) -> str:
    """`text` with each surrogate code point replaced by its visible escape (for formats that carry the rest)."""
    return text if text.isascii() else _SURROGATE().sub(_escape, text)


def safe_line(line: str) -> str:
    """One line of output that cannot be read as a workflow command: a leading `::` (after spaces or tabs, which
    the runner skips) has its first colon escaped. Other lines are returned as they are."""
    start = len(line) - len(line.lstrip(" \t"))
    if line.startswith(_COMMAND, start):
        return f"{line[:start]}\\x3a{line[start + 1:]}"
    return line


def visible_lines(text: str) -> list[str]:
    """Multi-line text (a policy's fix) as lines for a line-based format: its own line breaks kept, every line
    escaped (`visible`) and safe to start a line of output (`safe_line`)."""
    return [safe_line(visible(line)) for line in text.split("\n")]


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
