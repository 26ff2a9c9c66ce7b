"""Glob patterns over paths relative to one directory: the configuration's `files:` and `exclude:` (relative to
the configuration file), `--exclude` (relative to the working directory).

A path is matched by where it is, not by how it was spelt: it is resolved and taken relative to the patterns'
directory, so `cfn/web.yaml` matches the same file whether the scan ran from the repository root, from `cfn/`
or with an absolute path. A pattern matches the path, any directory above it (`policies` and `policies/` cover
everything under them), or, when it holds no `/`, the file's name wherever it is (`*.generated.yaml`).
`*` matches across `/` (as fnmatch does); `**/` at the start also matches nothing (`**/fixtures` covers a
top-level `fixtures`).
"""

from __future__ import annotations

import fnmatch
import functools
import os
from pathlib import Path, PurePosixPath

from policykit.core.record import record


def normal(pattern: str) -> str:
    """A pattern as matched: `/` separators, no `./` in front, no `/` behind."""
    pattern = pattern.replace("\\", "/").strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or "."


def resolved(path: Path) -> Path:
    """`path` absolute, with links resolved. A walk asks for every entry of a directory: the directory is resolved
    once (remembered by its absolute path), and an entry that is not a link is that plus its name."""
    try:
        if path.name in ("", ".", "..") or ".." in path.parts or path.is_symlink():  # `..` after a link: resolve
            return path.resolve()
        return _directory(os.path.abspath(path.parent)) / path.name
    except (OSError, RuntimeError):  # a link loop: matched as written
        return Path(os.path.abspath(path))


@functools.lru_cache(maxsize=1024)
def _directory(absolute: str) -> Path:
    return Path(absolute).resolve()


def relative(path: Path, base: Path) -> str | None:
    """`path` from `base` with `/` separators, both resolved; None when `path` is outside `base`."""
    try:
        return resolved(path).relative_to(base).as_posix()
    except ValueError:
        return None


def matches(pattern: str, path: str | None, name: str) -> bool:
    """Whether `pattern` (normal) matches the relative `path` (None: outside the base) or a directory above it,
    or, for a pattern without `/`, the file's `name` or that of a directory above it."""
    if path is None:
        return "/" not in pattern and fnmatch.fnmatchcase(name, pattern)
    if pattern == ".":
        return True
    here = PurePosixPath(path)
    places = (here, *list(here.parents)[:-1])  # the path and each directory above it, never the base itself
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(place.name, pattern) for place in places)
    candidates = (pattern, pattern[3:]) if pattern.startswith("**/") else (pattern,)
    return any(fnmatch.fnmatchcase(place.as_posix(), candidate) for place in places for candidate in candidates)


@record
class Globs:
    """Patterns relative to one directory (absolute and resolved)."""

    base: Path
    patterns: tuple[str, ...] = ()

    @classmethod
    def at(cls, base: Path, patterns: tuple[str, ...] | list[str]) -> Globs:
        try:
            resolved = base.resolve()
        except (OSError, RuntimeError):
            resolved = Path(os.path.abspath(base))
        return cls(resolved, tuple(normal(p) for p in patterns))

    def matching(self, path: Path) -> str | None:
        """The first pattern that matches `path`, or None."""
        where = relative(path, self.base)
        return next((p for p in self.patterns if matches(p, where, path.name)), None)


@record
class Exclusions:
    """What a scan never reads as an input: paths matching `--exclude`/`exclude:`, and the files policykit reads
    for itself (the configuration, the baseline, the policy directories), which are not templates."""

    globs: tuple[Globs, ...] = ()
    own: frozenset[Path] = frozenset()  # resolved; a directory covers everything under it

    @classmethod
    def of(cls, globs: tuple[Globs, ...] = (), own: tuple[Path, ...] | list[Path] = ()) -> Exclusions:
        return cls(tuple(g for g in globs if g.patterns), frozenset(resolved(path) for path in own))

    def __bool__(self) -> bool:
        return bool(self.globs or self.own)

    def excluded(self, path: Path) -> bool:
        if self.own:
            where = resolved(path)
            if where in self.own or not self.own.isdisjoint(where.parents):
                return True
        return any(g.matching(path) is not None for g in self.globs)
