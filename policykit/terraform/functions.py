"""Terraform's built-in functions over evaluated values (those policykit evaluates; others are Unknown).

A function over an Unknown argument is Unknown, except where the known arguments decide (coalesce,
merge, concat, lookup...) or the result keeps the known text (format/join with unknown pieces, and
trimprefix/trimsuffix/split over an AWS-shaped name). A function Terraform would refuse is Invalid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from enum import Enum
from typing import NoReturn

from policykit.core.values import Partial, Unknown, is_known, make_string
from policykit.terraform.values import (
    Invalid,
    Value,
    first_unknown,
    is_number,
    text_of,
    to_number,
    unknown_of,
)


def apply_function(name: str, args: list[Value], join: Callable[[list[Value]], Value]) -> Value:
    """`name(args...)` over evaluated arguments; `join` makes a template of pieces (counted by the caller)."""
    if name in _ORDERED:
        return _ORDERED[name](args)
    shaped = _shaped_call(name, args)
    if shaped is not None:
        return shaped
    function = _FUNCTIONS.get(name)
    if function is None:
        if any(isinstance(a, Invalid) for a in args):
            return first_unknown([a for a in args if isinstance(a, Invalid)], "")
        return Unknown(f"the function {name}() is not evaluated")
    if not all(is_known(a) for a in args):
        partial = _partial_call(name, args, join)
        if partial is not None:
            return partial
        return first_unknown(args, f"an argument of {name}() is not known")
    try:
        return function(*args)
    except _FunctionError as exc:
        return Invalid(f"{name}(): {exc}")
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError):
        return Invalid(f"{name}() over values it does not take")


def _partial_call(name: str, args: list[Value], join: Callable[[list[Value]], Value]) -> Value | None:
    """format/join with unknown pieces: the known text stays, the unknown pieces become holes."""
    if name == "join" and len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], list):
        pieces: list[Value] = []
        for index, item in enumerate(args[1]):
            pieces.extend(([args[0]] if index else []) + [item])
        return join(pieces) if pieces else ""
    if name == "format" and args and isinstance(args[0], str):
        verbs = _FORMAT_VERB.findall(args[0])
        if all(verb in ("%%", "%s", "%v", "%d") for verb in verbs):
            values = iter(args[1:])
            pieces = []
            for index, chunk in enumerate(_FORMAT_VERB.split(args[0])):
                pieces.append(chunk)
                if index < len(verbs):
                    if verbs[index] == "%%":
                        pieces.append("%")
                    else:
                        value = next(values, _MISSING)
                        if value is _MISSING:
                            return Invalid(f"format(): \"{args[0]}\" needs more arguments than {len(args) - 1}")
                        pieces.append(value)
            return join(pieces)
    return None


class _Missing(Enum):
    """No item left (`next(items, MISSING)`): null is an item."""

    MISSING = "missing"


_MISSING = _Missing.MISSING
_FORMAT_VERB = re.compile(r"%%|%[-+#0 ]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z]")


class _FunctionError(Exception):
    """A function's own complaint, said in its Invalid reason."""


def _coalesce(args: list[Value]) -> Value:
    for value in args:
        if isinstance(value, (Unknown, Partial)):
            return unknown_of(value, "an argument of coalesce() is not known")
        if value not in (None, ""):
            return value
    return Invalid("coalesce(): no argument is set")


def _merge(args: list[Value]) -> Value:
    out: dict[str, Value] = {}
    for value in args:
        if value is None:
            continue
        if not isinstance(value, dict):
            return unknown_of(value, "merge() over a value that is not an object")
        out.update(value)
    return out


def _concat(args: list[Value]) -> Value:
    out: list[Value] = []
    for value in args:
        if not isinstance(value, list):
            return unknown_of(value, "concat() over a value that is not a list")
        out.extend(value)
    return out


def _flatten(args: list[Value]) -> Value:
    if len(args) != 1:
        return Invalid("flatten() takes one list")
    out: list[Value] = []
    stack: list[Iterator[Value]] = [iter(args[0])] if isinstance(args[0], list) else []
    if not stack:
        return unknown_of(args[0], "flatten() over a value that is not a list")
    while stack:
        item = next(stack[-1], _MISSING)
        if item is _MISSING:
            stack.pop()
        elif isinstance(item, list):
            stack.append(iter(item))
        elif isinstance(item, (Unknown, Partial)) and not isinstance(item, Partial):
            return unknown_of(item, "an item of flatten() is not known")  # it may be a list
        else:
            out.append(item)
    return out


def _one(args: list[Value]) -> Value:
    if len(args) != 1:
        return Invalid("one() takes one list")
    items = args[0]
    if not isinstance(items, list):
        return unknown_of(items, "one() over a value that is not a list")
    if len(items) > 1:
        return Invalid(f"one(): the list has {len(items)} items")
    return items[0] if items else None


def _lookup(args: list[Value]) -> Value:
    if len(args) not in (2, 3):
        return Invalid("lookup() takes a map, a key and a default")
    mapping, key = args[0], args[1]
    if not isinstance(mapping, dict):
        return unknown_of(mapping, "lookup() over a value that is not a map")
    if not isinstance(key, str) or not is_known(key):
        return first_unknown([key], "the key of lookup() is not known")
    if key in mapping:
        return mapping[key]
    return args[2] if len(args) == 3 else Invalid(f"lookup(): no key '{key}' and no default")


def _element(items: Value, index: Value) -> Value:
    if not isinstance(items, list) or not is_number(index) or not float(index).is_integer():
        raise _FunctionError("takes a list and a whole number")
    if not items:
        raise _FunctionError("cannot use element() with an empty list")
    if index < 0:
        raise _FunctionError("the index must not be negative")
    return items[int(index) % len(items)]


def _format(spec: Value, *values: Value) -> str:
    if not isinstance(spec, str):
        raise _FunctionError("the format must be a string")
    items = iter(values)

    def one(match: re.Match[str]) -> str:
        verb = match.group(0)
        if verb == "%%":
            return "%"
        value = next(items, _MISSING)
        if value is _MISSING:
            raise _FunctionError(f"\"{spec}\" needs more arguments than {len(values)}")
        if verb[-1] in "sv":
            text = text_of(value)
            if text is None:
                raise _FunctionError(f"{verb} over a value that is not a string")
            if len(verb) == 2:
                return text
            if not re.fullmatch(r"%-?\d{0,3}(\.\d{1,3})?[sv]", verb):  # widths stay small: no "%999999999s"
                raise _FunctionError(f"{verb} is not evaluated")
            return ("%" + verb[1:-1] + "s") % text
        if verb[-1] == "t" and isinstance(value, bool):
            return "true" if value else "false"
        if verb[-1] in "dfeEgGxXob" and is_number(value) and re.fullmatch(r"%[-+ 0]?\d{0,3}(\.\d{1,3})?[a-zA-Z]", verb):
            number = int(value) if verb[-1] in "dxXob" else float(value)
            return ("%" + verb[1:]) % number if verb[-1] != "b" else format(int(number), "b")
        if verb[-1] == "q" and isinstance(value, str):
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        raise _FunctionError(f"{verb} is not evaluated")

    return _FORMAT_VERB.sub(one, spec)


def _replace(text: str, old: str, new: str) -> str:
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        raise _FunctionError("regular-expression replace is not evaluated")
    return text.replace(old, new)


def _strings(*values: Value) -> None:
    if not all(isinstance(v, str) for v in values):
        raise _FunctionError("takes strings")


def _checked(check: Callable[..., None], function: Callable[..., Value]) -> Callable[..., Value]:
    def run(*args: Value) -> Value:
        check(*args)
        return function(*args)
    return run


def _join(separator: Value, items: Value) -> str:
    if not isinstance(separator, str) or not isinstance(items, list):
        raise _FunctionError("takes a separator and a list")
    texts = [text_of(item) for item in items]
    if any(t is None for t in texts):
        raise _FunctionError("the list holds a value that is not a string")
    return separator.join(t for t in texts if t is not None)


def _tonumber(value: Value) -> Value:
    if is_number(value) or value is None:
        return value
    converted = to_number(value)
    if not is_number(converted):
        raise _FunctionError(f"'{value}' is not a number")
    return converted


def _distinct(items: list[Value]) -> list[Value]:
    out: list[Value] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _list_of(function: Callable[..., Value]) -> Callable[..., Value]:
    def run(items: Value, *rest: Value) -> Value:
        if not isinstance(items, list):
            raise _FunctionError("takes a list")
        return function(items, *rest)
    return run


def _map_of(function: Callable[[dict[str, Value]], Value]) -> Callable[..., Value]:
    def run(mapping: Value) -> Value:
        if not isinstance(mapping, dict):
            raise _FunctionError("takes a map")
        return function(mapping)
    return run


def _keys(mapping: dict[str, Value]) -> Value:
    keys: list[Value] = [*sorted(mapping)]
    return keys


def _raise(message: str) -> NoReturn:
    raise _FunctionError(message)


# Functions whose arguments may be unknown and still give a value (or that check their own types).
_ORDERED: dict[str, Callable[[list[Value]], Value]] = {
    "coalesce": _coalesce, "merge": _merge, "concat": _concat, "flatten": _flatten, "one": _one,
    "lookup": _lookup,
}

_FUNCTIONS: dict[str, Callable[..., Value]] = {
    "format": _format,
    "join": _join,
    "lower": _checked(_strings, lambda s: s.lower()),
    "upper": _checked(_strings, lambda s: s.upper()),
    "title": _checked(_strings, lambda s: s.title()),
    "trimspace": _checked(_strings, lambda s: s.strip()),
    "replace": _checked(_strings, _replace),
    "split": _checked(_strings, lambda sep, s: s.split(sep) if sep else list(s)),
    "startswith": _checked(_strings, lambda s, prefix: s.startswith(prefix)),
    "endswith": _checked(_strings, lambda s, suffix: s.endswith(suffix)),
    "length": lambda v: len(v) if isinstance(v, (str, list, dict)) else _raise("takes a string, list or map"),
    "tostring": lambda v: v if v is None else text_of(v) if text_of(v) is not None else _raise("takes a primitive"),
    "tonumber": _tonumber,
    "tobool": lambda v: v if isinstance(v, bool) or v is None else {"true": True, "false": False}[v],
    "tolist": _list_of(lambda items: list(items)),
    "toset": _list_of(_distinct),
    "tomap": _map_of(lambda mapping: dict(mapping)),
    "compact": _list_of(lambda items: [i for i in items if i not in (None, "")]),
    "element": _element,
    "contains": _list_of(lambda items, value: value in items),
    "distinct": _list_of(_distinct),
    "reverse": _list_of(lambda items: items[::-1]),
    "keys": _map_of(_keys),
    "values": _map_of(lambda m: [m[k] for k in sorted(m)]),
    "trimsuffix": _checked(_strings, lambda s, suffix: s[:-len(suffix)] if suffix and s.endswith(suffix) else s),
    "trimprefix": _checked(_strings, lambda s, prefix: s[len(prefix):] if s.startswith(prefix) else s),
}


# Characters that never occur in a host label: splitting on them leaves the unknown labels whole.
_NOT_IN_HOST = re.compile(r"^[^a-z0-9.\-]+$", re.IGNORECASE)


def _shaped_call(name: str, args: list[Value]) -> Value | None:
    """trimprefix/trimsuffix/split over an AWS-shaped name (known text, unknown host labels); None: not such a call.

    `split("/", aws_lambda_function_url.u.function_url)[2]` and
    `trimsuffix(trimprefix(url, "https://"), "/")` turn a function URL into an origin domain, as
    Fn::Select/Fn::Split do in CloudFormation: the result keeps the shape (and the resource link).
    """
    if len(args) != 2 or not any(isinstance(a, Partial) for a in args):
        return None
    if name in ("trimprefix", "trimsuffix") and isinstance(args[0], Partial) and isinstance(args[1], str):
        parts, affix = list(args[0].parts), args[1]
        end = 0 if name == "trimprefix" else -1
        text = parts[end]
        if not affix or not isinstance(text, str):
            return Unknown(args[0].reason)
        if name == "trimprefix" and text.startswith(affix):
            parts[0] = text[len(affix):]
        elif name == "trimsuffix" and text.endswith(affix):
            parts[-1] = text[:-len(affix)]
        elif (affix.startswith(text) if name == "trimprefix" else affix.endswith(text)):
            return Unknown(args[0].reason)  # the known text is shorter than the affix: undecided
        return make_string(parts)
    if (name == "split" and isinstance(args[0], str) and _NOT_IN_HOST.match(args[0])
            and isinstance(args[1], Partial) and all(isinstance(p, str) or p.ref for p in args[1].parts)):
        pieces: list[list[str | Unknown]] = [[]]
        for part in args[1].parts:
            if isinstance(part, Unknown):
                pieces[-1].append(part)
                continue
            chunks = part.split(args[0])
            pieces[-1].append(chunks[0])
            pieces.extend([chunk] for chunk in chunks[1:])
        return [make_string(piece) for piece in pieces]
    return None
