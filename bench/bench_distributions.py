"""Budgets for the per-distribution cost, on templates shaped like real stacks (bench/generate.py `cfn_realistic`:
each distribution with its certificate, load balancer, HTTPS listener, cache and origin request policies).

Targets (whole `policykit scan` processes, on the 2-core machine the README names):
  - 200 distributions in at most 0.4 s (the median wall time of the runs)
  - 1,600 distributions in at most 2.2x the time of 800 (linear is 2; least CPU time, start-up included)
  - peak RSS under 100 MB at 800 distributions and under 300 MB at 5,000
  - the small scan (1 distribution) no slower than --small-budget (default 0.25 s, the median wall time)
The target against checkov (800 distributions in at most half its time) is measured by bench/peers.py.

Run from the repository root (exit code 1 when a target is missed):

    python bench/bench_distributions.py                    # 5 runs each (1 at 5,000)
    python bench/bench_distributions.py --python VENV/bin/python --runs 7   # an installed wheel
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cfn_realistic
from measure import Run, median, run

SIZES = (1, 200, 800, 1600, 5000)


def measure(python: str, path: Path, runs: int) -> list[Run]:
    command = [python, "-m", "policykit", "scan", "--no-config", "--format", "json", str(path)]
    return [run(command, 600, cwd=str(path.parent)) for _ in range(runs)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5, help="runs per size (one at 5,000)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to run policykit with")
    parser.add_argument("--small-budget", type=float, default=0.25, help="seconds for one distribution")
    args = parser.parse_args()
    print(f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())} at start")
    done: dict[int, list[Run]] = {}
    with tempfile.TemporaryDirectory(prefix="policykit-distributions-") as tmp:
        for count in SIZES:
            path = Path(tmp) / f"realistic-{count}.yaml"
            path.write_text(cfn_realistic(count), encoding="utf-8")
            done[count] = measure(args.python, path, 1 if count >= 5000 else args.runs)
            samples = done[count]
            walls = [s.seconds for s in samples]
            print(f"{count:5} distributions: {median(walls):6.2f} s wall (median; {min(walls):.2f}-{max(walls):.2f}), "
                  f"{min(s.cpu_seconds for s in samples):6.2f} s CPU (least), "
                  f"{max(s.peak_rss_mb for s in samples):6.1f} MB, exit {sorted({s.code for s in samples})}",
                  flush=True)

    def wall(count: int) -> float:
        return median([s.seconds for s in done[count]])

    def cpu(count: int) -> float:
        return min(s.cpu_seconds for s in done[count])

    def rss(count: int) -> float:
        return max(s.peak_rss_mb for s in done[count])

    targets = [
        ("1 distribution, seconds", wall(1), args.small_budget),
        ("200 distributions, seconds", wall(200), 0.4),
        ("1,600 / 800 distributions (CPU)", cpu(1600) / cpu(800), 2.2),
        ("peak RSS at 800 distributions, MB", rss(800), 100.0),
        ("peak RSS at 5,000 distributions, MB", rss(5000), 300.0),
    ]
    scanned = all(s.code in (0, 1) for samples in done.values() for s in samples)
    ok = scanned
    print()
    for label, value, limit in targets:
        ok = ok and value <= limit
        print(f"{label:40} {value:8.2f}  (target {limit:g})  {'ok' if value <= limit else 'MISSED'}")
    if not scanned:
        print("a scan did not finish with exit 0 or 1")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
