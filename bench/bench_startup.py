"""Start-up benchmark: wall time of `python -m policykit scan` on a one-distribution template.

Budget: the median run must stay under 250 ms on the CI machine (pre-commit runs policykit on
every commit, so start-up is most of its cost). This is a benchmark, not a unit test: timings
depend on the machine, so it is run by hand or as its own CI step, never inside pytest.

Run from the repository root:

    python bench/bench_startup.py                 # 20 runs per template, budget 250 ms
    python bench/bench_startup.py --runs 50 --budget-ms 200
    python bench/bench_startup.py --python .venv/bin/python   # an installed wheel's interpreter

It prints the median and p90 wall time per template and exits 1 when a median is over budget
(2 when a scan itself fails). `python -X importtime -m policykit scan FILE` shows where time goes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def time_scan(python: str, template: Path) -> float:
    """Seconds of wall time for one `policykit scan` in a fresh interpreter."""
    started = time.perf_counter()
    proc = subprocess.run([python, "-m", "policykit", "scan", str(template)], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        sys.exit(f"bench: scan of {template} failed with exit code {proc.returncode}: {proc.stderr.strip()}")
    return elapsed


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per template (default 20)")
    parser.add_argument("--budget-ms", type=float, default=250.0, help="budget for the median (default 250)")
    parser.add_argument("--python", default=sys.executable, help="interpreter to run policykit with")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        minimal = Path(tmp) / "one-distribution.yaml"
        minimal.write_text(ONE_DISTRIBUTION, encoding="utf-8")
        over = False
        for template in (CORRECT, minimal):
            time_scan(args.python, template)  # warm-up: byte-compile, fill the OS file cache
            samples = [time_scan(args.python, template) for _ in range(args.runs)]
            median_ms = statistics.median(samples) * 1000
            p90_ms = percentile(samples, 0.9) * 1000
            verdict = "ok" if median_ms <= args.budget_ms else "OVER BUDGET"
            print(f"{template.name:<24} median {median_ms:6.1f} ms   p90 {p90_ms:6.1f} ms   "
                  f"min {min(samples) * 1000:6.1f} ms   ({args.runs} runs, budget {args.budget_ms:.0f} ms) {verdict}")
            over = over or median_ms > args.budget_ms
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
