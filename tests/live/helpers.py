"""Helpers of the --live tests: a template writer and finding filters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ALL_VIEWER = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # managed origin request policy: forwards Host


def template(origins: list[dict[str, Any]], aliases: tuple[str, ...] = (), forward_host: bool = False,
             paths: tuple[tuple[str, str], ...] = ()) -> str:
    """A CloudFormation template with one distribution. origins: id, domain, port, protocols, policy, path
    (YAML text, quoted as needed)."""
    lines = ["Resources:", "  Cdn:", "    Type: AWS::CloudFront::Distribution", "    Properties:",
             "      DistributionConfig:", "        Enabled: true"]
    if aliases:
        lines.append("        Aliases:")
        lines += [f"          - {a}" for a in aliases]
    lines.append("        Origins:")
    for origin in origins:
        lines += [f"          - Id: {origin['id']}", f"            DomainName: {origin['domain']}"]
        if "path" in origin:
            lines.append(f"            OriginPath: {origin['path']}")
        lines += ["            CustomOriginConfig:",
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


def ids(findings: list[dict[str, Any]], *, unknown: bool = False) -> set[str]:
    return {f["policy_id"] for f in findings if f["unknown"] is unknown}


def of(findings: list[dict[str, Any]], policy_id: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["policy_id"] == policy_id and not f["unknown"]]
