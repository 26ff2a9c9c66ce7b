"""Read a file's text, bounded, telling encoding problems apart from everything else."""

from __future__ import annotations

from pathlib import Path

from policykit.errors import InputError

MAX_BYTES = 16 * 1024 * 1024  # CloudFormation accepts 1 MB; plans can be larger


def read_text(path: Path, looks_relevant: bytes = b"") -> str | None:
    """The text of `path`; None when it is not UTF-8 and does not contain `looks_relevant`."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(str(path), f"file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
        data = path.read_bytes()
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
