"""JSON to marked nodes, with the line and column of every value.

`json.loads` validates first (its error messages are exact and its scanner is C);
then an iterative tokenizer rebuilds the document with marks.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from policykit.core.errors import InputError
from policykit.core.nodes import MAX_DEPTH, Mark, MDict, MList
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
_LITERALS: dict[str, Any] = {
    "true": True, "false": False, "null": None,
    "NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"),
}


class _Positions:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def mark(self, offset: int) -> Mark:
        line = bisect.bisect_right(self.starts, offset)
        return Mark(line, offset - self.starts[line - 1] + 1)


# Python refuses to convert longer integers (sys.int_info.str_digits_check_threshold): a bound of ours, named.
MAX_INT_DIGITS = 4300


def _validate(text: str, file: str) -> None:
    try:
        json.loads(text, parse_int=len)  # validation only: digits are converted (and bounded) below
    except json.JSONDecodeError as exc:
        raise InputError(file, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except RecursionError:
        pass  # deeper than `json` recurses: the tokenizer stops at MAX_DEPTH and reports the position


def load_json(text: str, file: str, duplicates: list[DuplicateKey] | None = None) -> Any:
    """Parse JSON text into marked nodes; raise InputError with a position.

    A key written twice keeps its last value (as `json` does); with `duplicates`, each one is recorded there.
    """
    _validate(text, file)
    positions = _Positions(text)
    surrogates = _SURROGATE_ESCAPE.search(text) is not None
    stack: list[tuple[MDict | MList, list[Any]]] = []  # node, [pending key, key mark]
    root: Any = None
    offset = 0
    while True:
        match = _TOKEN.match(text, offset)
        if match is None or not match.lastgroup:
            break
        start, offset = match.start(match.lastgroup or 0), match.end()
        mark = positions.mark(start)
        kind = match.lastgroup
        value: Any
        if kind == "punct":
            char = match.group("punct")
            if char in "{[":
                if len(stack) >= MAX_DEPTH:
                    raise InputError(file, f"JSON nested deeper than {MAX_DEPTH} levels", *mark)
                stack.append((MDict(mark) if char == "{" else MList(mark), [None, mark]))
                continue
            if char in ":,":
                continue
            value = stack.pop()[0]
            mark = value.mark
        elif kind == "string":
            value, offset = scanstring(text, offset)
            if surrogates and (lone := _SURROGATE.search(value)):
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
        node, pending = stack[-1]
        if isinstance(node, MList):
            node.add(value, mark)
        elif pending[0] is None:
            pending[0], pending[1] = value, mark
        else:
            if duplicates is not None and pending[0] in node:
                duplicates.append(DuplicateKey(pending[0], node.key_marks[pending[0]], pending[1]))
            node.set(pending[0], value, pending[1], mark)
            pending[0] = None
    return root
