"""Where something is in a user's file."""

from __future__ import annotations

from typing import NamedTuple


class Location(NamedTuple):
    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column}"
