"""Unpack a function's zip into a directory, bounded: no zip bombs, no paths outside it, no links, no entry nested
deeper than any code is."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

MAX_FILES = 10_000
MAX_BYTES = 250 * 1024 * 1024  # Lambda's limit for an unzipped deployment package
MAX_DEPTH = 64  # directories an entry is nested in: deeper is no function's code (node_modules stays far below)
_CHUNK = 1024 * 1024


class UnzipError(Exception):
    """A zip policykit will not unpack; the message names the file and the bound."""


def unpack(archive: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as bundle:
            entries = bundle.infolist()
            if len(entries) > MAX_FILES:
                raise UnzipError(f"{archive} has {len(entries)} entries (at most {MAX_FILES} are unpacked)")
            total = 0
            for entry in entries:
                destination = _destination(archive, target, entry)
                if destination is None:
                    continue
                total = _extract(bundle, entry, destination, total, archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as exc:
        raise UnzipError(f"{archive} is not a zip file policykit can read: {exc}") from None


def _destination(archive: Path, target: Path, entry: zipfile.ZipInfo) -> Path | None:
    name = PurePosixPath(entry.filename.replace("\\", "/"))
    if name.is_absolute() or ".." in name.parts or (name.parts and ":" in name.parts[0]):
        raise UnzipError(f"{archive} has an entry outside its directory ({entry.filename}): not unpacked")
    if len(name.parts) > MAX_DEPTH:
        shown = entry.filename if len(entry.filename) <= 80 else entry.filename[:77] + "..."
        raise UnzipError(f"{archive} has an entry {len(name.parts) - 1} directories deep ({shown}): at most "
                         f"{MAX_DEPTH} levels are unpacked, so it is not")
    if stat.S_ISLNK(entry.external_attr >> 16):
        raise UnzipError(f"{archive} has a symbolic link ({entry.filename}): not unpacked")
    if entry.is_dir():
        (target / name).mkdir(parents=True, exist_ok=True)
        return None
    return target.joinpath(*name.parts)


def _extract(bundle: zipfile.ZipFile, entry: zipfile.ZipInfo, destination: Path, total: int, archive: Path) -> int:
    destination.parent.mkdir(parents=True, exist_ok=True)
    with bundle.open(entry) as source, open(destination, "wb") as sink:
        while chunk := source.read(_CHUNK):  # count what comes out, not what the header claims
            total += len(chunk)
            if total > MAX_BYTES:
                raise UnzipError(f"{archive} unpacks to more than {MAX_BYTES // (1024 * 1024)} MB: not unpacked")
            sink.write(chunk)
    return total
