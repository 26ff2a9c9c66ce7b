"""Start-up benchmark: `python -m policykit scan` on a one-distribution template, against the floor.

Budgets: the median run must stay under 250 ms on the CI machine (pre-commit runs policykit on
every commit, so start-up is most of its cost), and at most 1.5x the floor of any Typer CLI that
reads YAML, `python -c "import yaml, typer"`, paired: each scan runs next to a floor run, and the
median of the per-run ratios counts (a loaded machine slows both alike). This is a benchmark, not a
unit test: timings depend on the machine, so it is run by hand or as its own CI step, never inside
pytest (tests/test_startup.py checks what a small scan imports, which does not depend on the machine).

Run from the repository root:

    python bench/bench_startup.py                 # 20 runs per template, budgets 250 ms and 1.5x
    python bench/bench_startup.py --runs 50 --budget-ms 200 --max-ratio 1.4
    python bench/bench_startup.py --python /path/to/venv/bin/python   # an installed wheel (compiled catalog)

It prints, per template, the median, p90 and least wall time, the paired ratio to the floor in wall and CPU
time, and exits 1 when a budget is exceeded (2 when a scan itself fails). `python -X importtime -m policykit
scan FILE` shows where import time goes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Run, run

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "examples" / "cloudformation" / "correct.yaml"
ONE_DISTRIBUTION = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: web
            DomainName: origin.example.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior:
          TargetOriginId: web
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""


def time_scan(python: str, template: Path) -> Run:
    """One `policykit scan` in a fresh interpreter: wall and CPU time. It runs in the template's directory, not
    the checkout's, so `--python` measures the policykit installed for that interpreter (a wheel reads its
    compiled catalog, a checkout its YAML files), not the `policykit/` beside the working directory."""
    done = run([python, "-m", "policykit", "scan", str(template)], 60, cwd=str(template.parent))
    if done.code not in (0, 1) or done.timed_out:
        sys.exit(f"bench: scan of {template} failed with exit code {done.code}: {done.stderr_tail}")
    return done


def time_floor(python: str, cwd: Path) -> Run:
    """`python -c "import yaml, typer"`: what any Typer command that reads YAML pays before its own work."""
    return run([python, "-c", "import yaml, typer"], 60, cwd=str(cwd))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per template (default 20)")
    parser.add_argument("--budget-ms", type=float, default=250.0, help="budget for the median (default 250)")
    parser.add_argument("--max-ratio", type=float, default=1.5,
                        help="budget for the paired ratio to the floor, in CPU time (default 1.5)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to run policykit with")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "one-distribution.yaml"
        minimal.write_text(ONE_DISTRIBUTION, encoding="utf-8")
        correct = Path(tmp) / CORRECT.name
        correct.write_text(CORRECT.read_text(encoding="utf-8"), encoding="utf-8")
        over = False
        for template in (correct, minimal):
            time_floor(args.python, Path(tmp))
            time_scan(args.python, template)  # warm-up: byte-compile, fill the OS file cache
            pairs = [(time_floor(args.python, Path(tmp)), time_scan(args.python, template))
                     for _ in range(args.runs)]
            samples = [scan.seconds for _, scan in pairs]
            median_ms = statistics.median(samples) * 1000
            p90_ms = percentile(samples, 0.9) * 1000
            ratio = statistics.median([scan.seconds / floor.seconds for floor, scan in pairs])
            ratio_cpu = statistics.median([scan.cpu_seconds / floor.cpu_seconds for floor, scan in pairs])
            floor_ms = statistics.median([floor.seconds for floor, _ in pairs]) * 1000
            failed = median_ms > args.budget_ms or ratio_cpu > args.max_ratio
            print(f"{template.name:<24} median {median_ms:6.1f} ms   p90 {p90_ms:6.1f} ms   "
                  f"min {min(samples) * 1000:6.1f} ms   floor {floor_ms:5.1f} ms   paired {ratio:.2f}x "
                  f"(CPU {ratio_cpu:.2f}x)   ({args.runs} runs, budgets {args.budget_ms:.0f} ms, "
                  f"{args.max_ratio:g}x) {'OVER BUDGET' if failed else 'ok'}")
            over = over or failed
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
