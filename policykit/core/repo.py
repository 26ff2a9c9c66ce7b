"""Where a scanned file sits in its repository: the root code scanning and baselines resolve paths from.

A path relative to the git root is the same in every clone and from every working directory,
which is what SARIF `%SRCROOT%`, GitHub annotations and fingerprints need. The root is found by
walking up to a `.git` entry (a directory, or the file of a worktree or submodule); no git
command runs.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from pathlib import Path


@functools.lru_cache(maxsize=4096)
def _root_of(directory: str) -> str | None:
    path = Path(directory)
    for candidate in (path, *path.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def git_root(file: str) -> Path | None:
    """The repository root holding `file` (a file or a directory), or None outside any repository."""
    if not file:
        return None
    path = Path(os.path.abspath(file))
    directory = path if path.is_dir() else path.parent
    root = _root_of(str(directory))
    return Path(root) if root is not None else None


def relative_to(file: str, base: Path) -> str | None:
    """`file` relative to `base` with / separators, or None when it is not under `base`."""
    try:
        relative = os.path.relpath(os.path.abspath(file), os.path.abspath(base))
    except ValueError:  # another drive on Windows
        return None
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return Path(relative).as_posix()


def base_dir(files: Iterable[str], given: str | None = None) -> Path:
    """The base of relative report paths: `given` (--base-dir), else the git root of the first scanned
    file that is in a repository, else the working directory."""
    if given:
        return Path(os.path.abspath(given))
    for file in files:
        root = git_root(file)
        if root is not None:
            return root
    return Path.cwd()


def identity_path(file: str) -> str:
    """The path that identifies `file` in fingerprints: from its git root, else from the working
    directory, else absolute (a file outside both)."""
    if not file:
        return ""
    root = git_root(file)
    for base in ([root] if root is not None else []) + [Path.cwd()]:
        relative = relative_to(file, base)
        if relative is not None:
            return relative
    return Path(os.path.abspath(file)).as_posix()
