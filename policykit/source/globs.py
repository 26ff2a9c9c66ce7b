"""Glob patterns over paths relative to one directory: the configuration's `files:` and `exclude:` (relative to
the configuration file), `--exclude` (relative to the working directory).

A path is matched by where it is, not by how it was spelt: it is resolved and taken relative to the patterns'
directory, so `cfn/web.yaml` matches the same file whether the scan ran from the repository root, from `cfn/`
or with an absolute path. A pattern matches the path or any directory above it (`policies` and `policies/` cover
everything under them); one without a `/` matches the name of the file or of a directory above it at any depth
(`*.generated.yaml`, `fixtures`), as in `.gitignore`. `*` matches across `/` (as fnmatch does); `**/` at the start
also matches nothing (`**/fixtures` covers a top-level `fixtures`).

A directory walk asks about every entry: it gives the directory's real path (resolved once), and only the entry itself
is matched, since the directories above it were asked about when the walk reached them.
"""

from __future__ import annotations

import fnmatch
import functools
import os
from pathlib import Path

from policykit.core.record import record


def normal(pattern: str) -> str:
    """A pattern as matched: `/` separators, no `./` in front, no `/` behind."""
    pattern = pattern.replace("\\", "/").strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") or "."


def real(path: Path | str) -> str:
    """`path` absolute, with links resolved. The directory of an entry that is not a link is resolved once
    (remembered by its absolute path), and the entry is that plus its name."""
    text = os.fspath(path)
    name = os.path.basename(text)
    try:
        if name in ("", ".", "..") or ".." in text.replace("\\", "/").split("/") or os.path.islink(text):
            return os.path.realpath(text)
        return os.path.join(_real_directory(os.path.abspath(os.path.dirname(text) or ".")), name)
    except (OSError, ValueError):  # a link loop, a name the system refuses: matched as written
        return os.path.abspath(text)


@functools.lru_cache(maxsize=1024)
def _real_directory(absolute: str) -> str:
    return os.path.realpath(absolute)


def relative(where: str, base: str) -> str | None:
    """The real path `where` from the real directory `base`, with `/` separators; None when it is outside `base`."""
    if where == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    if not where.startswith(prefix):
        return None
    return where[len(prefix):].replace(os.sep, "/")


def matches(pattern: str, path: str | None, name: str, walked: bool = False) -> bool:
    """Whether `pattern` (normal) matches the relative `path` (None: outside the base) or a directory above it
    (not with `walked`: the walk asked about those), or, for a pattern without `/`, the file's `name` or that of a
    directory above it."""
    if path is None:
        return "/" not in pattern and fnmatch.fnmatchcase(name, pattern)
    if pattern == ".":
        return True
    parts = path.split("/")
    if "/" not in pattern:
        names = parts[-1:] if walked else parts
        return any(fnmatch.fnmatchcase(part, pattern) for part in names)
    candidates = (pattern, pattern[3:]) if pattern.startswith("**/") else (pattern,)
    places = [path] if walked else ["/".join(parts[:end]) for end in range(len(parts), 0, -1)]
    return any(fnmatch.fnmatchcase(place, candidate) for place in places for candidate in candidates)


@record
class Globs:
    """Patterns relative to one directory (absolute and resolved)."""

    base: Path
    patterns: tuple[str, ...] = ()
    names_only: bool = False  # no pattern holds a `/`: an entry of a walked directory is matched by its name

    @classmethod
    def at(cls, base: Path, patterns: tuple[str, ...] | list[str]) -> Globs:
        written = tuple(normal(p) for p in patterns)
        return cls(Path(real(base)), written, not any("/" in p or p == "." for p in written))

    def matching(self, path: Path, where: str | None = None, walked: bool = False) -> str | None:
        """The first pattern that matches `path` (whose real path is `where`, when known), or None; `walked`: an
        entry of a directory the walk entered, which was asked about itself."""
        if walked and self.names_only:  # no path to work out
            return next((p for p in self.patterns if fnmatch.fnmatchcase(path.name, p)), None)
        inside = relative(where or real(path), str(self.base))
        return next((p for p in self.patterns if matches(p, inside, path.name, walked)), None)


@record
class Exclusions:
    """What a scan never reads as an input: paths matching `--exclude`/`exclude:`, and the files policykit reads
    for itself (the configuration, the baseline, the policy directories), which are not templates."""

    globs: tuple[Globs, ...] = ()
    own: frozenset[str] = frozenset()  # real paths; a directory covers everything under it
    names: frozenset[str] = frozenset()  # file names never read, wherever they are (the configuration's)
    own_parents: frozenset[str] = frozenset()  # the directories holding them: only their entries can be own

    @classmethod
    def of(cls, globs: tuple[Globs, ...] = (), own: tuple[Path, ...] | list[Path] = (),
           names: tuple[str, ...] = ()) -> Exclusions:
        mine = frozenset(real(path) for path in own)
        return cls(tuple(g for g in globs if g.patterns), mine, frozenset(names),
                   frozenset(os.path.dirname(path) for path in mine))

    def __bool__(self) -> bool:
        return bool(self.globs or self.own or self.names)

    def excluded(self, path: Path, walked_in: str | None = None) -> bool:
        """Whether `path` is never read. `walked_in`: the real path of the directory the walk found it in (that
        directory, and those above it, were asked about when the walk reached them); None for a path named on the
        command line, asked about with every directory above it."""
        if path.name in self.names:
            return True
        walked = walked_in is not None
        if walked and not self.globs and walked_in not in self.own_parents:
            return False  # nothing of policykit's own is directly in this directory
        where = os.path.join(walked_in, path.name) if walked_in is not None else None
        if self.own:
            where = where or real(path)
            if where in self.own or (not walked and any(where.startswith(own + os.sep) for own in self.own)):
                return True
        return any(g.matching(path, where, walked) is not None for g in self.globs)
