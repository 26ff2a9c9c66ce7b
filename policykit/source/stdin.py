"""Standard input as one scan input (`scan -`): read once, bounded by the file_bytes limit, and written to a private
temporary file named like the file it stands for (`--stdin-filename`), so it is read as that kind of file; findings,
errors and fingerprints then name it as the user did (`-`, or that name). Without a name, its content says: JSON,
Terraform's HCL (a top-level block), else YAML."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from policykit.core.errors import UsageError
from policykit.core.limits import LIMITS, hint
from policykit.source.detect import looks_like_hcl
from policykit.source.files import read_bounded

STDIN = Path("-")


@contextlib.contextmanager
def stdin_as_file(paths: list[Path], name: str | None) -> Iterator[tuple[list[Path], dict[str, str]]]:
    """`paths` with `-` replaced by the temporary file that holds stdin, and the names to show for that file
    (file and directory -> the name given); `paths` as they are when none is `-`."""
    if STDIN not in paths:
        if name is not None:
            raise UsageError("--stdin-filename needs - among the paths (read the template from stdin)")
        yield paths, {}
        return
    if paths.count(STDIN) > 1:
        raise UsageError("- (stdin) can be given once")
    limit = LIMITS.file_bytes
    data = read_bounded(sys.stdin.buffer, limit) if hasattr(sys.stdin, "buffer") else \
        sys.stdin.read(min(limit + 1, 1 << 30)).encode("utf-8", "surrogateescape")
    if len(data) > limit:
        raise UsageError(f"stdin is larger than {limit:,} bytes: {hint('file_bytes')}")
    shown = name or "-"
    suffix = Path(name).name if name else _unnamed(data)
    import tempfile  # only standard input needs it

    with tempfile.TemporaryDirectory(prefix="policykit-stdin-") as directory:
        temp = Path(directory) / suffix
        temp.write_bytes(data)
        yield [temp if p == STDIN else p for p in paths], {str(temp): shown, str(temp.parent): shown}


def _unnamed(data: bytes) -> str:
    """The name unnamed standard input is read under, by its content."""
    if data.lstrip()[:1] in (b"{", b"["):
        return "stdin.json"
    return "stdin.tf" if looks_like_hcl(data.decode("utf-8", "replace")) else "stdin.yaml"
