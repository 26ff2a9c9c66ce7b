"""The Serverless Framework's variable syntax: where `${...}` placeholders are in a string, and what each says.

Read as the framework reads it (serverless/serverless, packages/sf-core/src/lib/resolvers/placeholders.js):
- a placeholder runs from `${` to its matching `}` (placeholders nest: `${file(./c.${sls:stage}.json):key}`);
- it is a variable only when it holds a `:` or both `(` and `)` after its `${`: `${Bucket}` and
  `${Bucket.Arn}` are left as written (CloudFormation's `Fn::Sub` variables);
- `${AWS::Region}` (source `AWS`), `${PROP:...}`, `${iot:...}` and `${!Literal}` are left as written too;
- its body is split at the commas outside parentheses and nested placeholders into fallbacks, tried in
  order (`${opt:stage, self:provider.stage, 'dev'}`): a quoted one is a literal, so is a bare value
  (`10`, `true`);
- a fallback is `source(params):key`, `source:key` or `source(params)` (`file(./x.yml):a.b`,
  `self:custom.domain`, `strToBool(${env:X})`, `aws:ssm:/path`, `ssm(us-east-1, raw):/path`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from policykit.core.patterns import lazy_pattern
from policykit.core.record import record

_MAIN = lazy_pattern(r"^([^:()]+)(?:\((.*)\))?(?::(.*))?$")
_IGNORED_SOURCES = frozenset({"AWS", "PROP", "iot"})  # pseudo parameters, CloudWatch labels, IoT policy variables


@record
class Literal:
    """A fallback that is a value as written: `'dev'`, `"dev"`, `10`, `true`."""

    value: str | int | float | bool | None


@record
class Source:
    """A fallback that asks a source for a value: `self:custom.domain`, `file(./x.yml):a.b`, `opt:stage`."""

    text: str  # as written (nested placeholders included)
    source: str  # self, file, opt, env, sls, ssm, aws, param, strToBool, ... (any name: custom resolvers)
    params: tuple[str, ...] = ()  # inside the parentheses, split at top-level commas, quotes removed
    key: str | None = None  # after the first top-level `:`


Fallback = Literal | Source


def placeholders(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each top-level placeholder of `text` that is a variable, in order."""
    depth, start, index = 0, -1, 0
    while index < len(text):
        if text.startswith("${", index):
            if depth == 0:
                start = index
            depth += 1
            index += 2
            continue
        if text[index] == "}" and depth > 0:
            depth -= 1
            if depth == 0 and start >= 0:
                candidate = text[start:index + 1]
                if _is_variable(candidate):
                    yield start, index + 1
                start = -1
        index += 1


def _is_variable(placeholder: str) -> bool:
    """Has a colon or both parentheses after `${`, and is not one the framework leaves as written."""
    if ":" not in placeholder[2:] and not ("(" in placeholder[2:] and ")" in placeholder[2:]):
        return False
    pieces = _split_outside(placeholder[2:-1], ",")
    first = _fallback(pieces[0])
    if isinstance(first, Source):
        if first.source.startswith("!"):
            return False
        if len(pieces) == 1 and first.source in _IGNORED_SOURCES:
            return False
    return True


def fallbacks_of(body: str) -> Iterator[Fallback]:
    """The fallbacks of a placeholder's body (the text between `${` and `}`), read as they are tried."""
    return (_fallback(piece) for piece in _split_outside(body, ","))


def _fallback(piece: str) -> Fallback:
    piece = piece.strip()
    if len(piece) >= 2 and piece[0] in "'\"" and piece[-1] in "'\"":
        return Literal(_literal(piece))
    match = _MAIN().match(piece)
    if match is None or (match.group(2) is None and match.group(3) is None):
        return Literal(_literal(piece))
    source, params, rest = match.group(1).strip(), match.group(2), match.group(3)
    key = rest
    if rest is not None and source not in ("file", "strToBool"):
        # `provider:resolver:key`: the key is after the first top-level colon of what follows the source
        colons = _indexes_outside(rest, ":")
        key = rest[colons[0] + 1:] if colons else rest
    split = tuple(_literal_text(p.strip()) for p in _split_outside(params, ",")) if params else ()
    return Source(piece, source, split, key)


def _literal(text: str) -> str | int | float | bool | None:
    """A literal fallback's value: single quotes removed, anything else read as JSON (`10`, `true`, `"x"`);
    a bare word JSON cannot read is its text."""
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1]
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (str, int, float, bool)) or value is None else text


def _literal_text(text: str) -> str:
    value = _literal(text) if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0] else text
    return text if value is None else str(value)


def _indexes_outside(text: str, character: str) -> list[int]:
    """Where `character` is in `text` outside parentheses and nested placeholders."""
    out: list[int] = []
    parentheses = braces = 0
    index = 0
    while index < len(text):
        char = text[index]
        if text.startswith("${", index):
            braces += 1
            index += 2
            continue
        if char == "}" and braces > 0:
            braces -= 1
        elif char == "(":
            parentheses += 1
        elif char == ")":
            parentheses -= 1
        if char == character and parentheses == 0 and braces == 0:
            out.append(index)
        index += 1
    return out


def _split_outside(text: str, character: str) -> list[str]:
    pieces, last = [], 0
    for index in _indexes_outside(text, character):
        pieces.append(text[last:index])
        last = index + 1
    pieces.append(text[last:])
    return pieces
