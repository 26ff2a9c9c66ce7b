"""Files a Serverless service includes with `${file(path)}`, read the way the framework reads them, bounded.

The framework resolves `path` against the service's directory and reads `.yml`/`.yaml` (with CloudFormation's
short tags) and `.json` files; a file that does not exist is no value (the next fallback is tried); other files
are read as text and JavaScript/TypeScript modules are run (packages/sf-core/src/lib/resolvers/providers/file/
file.js). Here only YAML and JSON files inside the service's directory are read (a link out of it too is not):
the scanned repository never widens what policykit reads. Each is read once per service, within the file size
and document value limits, and its nodes are marked with its own path so findings point into it.
"""

from __future__ import annotations

import os
from dataclasses import field
from pathlib import Path

from policykit.core.errors import InputError
from policykit.core.nodes import FileMark, Mark, MDict, MList, Node, file_of
from policykit.core.patterns import lazy_pattern
from policykit.core.record import record
from policykit.core.values import Unknown
from policykit.serverless.values import MISSING, Missing
from policykit.source.dupkeys import DuplicateKey
from policykit.source.files import read_text
from policykit.source.json_loader import load_json
from policykit.source.yaml_loader import load_yaml

_READ = (".yml", ".yaml", ".json")
# `${file(./resources/cdn.yml)}` with a path written out (one built from variables is not followed here)
_INCLUDE = lazy_pattern(r"""\$\{file\(\s*['"]?([^)'"$]+?)['"]?\s*\)""")


@record(frozen=False)
class Included:
    """One file read: its path as shown in findings, its nodes, and the keys written twice in it."""

    shown: str
    root: Node
    duplicates: list[DuplicateKey] = field(default_factory=list)
    yaml: bool = True
    mentions_policykit: bool = False  # may hold suppressions


@record(frozen=False)
class Includes:
    """The files one service includes, read once each; `base` is the service's directory (the boundary)."""

    service_file: str
    files: dict[Path, Included | Missing | Unknown] = field(default_factory=dict)
    not_read: dict[str, None] = field(default_factory=dict)  # notes: files named but not read, each once, in order

    @property
    def base(self) -> Path:
        return Path(os.path.dirname(self.service_file) or ".")

    def read(self, written: str, mark: Mark) -> Included | Missing | Unknown:
        """The file `written` names (relative to the service's directory), or why it is not read."""
        if not written.lower().endswith(_READ):
            return self._not_read(written, "is not a YAML or JSON file: its value is not read (JavaScript and "
                                  "TypeScript modules are never run)", mark)
        shown = os.path.normpath(os.path.join(str(self.base), written))
        try:
            boundary = self.base.resolve()
            real = Path(shown).resolve()
        except (OSError, RuntimeError):  # a link loop
            return self._not_read(written, "cannot be resolved", mark)
        if real != boundary and boundary not in real.parents:
            return self._not_read(written, "is outside the service's directory: not read", mark)
        if real not in self.files:
            self.files[real] = MISSING  # while it is read: an include of itself is no value
            self.files[real] = self._load(Path(shown), shown, mark)
        return self.files[real]

    def _not_read(self, written: str, why: str, mark: Mark) -> Unknown:
        note = (f"{file_of(mark, self.service_file)}:{mark.line}: ${{file({written})}} {why}; what it holds is "
                "not checked")
        self.not_read[note] = None
        return Unknown(f"${{file({written})}} {why}", name=f"file({written})")

    def read_files(self) -> list[Included]:
        """The files read, in the order they were first included."""
        return [f for f in self.files.values() if isinstance(f, Included)]

    def _load(self, path: Path, shown: str, mark: Mark) -> Included | Missing:
        if not path.is_file():
            return MISSING if not path.exists() else Missing(f"{shown} is not a regular file")
        text = read_text(path)
        if text is None:  # pragma: no cover - read_text returns None only when asked to look for a marker
            return Missing(f"{shown} is not text")
        included = Included(shown, None, yaml=not shown.lower().endswith(".json"),
                            mentions_policykit="policykit" in text)
        try:
            if included.yaml:
                root = load_yaml(text, shown, included.duplicates)
            else:
                root = load_json(text, shown, included.duplicates)
        except InputError as exc:  # the framework refuses the service too: say where
            raise InputError(exc.file, f"{exc.message} (included at line {mark.line} of {self.service_file})",
                             exc.line, exc.column) from None
        included.root = _marked(root, shown)
        return included


def _marked(node: Node, file: str) -> Node:
    """The same nodes with every mark naming `file` (iterative: a file's depth is bounded by its loader)."""
    stack: list[Node] = [node]
    seen: set[int] = set()  # a YAML alias repeats a node: marked once
    while stack:
        item = stack.pop()
        if isinstance(item, (MDict, MList)):
            if id(item) in seen:
                continue
            seen.add(id(item))
        if isinstance(item, MDict):
            item.mark = FileMark(item.mark.line, item.mark.column, file)
            item.key_marks = {k: FileMark(m.line, m.column, file) for k, m in item.key_marks.items()}
            item.value_marks = {k: FileMark(m.line, m.column, file) for k, m in item.value_marks.items()}
            stack.extend(item.values())
        elif isinstance(item, MList):
            item.mark = FileMark(item.mark.line, item.mark.column, file)
            item.marks = [FileMark(m.line, m.column, file) for m in item.marks]
            stack.extend(item)
    return node


def included_paths(service: Path) -> set[Path]:
    """The YAML and JSON files a service file names in `${file(...)}` inside its directory, resolved: a scan
    reads them as part of the service, not on their own as well."""
    try:
        text = read_text(service, b"${file(")
    except InputError:
        return set()  # reported when the service itself is read
    if text is None or "${file(" not in text:
        return set()
    base = service.parent.resolve()
    out: set[Path] = set()
    for match in _INCLUDE().finditer(text):
        written = match.group(1).strip()
        if not written.lower().endswith(_READ):
            continue
        try:
            real = (service.parent / written).resolve()
        except (OSError, RuntimeError):
            continue
        if base in real.parents:
            out.add(real)
    return out
