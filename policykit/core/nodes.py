"""Marked nodes: dicts and lists that know the source position of each child.

Positions live beside the data (never as magic keys inside it): an `MDict` keeps the
mark of each key and each value, an `MList` the mark of each item, so a scalar's
position is found through its parent. Lines and columns are 1-based.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Mark(NamedTuple):
    line: int
    column: int


NO_MARK = Mark(0, 0)


class FileMark(Mark):
    """A mark in another file than the document being read: a file a Serverless service includes
    (`${file(resources/cdn.yml)}`), whose nodes join the service's template. Compares as its position."""

    file: str

    def __new__(cls, line: int, column: int, file: str) -> FileMark:
        mark = super().__new__(cls, line, column)
        mark.file = file
        return mark


def file_of(mark: Mark, default: str) -> str:
    """The file a mark is in: its own (a FileMark), else the document's, `default`."""
    return mark.file if isinstance(mark, FileMark) else default

# Bounds that keep a hostile or broken file from hanging or exhausting memory.
MAX_DEPTH = 128


class MDict(dict[str, Any]):
    """A mapping with a mark for itself, for each key and for each value."""

    __slots__ = ("key_marks", "mark", "value_marks")

    def __init__(self, mark: Mark = NO_MARK) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[str, Mark] = {}
        self.value_marks: dict[str, Mark] = {}

    def set(self, key: str, value: Any, key_mark: Mark, value_mark: Mark) -> None:
        self[key] = value
        self.key_marks[key] = key_mark
        self.value_marks[key] = value_mark

    def mark_of(self, key: str) -> Mark:
        return self.value_marks.get(key, self.mark)


class MList(list[Any]):
    """A sequence with a mark for itself and for each item."""

    __slots__ = ("mark", "marks")

    def __init__(self, mark: Mark = NO_MARK) -> None:
        super().__init__()
        self.mark = mark
        self.marks: list[Mark] = []

    def add(self, value: Any, mark: Mark) -> None:
        self.append(value)
        self.marks.append(mark)

    def mark_of(self, index: int) -> Mark:
        return self.marks[index] if 0 <= index < len(self.marks) else self.mark


# What a loader (policykit/source) gives for a document or any part of it: a marked mapping or list, or a
# scalar as YAML or JSON writes it. Containers hold whatever their reader put there: parsed nodes as read,
# or the values a format resolves them to (policykit/cfn/values.py, Terraform's own).
Node = MDict | MList | str | int | float | bool | None


def mark_of(node: object) -> Mark:
    """The mark of a container node, or NO_MARK for scalars (and any other value)."""
    return getattr(node, "mark", NO_MARK)


def child_mark(parent: object, key: str | int) -> Mark:
    """Where the child `key` of `parent` starts (falls back to the parent's mark)."""
    if isinstance(parent, MDict) and isinstance(key, str):
        return parent.mark_of(key)
    if isinstance(parent, MList) and isinstance(key, int):
        return parent.mark_of(key)
    return mark_of(parent)


def path_mark(root: object, path: tuple[str | int, ...]) -> Mark:
    """The mark of the deepest node reachable along `path`."""
    node, mark = root, mark_of(root)
    for key in path:
        if isinstance(node, MDict) and isinstance(key, str) and key in node:
            mark, node = node.mark_of(key), node[key]
            continue
        if isinstance(node, MList) and isinstance(key, int) and 0 <= key < len(node):
            mark, node = node.mark_of(key), node[key]
            continue
        break
    return mark
