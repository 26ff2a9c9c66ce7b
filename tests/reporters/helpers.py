"""Helpers of the reporter tests: a scan result rendered in one format; the HTML report and a PNG read back."""

from __future__ import annotations

import io
import struct
import zlib
from html.parser import HTMLParser
from typing import Any

from policykit.findings import ScanResult
from policykit.reporters import ReportOptions, get


def render(name: str, result: ScanResult, **options: Any) -> str:
    stream = io.StringIO()
    get(name)(result, stream, ReportOptions(**options))
    return stream.getvalue()


# -- the HTML report, read back -------------------------------------------------------------------------------------

_VOID = {"meta", "input", "br", "img", "link", "hr", "col", "area", "base", "embed", "source", "track", "wbr"}


class Element:
    """One element of a parsed page: its tag, attributes, children and direct text."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.content: list[Element | str] = []  # children and text, in document order

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all(self, tag: str = "", cls: str = "") -> list[Element]:
        """Every element below this one of that tag (any when "") and class (any when "")."""
        found, stack = [], list(reversed(self.children))
        while stack:
            element = stack.pop()
            if (not tag or element.tag == tag) and (not cls or cls in element.classes):
                found.append(element)
            stack.extend(reversed(element.children))
        return found

    def text_content(self) -> str:
        return "".join(part if isinstance(part, str) else part.text_content() for part in self.content)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.content.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        self.current.content.append(element)

    def handle_endtag(self, tag: str) -> None:
        element: Element | None = self.current
        while element is not None and element.tag != tag:
            element = element.parent
        assert element is not None and element.parent is not None, f"</{tag}> closes nothing"
        self.current = element.parent

    def handle_data(self, data: str) -> None:
        self.current.content.append(data)


def parse_html(text: str) -> Element:
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


# -- a PNG, decoded with the standard library -----------------------------------------------------------------------

def decode_png(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """(width, height, pixels as channel tuples) of an 8-bit non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0, "only 8-bit non-interlaced PNGs"
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    pixels: list[tuple[int, ...]] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 2:  # Up, the most common: one pass without the left neighbours
            line = bytearray((a + b) & 255 for a, b in zip(line, previous, strict=True))
        elif kind:
            for x in range(stride):
                left = line[x - channels] if x >= channels else 0
                if kind == 1:
                    line[x] = (line[x] + left) & 255
                    continue
                up, corner = previous[x], previous[x - channels] if x >= channels else 0
                if kind == 3:
                    line[x] = (line[x] + (left + up) // 2) & 255
                else:  # Paeth: the neighbour nearest to left + up - corner, ties to left, then up
                    guess = left + up - corner
                    far_left, far_up, far_corner = abs(guess - left), abs(guess - up), abs(guess - corner)
                    nearest = left if far_left <= far_up and far_left <= far_corner else up if far_up <= far_corner \
                        else corner
                    line[x] = (line[x] + nearest) & 255
        pixels.extend(tuple(line[i:i + channels]) for i in range(0, stride, channels))
        previous = line
    return width, height, pixels
