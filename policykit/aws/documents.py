"""The answers of AWS as documents: printed as the AWS CLI prints them, read back with positions, and the API
path of each position (`Origins.Items[1].CustomOriginConfig`) for findings on a read that saved nothing."""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Mapping

from policykit.core.location import Location
from policykit.core.nodes import MDict, MList, Node
from policykit.source.json_loader import load_json


def _plain(value: object) -> object:
    """What `json` cannot write, the way the AWS CLI writes it: timestamps in ISO 8601, blobs in base64."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


def render(response: Mapping[str, object]) -> str:
    """A response as `aws ... --output json` prints it (4-space indents; no ResponseMetadata)."""
    shown = {key: value for key, value in response.items() if key != "ResponseMetadata"}
    return json.dumps(shown, indent=4, ensure_ascii=False, default=_plain) + "\n"


def parse(text: str, file: str) -> MDict:
    """A document read back with the position of every value (an InputError when it is not a JSON object)."""
    from policykit.core.errors import InputError

    root = load_json(text, file)
    if not isinstance(root, MDict):
        raise InputError(file, "an AWS answer is a JSON object")
    return root


class Places:
    """The API path of every position of one document: `aws:cloudfront/E123 Origins.Items[1].DomainName`."""

    def __init__(self, name: str, root: Node, inside: tuple[str, ...] = ()) -> None:
        self.name = name
        self.paths: dict[tuple[int, int], str] = {}
        self.lines: dict[int, str] = {}
        start: Node = root
        for key in inside:  # the distribution's paths start at its DistributionConfig, as the console shows them
            if isinstance(start, MDict) and key in start:
                start = start[key]
        self._index(start)

    def _index(self, root: Node) -> None:
        stack: list[tuple[Node, str]] = [(root, "")]
        while stack:
            node, path = stack.pop()
            if isinstance(node, MDict):
                self._add(node.mark, path)
                for key, value in node.items():
                    inner = f"{path}.{key}" if path else key
                    self._add(node.key_marks.get(key), inner)
                    self._add(node.mark_of(key), inner)
                    stack.append((value, inner))
            elif isinstance(node, MList):
                self._add(node.mark, path)
                for index, item in enumerate(node):
                    inner = f"{path}[{index}]"
                    self._add(node.mark_of(index), inner)
                    stack.append((item, inner))

    def _add(self, mark: tuple[int, int] | None, path: str) -> None:
        if mark is None or not mark[0]:
            return
        self.paths.setdefault((mark[0], mark[1]), path)
        self.lines.setdefault(mark[0], path)

    def location(self, loc: Location) -> Location:
        """Where `loc` (a position in this document) is, by its API path."""
        path = self.paths.get((loc.line, loc.column), self.lines.get(loc.line, ""))
        return Location(f"{self.name} {path}" if path else self.name)
