"""YAML (and CloudFormation short-form tags) to marked nodes.

Built from LibYAML's event stream rather than PyYAML's recursive composer, so depth,
alias expansion and recursion are bounded here and every value keeps its mark.
"""

from __future__ import annotations

from dataclasses import field

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


def _mark(event: yaml.Event) -> Mark:
    start = event.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else NO_MARK  # the parser sets it


def _scalar(event: yaml.ScalarEvent) -> Node:
    if event.tag not in (None, "!"):
        return event.value
    tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    construct = _SCALAR_TYPES.get(tag)
    if construct is None:  # strings, timestamps (AWSTemplateFormatVersion), binary...
        return event.value
    return construct(yaml.ScalarNode(tag, event.value))


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

    def error(self, message: str, mark: Mark) -> InputError:
        return InputError(self.file, message, mark.line, mark.column)

    def add(self, value: Node, mark: Mark, size: int, text: int, new: int) -> None:
        """Attach `value` (`size` values and `text` characters) to the open container; `new` of
        those values were not counted yet (a closed container's children were, as they arrived)."""
        self.total += new
        if self.total > LIMITS.document_values:
            what = "YAML aliases expand to" if self.aliased else "YAML document has"
            raise self.error(f"{what} more than {LIMITS.document_values:,} values: {hint('document_values')}", mark)
        if not self.stack:
            self.root, self.done = value, True
            return
        frame = self.stack[-1]
        frame.size += size
        frame.text += text
        if isinstance(frame.node, MList):
            frame.node.add(value, mark)
        elif not frame.has_key:
            if isinstance(value, (MDict, MList)):
                raise self.error("a mapping key must be a plain value, not a mapping or list", mark)
            frame.key, frame.key_mark, frame.has_key = str(value), mark, True
        else:
            if self.duplicates is not None and frame.key in frame.node:
                self.duplicates.append(DuplicateKey(frame.key, frame.node.key_marks[frame.key], frame.key_mark))
            frame.node.set(frame.key, value, frame.key_mark, mark)
            frame.has_key = False

    def open(self, node: MDict | MList, event: yaml.CollectionStartEvent) -> None:
        mark = _mark(event)
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
        self.add(_apply_tag(frame.tag, frame.node, frame.mark), frame.mark, frame.size, frame.text, 1)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            mark = _mark(event)
            value = _apply_tag(event.tag, _scalar(event), mark)
            text = len(event.value)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1, text)
            self.add(value, mark, 1, text, 1)
        elif isinstance(event, yaml.MappingStartEvent):
            self.open(MDict(_mark(event)), event)
        elif isinstance(event, yaml.SequenceStartEvent):
            self.open(MList(_mark(event)), event)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack[-1]
            if isinstance(frame.node, MDict) and frame.has_key:  # `key:` with no value
                frame.node.set(frame.key, None, frame.key_mark, frame.key_mark)
            self.close()
        elif isinstance(event, yaml.AliasEvent):
            mark = _mark(event)
            if event.anchor in self.open_anchors:
                raise self.error(f"alias *{event.anchor} refers to itself", mark)
            if event.anchor not in self.anchors:
                raise self.error(f"alias *{event.anchor} has no anchor", mark)
            value, size, text = self.anchors[event.anchor]
            # Bounded by characters too: a few aliases to one long string build strings of any size.
            self.alias_text += text
            self.aliased = True
            if self.alias_text > LIMITS.alias_chars:
                raise self.error(f"YAML aliases repeat more than {LIMITS.alias_chars:,} characters of text: "
                                 f"{hint('alias_chars')}", mark)
            self.add(value, mark, size, text, size)


def load_yaml(text: str, file: str, duplicates: list[DuplicateKey] | None = None) -> Node:
    """Parse the first YAML document of `text` into marked nodes; raise InputError.

    A key written twice keeps its last value; with `duplicates`, each one is recorded there.
    """
    loader = _Loader(text)
    builder = _Builder(file, duplicates)
    try:
        while not builder.done and loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                break
            if event is not None:  # check_event said there is one
                builder.feed(event)
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
