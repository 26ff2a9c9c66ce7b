"""Benchmark the bounds of `policykit scan --live`: 50 hung origins finish in about
⌈50 / concurrency⌉ x the per-origin bound.

    python3 bench/bench_live_hung.py [--origins 50] [--concurrency 16] [--timeout 0.4] [--origin-timeout 1]

Each origin is a loopback server that accepts TCP and never answers, reached with three names
(aliases whose behaviors forward Host), so its handshakes alone would take 3 x --timeout: the
per-origin bound cuts each origin off. Real servers on 127.0.0.1, a loopback DNS server.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "live")]

from live_servers import DnsServer, Server  # noqa: E402

from policykit.cli import main  # noqa: E402

ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # forwards Host: each alias is sent as SNI


def template(ports: list[int]) -> str:
    lines = ["Resources:"]
    for index, port in enumerate(ports):
        lines += [f"  Cdn{index}:", "    Type: AWS::CloudFront::Distribution", "    Properties:",
                  "      DistributionConfig:", "        Enabled: true", "        Aliases:",
                  *(f"          - {n}{index}.example.test" for n in ("www", "api", "ws")),
                  "        Origins:", f"          - Id: o{index}", f"            DomainName: origin{index}.test",
                  "            CustomOriginConfig:", "              OriginProtocolPolicy: https-only",
                  f"              HTTPSPort: {port}",
                  "        DefaultCacheBehavior:", f"          TargetOriginId: o{index}",
                  "          ViewerProtocolPolicy: https-only",
                  "          CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                  f"          OriginRequestPolicyId: {ALL_VIEWER}"]
    return "\n".join(lines) + "\n"


def run(origins: int, concurrency: int, timeout: float, origin_timeout: float) -> tuple[float, int]:
    """(seconds, origins that were cut off by the per-origin bound or timed out)."""
    servers = [Server(None, behavior="hang") for _ in range(origins)]
    dns = DnsServer({f"origin{i}.test": "127.0.0.1" for i in range(origins)})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "template.yaml"
            path.write_text(template([s.port for s in servers]), encoding="utf-8")
            out = io.StringIO()
            started = time.perf_counter()
            with redirect_stdout(out), redirect_stderr(io.StringIO()):
                code = main(["scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
                             "--concurrency", str(concurrency), "--timeout", str(timeout),
                             "--origin-timeout", str(origin_timeout), "--format", "json", "--show-unknown"])
            elapsed = time.perf_counter() - started
    finally:
        for server in servers:
            server.stop()
        dns.stop()
    if code not in (0, 1):
        raise SystemExit(f"policykit exited {code}")
    findings = json.loads(out.getvalue())["findings"]
    stopped = {f["distribution"] for f in findings if f["policy_id"] in ("PK614", "PK615")
               or (f["unknown"] and "per-origin bound" in f["message"])}
    return elapsed, len(stopped)


def budget(origins: int, concurrency: int, origin_timeout: float) -> float:
    """⌈origins / concurrency⌉ x the per-origin bound, plus one second for start-up and the report."""
    return math.ceil(origins / concurrency) * origin_timeout + 1.0


def main_bench() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--origins", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--timeout", type=float, default=0.4)
    parser.add_argument("--origin-timeout", type=float, default=1.0)
    args = parser.parse_args()
    elapsed, stopped = run(args.origins, args.concurrency, args.timeout, args.origin_timeout)
    limit = budget(args.origins, args.concurrency, args.origin_timeout)
    print(f"{args.origins} hung origins, concurrency {args.concurrency}, --timeout {args.timeout:g}, "
          f"--origin-timeout {args.origin_timeout:g}: {elapsed:.2f} s (budget {limit:g} s), {stopped} stopped")
    return 0 if elapsed < limit and stopped == args.origins else 1


if __name__ == "__main__":
    sys.exit(main_bench())
