"""The live run's speed bound (50 origins probed in under 3 s, bench/bench_live.py) and its bound on hung origins
(bench/bench_live_hung.py)."""

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


def test_hung_origins_are_bounded_per_origin() -> None:
    """⌈origins / concurrency⌉ x --origin-timeout: each hung origin (three names, each handshake
    hanging) is cut off by its own bound, and no origin waits for another."""
    spec = importlib.util.spec_from_file_location("bench_live_hung", ROOT / "bench" / "bench_live_hung.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    elapsed, stopped = bench.run(20, 10, 0.3, 0.7)
    assert stopped == 20  # every origin got its verdict or its bound, none was dropped
    assert elapsed < bench.budget(20, 10, 0.7), elapsed
