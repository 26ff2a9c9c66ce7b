"""Which inputs a scan reads: files and directories walked in a stable order, each file classified by name
and content (CloudFormation, a Terraform module directory, JSON Terraform or plan), special files passed over,
excluded paths (`--exclude`, `exclude:`, policykit's own files) never read.

Hidden directories are not walked (they hold generated copies such as `.aws-sam/build` and `.serverless`, which
would count each distribution twice); one named on the command line is. A hidden directory that holds files of a
template's kind is reported (`Hidden`), so a template in `.infra/` is not passed over unseen.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Literal

from policykit.core.record import record
from policykit.findings import ScanError
from policykit.source.detect import SERVERLESS_NAMES, SERVERLESS_PROGRAMS, is_cfn_candidate
from policykit.source.files import is_stream
from policykit.source.globs import Exclusions, real

# Directories no one wants scanned: VCS data, dependencies, tool caches.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".terraform", ".venv", "venv", "__pycache__",
                       ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "cdk.out", ".aws-sam"})
# Hidden directories of tools, holding CI configuration, editor settings, caches or generated copies of templates:
# not walked, like every hidden directory, and not named either (every repository has some).
TOOL_DIRS = SKIP_DIRS | frozenset({
    ".github", ".gitlab", ".circleci", ".buildkite", ".azure-pipelines", ".devcontainer", ".vscode", ".idea",
    ".serverless", ".cache", ".npm", ".yarn", ".pnpm-store", ".next", ".nuxt", ".turbo", ".nx", ".angular",
    ".svelte-kit", ".docusaurus", ".expo", ".husky", ".gradle", ".m2", ".bundle", ".nox", ".eggs", ".hypothesis",
    ".direnv", ".terragrunt-cache", ".tflint.d", ".trunk", ".pre-commit-cache"})
# What a hidden directory must hold to be named: files of a template's kind, looked for among its first entries.
_TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template", ".tf")
_HIDDEN_LOOK = 1000


# What an input is read as: a CloudFormation template (or, for JSON that is not one, a plan or JSON
# Terraform; for a file with the Serverless Framework's variables, a service: policykit.api tries them), a
# Terraform module directory, a `.tf.json` file, a Serverless service file (by its name), a directory a read
# from AWS saved (`--save DIR`, policykit/aws/saved.py).
InputKind = Literal["cfn", "terraform", "tf-json", "serverless", "aws-saved"]
# The manifest that makes a directory a saved read from AWS: the directory is one input, its files are its own
SAVED_READ_MANIFEST = "policykit-aws.json"


@record
class Input:
    """One unit to scan: a file, or a Terraform module directory with its .tf files."""

    path: Path
    kind: InputKind
    files: tuple[Path, ...] = ()
    # the scanned tree it was found in (the directory given, or the directory of the file given): what `scan --edge`
    # may read a function's code from; None for a stream
    root: Path | None = None


def discover(paths: Iterable[Path], exclusions: Exclusions | None = None
             ) -> Iterator[Input | ScanError | Skip | Hidden]:
    """Inputs under `paths` in a stable order; a path that does not exist is an error; what the walk
    passes over on purpose (special files, links back to scanned directories) is a Skip; a hidden directory
    that holds files of a template's kind is Hidden. Excluded paths are passed over, named or walked."""
    yield from _discover(list(paths), exclusions or Exclusions())


@record
class Skip:
    """A path the walk passed over on purpose, with why (shown as a note, not an error)."""

    path: Path
    reason: str


@record
class Hidden:
    """A hidden directory the walk did not enter that holds files of a template's kind (named on the summary)."""

    path: Path


def _discover(paths: list[Path], exclusions: Exclusions) -> Iterator[Input | ScanError | Skip | Hidden]:
    modules: set[Path] = set()
    visited: set[tuple[int, int]] = set()  # (device, inode) of each walked directory
    for path in paths:
        if is_stream(path):
            # Named on the command line (`<(terraform show -json plan)`): read as given, once.
            yield Input(path, "cfn")
        elif exclusions.excluded(path):
            continue  # excluded even when named: pre-commit names every changed file, fixtures included
        elif path.is_dir():
            yield from (_rooted(i, path) for i in _walk(path, visited, exclusions))
        elif path.is_file() and (path.name.endswith(".tf") or _auto_loaded_vars(path.name)):
            # A changed .tf file (pre-commit passes file names) means its whole module: once per directory;
            # so does a variable file Terraform loads by itself, which changes what the module does.
            module = path.parent
            if module.resolve() not in modules:
                modules.add(module.resolve())
                yield Input(module, "terraform", tuple(sorted(f for f in module.iterdir() if f.is_file()
                                                              and f.name.endswith(".tf")
                                                              and not exclusions.excluded(f))), module)
        elif path.is_file() and path.name == SAVED_READ_MANIFEST:
            yield Input(path.parent, "aws-saved", root=path.parent)
        elif path.is_file():
            yield from (_rooted(i, path.parent) for i in _classify([path], explicit=True))
        else:
            yield ScanError(str(path), "no such file or directory")


def _rooted(item: Input | Skip | Hidden, root: Path) -> Input | Skip | Hidden:
    """An input found in a walk of `root` knows it: code it names is read only inside that tree."""
    return replace(item, root=root) if isinstance(item, Input) else item


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


def _walk(root: Path, visited: set[tuple[int, int]], exclusions: Exclusions) -> Iterator[Input | Skip | Hidden]:
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
        here = real(directory) if exclusions else ""
        for entry in entries:
            if exclusions and exclusions.excluded(entry, walked_in=here):
                continue
            if entry.is_file():
                files.append(entry)
            elif entry.is_dir():
                if entry.name.startswith("."):
                    if entry.name not in TOOL_DIRS and _holds_template_kinds(entry):
                        yield Hidden(entry)
                elif entry.name not in SKIP_DIRS:
                    directories.append(entry)
            elif kind := _special(entry):
                yield Skip(entry, f"not a regular file ({kind}): never opened in a directory walk")
        yield from _classify(files, explicit=False)
        stack.extend(reversed(directories))


def _holds_template_kinds(directory: Path) -> bool:
    """Whether a hidden directory holds a YAML, JSON, template or .tf file among its first entries, at any depth
    (a bounded look: a huge cache costs no more than a small one)."""
    stack, seen = [directory], 0
    while stack and seen < _HIDDEN_LOOK:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    seen += 1
                    if seen > _HIDDEN_LOOK:
                        return False
                    if entry.is_file() and entry.name.lower().endswith(_TEMPLATE_SUFFIXES):
                        return True
                    if entry.is_dir(follow_symlinks=False) and entry.name not in SKIP_DIRS:
                        stack.append(Path(entry.path))
        except OSError:
            continue
    return False


def _classify(files: list[Path], explicit: bool) -> Iterator[Input | Skip]:
    tf_files = [f for f in files if f.name.endswith(".tf")]
    for file in files:
        name = file.name.lower()
        if name in SERVERLESS_NAMES:
            yield Input(file, "serverless")
        elif name in SERVERLESS_PROGRAMS:
            yield Skip(file, "a Serverless service written as a program (JavaScript or TypeScript): policykit "
                             "reads serverless.yml, .yaml and .json, and runs no code")
        elif name.endswith(".tf.json"):
            yield Input(file, "tf-json")
        elif is_cfn_candidate(file) or (explicit and not name.endswith(".tf")):
            yield Input(file, "cfn")
    if tf_files:
        yield Input(tf_files[0].parent, "terraform", tuple(tf_files))


