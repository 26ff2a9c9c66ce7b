"""Which module directories of a scan are called by another one as local modules (`source = "./x"`).

A walk finds every directory with .tf files, including `modules/cdn` that `main.tf` calls; scanned
standalone too, its distributions would be counted (and reported) twice, and without the inputs
its caller gives it. Such directories are scanned through their callers only.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path

from policykit.core.errors import InputError
from policykit.terraform.hcl import Block, load_hcl_cached, load_tf_json
from policykit.terraform.module import MAX_MODULE_DEPTH

# Only files that may call a module are parsed here (the scan reuses the parse): a cheap filter.
_MODULE_BLOCK = re.compile(r'^\s*module\s+"[^"]*"\s*\{', re.MULTILINE)


def local_calls(directory: Path, files: Sequence[Path]) -> set[Path]:
    """The directories that the module in `directory` calls by a local path (resolved)."""
    called: set[Path] = set()
    for block in _module_blocks(files):
        source = block.body.get("source")
        # Terraform requires `source` to be a literal string, so no evaluation is needed
        if isinstance(source, str) and source.startswith(("./", "../")):
            target = (directory / source).resolve()
            if target.is_dir():
                called.add(target)
    return called


def _module_blocks(files: Sequence[Path]) -> list[Block]:
    blocks: list[Block] = []
    for path in files:
        try:
            if path.name.lower().endswith(".tf.json"):
                found = load_tf_json(path) or []
            elif _MODULE_BLOCK.search(path.read_text(encoding="utf-8-sig", errors="replace")):
                found = load_hcl_cached(path)
            else:
                continue
        except (InputError, OSError):
            continue  # the scan of this module reports it
        blocks.extend(b for b in found if b.type == "module" and b.labels)
    return blocks


def scanned_through_callers(modules: Mapping[Path, Sequence[Path]]) -> set[Path]:
    """Of the module directories `modules` (resolved directory -> its files), those another one calls.

    Only calls that the scan follows count: from a directory no other one calls, down to
    MAX_MODULE_DEPTH. Directories that only call each other in a cycle are kept standalone.
    """
    calls = {directory: local_calls(directory, files) for directory, files in modules.items()}
    called_by_other = {target for caller, targets in calls.items() for target in targets if target != caller}
    roots = [directory for directory in modules if directory not in called_by_other]
    reached: set[Path] = set()
    frontier = deque((root, 0) for root in roots)  # breadth first: each directory at its least depth
    while frontier:
        directory, depth = frontier.popleft()
        if depth >= MAX_MODULE_DEPTH:
            continue
        # a called directory outside the scan may call back into it: read its calls too
        targets = calls[directory] if directory in calls else local_calls(directory, _module_files(directory))
        for target in targets:
            if target not in reached and target not in roots:
                reached.add(target)
                frontier.append((target, depth + 1))
    return reached & set(modules)


def _module_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name.endswith((".tf", ".tf.json")))
