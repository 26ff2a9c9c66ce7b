"""Benchmark: deploy-time scenarios cost a few times a template without conditions, not a product.

A generated template with 30 conditions (over 6 parameters: Env with 3 AllowedValues, Region with
2, four "true"/"false" flags) and 5 distributions whose origins and behaviors choose through nested
`Fn::If`s is scanned, and so is the same template with every `Fn::If` replaced by its first branch
(no condition at all). Budget: the conditional template takes at most 4x as long (issue 10).

The cost is the number of different configurations, not of combinations: each distribution has 4
deployable configurations (dev, staging, prod in us-east-1, prod in eu-west-1) among the 96
combinations of its inputs; `Fn::If`s that choose the same value either way (as real templates
have) make no scenario, and conditions are decided once per values of their roots.

Run from the repository root (exit code 1 when over budget):

    python bench/bench_scenarios.py            # 7 paired runs, budget 4x
    python bench/bench_scenarios.py --runs 15 --budget 3
    python bench/bench_scenarios.py --processes --budget 3   # whole `policykit scan` processes, start-up included

This is a benchmark, not a unit test: it is run by hand or as its own CI step, never in pytest.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from policykit.api import scan
from policykit.policy.loader import load_policies

DISTRIBUTIONS = 5
FLAGS = 4


def conditions() -> list[str]:
    """30 conditions over the 6 parameters, decided from their roots (Equals/Not/And/Or/Condition)."""
    out = [
        "IsDev: !Equals [!Ref Env, dev]", "IsStaging: !Equals [!Ref Env, staging]",
        "IsProd: !Equals [!Ref Env, prod]",
        "IsUs: !Equals [!Ref Region, us-east-1]", "IsEu: !Not [!Condition IsUs]",
        "NotProd: !Not [!Condition IsProd]", "ProdUs: !And [!Condition IsProd, !Condition IsUs]",
        "ProdEu: !And [!Condition IsProd, !Condition IsEu]", "PreProd: !Or [!Condition IsDev, !Condition IsStaging]",
    ]
    for flag in range(FLAGS):
        out += [f"F{flag}: !Equals [!Ref Flag{flag}, 'true']", f"NotF{flag}: !Not [!Condition F{flag}]",
                f"ProdF{flag}: !And [!Condition IsProd, !Condition F{flag}]",
                f"UsOrF{flag}: !Or [!Condition IsUs, !Condition F{flag}]"]
    out += ["AllFlags: !And [!Condition F0, !Condition F1, !Condition F2, !Condition F3]",
            "AnyFlag: !Or [!Condition F0, !Condition F1, !Condition F2, !Condition F3]",
            "ProdAll: !And [!Condition IsProd, !Condition AllFlags]",
            "EuAny: !And [!Condition IsEu, !Condition AnyFlag]",
            "Quiet: !Not [!Condition AnyFlag]"]
    assert len(out) == 30, len(out)
    return out


def distribution(index: int) -> str:
    flag = index % FLAGS
    return f"""\
  Dist{index}:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Aliases:
          - !If [IsProd, www{index}.example.com, !If [IsStaging, stage{index}.example.com, dev{index}.example.com]]
        ViewerCertificate:
          AcmCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc-{index}
          SslSupportMethod: sni-only
          MinimumProtocolVersion: !If [ProdUs, TLSv1.2_2021, !If [PreProd, TLSv1.2_2019, TLSv1.2_2021]]
        Origins:
          - Id: app
            DomainName:
              !If [IsProd, !If [IsUs, app{index}.example.com, eu-app{index}.example.com], test{index}.example.com]
            CustomOriginConfig:
              OriginProtocolPolicy: !If [ProdF{flag}, https-only, !If [UsOrF{flag}, https-only, https-only]]
              OriginSSLProtocols: [TLSv1.2]
          - Id: site
            DomainName: site{index}.s3-website-us-east-1.amazonaws.com
            CustomOriginConfig:
              OriginProtocolPolicy: !If [ProdAll, http-only, !If [EuAny, http-only, http-only]]
        DefaultCacheBehavior:
          TargetOriginId: !If [Quiet, app, !If [NotF{flag}, app, app]]
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
        CacheBehaviors:
          - PathPattern: /static/*
            TargetOriginId: site
            ViewerProtocolPolicy: !If [ProdEu, redirect-to-https, !If [NotProd, redirect-to-https, https-only]]
            CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""


def template() -> str:
    params = ("Parameters:\n  Env: {Type: String, Default: dev, AllowedValues: [dev, staging, prod]}\n"
              "  Region: {Type: String, Default: us-east-1, AllowedValues: [us-east-1, eu-west-1]}\n"
              + "".join(f"  Flag{f}: {{Type: String, Default: 'false', AllowedValues: ['true', 'false']}}\n"
                        for f in range(FLAGS)))
    return ('AWSTemplateFormatVersion: "2010-09-09"\n' + params + "Conditions:\n"
            + "".join(f"  {c}\n" for c in conditions()) + "Resources:\n"
            + "".join(distribution(i) for i in range(DISTRIBUTIONS)))


_IF = re.compile(r"!If \[\w+, ([^,\[\]]+|!If \[[^\]]*\]), [^\[\]]*?\]")


def without_conditions(text: str) -> str:
    """The same template with each `!If [C, a, b]` replaced by `a` (innermost first), and no Conditions."""
    inner = re.compile(r"!If \[\w+, ([^,\[\]]+), ([^,\[\]]+)\]")
    while "!If" in text:
        text = inner.sub(lambda m: m.group(1).strip(), text)
    head, _, rest = text.partition("Conditions:\n")
    return head + rest[rest.index("Resources:"):]


def timed(path: Path, policies: list) -> tuple[float, int]:  # type: ignore[type-arg]
    started = time.perf_counter()
    result = scan([path], policies=policies)
    elapsed = time.perf_counter() - started
    if result.errors:
        raise SystemExit(f"scan failed: {result.errors[0]}")
    return elapsed, len(result.findings)


def timed_process(path: Path) -> tuple[float, int]:
    """One whole `policykit scan` process, as a user or CI runs it (start-up, catalog and report included)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "policykit", "scan", "--no-config", "--format", "json", str(path)],
                          capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"scan failed: {done.stderr.strip()}")
    return elapsed, len(json.loads(done.stdout)["findings"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--budget", type=float, default=4.0, help="largest allowed ratio (default 4)")
    parser.add_argument("--processes", action="store_true", help="time whole `policykit scan` processes")
    args = parser.parse_args()
    policies = load_policies(())

    def measure(path: Path) -> tuple[float, int]:
        return timed_process(path) if args.processes else timed(path, policies)

    with tempfile.TemporaryDirectory() as tmp:
        conditional, plain = Path(tmp) / "conditional.yaml", Path(tmp) / "plain.yaml"
        conditional.write_text(template(), encoding="utf-8")
        plain.write_text(without_conditions(template()), encoding="utf-8")
        measure(conditional), measure(plain)  # warm up imports and caches
        ratios, with_times, without_times = [], [], []
        for _ in range(args.runs):  # paired: each conditional run beside a plain one
            with_time, _findings = measure(conditional)
            without_time, _ = measure(plain)
            with_times.append(with_time)
            without_times.append(without_time)
            ratios.append(with_time / without_time)
    ratio = statistics.median(ratios)
    kind = "whole processes" if args.processes else "in-process scans"
    print(f"30 conditions, {DISTRIBUTIONS} distributions ({kind}): {statistics.median(with_times) * 1000:.0f} ms; "
          f"without conditions: {statistics.median(without_times) * 1000:.0f} ms; "
          f"ratio {ratio:.2f}x (budget {args.budget:g}x, median of {args.runs} paired runs)")
    return 0 if ratio <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
