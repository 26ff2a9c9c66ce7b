"""Which inputs a scan reads: files and directories walked in a stable order, each file classified by name
and content (CloudFormation, a Terraform module directory, JSON Terraform or plan), special files passed over."""

from __future__ import annotations

import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from policykit.core.record import record
from policykit.findings import ScanError
from policykit.source.detect import is_cfn_candidate
from policykit.source.files import is_stream

# Directories no one wants scanned: VCS data, dependencies, tool caches.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".terraform", ".venv", "venv", "__pycache__",
                       ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "cdk.out", ".aws-sam"})


# What an input is read as: a CloudFormation template (or, for JSON that is not one, a plan or JSON
# Terraform: policykit.api tries both), a Terraform module directory, a `.tf.json` file, a directory a read
# from AWS saved (`--save DIR`, policykit/aws/saved.py).
InputKind = Literal["cfn", "terraform", "tf-json", "aws-saved"]
# The manifest that makes a directory a saved read from AWS: the directory is one input, its files are its own
SAVED_READ_MANIFEST = "policykit-aws.json"


@record
class Input:
    """One unit to scan: a file, or a Terraform module directory with its .tf files."""

    path: Path
    kind: InputKind
    files: tuple[Path, ...] = ()


def discover(paths: Iterable[Path]) -> Iterator[Input | ScanError | Skip]:
    """Inputs under `paths` in a stable order; a path that does not exist is an error; what the walk
    passes over on purpose (special files, links back to scanned directories) is a Skip."""
    yield from _discover(list(paths))


@record
class Skip:
    """A path the walk passed over on purpose, with why (shown as a note, not an error)."""

    path: Path
    reason: str


def _discover(paths: list[Path]) -> Iterator[Input | ScanError | Skip]:
    modules: set[Path] = set()
    visited: set[tuple[int, int]] = set()  # (device, inode) of each walked directory
    for path in paths:
        if is_stream(path):
            # Named on the command line (`<(terraform show -json plan)`): read as given, once.
            yield Input(path, "cfn")
        elif path.is_dir():
            yield from _walk(path, visited)
        elif path.is_file() and (path.name.endswith(".tf") or _auto_loaded_vars(path.name)):
            # A changed .tf file (pre-commit passes file names) means its whole module: once per directory;
            # so does a variable file Terraform loads by itself, which changes what the module does.
            module = path.parent
            if module.resolve() not in modules:
                modules.add(module.resolve())
                yield Input(module, "terraform", tuple(sorted(f for f in module.iterdir()
                                                              if f.is_file() and f.name.endswith(".tf"))))
        elif path.is_file() and path.name == SAVED_READ_MANIFEST:
            yield Input(path.parent, "aws-saved")
        elif path.is_file():
            yield from _classify([path], explicit=True)
        else:
            yield ScanError(str(path), "no such file or directory")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _special(path: Path) -> str:
    """What a directory entry is when it is neither a regular file nor a directory ("" for those)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""  # a broken link, or gone since the listing
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return ""


def _auto_loaded_vars(name: str) -> bool:
    """terraform.tfvars(.json) and *.auto.tfvars(.json): Terraform reads them without being asked."""
    lower = name.lower()
    return lower in ("terraform.tfvars", "terraform.tfvars.json") or lower.endswith((".auto.tfvars",
                                                                                        ".auto.tfvars.json"))


def _walk(root: Path, visited: set[tuple[int, int]]) -> Iterator[Input | Skip]:
    """Each directory once, even through links (`x -> .`); FIFOs and devices are never opened."""
    stack = [root]
    while stack:
        directory = stack.pop()
        identity = _identity(directory)
        if identity is None:
            continue
        if identity in visited:
            if directory != root:
                yield Skip(directory, "a link to a directory that is already scanned")
            continue
        visited.add(identity)
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            continue
        if any(entry.name == SAVED_READ_MANIFEST and entry.is_file() for entry in entries):
            yield Input(directory, "aws-saved")
            continue
        files: list[Path] = []
        directories: list[Path] = []
        for entry in entries:
            if entry.is_file():
                files.append(entry)
            elif entry.is_dir():
                if entry.name not in SKIP_DIRS and not entry.name.startswith("."):
                    directories.append(entry)
            elif kind := _special(entry):
                yield Skip(entry, f"not a regular file ({kind}): never opened in a directory walk")
        yield from _classify(files, explicit=False)
        stack.extend(reversed(directories))


def _classify(files: list[Path], explicit: bool) -> Iterator[Input]:
    tf_files = [f for f in files if f.name.endswith(".tf")]
    for file in files:
        name = file.name.lower()
        if name.endswith(".tf.json"):
            yield Input(file, "tf-json")
        elif is_cfn_candidate(file) or (explicit and not name.endswith(".tf")):
            yield Input(file, "cfn")
    if tf_files:
        yield Input(tf_files[0].parent, "terraform", tuple(tf_files))


