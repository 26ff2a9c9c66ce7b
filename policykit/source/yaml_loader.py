"""YAML (and CloudFormation short-form tags) to marked nodes.

Built from LibYAML's event stream rather than PyYAML's recursive composer, so depth,
alias expansion and recursion are bounded here and every value keeps its mark.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import cast

import yaml

from policykit.core.errors import InputError
from policykit.core.limits import LIMITS, hint
from policykit.core.nodes import MAX_DEPTH, NO_MARK, Mark, MDict, MList, Node
from policykit.core.record import record
from policykit.source.dupkeys import DuplicateKey

try:  # LibYAML's C parser is several times faster; fall back when it is not built.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()
_STR = "tag:yaml.org,2002:str"
_SCALAR_TYPES = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}
# Short tags whose long form is not `Fn::<Name>`.
_TAG_KEYS = {"!Ref": "Ref", "!Condition": "Condition"}


def _plain(value: str) -> Node:
    """A plain (unquoted) scalar as YAML 1.1 reads it: a number, a boolean, null or a string. (A quoted one, or one
    with the non-specific tag `!`, is always a string: the resolver looks at a plain one only.)"""
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    construct = _SCALAR_TYPES.get(tag)
    if construct is None:  # strings, timestamps (AWSTemplateFormatVersion), binary...
        return value
    return construct(yaml.ScalarNode(tag, value))


_NEW_MARK = tuple.__new__  # Mark(line, column) without the call through NamedTuple's __new__ (once per event)
_SHARED_CHARS = 200  # scalars up to this long are kept once per document (keys, repeated values), longer as read


def _apply_tag(tag: str | None, value: Node, mark: Mark) -> Node:
    """`!GetAtt A.B` becomes `{"Fn::GetAtt": ["A", "B"]}`, as CloudFormation reads it."""
    if not tag or not tag.startswith("!") or tag == "!":
        return value
    key = _TAG_KEYS.get(tag, "Fn::" + tag[1:])
    if tag == "!GetAtt" and isinstance(value, str):
        inner = MList(mark)
        for piece in value.split(".", 1):
            inner.add(piece, mark)
        value = inner
    wrapped = MDict(mark)
    wrapped.set(key, value, mark, mark)
    return wrapped


@record(frozen=False)
class _Frame:
    """A collection being built while the YAML events are read."""

    node: MDict | MList
    tag: str | None
    anchor: str | None
    mark: Mark
    size: int = 1  # values in this subtree, aliases expanded (what an alias to it adds)
    text: int = 0  # characters of scalar text in this subtree, aliases expanded
    key: str = ""
    key_mark: Mark = NO_MARK
    has_key: bool = False
    anchors: list[str] = field(default_factory=list)


class _Builder:
    """Marked nodes from LibYAML's events. Per event it does what the node, its mark and the bounds need and no more:
    a scalar read before is reused (the value as resolved, so a document's keys and repeated values are each one
    string), marks on one line share its number, and the bounds are read once per document."""

    def __init__(self, file: str, duplicates: list[DuplicateKey] | None = None) -> None:
        self.file = file
        self.duplicates = duplicates
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Node, int, int]] = {}  # name -> (value, values, characters)
        self.open_anchors: set[str] = set()
        self.total = 0  # values in the document, each counted once, aliases expanded
        self.alias_text = 0  # characters of scalar text that aliases repeat
        self.aliased = False
        self.root: Node = None
        self.done = False
        self.max_values = LIMITS.document_values
        self.max_alias_chars = LIMITS.alias_chars
        self.plain: dict[str, Node] = {}  # plain scalar text -> its value
        self.quoted: dict[str, str] = {}  # quoted (or `!`-tagged) scalar text -> the one string kept
        self.line = -1  # LibYAML's (0-based) line of the last mark, and the 1-based number the marks share
        self.line_number = 0

    def error(self, message: str, mark: Mark) -> InputError:
        return InputError(self.file, message, mark.line, mark.column)

    def mark(self, event: yaml.Event) -> Mark:
        start = event.start_mark
        if start is None:  # pragma: no cover - the parser sets it
            return NO_MARK
        if start.line != self.line:
            self.line, self.line_number = start.line, start.line + 1
        mark: Mark = _NEW_MARK(Mark, (self.line_number, start.column + 1))
        return mark

    def add(self, value: Node, mark: Mark, size: int, text: int, new: int) -> None:
        """Attach `value` (`size` values and `text` characters) to the open container; `new` of
        those values were not counted yet (a closed container's children were, as they arrived)."""
        self.total += new
        if self.total > self.max_values:
            what = "YAML aliases expand to" if self.aliased else "YAML document has"
            raise self.error(f"{what} more than {self.max_values:,} values: {hint('document_values')}", mark)
        if not self.stack:
            self.root, self.done = value, True
            return
        frame = self.stack[-1]
        frame.size += size
        frame.text += text
        node = frame.node
        if isinstance(node, MList):
            node.append(value)
            node.marks.append(mark)
        elif not frame.has_key:
            if isinstance(value, (MDict, MList)):
                raise self.error("a mapping key must be a plain value, not a mapping or list", mark)
            frame.key, frame.key_mark, frame.has_key = value if type(value) is str else str(value), mark, True
        else:
            key = frame.key
            if self.duplicates is not None and key in node:
                self.duplicates.append(DuplicateKey(key, node.key_marks[key], frame.key_mark))
            node[key] = value
            node.key_marks[key] = frame.key_mark
            node.value_marks[key] = mark
            frame.has_key = False

    def open(self, node: MDict | MList, event: yaml.CollectionStartEvent, mark: Mark) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self.error(f"nested deeper than {MAX_DEPTH} levels", mark)
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(node, event.tag, event.anchor, mark))

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.node, frame.size, frame.text)
        node = frame.node if frame.tag is None else _apply_tag(frame.tag, frame.node, frame.mark)
        self.add(node, frame.mark, frame.size, frame.text, 1)

    def on_scalar(self, any_event: yaml.Event) -> None:
        """The most frequent event, so written out: its mark, its value (resolved once per text), then `add`'s work
        inline when it lands in an open mapping or list, as it does but at the root."""
        event = cast(yaml.ScalarEvent, any_event)
        mark = self.mark(event)
        text = event.value
        tag = event.tag
        value: Node
        if tag is None or tag == "!":
            if event.implicit[0] and tag is None:
                value = self.plain[text] if text in self.plain else self.resolved(text)
            else:
                value = text if len(text) > _SHARED_CHARS else self.quoted.setdefault(text, text)
        else:  # `!Ref Name`: the text as written, wrapped as CloudFormation reads it
            value = _apply_tag(tag, text, mark)
        if event.anchor or not self.stack:
            if event.anchor:
                self.anchors[event.anchor] = (value, 1, len(text))
            self.add(value, mark, 1, len(text), 1)
            return
        self.total += 1
        if self.total > self.max_values:
            self.add(value, mark, 1, len(text), 0)  # raises, as `add` words it
        frame = self.stack[-1]
        frame.size += 1
        frame.text += len(text)
        node = frame.node
        if isinstance(node, MList):
            node.append(value)
            node.marks.append(mark)
        elif not frame.has_key:
            if isinstance(value, MDict):  # a tagged scalar (`!Ref a: b`)
                raise self.error("a mapping key must be a plain value, not a mapping or list", mark)
            frame.key = value if type(value) is str else str(value)
            frame.key_mark, frame.has_key = mark, True
        else:
            key = frame.key
            if self.duplicates is not None and key in node:
                self.duplicates.append(DuplicateKey(key, node.key_marks[key], frame.key_mark))
            node[key] = value
            node.key_marks[key] = frame.key_mark
            node.value_marks[key] = mark
            frame.has_key = False

    def resolved(self, text: str) -> Node:
        """A plain scalar's value, kept for the next time the document has the same text (short ones)."""
        value = _plain(text)
        if len(text) <= _SHARED_CHARS:
            self.plain[text] = value
        return value

    def on_mapping(self, event: yaml.Event) -> None:
        mark = self.mark(event)
        self.open(MDict(mark), cast(yaml.MappingStartEvent, event), mark)

    def on_sequence(self, event: yaml.Event) -> None:
        mark = self.mark(event)
        self.open(MList(mark), cast(yaml.SequenceStartEvent, event), mark)

    def on_end(self, event: yaml.Event) -> None:
        frame = self.stack[-1]
        if isinstance(frame.node, MDict) and frame.has_key:  # `key:` with no value
            frame.node.set(frame.key, None, frame.key_mark, frame.key_mark)
        self.close()

    def on_alias(self, any_event: yaml.Event) -> None:
        event = cast(yaml.AliasEvent, any_event)
        mark = self.mark(event)
        if event.anchor in self.open_anchors:
            raise self.error(f"alias *{event.anchor} refers to itself", mark)
        if event.anchor not in self.anchors:
            raise self.error(f"alias *{event.anchor} has no anchor", mark)
        value, size, text = self.anchors[event.anchor]
        # Bounded by characters too: a few aliases to one long string build strings of any size.
        self.alias_text += text
        self.aliased = True
        if self.alias_text > self.max_alias_chars:
            raise self.error(f"YAML aliases repeat more than {self.max_alias_chars:,} characters of text: "
                             f"{hint('alias_chars')}", mark)
        self.add(value, mark, size, text, size)

    def handlers(self) -> dict[type[yaml.Event], Callable[[yaml.Event], None]]:
        """What to do with each kind of event (the others, such as a document's start, need nothing)."""
        return {yaml.ScalarEvent: self.on_scalar, yaml.MappingStartEvent: self.on_mapping,
                yaml.SequenceStartEvent: self.on_sequence, yaml.MappingEndEvent: self.on_end,
                yaml.SequenceEndEvent: self.on_end, yaml.AliasEvent: self.on_alias}

    def feed(self, event: yaml.Event) -> None:
        handler = self.handlers().get(type(event))
        if handler is not None:
            handler(event)


def load_yaml(text: str, file: str, duplicates: list[DuplicateKey] | None = None) -> Node:
    """Parse the first YAML document of `text` into marked nodes; raise InputError.

    A key written twice keeps its last value; with `duplicates`, each one is recorded there.
    """
    loader = _Loader(text)
    builder = _Builder(file, duplicates)
    handlers = builder.handlers()
    next_event = loader.get_event
    try:
        while not builder.done:
            event = next_event()
            if event is None or type(event) is yaml.StreamEndEvent:
                break
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(file, f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise InputError(file, f"invalid YAML: {exc}") from None
    except (ValueError, OverflowError) as exc:  # a scalar SafeConstructor cannot convert
        raise InputError(file, f"invalid YAML value: {exc}") from None
    finally:
        loader.dispose()
    return builder.root
