"""HCL `.tf` and `.tf.json` files -> top-level blocks whose bodies are marked nodes.

python-hcl2 gives the values (its dict output) and the lark tree gives the positions: both
list attributes and blocks in source order, so they are walked side by side. A nested block
becomes a list of bodies (as in Terraform's JSON syntax); `dynamic "x"` becomes
`{"dynamic": {"x": [body, ...]}}`. Attribute values keep Terraform's own text: a string is
a template, `${expr}` an expression (python-hcl2 writes bare expressions that way too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from policykit.core.errors import InputError
from policykit.core.nodes import NO_MARK, Mark, MDict, MList
from policykit.source.dupkeys import DuplicateKey
from policykit.source.files import read_text
from policykit.source.json_loader import MAX_INT_DIGITS, load_json
from policykit.terraform.values import Value

if TYPE_CHECKING:
    from lark import Token, Tree

LABELED_NESTED = frozenset({"dynamic"})


@dataclass
class Block:
    """A top-level block: `resource "aws_lb" "app" {...}` is Block("resource", ("aws_lb", "app"), body)."""

    type: str
    labels: tuple[str, ...]
    body: MDict
    file: str
    mark: Mark


@dataclass
class _Positions:
    mark: Mark
    attrs: dict[str, tuple[Mark, list[Mark]]]
    blocks: dict[str, list[_Positions]]
    duplicates: list[DuplicateKey] = field(default_factory=list)  # of the whole file (on the top level's)


# Parsed files by (path as spelled, inode, size, mtime): calls.py reads a module's calls and the scan
# its resources from one parse. Bounded: a long-running process (tests, an editor) does not grow.
_PARSED: dict[tuple[str, int, int, int], tuple[list[Block], list[DuplicateKey]]] = {}
_PARSED_MAX = 512


def load_hcl(path: Path) -> list[Block]:
    """The blocks of one `.tf` file (read_hcl + parse_hcl, for callers that need nothing else of the text)."""
    return parse_hcl(read_hcl(path), str(path))


def load_hcl_cached(path: Path, text: str | None = None) -> list[Block]:
    """load_hcl, once per file version; `text`, if the caller already read it."""
    return load_hcl_with_duplicates(path, text)[0]


def load_hcl_with_duplicates(path: Path, text: str | None = None) -> tuple[list[Block], list[DuplicateKey]]:
    """The blocks of a `.tf` file and its arguments set twice in one block (PK006), once per file version."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    key = (str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns)
    found = _PARSED.get(key)
    if found is None:
        found = parse_hcl_with_duplicates(read_hcl(path) if text is None else text, str(path))
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = found
    return found


def module_files(directory: Path) -> list[Path]:
    """A module directory's configuration files, in Terraform's order (by name)."""
    try:
        return sorted(p for p in directory.iterdir() if p.name.endswith((".tf", ".tf.json")) and p.is_file())
    except OSError as exc:
        raise InputError(str(directory), f"cannot read the module directory: {exc.strerror}") from None


def load_module_blocks(directory: Path) -> list[Block]:
    """The blocks of every file of a module directory (each file parsed once per scan)."""
    blocks: list[Block] = []
    for path in module_files(directory):
        if path.name.lower().endswith(".tf.json"):
            blocks.extend(load_tf_json(path) or [])
        else:
            blocks.extend(load_hcl_cached(path))
    return blocks


def parse_hcl(text: str, file: str) -> list[Block]:
    """The top-level blocks of a `.tf` file's text; `file` names it in positions and errors."""
    return parse_hcl_with_duplicates(text, file)[0]


def parse_hcl_with_duplicates(text: str, file: str) -> tuple[list[Block], list[DuplicateKey]]:
    """parse_hcl, and the arguments set twice in one block (Terraform refuses them; python-hcl2 keeps the last)."""
    data, positions = parse_hcl_data(text, file, explicit_blocks=True)
    blocks: list[Block] = []
    for block_type, items in data.items():
        if block_type.startswith("__") or not isinstance(items, list):
            continue
        places = positions.blocks.get(block_type, [])
        for index, item in enumerate(items):
            place = places[index] if index < len(places) else _Positions(NO_MARK, {}, {})
            labels, body = _unwrap(item)
            blocks.append(Block(block_type, labels, _body(body, place), file, place.mark))
    return blocks, positions.duplicates


def parse_hcl_data(text: str, file: str, explicit_blocks: bool) -> tuple[dict[str, Value], _Positions]:
    """python-hcl2's dict of an HCL text and the positions of its attributes and blocks.

    Every exception of the parser becomes an InputError of one line with the position it gives;
    an argument and a block of the same name, which python-hcl2 raises on without a position (or
    takes silently), is found first, with its line.
    """
    import hcl2  # lazily: only when a .tf file is scanned
    from lark.exceptions import UnexpectedInput

    try:
        tree = hcl2.parses_to_tree(_trim_heredoc_markers(text))
    except UnexpectedInput as exc:
        line, column = getattr(exc, "line", 0), getattr(exc, "column", 0)
        token = getattr(exc, "token", None)
        shown = _one_line(str(token))[:20] if token is not None else ""
        what = f"unexpected '{shown}'" if shown else "syntax error"
        raise InputError(file, f"invalid HCL: {what}", max(line, 0), max(column, 0)) from None
    except Exception as exc:  # the parser's own failures (RecursionError too) are the file's problem
        raise _parser_error(exc, text, file, 0) from None
    try:
        positions = _body_positions(tree, NO_MARK, file, [])  # before transform: it may rewrite the tree
    except RecursionError:
        raise InputError(file, "invalid HCL: blocks nested deeper than policykit follows") from None
    try:
        options = hcl2.SerializationOptions(with_comments=False, strip_string_quotes=True,
                                            preserve_heredocs=False, explicit_blocks=explicit_blocks)
        data = hcl2.serialize(hcl2.transform(tree, discard_comments=True), serialization_options=options)
    except Exception as exc:  # any failure of the third-party transform is the input's
        raise _parser_error(exc, text, file, positions.mark.line) from None
    return (data if isinstance(data, dict) else {}), positions


def _parser_error(exc: Exception, text: str, file: str, line: int) -> InputError:
    cause = getattr(exc, "orig_exc", exc)  # lark wraps what a transformer raises in VisitError
    long_number = _LONG_NUMBER.search(text) if isinstance(cause, ValueError) else None
    if long_number:  # Python's int-string limit, met inside python-hcl2
        line = text.count("\n", 0, long_number.start()) + 1
        column = long_number.start() - text.rfind("\n", 0, long_number.start())
        return InputError(file, f"a number of {len(long_number.group())} digits: more than the "
                          f"{MAX_INT_DIGITS} digits policykit reads", line, column)
    return InputError(file, f"invalid HCL: {_first_line(cause)}", line)


def _first_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _one_line(text)[:120]


def _one_line(text: str) -> str:
    """Whitespace runs as one space, other control characters escaped: an error is one line."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in " ".join(text.split()))


# Not inside a run of digits: each run is scanned once (from every digit of it, a long file of runs just
# short of the bound took minutes).
_LONG_NUMBER = re.compile(rf"(?<!\d)\d{{{MAX_INT_DIGITS + 1},}}")
_HEREDOC_OPEN = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9._-]*)[ \t]*\r?$")


def _trim_heredoc_markers(text: str) -> str:
    """A heredoc's closing marker with trailing spaces (`POLICY  `) closes it, as in Terraform."""
    if "<<" not in text:
        return text
    lines = text.split("\n")
    marker: str | None = None
    changed = False
    for index, line in enumerate(lines):
        if marker is None:
            opened = _HEREDOC_OPEN.search(line)
            marker = opened.group(1) if opened else None
        elif line.strip() == marker:
            stripped = line.rstrip(" \t\r") + ("\r" if line.endswith("\r") else "")
            changed = changed or stripped != line
            lines[index] = stripped
            marker = None
    return "\n".join(lines) if changed else text


def read_hcl(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None


def _unwrap(item: Value) -> tuple[tuple[str, ...], dict[str, Value]]:
    """`{"aws_lb": {"app": {..., "__is_block__": True}}}` -> (("aws_lb", "app"), body)."""
    labels: list[str] = []
    while isinstance(item, dict) and not item.get("__is_block__") and len(item) == 1:
        (label, inner), = item.items()
        if not isinstance(inner, dict):
            break
        labels.append(str(label))
        item = inner
    return tuple(labels), item if isinstance(item, dict) else {}


def _body(data: dict[str, Value], place: _Positions) -> MDict:
    out = MDict(place.mark)
    for key, value in data.items():
        if key.startswith("__"):
            continue
        if key in place.blocks or (isinstance(value, list) and value and isinstance(value[0], dict)
                                   and key not in place.attrs):
            places = place.blocks.get(key, [])
            if key in LABELED_NESTED:
                out.set(key, _labeled(value, places), place.mark, place.mark)
                continue
            bodies = MList(places[0].mark if places else place.mark)
            for index, item in enumerate(value if isinstance(value, list) else [value]):
                sub = places[index] if index < len(places) else _Positions(place.mark, {}, {})
                bodies.add(_body(_unwrap(item)[1], sub), sub.mark)
            out.set(key, bodies, bodies.mark, bodies.mark)
        else:
            mark, item_marks = place.attrs.get(key, (place.mark, []))
            out.set(key, _value(value, mark, item_marks), mark, mark)
    return out


def _labeled(value: Value, places: list[_Positions]) -> MDict:
    out = MDict(places[0].mark if places else NO_MARK)
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        sub = places[index] if index < len(places) else _Positions(out.mark, {}, {})
        labels, body = _unwrap(item)
        label = labels[0] if labels else ""
        if label not in out:
            out.set(label, MList(sub.mark), sub.mark, sub.mark)
        out[label].add(_body(body, sub), sub.mark)
    return out


def _value(value: Value, mark: Mark, item_marks: list[Mark]) -> Value:
    if isinstance(value, dict):
        node = MDict(mark)
        for key, item in value.items():
            if not str(key).startswith("__"):
                node.set(str(key).strip('"'), _value(item, mark, []), mark, mark)
        return node
    if isinstance(value, list):
        items = MList(mark)
        for index, item in enumerate(value):
            item_mark = item_marks[index] if index < len(item_marks) else mark
            items.add(_value(item, item_mark, []), item_mark)
        return items
    return value


def _first_mark(tree: Tree[Token]) -> Mark:
    from lark import Token

    for token in tree.scan_values(lambda t: isinstance(t, Token)):
        if token.line is not None:
            return Mark(token.line, token.column or 0)
    return NO_MARK


def _body_positions(tree: Tree[Token], mark: Mark, file: str, duplicates: list[DuplicateKey]) -> _Positions:
    """The positions of a body's arguments and blocks; an argument set twice goes to `duplicates`."""
    from lark import Tree

    body = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), None)
    place = _Positions(mark, {}, {}, duplicates)
    if body is None:
        return place
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _name(child.children[0])
            where = _first_mark(child)
            _no_second(place, name, where, file)
            if name in place.attrs:
                duplicates.append(DuplicateKey(name, place.attrs[name][0], where))
            place.attrs[name] = (where, _tuple_marks(child.children[-1]))
        elif child.data == "block":
            name = _name(child.children[0])
            where = _first_mark(child)
            if name in place.attrs:
                raise InputError(file, f"invalid HCL: '{_one_line(name)[:60]}' is a block here and an argument at "
                                 f"line {place.attrs[name][0].line}", where.line, where.column)
            place.blocks.setdefault(name, []).append(_body_positions(child, where, file, duplicates))
    return place


def _no_second(place: _Positions, name: str, where: Mark, file: str) -> None:
    """An argument may not share a block's name (Terraform refuses it; python-hcl2 raises without a line).

    An argument set twice is read as python-hcl2 reads it (the last wins), with a PK006 warning: Terraform
    0.12+ refuses it ("Attribute redefined"), but 0.11 files repeat `ingress = {...}` for what are blocks.
    """
    if name in place.blocks:
        raise InputError(file, f"invalid HCL: '{_one_line(name)[:60]}' is an argument here and a block at "
                         f"line {place.blocks[name][0].mark.line}", where.line, where.column)


def _name(tree: Tree[Token] | Token) -> str:
    from lark import Token

    if isinstance(tree, Token):
        return str(tree)
    return next((str(t) for t in tree.scan_values(lambda t: isinstance(t, Token))), "")


def _tuple_marks(expr: Tree[Token] | Token) -> list[Mark]:
    from lark import Tree

    node = expr
    if isinstance(node, Tree) and node.data == "expr_term" and node.children and isinstance(node.children[0], Tree):
        node = node.children[0]
    if not (isinstance(node, Tree) and node.data == "tuple"):
        return []
    # Line breaks and comments inside a multi-line list are trees too: skip them, or every item
    # would take the position of the line break before it.
    return [_first_mark(c) for c in node.children
            if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def load_tf_json(path: Path, duplicates: list[DuplicateKey] | None = None) -> list[Block] | None:
    """Terraform JSON syntax; None when the file is not Terraform. Duplicate keys go to `duplicates`."""
    file = str(path)
    text = read_text(path, b"")
    if text is None:
        return None
    root = load_json(text, file, duplicates)
    if not isinstance(root, MDict):
        return None
    return tf_json_blocks(root, file)


_LABEL_COUNTS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1, "locals": 0}


def tf_json_blocks(root: MDict, file: str) -> list[Block]:
    blocks: list[Block] = []
    for block_type, count in _LABEL_COUNTS.items():
        node = root.get(block_type)
        start = root.mark_of(block_type) if block_type in root else NO_MARK
        for labels, body, mark in _json_bodies(node, count, start):
            blocks.append(Block(block_type, labels, body, file, mark))
    return blocks


def _json_bodies(node: Value, depth: int, mark: Mark) -> list[tuple[tuple[str, ...], MDict, Mark]]:
    if depth == 0:
        items = node if isinstance(node, list) else [node]
        return [((), item, item.mark) for item in items if isinstance(item, MDict)]
    if not isinstance(node, MDict):
        return []
    out = []
    for key, value in node.items():
        for labels, body, sub_mark in _json_bodies(value, depth - 1, node.mark_of(key)):
            out.append(((key, *labels), body, sub_mark if depth > 1 else node.key_marks.get(key, sub_mark)))
    return out
