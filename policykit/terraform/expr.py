"""Terraform expressions: a small parser for what appears inside `${...}` and string templates.

Only what matters for a static check is understood (references, literals, templates, simple
functions, conditionals, comparisons); anything else parses to an `unknown` node so that its
value stays Unknown rather than wrong.
"""

from __future__ import annotations

import re
from typing import Literal

# AST nodes are tuples, tagged by their kind (the first item): cheap to build, and mypy tells them apart by it.
BinaryOp = Literal["||", "&&", "==", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%"]
Lit = tuple[Literal["lit"], str | int | float | bool | None]
Tpl = tuple[Literal["tpl"], list["str | Node"]]  # a template: its text and its interpolations, in order
Ref = tuple[Literal["ref"], str]  # a name: `var`, `aws_lb`, a `for` variable
Get = tuple[Literal["get"], "Node", str]  # `base.name`
Index = tuple[Literal["index"], "Node", "Node"]  # `base[index]`
Call = tuple[Literal["call"], str, list["Node"]]
Cond = tuple[Literal["cond"], "Node", "Node", "Node"]  # `condition ? then : otherwise`
Binary = tuple[Literal["bin"], BinaryOp, "Node", "Node"]
Not = tuple[Literal["not"], "Node"]
Neg = tuple[Literal["neg"], "Node"]
TupleNode = tuple[Literal["tuple"], list["Node"]]
ObjectNode = tuple[Literal["object"], list[tuple["Node", "Node"]]]  # (key, value) pairs
NotUnderstood = tuple[Literal["unknown"], str]  # the reason, for the Unknown it evaluates to
SplatStep = tuple[Literal["get"], str] | tuple[Literal["index"], "Node"]
Splat = tuple[Literal["splat"], "Node", list[SplatStep], str]  # `base[*].a[0]`: base, steps, `text` as written
# `[for ...]` (key None) and `{for ...}`: key_name (None in `for v in ...`), value_name, collection, key,
# value, group (`...`), condition (`if ...`), text as written
For = tuple[Literal["for"], str | None, str, "Node", "Node | None", "Node", bool, "Node | None", str]
Node = Lit | Tpl | Ref | Get | Index | Call | Cond | Binary | Not | Neg | TupleNode | ObjectNode | NotUnderstood \
    | Splat | For

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<string>")
  | (?P<op>==|!=|<=|>=|&&|\|\||=>|\.\.\.|[-+*/%<>!?:.,()\[\]{}=])
""", re.VERBOSE)

_BINARY: tuple[tuple[BinaryOp, ...], ...] = (
    ("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))


class ParseError(Exception):
    pass


def parse_template(text: str) -> Node:
    """A string that may hold `${...}` interpolations; `%{` directives are not understood."""
    parts: list[str | Node] = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("$${", i) or text.startswith("%%{", i):
            literal.append(text[i + 1:i + 3])
            i += 3
        elif text.startswith("${", i) or text.startswith("%{", i):
            end = _matching_brace(text, i + 2)
            if end < 0:
                literal.append(text[i:])
                break
            if literal:
                parts.append("".join(literal))
                literal = []
            inner = text[i + 2:end].strip().strip("~").strip()
            if text[i] == "%":
                parts.append(("unknown", "a template directive %{...} is not evaluated"))
            else:
                parts.append(parse_expression(inner))
            i = end + 1
        else:
            literal.append(text[i])
            i += 1
    if literal:
        parts.append("".join(literal))
    if len(parts) == 1 and isinstance(parts[0], tuple):
        return parts[0]  # "${x}" is x itself, of any type
    texts = [p for p in parts if isinstance(p, str)]
    return ("tpl", parts) if len(texts) < len(parts) else ("lit", "".join(texts))


def _matching_brace(text: str, start: int) -> int:
    depth, i, quoted = 0, start, False
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def parse_expression(text: str) -> Node:
    try:
        parser = _Parser(text)
        node = parser.expression()
        if parser.peek() is not None:
            return ("unknown", f"the expression '{_short(text)}' is not understood")
        return node
    except (ParseError, RecursionError, IndexError):
        return ("unknown", f"the expression '{_short(text)}' is not understood")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        pos = 0
        while pos < len(text):
            match = _TOKEN.match(text, pos)
            if match is None:
                raise ParseError(text[pos:])
            kind = match.lastgroup or ""
            if kind == "string":
                end = self._string_end(pos + 1)
                self.tokens.append(("string", text[pos + 1:end]))
                pos = end + 1
                continue
            if kind != "ws":
                self.tokens.append((kind, match.group()))
            pos = match.end()
        self.pos = 0

    def _string_end(self, start: int) -> int:
        i = start
        while i < len(self.text):
            char = self.text[i]
            if char == "\\":
                i += 2
                continue
            if char == '"':
                return i
            if self.text.startswith("${", i):
                end = _matching_brace(self.text, i + 2)
                if end < 0:
                    raise ParseError("unterminated interpolation")
                i = end + 1
                continue
            i += 1
        raise ParseError("unterminated string")

    def peek(self, offset: int = 0) -> tuple[str, str] | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ParseError("unexpected end")
        self.pos += 1
        return token

    def accept(self, value: str) -> bool:
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] == value:
            self.pos += 1
            return True
        return False

    def expect(self, value: str) -> None:
        if not self.accept(value):
            raise ParseError(f"expected {value}")

    def expression(self) -> Node:
        condition = self.binary(0)
        if self.accept("?"):
            then = self.expression()
            self.expect(":")
            return ("cond", condition, then, self.expression())
        return condition

    def binary(self, level: int) -> Node:
        if level == len(_BINARY):
            return self.unary()
        left = self.binary(level + 1)
        while True:
            token = self.peek()
            op = token[1] if token is not None and token[0] == "op" else ""
            if op not in _BINARY[level]:
                return left
            self.pos += 1
            left = ("bin", op, left, self.binary(level + 1))

    def unary(self) -> Node:
        if self.accept("!"):
            return ("not", self.unary())
        if self.accept("-"):
            return ("neg", self.unary())
        return self.postfix(self.primary())

    def postfix(self, node: Node) -> Node:
        while True:
            if self.accept("."):
                kind, value = self.take()
                if kind == "op" and value == "*":
                    node = self.splat(node, full=False)
                elif kind == "name" or (kind == "number" and value.isdigit()):
                    node = ("get", node, value) if kind == "name" else ("index", node, ("lit", int(value)))
                else:
                    raise ParseError("bad attribute")
            elif self.accept("["):
                if self.accept("*"):
                    self.expect("]")
                    node = self.splat(node, full=True)
                else:
                    index = self.expression()
                    self.expect("]")
                    node = ("index", node, index)
            else:
                return node

    def splat(self, base: Node, full: bool) -> Node:
        """`base[*].a.b[0]` (full: the index applies to each item too) or `base.*.a.b` (attributes only)."""
        start = self.pos
        steps: list[SplatStep] = []
        while True:
            token = self.peek()
            following = self.peek(1)
            if token == ("op", ".") and following is not None and following[0] == "name":
                self.pos += 1
                steps.append(("get", self.take()[1]))
            elif full and token == ("op", "["):
                self.pos += 1
                steps.append(("index", self.expression()))
                self.expect("]")
            else:
                break
        text = self.text_of(start, self.pos, "")
        return ("splat", base, steps, ("[*]" if full else ".*") + text)

    def primary(self) -> Node:
        kind, value = self.take()
        if kind == "number":
            if any(c in value for c in ".eE"):
                return ("lit", float(value))
            if len(value) > 309:  # beyond any float; Python will not even convert 4,300 digits
                return ("unknown", f"the number {value[:20]}... ({len(value)} digits) is not evaluated")
            return ("lit", int(value))
        if kind == "string":
            return parse_template(_unescape(value))
        if kind == "name":
            if value in ("true", "false"):
                return ("lit", value == "true")
            if value == "null":
                return ("lit", None)
            if self.accept("("):
                return ("call", value, self.arguments())
            return ("ref", value)
        if value == "(":
            node = self.expression()
            self.expect(")")
            return node
        if value == "[":
            return self.collection("]")
        if value == "{":
            return self.collection("}")
        raise ParseError(f"unexpected {value}")

    def arguments(self) -> list[Node]:
        args: list[Node] = []
        while not self.accept(")"):
            args.append(self.expression())
            self.accept("...")
            if not self.accept(","):
                self.expect(")")
                break
        return args

    def collection(self, closer: str) -> Node:
        token = self.peek()
        if token == ("name", "for"):
            return self.for_expression(closer)
        items: list[Node] = []
        pairs: list[tuple[Node, Node]] = []
        while not self.accept(closer):
            item = self.expression()
            if closer == "}":
                if not (self.accept("=") or self.accept(":")):
                    raise ParseError("expected = in object")
                key = ("lit", item[1]) if item[0] == "ref" else item
                pairs.append((key, self.expression()))
            else:
                items.append(item)
            if not self.accept(","):
                self.expect(closer)
                break
        return ("tuple", items) if closer == "]" else ("object", pairs)

    def for_expression(self, closer: str) -> Node:
        """`[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`."""
        start = self.pos - 1
        self.take()  # for
        first = self._name()
        second = self._name() if self.accept(",") else None
        key_name, value_name = (first, second) if second is not None else (None, first)
        if self.take() != ("name", "in"):
            raise ParseError("expected in")
        collection = self.expression()
        self.expect(":")
        key: Node | None = None
        if closer == "}":
            key = self.expression()
            self.expect("=>")
        value = self.expression()
        group = closer == "}" and self.accept("...")
        condition: Node | None = None
        if self.peek() == ("name", "if"):
            self.pos += 1
            condition = self.expression()
        self.expect(closer)
        text = self.text_of(start, self.pos, " ")
        return ("for", key_name, value_name, collection, key, value, group, condition, _short(text))

    def text_of(self, start: int, end: int, separator: str) -> str:
        """The tokens as they were written (near enough): for the reasons of what is not evaluated."""
        out: list[str] = []
        previous: tuple[str, str] | None = None
        for kind, value in self.tokens[start:end]:
            after_value = previous is not None and (previous[0] == "name" or previous[1] in ")]")
            tight = kind == "op" and (value in (".", ",", ")", "]") or (value in ("(", "[") and after_value))
            if out and separator and not tight and previous not in (("op", "."), ("op", "("), ("op", "[")):
                out.append(separator)
            out.append(f'"{value}"' if kind == "string" else value)
            previous = (kind, value)
        return "".join(out)

    def _name(self) -> str:
        kind, value = self.take()
        if kind != "name":
            raise ParseError("expected a name")
        return value


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text)
