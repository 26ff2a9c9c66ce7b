"""Evaluate parsed Terraform expressions to values, `Unknown` or `Partial` (three-valued)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from policykit.model.values import Partial, Unknown, is_known, make_string
from policykit.scenarios import OtherValue, other_equals
from policykit.terraform.expr import Node, parse_template


class Scope(Protocol):
    def reference(self, root: str, path: list[Any]) -> Any:
        """The value of `root.path...` (path items: attribute names or index values)."""


def evaluate_text(text: str, scope: Scope) -> Any:
    """A string as written in Terraform (a template, possibly a bare `${expr}`)."""
    if "${" not in text and "%{" not in text:
        return text
    return evaluate(parse_template(text), scope)


def evaluate(node: Node, scope: Scope) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "unknown":
        return Unknown(node[1])
    if kind == "tpl":
        return _template(node[1], scope)
    if kind in ("ref", "get", "index"):
        return _reference(node, scope)
    if kind == "call":
        return _call(node[1], node[2], scope)
    if kind == "cond":
        condition = evaluate(node[1], scope)
        if isinstance(condition, bool):
            return evaluate(node[2] if condition else node[3], scope)
        then, otherwise = evaluate(node[2], scope), evaluate(node[3], scope)
        if then == otherwise and is_known(then):
            return then  # the same either way
        return Unknown(getattr(condition, "reason", "") or "a condition is not known")
    if kind == "bin":
        return _binary(node[1], evaluate(node[2], scope), evaluate(node[3], scope))
    if kind == "not":
        value = evaluate(node[1], scope)
        return (not value) if isinstance(value, bool) else _unknown(value, "a negation")
    if kind == "neg":
        value = evaluate(node[1], scope)
        return -value if isinstance(value, (int, float)) and not isinstance(value, bool) else _unknown(value, "-x")
    if kind == "tuple":
        return [evaluate(item, scope) for item in node[1]]
    if kind == "object":
        out: dict[str, Any] = {}
        for key_node, value_node in node[1]:
            key = evaluate(key_node, scope)
            if not isinstance(key, (str, int)):
                return Unknown("an object key is not known")
            out[str(key)] = evaluate(value_node, scope)
        return out
    return Unknown("the expression is not understood")


def _unknown(value: Any, what: str) -> Unknown:
    reason = getattr(value, "reason", "")
    return Unknown(reason or f"{what} over a value of the wrong type")


def _template(parts: list[Any], scope: Scope) -> str | Partial | Unknown:
    pieces: list[str | Unknown] = []
    for part in parts:
        value = part if isinstance(part, str) else evaluate(part, scope)
        if isinstance(value, Partial):
            pieces.extend(value.parts)
        elif isinstance(value, Unknown):
            pieces.append(value)
        elif isinstance(value, bool):
            pieces.append("true" if value else "false")
        elif isinstance(value, (str, int, float)):
            pieces.append(str(value))
        elif value is None:
            pieces.append(Unknown("a template interpolates null"))
        else:
            return Unknown("a template interpolates a collection")
    return make_string(pieces)


def _reference(node: Node, scope: Scope) -> Any:
    path: list[Any] = []
    while node[0] in ("get", "index"):
        path.insert(0, node[2] if node[0] == "get" else evaluate(node[2], scope))
        node = node[1]
    if node[0] != "ref":
        return traverse(evaluate(node, scope), path)
    return scope.reference(node[1], path)


def traverse(value: Any, path: list[Any]) -> Any:
    """Follow attribute names and indexes into a known value."""
    for step in path:
        if isinstance(value, (Unknown, Partial)):
            return value if isinstance(value, Unknown) else Unknown(value.reason)
        if isinstance(step, (Unknown, Partial)):
            return Unknown(step.reason)
        if isinstance(value, dict) and str(step) in value:
            value = value[str(step)]
        elif isinstance(value, list) and isinstance(step, int) and -len(value) <= step < len(value):
            value = value[step]
        elif isinstance(value, list) and isinstance(step, str) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return Unknown(f"'{step}' is not found")
    return value


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("&&", "||"):
        if op == "&&" and (left is False or right is False):
            return False
        if op == "||" and (left is True or right is True):
            return True
        if isinstance(left, bool) and isinstance(right, bool):
            return left and right if op == "&&" else left or right
        return Unknown("a condition is not known")
    if op in ("==", "!=") and (isinstance(left, OtherValue) or isinstance(right, OtherValue)):
        equal = other_equals(left, right)  # a deploy-time scenario's "any other value" (policykit/scenarios.py)
        if equal is not None:
            return equal if op == "==" else not equal
    if not is_known(left) or not is_known(right):
        return Unknown(getattr(left, "reason", "") or getattr(right, "reason", "") or "an operand is not known")
    if op == "==":
        return bool(left == right)
    if op == "!=":
        return bool(left != right)
    try:
        if op in ("<", ">", "<=", ">="):
            return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
        number = {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
                  "/": lambda: left / right, "%": lambda: left % right}[op]()
        return number if isinstance(left, (int, float)) and isinstance(right, (int, float)) else Unknown(op)
    except (TypeError, ZeroDivisionError, KeyError):
        return Unknown(f"'{op}' over values of the wrong type")


def _call(name: str, arg_nodes: list[Node], scope: Scope) -> Any:
    if name == "try":  # the first argument that evaluates to a known value
        for node in arg_nodes:
            value = evaluate(node, scope)
            if not isinstance(value, Unknown) or "not found" not in value.reason:
                return value
        return Unknown("no argument of try() could be evaluated")
    args = [evaluate(node, scope) for node in arg_nodes]
    if name == "coalesce":
        for value in args:
            if isinstance(value, (Unknown, Partial)):
                return Unknown(getattr(value, "reason", "") or "an argument of coalesce() is not known")
            if value not in (None, ""):
                return value
        return Unknown("coalesce() of nothing")
    shaped = _shaped_call(name, args)
    if shaped is not None:
        return shaped
    function = _FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"the function {name}() is not evaluated")
    if not all(is_known(a) for a in args):
        if name in ("format", "join") and args and is_known(args[0]):
            return _partial_call(name, args)
        return Unknown(next((getattr(a, "reason", "") for a in args if not is_known(a)), "") or
                       f"an argument of {name}() is not known")
    try:
        return function(*args)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return Unknown(f"{name}() over values it does not take")


# Characters that never occur in a host label: splitting on them leaves the unknown labels whole.
_NOT_IN_HOST = re.compile(r"^[^a-z0-9.\-]+$", re.IGNORECASE)


def _shaped_call(name: str, args: list[Any]) -> Any:
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


def _partial_call(name: str, args: list[Any]) -> Any:
    """format/join with unknown pieces: the known text stays, the unknown pieces become holes."""
    if name == "join" and len(args) == 2 and isinstance(args[1], list):
        pieces: list[Any] = []
        for index, item in enumerate(args[1]):
            pieces.extend(([args[0]] if index else []) + [item])
        return _template(pieces, _NO_SCOPE)
    simple_format = isinstance(args[0], str) and args[0].count("%") == args[0].count("%s") + 2 * args[0].count("%%")
    if name == "format" and simple_format:
        chunks = args[0].replace("%%", "\x00").split("%s")
        pieces = []
        for index, chunk in enumerate(chunks):
            pieces.append(chunk.replace("\x00", "%"))
            if index + 1 < len(chunks):
                pieces.append(args[1 + index] if 1 + index < len(args) else Unknown("format() lacks an argument"))
        return _template(pieces, _NO_SCOPE)
    return Unknown(f"an argument of {name}() is not known")


class _NoScope:
    def reference(self, root: str, path: list[Any]) -> Any:
        return Unknown(f"{root} is not known here")


_NO_SCOPE = _NoScope()


def _format(spec: str, *values: Any) -> str:
    items = iter(values)

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        value = next(items)
        return str(value).lower() if isinstance(value, bool) else str(value)

    return re.sub(r"%%|%[-+#0 ]*\d*(?:\.\d+)?[a-zA-Z]", one, spec)


def _lookup(mapping: dict[str, Any], key: str, *default: Any) -> Any:
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "format": _format,
    "join": lambda sep, items: sep.join(str(i) for i in items),
    "lower": lambda s: s.lower(),
    "upper": lambda s: s.upper(),
    "trimspace": lambda s: s.strip(),
    "replace": lambda s, a, b: s.replace(a, b),
    "split": lambda sep, s: s.split(sep),
    "lookup": _lookup,
    "length": len,
    "tostring": lambda v: v if isinstance(v, str) else str(v),
    "tonumber": lambda v: int(v) if str(v).lstrip("-").isdigit() else float(v),
    "tolist": list,
    "toset": lambda v: list(dict.fromkeys(v)),
    "concat": lambda *lists: [item for items in lists for item in items],
    "compact": lambda items: [i for i in items if i not in (None, "")],
    "element": lambda items, index: items[index % len(items)],
    "merge": lambda *maps: {k: v for m in maps for k, v in m.items()},
    "contains": lambda items, value: value in items,
    "distinct": lambda items: list(dict.fromkeys(items)),
    "keys": lambda m: sorted(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "flatten": lambda items: [x for i in items for x in (i if isinstance(i, list) else [i])],
    "trimsuffix": lambda s, suffix: s[:-len(suffix)] if suffix and s.endswith(suffix) else s,
    "trimprefix": lambda s, prefix: s[len(prefix):] if s.startswith(prefix) else s,
}
