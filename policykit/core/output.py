"""Writing a report or a baseline to the file a user named: atomically where it is a file, into it where it
is a FIFO or a device."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def write_output(path: Path, text: str) -> None:
    """Writes a report (or baseline) to `path` the way a user means it.

    A regular file (or none yet) is replaced atomically and keeps its mode. Anything else (a FIFO,
    a device such as /dev/null, /dev/stdout) is written into and never replaced. A symlink is
    followed, so the file it points at is the one updated."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        status = os.stat(target)
    except FileNotFoundError:
        status = None
    if status is not None and not stat.S_ISREG(status.st_mode):
        with open(target, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return
    write_atomic(target, text, stat.S_IMODE(status.st_mode) if status is not None else None)


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Readers see the old file or the whole new one, never half of it: temp file beside it, then rename.

    `mode`: the permissions to give it (an existing report's); by default those of a new file."""
    import tempfile  # (and `random`) only when a file is written: a report to stdout needs neither

    directory = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, _default_mode() if mode is None else mode)  # mkstemp makes it private
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
