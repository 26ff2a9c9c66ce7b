"""The speed bound of issue 5: 50 origins behind loopback servers probed in under 3 s."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_fifty_origins_under_three_seconds() -> None:
    spec = importlib.util.spec_from_file_location("bench_live", ROOT / "bench" / "bench_live.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    elapsed, handshakes = bench.run(50)
    assert handshakes >= 50  # every origin was really reached
    assert elapsed < 3.0, elapsed
