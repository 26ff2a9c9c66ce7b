"""Benchmark: the HTML report's layered layout is linear in the nodes it draws.

Budget: eight times the nodes take less than 24 times the time (quadratic would be 64).
Run: python3 bench/bench_html_layout.py  (exit code 1 when not linear)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykit.reporters.html_layout import arrange, ranks

GROWTH_LIMIT = 24.0  # for 8x the nodes


def timed(count: int) -> float:
    nodes = [f"n{i}" for i in range(count)]
    links = [(f"n{i}", f"n{i + 1 + (i % 3)}") for i in range(count - 4)]
    start = time.perf_counter()
    arrange(nodes, links, dict.fromkeys(nodes, 30), ranks(nodes, links))
    return time.perf_counter() - start


def main() -> int:
    timed(200)
    small, large = min(timed(1000) for _ in range(5)), min(timed(8000) for _ in range(5))
    print(f"1,000 nodes {small:.3f} s, 8,000 nodes {large:.3f} s: {large / small:.1f}x (budget {GROWTH_LIMIT}x)")
    return 0 if large < small * GROWTH_LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
