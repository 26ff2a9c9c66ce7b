"""Resolve a Serverless service's variables the way the framework does, as far as the files say.

`${self:path}` is the value at `path` in the service (itself resolved: `${self:custom.domain}` where
`custom.domain` holds a variable gives that variable's value), `${file(x.yml):key}` the value in an included
file (policykit/serverless/includes.py), `${sls:stage}` is `${opt:stage, self:provider.stage, 'dev'}` (the
framework's docs, guides/variables/core.md), `${strToBool(x)}` a boolean. Every other source is a deploy-time
input (policykit/serverless/values.py), its first literal (or resolvable) fallback its default.

Fallbacks are tried in order (a self-reference to nothing, or a file that does not exist, gives the next one).
Strings with variables inside are joined from their pieces; a variable alone is its value, of any type.
Bounded: the values built count against `document_values`, a string against `cfn_string_chars`, and
references and nesting together against the depth every loader keeps.
"""

from __future__ import annotations

from dataclasses import field

from policykit.core.errors import InputError
from policykit.core.limits import LIMITS, hint
from policykit.core.nodes import MAX_DEPTH, NO_MARK, Mark, MDict, MList, Node, file_of
from policykit.core.record import record
from policykit.core.values import Unknown
from policykit.serverless.includes import Includes
from policykit.serverless.placeholders import Fallback, Literal, Source, fallbacks_of, placeholders
from policykit.serverless.values import MISSING, Inputs, Missing, Part, Pieces, Value, as_text, pieces


@record
class _Input:
    """A fallback only known at deployment (`opt:stage`), with its value in the default scenario, if any."""

    name: str
    default: Value | None = None


@record(frozen=False)
class _Built:
    value: Value
    size: int
    height: int


@record(frozen=False)
class Variables:
    """The variables of one service: `root` is the service file's nodes as read."""

    root: MDict
    file: str
    inputs: Inputs
    includes: Includes
    fragment: bool = False  # a `resources` file read on its own: `self` and `file` name a service not seen
    _memo: dict[int, _Built] = field(default_factory=dict)  # id of a node as read -> its value
    _shapes: dict[int, _Built] = field(default_factory=dict)  # id of a value built -> its size and height
    _paths: dict[tuple[str, str], _Built] = field(default_factory=dict)  # (file, path) -> its value
    _active: set[object] = field(default_factory=set)  # what is being resolved: a second visit is a cycle
    _depth: int = 0
    _built: int = 0

    def resolve(self, node: Node | Value, mark: Mark = NO_MARK) -> Value:
        """The value of `node` with every variable in it resolved (containers are new, with the same marks)."""
        return self._resolve(node, mark).value

    def _resolve(self, node: Node | Value, mark: Mark) -> _Built:
        if isinstance(node, str):
            value = self._string(node, mark)
            return self._shapes.get(id(value), _Built(value, 1, 0)) if isinstance(value, (MDict, MList)) \
                else _Built(value, 1, 0)
        if not isinstance(node, (MDict, MList)):
            return _Built(node, 1, 0)
        if id(node) in self._memo:
            built = self._memo[id(node)]
            self._count(built.size, node.mark)  # the same values again, where this one is put
            return built
        if id(node) in self._active:
            return _Built(Unknown("a variable refers to a mapping or list that contains it"), 1, 0)
        self._active.add(id(node))
        self._enter(node.mark)
        try:
            built = self._container(node)
        finally:
            self._active.discard(id(node))
            self._depth -= 1
        self._memo[id(node)] = built
        self._shapes[id(built.value)] = built
        return built

    def _container(self, node: MDict | MList) -> _Built:
        size, height = 1, 0
        out: MDict | MList
        if isinstance(node, MDict):
            mapping = out = MDict(node.mark)
            for key, item in node.items():
                child = self._resolve(item, node.mark_of(key))
                mapping.set(key, child.value, node.key_marks.get(key, node.mark), node.mark_of(key))
                size, height = size + child.size, max(height, child.height + 1)
        else:
            items = out = MList(node.mark)
            for index, item in enumerate(node):
                child = self._resolve(item, node.mark_of(index))
                items.add(child.value, node.mark_of(index))
                size, height = size + child.size, max(height, child.height + 1)
        self._count(1 + len(node), node.mark)
        return _Built(out, size, height)

    def _enter(self, mark: Mark) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            self._depth -= 1
            raise self._error(f"variables and nesting go deeper than {MAX_DEPTH} levels", mark)

    def _count(self, values: int, mark: Mark) -> None:
        self._built += values
        if self._built > LIMITS.document_values:
            raise self._error(f"variables expand to more than {LIMITS.document_values:,} values: "
                              f"{hint('document_values')}", mark)

    def _error(self, message: str, mark: Mark) -> InputError:
        return InputError(file_of(mark, self.file), message, mark.line, mark.column)

    # --- strings ------------------------------------------------------------------------------------

    def _string(self, text: str, mark: Mark) -> Value:
        spans = list(placeholders(text)) if "${" in text else []
        if not spans:
            return text
        if spans == [(0, len(text))]:  # a variable alone is its value, whatever its type
            return self._placeholder(text[2:-1], mark)
        parts: list[Part] = []
        position = 0
        for start, end in spans:
            parts.append(text[position:start])
            value = as_text(self._placeholder(text[start + 2:end - 1], mark))
            parts.extend(value.parts if isinstance(value, Pieces) else (value,))
            position = end
        parts.append(text[position:])
        joined = pieces(parts)
        size = len(joined) if isinstance(joined, str) else sum(len(p) for p in joined.parts if isinstance(p, str))
        if size > LIMITS.cfn_string_chars:
            raise self._error(f"variables build a string of more than {LIMITS.cfn_string_chars:,} characters: "
                              f"{hint('cfn_string_chars')}", mark)
        return joined

    def _placeholder(self, body: str, mark: Mark) -> Value:
        """The value of `${body}`: the first fallback with a value; an input when one only known at deployment
        comes first (with the next fallback's value as its default)."""
        self._enter(mark)
        try:
            found: _Input | None = None
            unknown: Unknown | None = None  # why the first fallback cannot be known, when it is not an input
            for fallback in fallbacks_of(body):
                value = self._fallback(fallback, mark)
                if isinstance(value, Unknown) and not isinstance(fallback, Literal):
                    # not knowable here (a file not read): like an input, whose value is the next fallback's
                    if found is None:
                        unknown = value
                    value = _Input(fallback.text)
                if isinstance(value, _Input):
                    if found is None:
                        found = value
                        if value.default is not None and not isinstance(value.default, Missing):
                            return self._input(found, body, value.default, mark)
                    continue
                if isinstance(value, Missing):
                    continue
                return value if found is None else self._input(found, body, value, mark)
            if unknown is not None:
                return unknown  # nothing to fall back on: the reason it is unknown says more than an input
            if found is not None:
                return self._input(found, body, None, mark)
            return Unknown(f"${{{body}}} has no value here (the framework refuses to deploy it)")
        finally:
            self._depth -= 1

    def _input(self, found: _Input, body: str, default: Value | None, mark: Mark) -> Value:
        if isinstance(default, (MDict, MList)):
            return default  # a mapping or list in the default scenario: that is the value checked
        scalar: str | int | float | bool | None = None
        if isinstance(default, Pieces):
            scalar = default.default()
        elif isinstance(default, (str, int, float, bool)):
            scalar = default
        return Pieces((self.inputs.param(found.name, body, scalar, mark),))

    def _fallback(self, fallback: Fallback, mark: Mark) -> Value | _Input:
        if isinstance(fallback, Literal):
            return fallback.value
        if "${" in fallback.text:
            return self._nested(fallback, mark)
        if self.fragment and fallback.source in ("self", "file"):
            return _Input(fallback.text)
        if fallback.source == "self":
            return self._lookup(self.file, self.root, fallback.key or "", mark)
        if fallback.source == "file":
            return self._file(fallback, mark)
        if fallback.source == "sls" and fallback.key == "stage":
            return self._stage(mark)
        if fallback.source == "strToBool":
            return _to_bool(fallback.params[0] if fallback.params else "")
        return _Input(fallback.text)

    def _nested(self, fallback: Source, mark: Mark) -> Value | _Input:
        """A fallback with variables inside (`file(./c.${sls:stage}.json):key`): those first, then it."""
        text = self._string(fallback.text, mark)
        if isinstance(text, str):
            return self._fallback(next(fallbacks_of(text)), mark)
        if not isinstance(text, Pieces):
            return Unknown(f"{fallback.text} cannot be read: a variable inside it has no text value")
        shown = "".join(p if isinstance(p, str) else f"<{p.name}>" if not isinstance(p, Unknown) else "<?>"
                        for p in text.parts)
        default_text = text.default()
        default = None if default_text is None else self._fallback(next(fallbacks_of(default_text)), mark)
        return _Input(shown, None if isinstance(default, _Input) else default)

    def _stage(self, mark: Mark) -> _Input:
        """`${sls:stage}`: the --stage option, else provider.stage, else 'dev'."""
        stage = self._lookup(self.file, self.root, "provider.stage", mark)
        if isinstance(stage, Pieces) and len(stage.parts) == 1 and not isinstance(stage.parts[0], str):
            return _Input("opt:stage", stage.default() or "dev")
        return _Input("opt:stage", stage if isinstance(stage, (str, int)) else "dev")

    def _file(self, fallback: Source, mark: Mark) -> Value:
        written = fallback.params[0] if fallback.params else ""
        included = self.includes.read(written, mark)
        if isinstance(included, (Missing, Unknown)):
            return included
        key = fallback.key or ""
        if "#" in written:  # `file(x.yml#a.b)` is how the framework passes the key on
            written, key = written.split("#", 1)
        return self._lookup(included.shown, included.root, key, mark)

    def _lookup(self, file: str, root: Node, path: str, mark: Mark) -> Value:
        """The resolved value at `path` (`custom.domain`, `items[0].name`, `items.0`) under `root`."""
        memo_key = (file, path)
        if memo_key in self._paths:
            built = self._paths[memo_key]
            self._count(built.size, mark)
            return built.value
        if memo_key in self._active:
            return Unknown(f"${{self:{path}}} refers to itself")
        self._active.add(memo_key)
        self._enter(mark)
        try:
            node: Node | Value = root
            for step in _steps(path):
                if isinstance(node, str):
                    node = self.resolve(node, mark)  # a step through a variable: `custom: ${file(c.yml)}`
                if isinstance(node, MDict) and step in node:
                    node = node[step]
                elif isinstance(node, MList) and step.isdigit() and int(step) < len(node):
                    node = node[int(step)]
                else:
                    return MISSING
            if node is None:
                return MISSING
            built = self._resolve(node, mark)
        finally:
            self._active.discard(memo_key)
            self._depth -= 1
        if self._depth + built.height >= MAX_DEPTH:
            raise self._error(f"variables and nesting go deeper than {MAX_DEPTH} levels", mark)
        self._paths[memo_key] = built
        return built.value


def _steps(path: str) -> list[str]:
    """`a.b[0].c` -> a, b, 0, c (the file source's `name[index]`; `items.0` is the same)."""
    steps: list[str] = []
    for step in path.split(".") if path else []:
        if "[" in step and step.endswith("]"):
            name, _, index = step[:-1].partition("[")
            steps.extend(s for s in (name, index) if s)
        else:
            steps.append(step)
    return steps


def _to_bool(text: str) -> bool | Unknown:
    """`${strToBool(x)}` (providers/str-to-bool): 'true'/'1' and 'false'/'0'; anything else is refused."""
    value = text.strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    return Unknown(f"strToBool({text}) is neither true nor false")
