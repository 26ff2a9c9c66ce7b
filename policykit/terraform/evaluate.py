"""Evaluate parsed Terraform expressions to values, `Unknown` or `Partial` (three-valued).

Types are checked before any operation (Terraform has no string repetition: `"x" * 4e8` is an
error there, not 400 MB here), and what evaluation builds is counted against the bounds in
policykit/terraform/steps.py. A value Terraform would reject is `Invalid` (an Unknown that
`try()` and `can()` see as an error); nothing raises but the bounds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, Protocol

from policykit.core.record import record
from policykit.core.values import FileText, Partial, Unknown, is_known, make_string, unknown_reason
from policykit.scenarios import OtherValue, other_equals
from policykit.terraform.expr import Node, parse_template
from policykit.terraform.steps import MAX_NUMBER_BITS, Steps


class Scope(Protocol):
    def reference(self, root: str, path: list[Any]) -> Any:
        """The value of `root.path...` (path items: attribute names or index values)."""


@record
class Invalid(Unknown):
    """A value Terraform would refuse (a missing attribute, a wrong type, a bad function argument)."""


def evaluate_text(text: str, scope: Scope) -> Any:
    """A string as written in Terraform (a template, possibly a bare `${expr}`)."""
    if "${" not in text and "%{" not in text:
        return text
    return evaluate(parse_template(text), scope)


def evaluate(node: Node, scope: Scope) -> Any:
    steps = getattr(scope, "steps", None)
    return _Evaluator(scope, steps if isinstance(steps, Steps) else Steps()).run(node)


def _reason(value: Any, fallback: str) -> str:
    return getattr(value, "reason", "") or fallback


def _unknown_of(value: Any, fallback: str, what: str = "") -> Unknown:
    """The Unknown standing for an operation over `value`: an Invalid stays invalid (try() skips it);
    `what` (the expression, as written) comes first in the reason."""
    reason = what + (_reason(value, fallback) or "its value is not known")
    return Invalid(reason) if isinstance(value, Invalid) else Unknown(reason)


def _first_unknown(values: list[Any], fallback: str) -> Unknown:
    for value in values:
        if not is_known(value):
            return _unknown_of(value, unknown_reason(value) or fallback)
    return Unknown(fallback)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bounded(value: Any) -> Any:
    """A number within what policykit evaluates, else Invalid (inf, nan and 10^400 never reach a policy)."""
    if isinstance(value, float) and not math.isfinite(value):
        return Invalid("a number out of range")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_NUMBER_BITS:
        return Invalid(f"a number beyond ±2^{MAX_NUMBER_BITS}, which policykit does not evaluate")
    return value


def _text(value: Any) -> str | None:
    """How a template or string function shows a primitive (Terraform's automatic conversion)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return None


class _Evaluator:
    """One evaluation: the scope, the work counted against the bounds, the names `for` expressions bind."""

    def __init__(self, scope: Scope, steps: Steps, names: dict[str, Any] | None = None) -> None:
        self.scope = scope
        self.steps = steps
        self.names = names or {}

    def run(self, node: Node) -> Any:
        self.steps.step()
        return self._eval(node)

    def _eval(self, node: Node) -> Any:
        kind = node[0]
        if kind == "lit":
            return _bounded(node[1])
        if kind == "unknown":
            return Unknown(node[1])
        if kind == "tpl":
            return self.join([part if isinstance(part, str) else self.run(part) for part in node[1]])
        if kind in ("ref", "get", "index"):
            return self.reference(node)
        if kind == "splat":
            return self.splat(node)
        if kind == "for":
            return self.for_expression(node)
        if kind == "call":
            return self.call(node[1], node[2])
        if kind == "cond":
            return self.condition(node)
        if kind == "bin":
            if node[1] in ("&&", "||"):
                return _logic(node[1], self.run(node[2]), lambda: self.run(node[3]))
            return _binary(node[1], self.run(node[2]), self.run(node[3]))
        if kind == "not":
            value = self.run(node[1])
            return (not value) if isinstance(value, bool) else _unknown_of(value, "! over a value that is not a bool")
        if kind == "neg":
            value = self.run(node[1])
            return -value if _number(value) else _unknown_of(value, "- over a value that is not a number")
        if kind == "tuple":
            return self.steps.collection([self.run(item) for item in node[1]])
        if kind == "object":
            out: dict[str, Any] = {}
            for key_node, value_node in node[1]:
                key = _text(self.run(key_node))
                if key is None:
                    return Unknown("an object key is not known")
                out[key] = self.run(value_node)
            return self.steps.collection(out)
        return Unknown("the expression is not understood")

    def condition(self, node: Node) -> Any:
        condition = self.run(node[1])
        if isinstance(condition, bool):
            return self.run(node[2] if condition else node[3])
        then, otherwise = self.run(node[2]), self.run(node[3])
        if then == otherwise and is_known(then):
            return then  # the same either way
        return _unknown_of(condition, "a condition is not known")

    def join(self, values: list[Any]) -> str | Partial | Unknown:
        """Template pieces (already evaluated) -> a string, or a Partial with the unknown pieces as holes."""
        pieces: list[str | Unknown] = []
        for value in values:
            if isinstance(value, Partial):
                pieces.extend(value.parts)
            elif isinstance(value, Unknown):
                pieces.append(value)
            elif value is None:
                pieces.append(Invalid("a template interpolates null"))
            else:
                text = _text(value)
                if text is None:
                    return Invalid("a template interpolates a collection")
                pieces.append(text)
        joined = make_string(pieces)
        if isinstance(joined, str) and len(values) > 1:
            self.steps.string(joined)
        return joined

    def reference(self, node: Node) -> Any:
        path: list[Any] = []
        while node[0] in ("get", "index"):
            path.insert(0, node[2] if node[0] == "get" else self.run(node[2]))
            node = node[1]
        if node[0] != "ref":
            return traverse(self.run(node), path)
        if node[1] in self.names:
            return traverse(self.names[node[1]], path)
        return self.scope.reference(node[1], path)

    def splat(self, node: Node) -> Any:
        """`x[*].a`: a list of each item's `a`; a single object is a list of one; null is []."""
        base = self.run(node[1])
        if isinstance(base, (Unknown, Partial)):
            return _unknown_of(base, "", f"the splat {node[3]}: ")
        items = [] if base is None else base if isinstance(base, list) else [base]
        out = []
        for item in items:
            value = item
            for step, argument in node[2]:
                value = traverse(value, [argument if step == "get" else self.run(argument)])
            out.append(value)
        return self.steps.collection(out)

    def for_expression(self, node: Node) -> Any:
        _, key_name, value_name, collection_node, key_node, value_node, group, condition_node, text = node
        collection = self.run(collection_node)
        if not isinstance(collection, (list, dict)):
            if collection is None:
                return Invalid(f"{text}: iterates over null")
            return _unknown_of(collection, "", f"{text}: ")
        pairs = sorted(collection.items()) if isinstance(collection, dict) else list(enumerate(collection))
        items: list[Any] = []
        grouped: dict[str, Any] = {}
        for key, value in pairs:
            self.steps.step()
            names = {**self.names, value_name: value}
            if key_name is not None:
                names[key_name] = key
            inner = _Evaluator(self.scope, self.steps, names)
            if condition_node is not None:
                keep = inner.run(condition_node)
                if not isinstance(keep, bool):
                    return _unknown_of(keep, f"{text}: the if clause is not known")
                if not keep:
                    continue
            result = inner.run(value_node)
            if key_node is None:
                items.append(result)
                continue
            out_key = _text(inner.run(key_node))
            if out_key is None:
                return Unknown(f"{text}: a key is not known")
            if group:
                grouped.setdefault(out_key, []).append(result)
            elif out_key in grouped:
                return Invalid(f"{text}: the key '{out_key}' comes twice (Terraform needs `...` to group)")
            else:
                grouped[out_key] = result
        return self.steps.collection(items if key_node is None else grouped)

    def call(self, name: str, arg_nodes: list[Node]) -> Any:
        if name == "try":  # the first argument that evaluates without an error
            for node in arg_nodes:
                value = self.run(node)
                if not isinstance(value, Invalid):
                    return value
            return Invalid("no argument of try() could be evaluated")
        if name == "can":
            value = self.run(arg_nodes[0]) if len(arg_nodes) == 1 else Invalid("can() takes one argument")
            return False if isinstance(value, Invalid) else True if is_known(value) else Unknown(
                _reason(value, "the argument of can() is not known"))
        args = [self.run(node) for node in arg_nodes]
        result = self.apply(name, args)
        if isinstance(result, str):
            self.steps.string(result)
        elif isinstance(result, (list, dict)):
            self.steps.collection(result)
        return _bounded(result)

    def apply(self, name: str, args: list[Any]) -> Any:
        if name == "file":
            return self.file(args)
        if name in _ORDERED:
            return _ORDERED[name](args)
        shaped = _shaped_call(name, args)
        if shaped is not None:
            return shaped
        function = _FUNCTIONS.get(name)
        if function is None:
            if any(isinstance(a, Invalid) for a in args):
                return _first_unknown([a for a in args if isinstance(a, Invalid)], "")
            return Unknown(f"the function {name}() is not evaluated")
        if not all(is_known(a) for a in args):
            partial = self.partial_call(name, args)
            if partial is not None:
                return partial
            return _first_unknown(args, f"an argument of {name}() is not known")
        try:
            return function(*args)
        except _FunctionError as exc:
            return Invalid(f"{name}(): {exc}")
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError):
            return Invalid(f"{name}() over values it does not take")

    def file(self, args: list[Any]) -> Any:
        """`file(PATH)`: a FileText, never the content (read only to run a function's code, by policykit.edge)."""
        if len(args) != 1:
            return Invalid("file() takes one argument")
        if not isinstance(args[0], str):
            return _first_unknown(args, "the path of file() is not known") if not is_known(args[0]) else Invalid(
                "file() takes a path")
        directory = getattr(getattr(self.scope, "module", None), "directory", None)
        return FileText(f'file("{args[0]}") is read only to run a function\'s code (scan --edge)', path=args[0],
                        base=str(directory) if directory is not None else "")

    def partial_call(self, name: str, args: list[Any]) -> Any:
        """format/join with unknown pieces: the known text stays, the unknown pieces become holes."""
        if name == "join" and len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], list):
            pieces: list[Any] = []
            for index, item in enumerate(args[1]):
                pieces.extend(([args[0]] if index else []) + [item])
            return self.join(pieces) if pieces else ""
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
                return self.join(pieces)
        return None


_MISSING = object()
_FORMAT_VERB = re.compile(r"%%|%[-+#0 ]*(?:\d+|\*)?(?:\.\d+)?[a-zA-Z]")


def _logic(op: str, left: Any, right: Callable[[], Any]) -> Any:
    """&& and || in three-valued logic: false && unknown is false, true || unknown is true."""
    if left is (op == "||"):
        return left
    other = right()
    if other is (op == "||"):
        return other
    if isinstance(left, bool) and isinstance(other, bool):
        return other
    return _first_unknown([left, other], "a condition is not known")


def traverse(value: Any, path: list[Any]) -> Any:
    """Follow attribute names and indexes into a known value."""
    for step in path:
        if isinstance(value, (Unknown, Partial)):
            return _unknown_of(value, "")
        if isinstance(step, (Unknown, Partial)):
            return _unknown_of(step, "")
        index = _index(step) if isinstance(value, list) else None
        if isinstance(value, dict) and _text(step) in value:
            value = value[_text(step)]
        elif isinstance(value, list) and index is not None and index < len(value):
            value = value[index]
        else:
            return Invalid(f"'{step}' is not found")
    return value


def _index(step: Any) -> int | None:
    """A list index: a whole non-negative number, or its text (`x.0`, `x["0"]`)."""
    if _number(step) and float(step).is_integer() and step >= 0:
        return int(step)
    if isinstance(step, str) and step.isdigit() and len(step) < 20:
        return int(step)
    return None


def _binary(op: str, left: Any, right: Any) -> Any:
    if op in ("==", "!=") and (isinstance(left, OtherValue) or isinstance(right, OtherValue)):
        equal = other_equals(left, right)  # a deploy-time scenario's "any other value" (policykit/scenarios.py)
        if equal is not None:
            return equal if op == "==" else not equal
    if not is_known(left) or not is_known(right):
        return _first_unknown([left, right], "an operand is not known")
    if op == "==":
        return bool(_equal(left, right))
    if op == "!=":
        return not _equal(left, right)
    left, right = _to_number(left), _to_number(right)
    if not (_number(left) and _number(right)):
        return Invalid(f"'{op}' is only for numbers")  # checked before computing: no "x" * 4e8
    if op in ("<", ">", "<=", ">="):
        return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
    if op == "*" and isinstance(left, int) and isinstance(right, int) \
            and left.bit_length() + right.bit_length() > MAX_NUMBER_BITS + 1:
        return _bounded(float("inf"))
    if op in ("/", "%") and right == 0:
        return Invalid(f"'{op}' by zero")
    try:
        result = {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right,
                  "/": lambda: left / right, "%": lambda: left % right}[op]()
    except (OverflowError, KeyError):
        return Invalid(f"'{op}' out of range")
    if isinstance(result, float) and result.is_integer() and op == "/" and abs(result) < 2 ** 53:
        result = int(result)
    return _bounded(result)


def _equal(left: Any, right: Any) -> bool:
    """Terraform's ==: values of different types are never equal (1 == "1" is false, true == 1 too)."""
    if _number(left) and _number(right):
        return bool(left == right)
    if isinstance(left, bool) or isinstance(right, bool) or left is None or right is None:
        return left is right
    for kind in (str, list, dict):
        if isinstance(left, kind) and isinstance(right, kind):
            return bool(left == right)
    return False


def _to_number(value: Any) -> Any:
    """Terraform converts a numeric string for arithmetic ("2" + 1 is 3)."""
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,300}(\.\d{1,300})?", value):
        return float(value) if "." in value else int(value)
    return value


class _FunctionError(Exception):
    """A function's own complaint, said in its Invalid reason."""


def _coalesce(args: list[Any]) -> Any:
    for value in args:
        if isinstance(value, (Unknown, Partial)):
            return _unknown_of(value, "an argument of coalesce() is not known")
        if value not in (None, ""):
            return value
    return Invalid("coalesce(): no argument is set")


def _merge(args: list[Any]) -> Any:
    out: dict[str, Any] = {}
    for value in args:
        if value is None:
            continue
        if not isinstance(value, dict):
            return _unknown_of(value, "merge() over a value that is not an object")
        out.update(value)
    return out


def _concat(args: list[Any]) -> Any:
    out: list[Any] = []
    for value in args:
        if not isinstance(value, list):
            return _unknown_of(value, "concat() over a value that is not a list")
        out.extend(value)
    return out


def _flatten(args: list[Any]) -> Any:
    if len(args) != 1:
        return Invalid("flatten() takes one list")
    out: list[Any] = []
    stack = [iter(args[0])] if isinstance(args[0], list) else []
    if not stack:
        return _unknown_of(args[0], "flatten() over a value that is not a list")
    while stack:
        item = next(stack[-1], _MISSING)
        if item is _MISSING:
            stack.pop()
        elif isinstance(item, list):
            stack.append(iter(item))
        elif isinstance(item, (Unknown, Partial)) and not isinstance(item, Partial):
            return _unknown_of(item, "an item of flatten() is not known")  # it may be a list
        else:
            out.append(item)
    return out


def _one(args: list[Any]) -> Any:
    if len(args) != 1:
        return Invalid("one() takes one list")
    items = args[0]
    if not isinstance(items, list):
        return _unknown_of(items, "one() over a value that is not a list")
    if len(items) > 1:
        return Invalid(f"one(): the list has {len(items)} items")
    return items[0] if items else None


def _lookup(args: list[Any]) -> Any:
    if len(args) not in (2, 3):
        return Invalid("lookup() takes a map, a key and a default")
    mapping, key = args[0], args[1]
    if not isinstance(mapping, dict):
        return _unknown_of(mapping, "lookup() over a value that is not a map")
    if not isinstance(key, str) or not is_known(key):
        return _first_unknown([key], "the key of lookup() is not known")
    if key in mapping:
        return mapping[key]
    return args[2] if len(args) == 3 else Invalid(f"lookup(): no key '{key}' and no default")


def _element(items: Any, index: Any) -> Any:
    if not isinstance(items, list) or not _number(index) or not float(index).is_integer():
        raise _FunctionError("takes a list and a whole number")
    if not items:
        raise _FunctionError("cannot use element() with an empty list")
    if index < 0:
        raise _FunctionError("the index must not be negative")
    return items[int(index) % len(items)]


def _format(spec: Any, *values: Any) -> str:
    if not isinstance(spec, str):
        raise _FunctionError("the format must be a string")
    items = iter(values)

    def one(match: re.Match[str]) -> str:
        verb = match.group(0)
        if verb == "%%":
            return "%"
        value: Any = next(items, _MISSING)
        if value is _MISSING:
            raise _FunctionError(f"\"{spec}\" needs more arguments than {len(values)}")
        if verb[-1] in "sv":
            text = _text(value)
            if text is None:
                raise _FunctionError(f"{verb} over a value that is not a string")
            if len(verb) == 2:
                return text
            if not re.fullmatch(r"%-?\d{0,3}(\.\d{1,3})?[sv]", verb):  # widths stay small: no "%999999999s"
                raise _FunctionError(f"{verb} is not evaluated")
            return ("%" + verb[1:-1] + "s") % text
        if verb[-1] == "t" and isinstance(value, bool):
            return "true" if value else "false"
        if verb[-1] in "dfeEgGxXob" and _number(value) and re.fullmatch(r"%[-+ 0]?\d{0,3}(\.\d{1,3})?[a-zA-Z]", verb):
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


def _strings(*values: Any) -> None:
    if not all(isinstance(v, str) for v in values):
        raise _FunctionError("takes strings")


def _checked(check: Callable[..., None], function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        check(*args)
        return function(*args)
    return run


def _join(separator: Any, items: Any) -> str:
    if not isinstance(separator, str) or not isinstance(items, list):
        raise _FunctionError("takes a separator and a list")
    texts = [_text(item) for item in items]
    if any(t is None for t in texts):
        raise _FunctionError("the list holds a value that is not a string")
    return separator.join(t for t in texts if t is not None)


def _tonumber(value: Any) -> Any:
    if _number(value) or value is None:
        return value
    converted = _to_number(value)
    if not _number(converted):
        raise _FunctionError(f"'{value}' is not a number")
    return converted


def _distinct(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _list_of(function: Callable[..., Any]) -> Callable[..., Any]:
    def run(items: Any, *rest: Any) -> Any:
        if not isinstance(items, list):
            raise _FunctionError("takes a list")
        return function(items, *rest)
    return run


def _map_of(function: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
    def run(mapping: Any) -> Any:
        if not isinstance(mapping, dict):
            raise _FunctionError("takes a map")
        return function(mapping)
    return run


# Functions whose arguments may be unknown and still give a value (or that check their own types).
_ORDERED: dict[str, Callable[[list[Any]], Any]] = {
    "coalesce": _coalesce, "merge": _merge, "concat": _concat, "flatten": _flatten, "one": _one,
    "lookup": _lookup,
}

_FUNCTIONS: dict[str, Callable[..., Any]] = {
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
    "tostring": lambda v: v if v is None else _text(v) if _text(v) is not None else _raise("takes a primitive"),
    "tonumber": _tonumber,
    "tobool": lambda v: v if isinstance(v, bool) or v is None else {"true": True, "false": False}[v],
    "tolist": _list_of(list),
    "toset": _list_of(_distinct),
    "tomap": _map_of(dict),
    "compact": _list_of(lambda items: [i for i in items if i not in (None, "")]),
    "element": _element,
    "contains": _list_of(lambda items, value: value in items),
    "distinct": _list_of(_distinct),
    "reverse": _list_of(lambda items: items[::-1]),
    "keys": _map_of(sorted),
    "values": _map_of(lambda m: [m[k] for k in sorted(m)]),
    "trimsuffix": _checked(_strings, lambda s, suffix: s[:-len(suffix)] if suffix and s.endswith(suffix) else s),
    "trimprefix": _checked(_strings, lambda s, prefix: s[len(prefix):] if s.startswith(prefix) else s),
}


def _raise(message: str) -> Any:
    raise _FunctionError(message)


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
