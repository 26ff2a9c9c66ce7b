"""Benchmark: a distribution with many origins and behaviors is modelled and checked in linear time.

Budget: 150 origins and 150 cache behaviors (the CloudFront quotas are 100/75 by default, 250/...
on request) scan in under 3 seconds, and 4x the size takes under 6x the time (no quadratic
scan of behaviors by origin or of origins by id: policykit/facts/indexes.py).
Run: python3 bench/bench_model.py  (exit code 1 when too slow or not linear)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykit.api import ScanOptions, scan

LIMIT_SECONDS = 3.0
GROWTH_LIMIT = 6.0  # for 4x as many origins and behaviors


def template(count: int) -> str:
    origins = "".join(f"""
          - Id: o{i}
            DomainName: o{i}.example.com
            CustomOriginConfig: {{OriginProtocolPolicy: https-only}}""" for i in range(count))
    behaviors = "".join(f"""
          - PathPattern: /p{i}/*
            TargetOriginId: o{i}
            ViewerProtocolPolicy: redirect-to-https
            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6""" for i in range(count))
    return f"""AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Distribution:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:{origins}
        CacheBehaviors:{behaviors}
        DefaultCacheBehavior: {{TargetOriginId: o0, ViewerProtocolPolicy: redirect-to-https}}
"""


def timed(directory: Path, count: int) -> float:
    path = directory / f"t{count}.yaml"
    path.write_text(template(count), encoding="utf-8")
    start = time.perf_counter()
    result = scan([path], ScanOptions())
    elapsed = time.perf_counter() - start
    assert not result.errors, result.errors
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        timed(Path(tmp), 5)  # warm up: policies loaded, modules imported
        small, large = timed(Path(tmp), 40), timed(Path(tmp), 160)
    print(f"40 origins x 40 behaviors: {small:.2f} s; 160 x 160: {large:.2f} s ({large / small:.1f}x)")
    if large > LIMIT_SECONDS:
        print(f"too slow: over {LIMIT_SECONDS} s")
        return 1
    if large / small > GROWTH_LIMIT:
        print(f"not linear: 4x the size took {large / small:.1f}x the time (limit {GROWTH_LIMIT}x)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
