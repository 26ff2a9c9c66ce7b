"""The model fields a policy can test, per object kind, with their types: `policykit policies fields [OBJECT]`.

Facts (`policykit policies facts`) are computed from these; a `fact:` path may name either, and follow an
object field on (`origin.distribution.label`). Types are shown the way a policy sees them: every value may also
be unknown (decided at deployment) or not set, which the three-valued conditions handle, so neither is listed.
"""

from __future__ import annotations

import difflib
import inspect
import re
from dataclasses import fields, is_dataclass

from policykit.model.base import ModelObject
from policykit.policy.paths import kinds

# Names that are the machinery of every object, not something a policy tests.
_HIDDEN = {"loc", "locs", "fact_cache"}
_PLAIN = {"Text": "text", "str": "text", "Number": "number", "int": "number", "float": "number",
          "Flag": "true/false", "bool": "true/false", "Scalar": "value", "Truth": "true/false/unknown",
          "ModelObject": "object", "Any": "value"}
_LIST = re.compile(r"^(MaybeMore|list|tuple|Sequence|Mapping|dict)\[(.*)\]$")


def all_kinds() -> dict[str, type[ModelObject]]:
    """Every kind of object a policy can apply to or reach: the model's and the function runs' (`scan --edge`)."""
    from policykit.model import function_runs

    found = dict(kinds())
    for value in vars(function_runs).values():
        if isinstance(value, type) and issubclass(value, ModelObject) and "kind" in vars(value) and (
                value is not ModelObject):
            found.setdefault(value.kind, value)
    return dict(sorted(found.items()))


def _split(text: str) -> list[str]:
    """The members of a union as written, split at `|` outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if char == "|" and depth == 0:
            parts.append(text[start:index].strip())
            start = index + 1
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def describe_type(annotation: object, names: dict[str, str]) -> str:
    """`MaybeMore[Alias]` -> `list of alias (may hold more)`; `Number | None` -> `number`; a model class -> its
    kind, which `policykit policies fields KIND` explains."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    out = []
    for part in _split(text):
        if part in ("None", "Unknown"):
            continue
        match = _LIST.match(part)
        if match:
            container, inner = match.groups()
            items = [i for i in _split_items(inner) if i != "..."]
            if container in ("Mapping", "dict"):
                out.append(f"mapping of {describe_type(items[-1], names)}" if items else "mapping")
                continue
            shown = " or ".join(describe_type(i, names) for i in items) or "value"
            out.append(f"list of {shown}" + (" (may hold more)" if container == "MaybeMore" else ""))
            continue
        out.append(names.get(part) or _PLAIN.get(part) or part)
    return " or ".join(dict.fromkeys(out)) or "value"


def _split_items(text: str) -> list[str]:
    """The arguments of a generic as written (`str, Location` -> two), split at `,` outside brackets."""
    items, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            items.append(text[start:index].strip())
            start = index + 1
    items.append(text[start:].strip())
    return [i for i in items if i]


def _comments(cls: type) -> dict[str, str]:
    """The comment written with each field in the class's source: on its line, or on the lines just above it."""
    try:
        lines = inspect.getsource(cls).splitlines()
    except (OSError, TypeError):  # no source shipped (a frozen build): the types still tell
        return {}
    found: dict[str, str] = {}
    above: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            above.append(stripped.lstrip("# ").strip())
            continue
        match = re.match(r"^\s+([a-z_][a-z0-9_]*)\s*:[^#]*?(?:#\s*(.*))?$", line)
        if match:
            found[match.group(1)] = match.group(2) or " ".join(above)
        above = []
    return found


def fields_of(cls: type[ModelObject], names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, type, what it is) for each field and property a policy can test on objects of `cls`."""
    comments: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass.__module__.startswith("policykit.model"):
            comments.update({name: text for name, text in _comments(klass).items() if text})
    rows: dict[str, tuple[str, str, str]] = {}
    for item in fields(cls) if is_dataclass(cls) else ():
        if item.name not in _HIDDEN and not item.name.startswith("_"):
            rows[item.name] = (item.name, describe_type(item.type, names), comments.get(item.name, ""))
    for name in dir(cls):
        attribute = getattr(cls, name, None)
        if isinstance(attribute, property) and name not in _HIDDEN and not name.startswith("_"):
            getter = attribute.fget
            annotation = getter.__annotations__.get("return", "") if getter else ""
            doc = next((d.strip().splitlines()[0] for k in cls.__mro__
                        for d in [getattr(vars(k).get(name), "__doc__", None)] if isinstance(d, str) and d.strip()
                        and isinstance(vars(k).get(name), property)), "")
            rows.setdefault(name, (name, describe_type(annotation, names), doc))
    return sorted(rows.values())


def table(kind: str | None = None) -> dict[str, list[tuple[str, str, str]]]:
    """The fields of every kind, or of `kind`; a kind that does not exist is a ValueError with the nearest one."""
    every = all_kinds()
    names = {cls.__name__: name for name, cls in every.items()}
    if kind is not None and kind not in every:
        close = difflib.get_close_matches(kind, list(every), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise ValueError(f"no object kind '{kind}'{hint}; the kinds: {', '.join(every)}")
    chosen = {kind: every[kind]} if kind is not None else every
    return {name: fields_of(cls, names) for name, cls in chosen.items()}
