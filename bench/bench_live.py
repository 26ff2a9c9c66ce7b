"""Benchmark `policykit scan --live`: 50 HTTPS origins behind loopback TLS servers must take under 3 s.

    python3 bench/bench_live.py [--origins 50] [--budget 3]

Starts real servers on 127.0.0.1 (the helpers of tests/live), a loopback DNS server for the
names, writes a template with one distribution per 10 origins, and times the CLI in-process.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "live")]

from live_servers import DnsServer, Pki, Server  # noqa: E402

from policykit.cli import main  # noqa: E402


def template(ports: list[int]) -> str:
    lines = ["Resources:"]
    for start in range(0, len(ports), 10):
        group = list(enumerate(ports))[start:start + 10]
        lines += [f"  Cdn{start // 10}:", "    Type: AWS::CloudFront::Distribution", "    Properties:",
                  "      DistributionConfig:", "        Enabled: true", "        Origins:"]
        for index, port in group:
            lines += [f"          - Id: o{index}", f"            DomainName: origin{index}.test",
                      "            CustomOriginConfig:", "              OriginProtocolPolicy: https-only",
                      f"              HTTPSPort: {port}"]
        lines += ["        DefaultCacheBehavior:", f"          TargetOriginId: o{group[0][0]}",
                  "          ViewerProtocolPolicy: https-only",
                  "          CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "        CacheBehaviors:"]
        for index, _ in group[1:]:
            lines += [f"          - PathPattern: /o{index}/*", f"            TargetOriginId: o{index}",
                      "            ViewerProtocolPolicy: https-only",
                      "            CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad"]
    return "\n".join(lines) + "\n"


def run(origins: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        pki = Pki.create(Path(tmp))
        servers = [Server(pki.context(pki.leaf(f"origin{i}.test"), (pki.intermediate,))) for i in range(origins)]
        dns = DnsServer({f"origin{i}.test": "127.0.0.1" for i in range(origins)})
        path = Path(tmp) / "template.yaml"
        path.write_text(template([s.port for s in servers]), encoding="utf-8")
        out = io.StringIO()
        started = time.perf_counter()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            code = main(["scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
                         "--trust-store", str(pki.trust_store), "--format", "json"])
        elapsed = time.perf_counter() - started
        handshakes = sum(len(s.handshakes) for s in servers)
        for server in servers:
            server.stop()
        dns.stop()
        if code not in (0, 1):
            raise SystemExit(f"policykit exited {code}")
        return elapsed, handshakes


def main_bench() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--origins", type=int, default=50)
    parser.add_argument("--budget", type=float, default=3.0, help="seconds")
    args = parser.parse_args()
    elapsed, handshakes = run(args.origins)
    print(f"{args.origins} origins, {handshakes} handshakes: {elapsed:.2f} s (budget {args.budget:g} s)")
    return 0 if elapsed < args.budget and handshakes >= args.origins else 1


if __name__ == "__main__":
    sys.exit(main_bench())
