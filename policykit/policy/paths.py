"""Check a policy's fact paths when it loads: each step must be a fact or a field of the object it reaches.

A path is followed through the types the model declares: `origin.distribution.label` on a
custom header is the field `origin` (an `Origin`), its field `distribution`, its property
`label`. Where a step's type is not a model object (a string, a mapping, a value of a live
probe), the rest of the path is not checked: there is nothing declared to check it against.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass

from policykit.core.json_types import JsonValue
from policykit.facts import FACTS
from policykit.model import cloudfront, derived, live, related
from policykit.model.base import ModelObject
from policykit.policy.model import PolicyDocument

Classes = tuple[type[ModelObject], ...]


@functools.cache
def kinds() -> dict[str, type[ModelObject]]:
    """Every model object class by its `kind`."""
    found: dict[str, type[ModelObject]] = {}
    for module in (cloudfront, related, derived, live):
        for value in vars(module).values():
            # a class that names its own kind (not ModelObject, nor a base such as DeclaredObject)
            if isinstance(value, type) and issubclass(value, ModelObject) and "kind" in vars(value) and (
                    value is not ModelObject):
                found.setdefault(value.kind, value)
    return found


@functools.cache
def _by_name() -> dict[str, type[ModelObject]]:
    return {cls.__name__: cls for cls in kinds().values()}


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LISTS = ("list[", "MaybeMore[", "tuple[", "Sequence[", "Iterable[")


def _model_classes(annotation: object, items: bool = False) -> Classes:
    """The model object classes an annotation names (with `items`: those of its list items).

    Annotations are read as written (`from __future__ import annotations`): `Origin | None`,
    `MaybeMore[CacheBehavior]`; evaluating them would import the probes for the live objects.
    """
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    text = text.replace(" ", "")
    listed = [part[part.index("[") + 1:] for part in text.split("|") if part.startswith(_LISTS)]
    if items:
        text = "|".join(listed)
    elif listed:
        return ()  # a list: a path cannot go on into it (a quantifier's `of` can)
    table = _by_name()
    return tuple(dict.fromkeys(table[name] for name in _NAME.findall(text) if name in table))


def _step_type(cls: type[ModelObject], step: str) -> tuple[bool, object]:
    """(does `step` exist on objects of `cls`, the annotation of what it gives)."""
    return _step_of(cls.__name__, step)


@functools.cache
def _step_of(class_name: str, step: str) -> tuple[bool, object]:
    cls = _by_name()[class_name]
    fact = FACTS.get(cls.kind, {}).get(step)
    if fact is not None:
        return True, getattr(getattr(fact, "__wrapped__", fact), "__annotations__", {}).get("return")
    for klass in cls.__mro__:
        annotations = vars(klass).get("__annotations__", {})
        if step in annotations:
            return True, annotations[step]
    attribute = getattr(cls, step, None)
    if isinstance(attribute, property) and attribute.fget is not None:
        return True, attribute.fget.__annotations__.get("return")
    return False, None


def _names(classes: Classes) -> list[str]:
    out: list[str] = []
    for cls in classes:
        out += list(FACTS.get(cls.kind, {}))
        out += [f.name for f in fields(cls)] if is_dataclass(cls) else []
        out += [name for name in dir(cls) if isinstance(getattr(cls, name, None), property)]
    return sorted(set(out))


def check_path(classes: Classes, path: str, items: bool = False) -> tuple[str | None, Classes]:
    """An error message when a step of `path` does not exist (None when it is fine), and the classes it reaches
    (with `items`: the classes of the items of the list it reaches)."""
    last: list[object] | None = None  # the annotations of what the last step gives
    for step in path.split("."):
        if not classes:
            return None, ()  # not a model object: nothing declared to check the rest against
        found = [(cls, hint) for cls in classes for ok, hint in [_step_type(cls, step)] if ok]
        if not found:
            wanted = " or ".join(sorted({c.kind for c in classes}))
            close = difflib.get_close_matches(step, _names(classes), n=1)
            hint_text = f" (did you mean '{close[0]}'?)" if close else ""
            return f"'{step}' in '{path}' is neither a fact nor a field of {wanted}{hint_text}", ()
        last = [hint for _, hint in found]
        classes = tuple(dict.fromkeys(c for hint in last for c in _model_classes(hint)))
    if items:
        return None, tuple(dict.fromkeys(c for hint in last or [] for c in _model_classes(hint, items=True)))
    return None, classes


def condition_errors(node: JsonValue, classes: Classes, where: tuple[str | int, ...]) -> Iterator[
        tuple[tuple[str | int, ...], str]]:
    """(position in the policy, message) for each fact path of a condition that does not exist."""
    if not isinstance(node, dict):
        return
    for key in ("all", "any"):
        for index, part in enumerate(_list(node.get(key))):
            yield from condition_errors(part, classes, (*where, key, index))
    if "not" in node:
        yield from condition_errors(node["not"], classes, (*where, "not"))
    for quantifier in ("any_item", "all_items"):
        spec = node.get(quantifier)
        of = spec.get("of") if isinstance(spec, dict) else None
        if isinstance(spec, dict) and isinstance(of, str):
            error, item_classes = check_path(classes, of, items=True)
            if error:
                yield (*where, quantifier, "of"), error
            else:
                yield from condition_errors(spec.get("where"), item_classes, (*where, quantifier, "where"))
    fact = node.get("fact")
    if isinstance(fact, str):
        error, _ = check_path(classes, fact)
        if error:
            yield (*where, "fact"), error


def _list(value: JsonValue) -> list[JsonValue]:
    """The items of a list the schema allows here (none when it is not written)."""
    return value if isinstance(value, list) else []


def policy_errors(data: PolicyDocument, placeholders: Callable[[str], list[str]]) -> list[
        tuple[tuple[str | int, ...], str]]:
    """Every unknown fact path of a policy: its condition, severity_when, `at` and message placeholders."""
    cls = kinds().get(str(data.get("applies_to")))
    if cls is None:
        return []
    classes: Classes = (cls,)
    errors = list(condition_errors(data.get("condition"), classes, ("condition",)))
    for index, entry in enumerate(_list(data.get("severity_when"))):
        if isinstance(entry, dict):
            errors += condition_errors(entry.get("condition"), classes, ("severity_when", index, "condition"))
    at = data.get("at")
    if isinstance(at, str) and "." in at:
        # the last step names a written location (`locs`), not always a field: only the objects before it are checked
        error, _ = check_path(classes, at.rsplit(".", 1)[0])
        if error:
            errors.append((("at",), error))
    texts: list[tuple[tuple[str | int, ...], JsonValue]] = [(("message",), data.get("message")),
                                                            (("fix",), data.get("fix"))]
    evidence = data.get("evidence")
    texts += [(("evidence", key), value) for key, value in (evidence.items() if isinstance(evidence, dict) else ())]
    for where, text in texts:
        for path in placeholders(text) if isinstance(text, str) else []:
            error, _ = check_path(classes, path)
            if error:
                errors.append((where, f"placeholder {{{path}}}: {error}"))
    return errors
