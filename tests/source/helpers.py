"""Helpers of the source tests: a scan beside a broken example, and which files a scan read."""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.helpers import EXAMPLES, RunCli

BROKEN = EXAMPLES / "cloudformation" / "broken-origins.yaml"


def one_error_beside_a_broken_example(run_cli: RunCli, path: Path) -> dict[str, object]:
    """Scan `path` beside a broken example: one input error, about `path`; the example is still scanned."""
    started = time.monotonic()
    code, out, err = run_cli("scan", "--format", "json", str(path), str(BROKEN))
    assert time.monotonic() - started < 20, "no hang"
    assert code == 2, (out, err)
    document = json.loads(out)
    [error] = document["errors"]
    assert error["file"] == str(path)
    assert {"PK101", "PK201"} <= {f["policy_id"] for f in document["findings"]}, "the other file is scanned"
    assert "Traceback" not in err
    return error  # type: ignore[no-any-return]


def scanned_files(run_cli: RunCli, *paths: Path) -> tuple[list[str], str]:
    """The files a scan of `paths` read (its distributions by file) and its stderr."""
    code, out, err = run_cli("scan", "--format", "json", *map(str, paths))
    assert code == 1, err
    document = json.loads(out)
    return document["summary"]["distributions_by_file"], err
