"""Marked nodes (policykit/core/nodes.py): a mark from an included file knows its file and compares as a position."""

from __future__ import annotations

from policykit.core.nodes import FileMark, Mark, file_of


def test_a_file_mark_is_a_position_with_its_file() -> None:
    mark = FileMark(3, 7, "resources/cdn.yml")
    assert mark == Mark(3, 7) and tuple(mark) == (3, 7)
    line, column = mark  # unpacks as every mark does
    assert (line, column) == (3, 7)
    assert file_of(mark, "serverless.yml") == "resources/cdn.yml"
    assert file_of(Mark(3, 7), "serverless.yml") == "serverless.yml"
