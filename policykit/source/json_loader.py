"""JSON to marked nodes, with the line and column of every value.

`json.loads` validates first (its error messages are exact and its scanner is C);
then an iterative tokenizer rebuilds the document with marks.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]

from policykit.core.errors import InputError
from policykit.core.nodes import MAX_DEPTH, Mark, MDict, MList, Node
from policykit.source.dupkeys import DuplicateKey

_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
      (?P<punct>[{}\[\]:,])
     |(?P<string>")
     |(?P<number>-?(?:0|[1-9][0-9]*)(?P<frac>\.[0-9]+)?(?P<exp>[eE][+-]?[0-9]+)?)
     |(?P<literal>true|false|null|NaN|-?Infinity)
    )""",
    re.VERBOSE,
)
# A `\uD800`-`\uDFFF` escape: after decoding, any surrogate left in a string had no partner.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS: dict[str, bool | float | None] = {
    "true": True, "false": False, "null": None,
    "NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"),
}


class _Positions:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def mark(self, offset: int) -> Mark:
        line = bisect.bisect_right(self.starts, offset)
        return Mark(line, offset - self.starts[line - 1] + 1)


class _Open:
    """A container being read, and the key read for its next value (None between the entries of a mapping)."""

    __slots__ = ("key", "key_mark", "node")

    def __init__(self, node: MDict | MList, mark: Mark) -> None:
        self.node = node
        self.key: str | None = None
        self.key_mark = mark


# Python refuses to convert longer integers (sys.int_info.str_digits_check_threshold): a bound of ours, named.
MAX_INT_DIGITS = 4300


def _validate(text: str, file: str) -> None:
    try:
        json.loads(text, parse_int=len)  # validation only: digits are converted (and bounded) below
    except json.JSONDecodeError as exc:
        raise InputError(file, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        pass  # deeper than `json` recurses: the tokenizer stops at MAX_DEPTH and reports the position


def load_json(text: str, file: str, duplicates: list[DuplicateKey] | None = None) -> Node:
    """Parse JSON text into marked nodes; raise InputError with a position.

    A key written twice keeps its last value (as `json` does); with `duplicates`, each one is recorded there.
    """
    _validate(text, file)
    positions = _Positions(text)
    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    stack: list[_Open] = []
    root: Node = None
    offset = 0
    while True:
        match = _TOKEN.match(text, offset)
        if match is None or not match.lastgroup:
            break
        start, offset = match.start(match.lastgroup or 0), match.end()
        mark = positions.mark(start)
        kind = match.lastgroup
        value: Node
        if kind == "punct":
            char = match.group("punct")
            if char in "{[":
                if len(stack) >= MAX_DEPTH:
                    raise InputError(file, f"JSON nested deeper than {MAX_DEPTH} levels", *mark)
                stack.append(_Open(MDict(mark) if char == "{" else MList(mark), mark))
                continue
            if char in ":,":
                continue
            node = stack.pop().node
            value, mark = node, node.mark
        elif kind == "string":
            string: str
            string, offset = scanstring(text, offset)
            value = string
            if surrogates and (lone := _SURROGATE.search(string)):
                raise InputError(file, f"invalid JSON: lone surrogate \\u{ord(lone.group()):04x} in a string "
                                 "(not a Unicode character)", *mark)
        elif kind == "number":
            raw = match.group("number")
            if match.group("frac") or match.group("exp"):
                value = float(raw)
            elif len(raw.lstrip("-")) > MAX_INT_DIGITS:
                raise InputError(file, f"a number of {len(raw.lstrip('-'))} digits: more than the "
                                 f"{MAX_INT_DIGITS} digits policykit reads", *mark)
            else:
                value = int(raw)
        else:
            value = _LITERALS[match.group("literal")]
        if not stack:
            root = value
            break
        top = stack[-1]
        node, key = top.node, top.key
        if isinstance(node, MList):
            node.add(value, mark)
        elif key is None:
            top.key, top.key_mark = str(value), mark  # a string: `json` validated the text
        else:
            if duplicates is not None and key in node:
                duplicates.append(DuplicateKey(key, node.key_marks[key], top.key_mark))
            node.set(key, value, top.key_mark, mark)
            top.key = None
    return root
