"""What is wrong with a policy file against policy/schema.json, all at once, in the words of a policy's author.

A schema validator says of a misspelt operator only that the condition "is not valid under any of the given
schemas" (a condition is one of six shapes), and a loader that stops at the first complaint makes one run per
mistake. Here every error is reported, each where it is written: a condition's shape is chosen by the key that
names it (`fact`, `all`, `any`, `not`, `any_item`, `all_items`) and only that shape's complaints are told, an
unknown key or operator names the nearest known one, a missing one says what is needed.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from policykit.core.json_types import JsonObject
from policykit.core.nodes import Mark, MDict, MList, mark_of, path_mark
from policykit.core.schema_errors import expected

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

Path = tuple[str | int, ...]
# (where in the policy, the mark of what is wrong there, the problem)
Problem = tuple[Path, Mark, str]


def _shapes(schema: JsonObject) -> tuple[dict[str, int], tuple[str, ...]]:
    """The keys that name each shape of a condition (and that shape's index in its `oneOf`), and the operators."""
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    condition = defs["condition"]
    assert isinstance(condition, dict)
    branches = condition["oneOf"]
    assert isinstance(branches, list)
    heads: dict[str, int] = {}
    operators: tuple[str, ...] = ()
    for index, branch in enumerate(branches):
        assert isinstance(branch, dict)
        required = branch.get("required")
        properties = branch.get("properties")
        if isinstance(required, list) and required:
            heads[str(required[0])] = index
        if isinstance(required, list) and required == ["fact"] and isinstance(properties, dict):
            operators = tuple(k for k in properties if k != "fact")
    return heads, operators


def _hint(word: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _key_mark(data: object, path: Path, key: str) -> Mark:
    """Where the key `key` of the mapping at `path` is written (the mapping's mark when unknown)."""
    node: object = data
    for step in path:
        inside = (isinstance(node, MDict) and isinstance(step, str) and step in node) or (
            isinstance(node, MList) and isinstance(step, int) and 0 <= step < len(node))
        if not inside:
            break
        node = node[step]  # type: ignore[index]
    if isinstance(node, MDict) and key in node.key_marks:
        return node.key_marks[key]
    return mark_of(node)


def _listing(words: Sequence[str]) -> str:
    return ", ".join(words)


def one_line(text: str) -> str:
    """`text` with every character that is not printable (a line break, an escape sequence, a bidirectional
    override) as its visible escape: a policy file in the scanned repository must not forge or hide a line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class Diagnosis:
    """The problems of one policy document, against the schema `schema`."""

    def __init__(self, data: object, schema: JsonObject) -> None:
        self.data = data
        self.schema = schema
        self.heads, self.operators = _shapes(schema)

    def problems(self) -> list[Problem]:
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(self.schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        found: dict[tuple[Path, str], Problem] = {}
        for error in validator.iter_errors(self.data):
            for problem in self._explain(error):
                found.setdefault((problem[0], problem[2]), problem)
        return sorted(found.values(), key=lambda p: (p[1].line, p[1].column, p[2]))

    def _at(self, path: Path, message: str) -> Problem:
        return path, path_mark(self.data, path), message

    def _at_key(self, path: Path, key: str, message: str) -> Problem:
        return (*path, key), _key_mark(self.data, path, key), message

    def _explain(self, error: ValidationError) -> Iterator[Problem]:
        path = tuple(error.absolute_path)
        where = "/".join(map(str, path)) or "(top)"
        if error.validator == "oneOf" and isinstance(error.instance, dict):
            yield from self._condition(error, path)
        elif error.validator == "oneOf":
            yield self._at(path, f"{where}: a condition is a mapping with one of: {_listing(list(self.heads))}")
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            for key in error.instance:
                if key not in allowed:
                    yield self._at_key(path, str(key), f"{where}: unknown key {str(key)!r}{_hint(str(key), allowed)}"
                                       f" (known here: {_listing(sorted(allowed))})")
        elif error.validator == "required" and isinstance(error.validator_value, list):
            missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
            for key in missing:
                yield self._at(path, f"{where}: missing {key!r}")
        elif error.validator == "enum" and isinstance(error.validator_value, list):
            choices = [str(v) for v in error.validator_value]
            hint = _hint(str(error.instance), choices) if isinstance(error.instance, str) else ""
            yield self._at(path, f"{where}: must be one of {_listing(choices)}{hint}")
        else:  # what the schema wants, never the value written (policykit/core/schema_errors.py)
            yield self._at(path, f"{where}: {expected(error)}")

    def _condition(self, error: ValidationError, path: Path) -> Iterator[Problem]:
        """A condition that matches none of its shapes: the shape its keys name, and what is wrong in that one."""
        node = error.instance
        assert isinstance(node, dict)
        where = "/".join(map(str, path)) or "(top)"
        heads = [k for k in node if k in self.heads]
        if len(heads) > 1:
            yield self._at_key(path, str(heads[1]), f"{where}: one condition has one of "
                               f"{_listing(list(self.heads))}, this one has {_listing(heads)}: write each as its own "
                               "condition under all: or any:")
            return
        if not heads:
            yield from self._headless(node, path, where)
            return
        head = heads[0]
        branch = [e for e in error.context or () if e.schema_path and e.schema_path[0] == self.heads[head]]
        if head == "fact":
            yield from self._fact(node, path, where, branch)
            return
        for sub in branch:
            yield from self._explain(sub)

    def _headless(self, node: dict[object, object], path: Path, where: str) -> Iterator[Problem]:
        said = False
        misspelt_fact = any(_hint(str(k), self.heads) == " (did you mean 'fact'?)" for k in node)
        for key in map(str, node):
            if key in self.operators:
                said = True
                if misspelt_fact:
                    continue  # the misspelt `fact:` is the problem, said at its key
                yield self._at_key(path, key, f"{where}: operator {key!r} needs 'fact:' naming the field or fact "
                                   "it tests")
            else:
                said = True
                known = [*self.heads, *self.operators]
                yield self._at_key(path, key, f"{where}: unknown key {key!r} in a condition{_hint(key, known)}; "
                                   f"a condition is one of: {_listing(list(self.heads))}")
        if not said:
            yield self._at(path, f"{where}: an empty condition; write one of: {_listing(list(self.heads))}")

    def _fact(self, node: dict[object, object], path: Path, where: str,
              branch: list[ValidationError]) -> Iterator[Problem]:
        keys = [str(k) for k in node if k != "fact"]
        given = [k for k in keys if k in self.operators]
        for key in keys:
            if key not in self.operators:
                yield self._at_key(path, key, f"{where}: unknown operator {key!r}{_hint(key, self.operators)} "
                                   f"(the operators: {_listing(self.operators)})")
        if not keys:
            yield self._at(path, f"{where}: fact {node.get('fact')!r} has no operator; add one of: "
                           f"{_listing(self.operators)}")
        elif len(given) > 1:
            yield self._at_key(path, given[1], f"{where}: one operator per condition, this one has "
                               f"{_listing(given)}: write each as its own condition under all:")
        for sub in branch:
            if sub.validator not in ("additionalProperties", "minProperties", "maxProperties"):
                yield from self._explain(sub)
