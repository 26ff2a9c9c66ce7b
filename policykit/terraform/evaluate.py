"""Evaluate parsed Terraform expressions to values, `Unknown` or `Partial` (three-valued).

Types are checked before any operation (Terraform has no string repetition: `"x" * 4e8` is an
error there, not 400 MB here), and what evaluation builds is counted against the bounds in
policykit/terraform/steps.py. A value Terraform would reject is `Invalid` (an Unknown that
`try()` and `can()` see as an error); nothing raises but the bounds.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Protocol

from policykit.core.values import FileText, Partial, Unknown, is_known, make_string
from policykit.scenarios import OtherValue, other_equals
from policykit.terraform.expr import BinaryOp, Cond, For, Get, Index, Node, Ref, Splat, parse_template
from policykit.terraform.functions import apply_function
from policykit.terraform.steps import MAX_NUMBER_BITS, Steps, bounded
from policykit.terraform.values import (
    Invalid,
    Value,
    first_unknown,
    is_number,
    reason_of,
    text_of,
    to_number,
    unknown_of,
)


class Scope(Protocol):
    def reference(self, root: str, path: list[Value]) -> Value:
        """The value of `root.path...` (path items: attribute names or index values)."""


def evaluate_text(text: str, scope: Scope) -> Value:
    """A string as written in Terraform (a template, possibly a bare `${expr}`)."""
    if "${" not in text and "%{" not in text:
        return text
    return evaluate(parse_template(text), scope)


def evaluate(node: Node, scope: Scope) -> Value:
    steps = getattr(scope, "steps", None)
    return _Evaluator(scope, steps if isinstance(steps, Steps) else Steps()).run(node)


class _Evaluator:
    """One evaluation: the scope, the work counted against the bounds, the names `for` expressions bind."""

    def __init__(self, scope: Scope, steps: Steps, names: dict[str, Value] | None = None) -> None:
        self.scope = scope
        self.steps = steps
        self.names = names or {}

    def run(self, node: Node) -> Value:
        self.steps.step()
        return self._eval(node)

    def _eval(self, node: Node) -> Value:
        if node[0] == "lit":
            return bounded(node[1])
        if node[0] == "unknown":
            return Unknown(node[1])
        if node[0] == "tpl":
            return self.join([part if isinstance(part, str) else self.run(part) for part in node[1]])
        if node[0] == "ref" or node[0] == "get" or node[0] == "index":
            return self.reference(node)
        if node[0] == "splat":
            return self.splat(node)
        if node[0] == "for":
            return self.for_expression(node)
        if node[0] == "call":
            return self.call(node[1], node[2])
        if node[0] == "cond":
            return self.condition(node)
        if node[0] == "bin":
            if node[1] == "&&" or node[1] == "||":
                right = node[3]
                return _logic(node[1], self.run(node[2]), lambda: self.run(right))
            return _binary(node[1], self.run(node[2]), self.run(node[3]))
        if node[0] == "not":
            value = self.run(node[1])
            return (not value) if isinstance(value, bool) else unknown_of(value, "! over a value that is not a bool")
        if node[0] == "neg":
            value = self.run(node[1])
            return -value if is_number(value) else unknown_of(value, "- over a value that is not a number")
        if node[0] == "tuple":
            return self.steps.collection([self.run(item) for item in node[1]])
        if node[0] == "object":
            out: dict[str, Value] = {}
            for key_node, value_node in node[1]:
                key = text_of(self.run(key_node))
                if key is None:
                    return Unknown("an object key is not known")
                out[key] = self.run(value_node)
            return self.steps.collection(out)
        return Unknown("the expression is not understood")

    def condition(self, node: Cond) -> Value:
        condition = self.run(node[1])
        if isinstance(condition, bool):
            return self.run(node[2] if condition else node[3])
        then, otherwise = self.run(node[2]), self.run(node[3])
        if then == otherwise and is_known(then):
            return then  # the same either way
        return unknown_of(condition, "a condition is not known")

    def join(self, values: list[Value]) -> str | Partial | Unknown:
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
                text = text_of(value)
                if text is None:
                    return Invalid("a template interpolates a collection")
                pieces.append(text)
        joined = make_string(pieces)
        if isinstance(joined, str) and len(values) > 1:
            self.steps.string(joined)
        return joined

    def reference(self, node: Ref | Get | Index) -> Value:
        path: list[Value] = []
        base: Node = node
        while base[0] == "get" or base[0] == "index":
            path.insert(0, base[2] if base[0] == "get" else self.run(base[2]))
            base = base[1]
        if base[0] != "ref":
            return traverse(self.run(base), path)
        if base[1] in self.names:
            return traverse(self.names[base[1]], path)
        return self.scope.reference(base[1], path)

    def splat(self, node: Splat) -> Value:
        """`x[*].a`: a list of each item's `a`; a single object is a list of one; null is []."""
        base = self.run(node[1])
        if isinstance(base, (Unknown, Partial)):
            return unknown_of(base, "", f"the splat {node[3]}: ")
        items = [] if base is None else base if isinstance(base, list) else [base]
        out: list[Value] = []
        for item in items:
            value = item
            for step in node[2]:
                value = traverse(value, [step[1] if step[0] == "get" else self.run(step[1])])
            out.append(value)
        return self.steps.collection(out)

    def for_expression(self, node: For) -> Value:
        _, key_name, value_name, collection_node, key_node, value_node, group, condition_node, text = node
        collection = self.run(collection_node)
        if not isinstance(collection, (list, dict)):
            if collection is None:
                return Invalid(f"{text}: iterates over null")
            return unknown_of(collection, "", f"{text}: ")
        pairs: list[tuple[str | int, Value]] = (sorted(collection.items()) if isinstance(collection, dict)
                                                else list(enumerate(collection)))
        items: list[Value] = []
        grouped: dict[str, Value] = {}
        for key, value in pairs:
            self.steps.step()
            names = {**self.names, value_name: value}
            if key_name is not None:
                names[key_name] = key
            inner = _Evaluator(self.scope, self.steps, names)
            if condition_node is not None:
                keep = inner.run(condition_node)
                if not isinstance(keep, bool):
                    return unknown_of(keep, f"{text}: the if clause is not known")
                if not keep:
                    continue
            result = inner.run(value_node)
            if key_node is None:
                items.append(result)
                continue
            out_key = text_of(inner.run(key_node))
            if out_key is None:
                return Unknown(f"{text}: a key is not known")
            if group:
                members = grouped.setdefault(out_key, [])
                if isinstance(members, list):  # with `...`, each key holds the list of its values
                    members.append(result)
            elif out_key in grouped:
                return Invalid(f"{text}: the key '{out_key}' comes twice (Terraform needs `...` to group)")
            else:
                grouped[out_key] = result
        return self.steps.collection(items) if key_node is None else self.steps.collection(grouped)

    def call(self, name: str, arg_nodes: list[Node]) -> Value:
        if name == "try":  # the first argument that evaluates without an error
            for node in arg_nodes:
                value = self.run(node)
                if not isinstance(value, Invalid):
                    return value
            return Invalid("no argument of try() could be evaluated")
        if name == "can":
            value = self.run(arg_nodes[0]) if len(arg_nodes) == 1 else Invalid("can() takes one argument")
            return False if isinstance(value, Invalid) else True if is_known(value) else Unknown(
                reason_of(value, "the argument of can() is not known"))
        args = [self.run(node) for node in arg_nodes]
        result = self.apply(name, args)
        if isinstance(result, str):
            self.steps.string(result)
        elif isinstance(result, (list, dict)):
            self.steps.collection(result)
        return bounded(result)

    def apply(self, name: str, args: list[Value]) -> Value:
        if name == "file":
            return self.file(args)
        return apply_function(name, args, self.join)

    def file(self, args: list[Value]) -> Value:
        """`file(PATH)`: a FileText, never the content (read only to run a function's code, by policykit.edge)."""
        path = args[0] if len(args) == 1 else None
        if len(args) != 1:
            return Invalid("file() takes one argument")
        if not isinstance(path, str):
            return first_unknown(args, "the path of file() is not known") if not is_known(path) else Invalid(
                "file() takes a path")
        directory = getattr(getattr(self.scope, "module", None), "directory", None)
        return FileText(f'file("{path}") is read only to run a function\'s code (scan --edge)', path=path,
                        base=str(directory) if directory is not None else "")


def _logic(op: BinaryOp, left: Value, right: Callable[[], Value]) -> Value:
    """&& and || in three-valued logic: false && unknown is false, true || unknown is true."""
    if left is (op == "||"):
        return left
    other = right()
    if other is (op == "||"):
        return other
    if isinstance(left, bool) and isinstance(other, bool):
        return other
    return first_unknown([left, other], "a condition is not known")


def traverse(value: Value, path: list[Value]) -> Value:
    """Follow attribute names and indexes into a known value."""
    for step in path:
        if isinstance(value, (Unknown, Partial)):
            return unknown_of(value, "")
        if isinstance(step, (Unknown, Partial)):
            return unknown_of(step, "")
        index = _index(step) if isinstance(value, list) else None
        key = text_of(step) if isinstance(value, dict) else None
        if isinstance(value, dict) and key is not None and key in value:
            value = value[key]
        elif isinstance(value, list) and index is not None and index < len(value):
            value = value[index]
        else:
            return Invalid(f"'{step}' is not found")
    return value


def _index(step: Value) -> int | None:
    """A list index: a whole non-negative number, or its text (`x.0`, `x["0"]`)."""
    if is_number(step) and float(step).is_integer() and step >= 0:
        return int(step)
    if isinstance(step, str) and step.isdigit() and len(step) < 20:
        return int(step)
    return None


def _binary(op: BinaryOp, left: Value, right: Value) -> Value:
    if op in ("==", "!=") and (isinstance(left, OtherValue) or isinstance(right, OtherValue)):
        equal = other_equals(left, right)  # a deploy-time scenario's "any other value" (policykit/scenarios.py)
        if equal is not None:
            return equal if op == "==" else not equal
    if not is_known(left) or not is_known(right):
        return first_unknown([left, right], "an operand is not known")
    if op == "==":
        return bool(_equal(left, right))
    if op == "!=":
        return not _equal(left, right)
    left, right = to_number(left), to_number(right)
    if not (is_number(left) and is_number(right)):
        return Invalid(f"'{op}' is only for numbers")  # checked before computing: no "x" * 4e8
    if op in ("<", ">", "<=", ">="):
        return {"<": left < right, ">": left > right, "<=": left <= right, ">=": left >= right}[op]
    if op == "*" and isinstance(left, int) and isinstance(right, int) \
            and left.bit_length() + right.bit_length() > MAX_NUMBER_BITS + 1:
        return bounded(float("inf"))
    if op in ("/", "%") and right == 0:
        return Invalid(f"'{op}' by zero")
    try:
        result = _ARITHMETIC[op](left, right)
    except (OverflowError, KeyError):
        return Invalid(f"'{op}' out of range")
    if isinstance(result, float) and result.is_integer() and op == "/" and abs(result) < 2 ** 53:
        result = int(result)
    return bounded(result)


_ARITHMETIC: dict[str, Callable[[int | float, int | float], int | float]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": operator.mod}


def _equal(left: Value, right: Value) -> bool:
    """Terraform's ==: values of different types are never equal (1 == "1" is false, true == 1 too)."""
    if is_number(left) and is_number(right):
        return bool(left == right)
    if isinstance(left, bool) or isinstance(right, bool) or left is None or right is None:
        return left is right
    for kind in (str, list, dict):
        if isinstance(left, kind) and isinstance(right, kind):
            return bool(left == right)
    return False
