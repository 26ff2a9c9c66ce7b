"""Read a file's text, bounded, telling encoding problems apart from everything else."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import BinaryIO

from policykit.core.errors import InputError
from policykit.core.limits import LIMITS, hint

# A pipe named on the command line (`<(terraform show -json plan)`) can be read only once, but two readers may
# look at it (a JSON file is tried as a template, then as Terraform): its bytes are kept here. (Standard input,
# `-`, is written to a file of its own first: policykit/source/stdin.py.)
_STREAMS: dict[str, bytes] = {}


def is_stream(path: Path) -> bool:
    """A path that is not a regular file (a pipe: `<(terraform show -json plan)`, /dev/stdin)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode) and not path.is_dir()
    except OSError:
        return False


def forget_streams() -> None:
    """Called when a scan ends: the next scan reads its streams afresh."""
    _STREAMS.clear()


_CHUNK = 1024 * 1024


def read_bounded(stream: BinaryIO, limit: int) -> bytes:
    """At most `limit` + 1 bytes of `stream` (one more tells "larger than the limit"), read a MiB at a time: a
    raised limit is a bound, never an allocation of that size."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _size(count: int) -> str:
    """A byte count as a person reads it: `16 MiB`, or `1,500 bytes` when not whole MiB."""
    return f"{count // (1024 * 1024)} MiB" if count % (1024 * 1024) == 0 else f"{count:,} bytes"


def _read_bytes(path: Path) -> bytes:
    limit = LIMITS.file_bytes
    too_big = InputError(str(path), f"file is larger than {_size(limit)}: {hint('file_bytes')}")
    if not is_stream(path):
        if path.stat().st_size > limit:
            raise too_big
        return path.read_bytes()
    key = str(path)
    if key not in _STREAMS:
        with path.open("rb") as stream:
            _STREAMS[key] = read_bounded(stream, limit)
    if len(_STREAMS[key]) > limit:
        raise too_big
    return _STREAMS[key]


def read_text(path: Path, looks_relevant: bytes = b"") -> str | None:
    """The text of `path`; None when it is not UTF-8 and does not contain `looks_relevant`."""
    try:
        data = _read_bytes(path)
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if looks_relevant and looks_relevant not in data and b"AWSTemplateFormatVersion" not in data:
            return None
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(str(path), "not valid UTF-8 text", line, column) from None
