"""HCL `.tf` and `.tf.json` files -> top-level blocks whose bodies are marked nodes.

python-hcl2 gives the values (its dict output) and the lark tree gives the positions: both
list attributes and blocks in source order, so they are walked side by side. A nested block
becomes a list of bodies (as in Terraform's JSON syntax); `dynamic "x"` becomes
`{"dynamic": {"x": [body, ...]}}`. Attribute values keep Terraform's own text: a string is
a template, `${expr}` an expression (python-hcl2 writes bare expressions that way too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykit.errors import InputError
from policykit.source.dupkeys import DuplicateKey
from policykit.source.files import read_text
from policykit.source.json_loader import load_json
from policykit.source.nodes import NO_MARK, Mark, MDict, MList

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


def load_hcl(path: Path) -> list[Block]:
    """The blocks of one `.tf` file (read_hcl + parse_hcl, for callers that need nothing else of the text)."""
    return parse_hcl(read_hcl(path), str(path))


def parse_hcl(text: str, file: str) -> list[Block]:
    """The top-level blocks of a `.tf` file's text; `file` names it in positions and errors."""
    import hcl2  # lazily: only when a .tf file is scanned
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = hcl2.parses_to_tree(text)
        positions = _body_positions(tree, NO_MARK)  # before transform: it may rewrite the tree
        options = hcl2.SerializationOptions(with_comments=False, strip_string_quotes=True,
                                            preserve_heredocs=False, explicit_blocks=True)
        data = hcl2.serialize(hcl2.transform(tree, discard_comments=True), serialization_options=options)
    except UnexpectedInput as exc:
        line, column = getattr(exc, "line", 0), getattr(exc, "column", 0)
        token = getattr(exc, "token", None)
        what = f"unexpected '{str(token).strip()[:20]}'" if token is not None and str(token).strip() else "syntax error"
        raise InputError(file, f"invalid HCL: {what}", max(line, 0), max(column, 0)) from None
    except (LarkError, ValueError, TypeError, KeyError, RecursionError) as exc:
        first = str(exc).splitlines()[0][:120] if str(exc) else "cannot parse"
        raise InputError(file, f"invalid HCL: {first}") from None
    blocks: list[Block] = []
    for block_type, items in data.items():
        if block_type.startswith("__") or not isinstance(items, list):
            continue
        places = positions.blocks.get(block_type, [])
        for index, item in enumerate(items):
            place = places[index] if index < len(places) else _Positions(NO_MARK, {}, {})
            labels, body = _unwrap(item)
            blocks.append(Block(block_type, labels, _body(body, place), file, place.mark))
    return blocks


def read_hcl(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None


def _unwrap(item: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """`{"aws_lb": {"app": {..., "__is_block__": True}}}` -> (("aws_lb", "app"), body)."""
    labels: list[str] = []
    while isinstance(item, dict) and not item.get("__is_block__") and len(item) == 1:
        (label, inner), = item.items()
        if not isinstance(inner, dict):
            break
        labels.append(str(label))
        item = inner
    return tuple(labels), item if isinstance(item, dict) else {}


def _body(data: dict[str, Any], place: _Positions) -> MDict:
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


def _labeled(value: Any, places: list[_Positions]) -> MDict:
    out = MDict(places[0].mark if places else NO_MARK)
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        sub = places[index] if index < len(places) else _Positions(out.mark, {}, {})
        labels, body = _unwrap(item)
        label = labels[0] if labels else ""
        if label not in out:
            out.set(label, MList(sub.mark), sub.mark, sub.mark)
        out[label].add(_body(body, sub), sub.mark)
    return out


def _value(value: Any, mark: Mark, item_marks: list[Mark]) -> Any:
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


def _first_mark(tree: Any) -> Mark:
    from lark import Token

    for token in tree.scan_values(lambda t: isinstance(t, Token)):
        if token.line is not None:
            return Mark(token.line, token.column or 0)
    return NO_MARK


def _body_positions(tree: Any, mark: Mark) -> _Positions:
    from lark import Tree

    body = next((c for c in tree.children if isinstance(c, Tree) and c.data == "body"), None)
    place = _Positions(mark, {}, {})
    if body is None:
        return place
    for child in body.children:
        if not isinstance(child, Tree):
            continue
        if child.data == "attribute":
            name = _name(child.children[0])
            place.attrs[name] = (_first_mark(child), _tuple_marks(child.children[-1]))
        elif child.data == "block":
            name = _name(child.children[0])
            place.blocks.setdefault(name, []).append(_body_positions(child, _first_mark(child)))
    return place


def _name(tree: Any) -> str:
    from lark import Token

    return next((str(t) for t in tree.scan_values(lambda t: isinstance(t, Token))), "")


def _tuple_marks(expr: Any) -> list[Mark]:
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


def _json_bodies(node: Any, depth: int, mark: Mark) -> list[tuple[tuple[str, ...], MDict, Mark]]:
    if depth == 0:
        items = node if isinstance(node, list) else [node]
        return [((), item, getattr(item, "mark", mark)) for item in items if isinstance(item, MDict)]
    if not isinstance(node, MDict):
        return []
    out = []
    for key, value in node.items():
        for labels, body, sub_mark in _json_bodies(value, depth - 1, node.mark_of(key)):
            out.append(((key, *labels), body, sub_mark if depth > 1 else node.key_marks.get(key, sub_mark)))
    return out
