"""`policykit probe HOST[:PORT]`: the live checks on one origin, without a template."""

# No `from __future__ import annotations`: Typer reads the options from the annotations, and evaluating them
# once here is cheaper than Typer evaluating each string on every run.

import enum
from pathlib import Path
from typing import Annotated

import typer

from policykit.cli.scan import Format, Threshold, exit_on_outcome, load_config, parse_outputs, write_report
from policykit.errors import UsageError
from policykit.probes import options as live_options


class Protocol(str, enum.Enum):
    https = "https"
    http = "http"


def probe(
    target: Annotated[str, typer.Argument(help="The origin: HOST, HOST:PORT or [IPv6]:PORT.")],
    host: Annotated[list[str] | None, typer.Option(
        "--host", help="A viewer Host CloudFront forwards, sent as SNI and Host (repeatable: every name "
        "CloudFront would send, e.g. --host www.example.com --host ws.example.com). Default: HOST.")] = None,
    sni: Annotated[list[str] | None, typer.Option(
        "--sni", help="Same as --host (CloudFront sends one name as both SNI and Host).")] = None,
    protocol: Annotated[Protocol, typer.Option("--protocol", help="How CloudFront reaches the origin.")
                        ] = Protocol.https,
    ssl_protocols: Annotated[str | None, typer.Option(
        "--ssl-protocols", help="The distribution's OriginSSLProtocols, comma-separated (e.g. TLSv1.2) "
        "[default: TLSv1,TLSv1.1,TLSv1.2].", show_default=False)] = None,
    websocket: Annotated[str | None, typer.Option(
        "--websocket", help="Also send a WebSocket upgrade to PATH.")] = None,
    path: Annotated[str, typer.Option("--path", help="The path of the HEAD request.")] = "/",
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[list[str] | None, typer.Option(
        "--output", "-o", help="Write the report to FILE, or FORMAT=FILE (repeatable; - is stdout).")] = None,
    severity_threshold: Annotated[Threshold | None, typer.Option(
        "--severity-threshold", help="Exit 1 when a finding at or above this severity exists "
        "(default: error).")] = None,
    show_unknown: Annotated[bool, typer.Option(
        "--show-unknown", help="List the checks that could not be made, and why.")] = False,
    nameserver: Annotated[list[str] | None, typer.Option(
        "--nameserver", help="Resolve with this DNS server, HOST[:PORT] (repeatable).")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Also probe loopback, private and link-local addresses.")] = False,
    trust_store: Annotated[Path | None, typer.Option(
        "--trust-store", help="PEM file of root CAs instead of the Mozilla bundle.")] = None,
    timeout: Annotated[float, typer.Option(
        "--timeout", help="Seconds per probe step, a deadline for the whole step.")] = live_options.DEFAULT_TIMEOUT,
    origin_timeout: Annotated[float, typer.Option(
        "--origin-timeout", help="Seconds for every step and retry of the target.")
                              ] = live_options.DEFAULT_ORIGIN_TIMEOUT,
    expiry_warning_days: Annotated[int, typer.Option(
        "--expiry-warning-days", help="Warn when the certificate expires this soon.")] = 30,
) -> None:
    """Probe one origin as CloudFront would: DNS, TCP, TLS with CloudFront's offer, the chain, HTTP."""
    from policykit.facts.wire_names import shown  # scanning code: imported when a probe runs, not for --help
    from policykit.policy.loader import load_policies
    from policykit.probes.direct import Target, check, parse_target
    from policykit.probes.direct import probe as run_probe

    outputs = parse_outputs(output, format.value)
    try:
        hostname, port = parse_target(target, protocol.value)
    except ValueError as exc:
        raise UsageError(f"probe {shown(target)}: {exc}") from None
    protocols = tuple(p.strip() for p in ssl_protocols.split(",") if p.strip()) if ssl_protocols else None
    names = tuple(n.rstrip(".").lower() for n in [*(host or ()), *(sni or ())])
    wanted = Target(hostname, port, protocol.value, names, protocols, websocket, path)
    problem = check(wanted)
    if problem:
        raise UsageError(f"probe {shown(target)}: {problem}")
    options = live_options.build(True, nameserver, allow_private, trust_store, timeout, 1, expiry_warning_days,
                                 progress=False, origin_timeout=origin_timeout,
                                 run_timeout=max(origin_timeout, live_options.DEFAULT_RUN_TIMEOUT))
    if options is None:  # pragma: no cover - build returns None only without --live
        raise UsageError("probe: no live options")
    result = run_probe(wanted, options, load_policies(()))
    for name, target_file in outputs:
        write_report(result, name, target_file, show_unknown)
    if ("text", "-") not in outputs:
        for error in result.errors:
            typer.echo(f"policykit: {error}", err=True)
    exit_on_outcome(result, severity_threshold, load_config(None, True))

