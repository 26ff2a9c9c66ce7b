"""Linear-cost benchmark (issue 14, point 3): policykit's time grows with the input, not faster.

Targets (on the 2-core CI machine):
  - time(800 distributions) <= 4.4 x time(200 distributions)  (linear is 4)
  - 1,600 and 5,000 distributions scan (exit 0/1: no false bound refuses them)
  - time(2,000 origins + 2,000 behaviors) <= 6 x time(400 + 400)  (linear is 5)
  - peak RSS under 100 MB at 800 distributions

Run from the repository root:

    python bench/linear.py                  # 5 runs each, the least CPU time; exit 1 when a target is missed
    python bench/linear.py --runs 5 --json linear.json

Times are the CPU time (user + system) of whole `policykit scan` runs in a fresh interpreter, which a
loaded machine disturbs far less than wall time; the start-up (a scan of an empty template) is
subtracted, so the ratios compare the work that grows with the input. Wall times are printed too.
On a shared machine a small input's work is close to the noise of the start-up it is measured less,
so the same ratios are also printed for the scan alone: in one process, after a first scan, the
least CPU time of five (no start-up to subtract, no report written). They are for reading, not
judged: a 4x larger heap makes every step a little slower (caches, garbage collection) even where
each is done exactly 4x as often.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cfn_distributions, cfn_origins_behaviors
from measure import Run, median, run

TIME_BOUND_S = 600.0
_SCAN_ONLY_INPUTS = ("200 distributions", "800 distributions", "400 origins + 400 behaviors",
                     "2000 origins + 2000 behaviors")


def scan_command(python: str, path: Path) -> list[str]:
    return [python, "-m", "policykit", "scan", "--no-config", "--format", "json", str(path)]


def measure(python: str, path: Path, runs: int) -> tuple[float, float, list[Run]]:
    """(least CPU seconds, peak RSS in MB, the runs): the least of several runs is the one a shared machine
    disturbed least, as `timeit` reports it."""
    samples = [run(scan_command(python, path), TIME_BOUND_S, cwd=str(path.parent)) for _ in range(runs)]
    return min(s.cpu_seconds for s in samples), max(s.peak_rss_mb for s in samples), samples


_SCAN_ONLY = """
import json, sys, time
from pathlib import Path
from policykit.api import scan
from policykit.policy.loader import load_policies
policies = load_policies()
path = Path(sys.argv[1])
scan([path], policies=policies)
times = []
for _ in range(int(sys.argv[2])):
    started = time.process_time()
    scan([path], policies=policies)
    times.append(time.process_time() - started)
print(json.dumps(times))
"""


def scan_only(python: str, path: Path, repeats: int) -> float:
    """The least CPU seconds of `repeats` scans of `path` in one process (after one to warm up)."""
    import subprocess

    done = subprocess.run([python, "-c", _SCAN_ONLY, str(path), str(repeats)], capture_output=True, text=True,
                          timeout=TIME_BOUND_S * repeats, check=False, cwd=str(path.parent))
    return min(json.loads(done.stdout)) if done.returncode == 0 else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per input; the least CPU time counts (default 5)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to run policykit with")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args()

    inputs = {
        "empty": "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
        **{f"{n} distributions": cfn_distributions(n) for n in (200, 800, 1600, 5000)},
        "400 origins + 400 behaviors": cfn_origins_behaviors(400, 400),
        "2000 origins + 2000 behaviors": cfn_origins_behaviors(2000, 2000),
    }
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="policykit-linear-") as tmp:
        for name, text in inputs.items():
            path = Path(tmp) / (name.replace(" ", "-").replace("+", "and") + ".yaml")
            path.write_text(text, encoding="utf-8")
            runs = 1 if name.startswith("5000") else args.runs
            seconds, rss, samples = measure(args.python, path, runs)
            codes = sorted({s.code for s in samples})
            wall = median([s.seconds for s in samples])
            results[name] = {"cpu_seconds": seconds, "wall_seconds": wall, "peak_rss_mb": rss, "exit_codes": codes,
                             "bytes": len(text.encode()), "stderr": samples[-1].stderr_tail}
            if name in _SCAN_ONLY_INPUTS:
                results[name]["scan_only_seconds"] = scan_only(args.python, path, 5)
            print(f"{name:32} {seconds:8.2f} s CPU {wall:8.2f} s wall {rss:7.1f} MB  exit {codes}", flush=True)

    seconds_of = {name: float(str(r["cpu_seconds"])) for name, r in results.items()}
    base = seconds_of["empty"]

    def work(name: str) -> float:
        return max(seconds_of[name] - base, 1e-3)

    targets = [
        ("time(800) / time(200) <= 4.4", work("800 distributions") / work("200 distributions"), 4.4),
        ("time(2000+2000) / time(400+400) <= 6", work("2000 origins + 2000 behaviors")
         / work("400 origins + 400 behaviors"), 6.0),
        ("peak RSS at 800 distributions < 100 MB", float(str(results["800 distributions"]["peak_rss_mb"])), 100.0),
    ]
    ok = True
    print()
    for label, value, limit in targets:
        verdict = "ok" if value <= limit else "MISSED"
        ok = ok and value <= limit
        print(f"{label:44} {value:8.2f}  {verdict}")
    only = {name: float(str(results[name]["scan_only_seconds"])) for name in _SCAN_ONLY_INPUTS}
    print(f"{'scan alone: 800 / 200 distributions':44} {only['800 distributions'] / only['200 distributions']:8.2f}"
          f"  (linear: 4)")
    print(f"{'scan alone: 2000+2000 / 400+400':44} "
          f"{only['2000 origins + 2000 behaviors'] / only['400 origins + 400 behaviors']:8.2f}  (linear: 5)")
    for name in ("1600 distributions", "5000 distributions"):
        codes = results[name]["exit_codes"]
        scanned = codes in ([0], [1], [0, 1])
        ok = ok and scanned
        verdict = "ok" if scanned else f"MISSED: {results[name]['stderr']}"
        print(f"{name + ' scan (exit 0/1)':44} {codes!s:>8}  {verdict}")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "targets": [
            {"target": label, "value": value, "limit": limit} for label, value, limit in targets]}, indent=2),
            encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
