"""Fixtures for the --live tests: a PKI, server factories that clean up, a template writer, a runner."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from live_servers import DnsServer, Pki, Server

ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # managed origin request policy: forwards Host


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(*args: Any, **kwargs: Any) -> Server:
        server = Server(*args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def dns_server() -> Iterator[Callable[[dict[str, str]], DnsServer]]:
    started: list[DnsServer] = []

    def start(records: dict[str, str]) -> DnsServer:
        server = DnsServer(records)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def template(origins: list[dict[str, Any]], aliases: tuple[str, ...] = (), forward_host: bool = False,
             paths: tuple[tuple[str, str], ...] = ()) -> str:
    """A CloudFormation template with one distribution. origins: id, domain, port, protocols, policy."""
    lines = ["Resources:", "  Cdn:", "    Type: AWS::CloudFront::Distribution", "    Properties:",
             "      DistributionConfig:", "        Enabled: true"]
    if aliases:
        lines.append("        Aliases:")
        lines += [f"          - {a}" for a in aliases]
    lines.append("        Origins:")
    for origin in origins:
        lines += [f"          - Id: {origin['id']}", f"            DomainName: {origin['domain']}",
                  "            CustomOriginConfig:",
                  f"              OriginProtocolPolicy: {origin.get('policy', 'https-only')}"]
        port_key = "HTTPPort" if origin.get("policy") == "http-only" else "HTTPSPort"
        lines.append(f"              {port_key}: {origin['port']}")
        if origin.get("protocols"):
            lines.append(f"              OriginSSLProtocols: [{', '.join(origin['protocols'])}]")
    policy = f"\n          OriginRequestPolicyId: {ALL_VIEWER}" if forward_host else ""
    nested = policy.replace("\n" + " " * 10, "\n" + " " * 12)
    lines.append(f"        DefaultCacheBehavior:\n          TargetOriginId: {origins[0]['id']}\n"
                 f"          ViewerProtocolPolicy: redirect-to-https\n"
                 f"          CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad{policy}")
    if paths:
        lines.append("        CacheBehaviors:")
        for pattern, target in paths:
            lines.append(f"          - PathPattern: {pattern}\n            TargetOriginId: {target}\n"
                         f"            ViewerProtocolPolicy: https-only\n"
                         f"            CachePolicyId: 4135ea2d-6df8-44a3-9df3-4b5a84be39ad{nested}")
    return "\n".join(lines) + "\n"


LiveRun = Callable[..., tuple[int, list[dict[str, Any]], str]]


@pytest.fixture
def live(run_cli: Callable[..., tuple[int, str, str]], write: Callable[[str, str], Path],
         pki: Pki) -> LiveRun:
    """Write the template, run `policykit scan --live --format json ...`; (exit code, findings, stderr)."""

    def run(text: str, dns: DnsServer | None, *extra: str,
            private: bool = True) -> tuple[int, list[dict[str, Any]], str]:
        path = write("template.yaml", text)
        args = ["scan", str(path), "--live", "--format", "json", "--trust-store", str(pki.trust_store),
                *(["--nameserver", dns.address] if dns else []), *(["--allow-private"] if private else []), *extra]
        code, out, err = run_cli(*args)
        assert code in (0, 1), (code, out, err)
        return code, json.loads(out)["findings"], err

    return run


def ids(findings: list[dict[str, Any]], *, unknown: bool = False) -> set[str]:
    return {f["policy_id"] for f in findings if f["unknown"] is unknown}


def of(findings: list[dict[str, Any]], policy_id: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["policy_id"] == policy_id and not f["unknown"]]
