"""`policykit probe HOST[:PORT]`: the live checks on one origin, without a template."""

# No `from __future__ import annotations`: Typer reads the options from the annotations, and evaluating them
# once here is cheaper than Typer evaluating each string on every run.

import dataclasses
import enum
from pathlib import Path
from typing import Annotated

import typer

from policykit.cli.common import (
    Color,
    ColorOption,
    CompactOption,
    QuietOption,
    exit_on_outcome,
    guard_nameservers,
    live_flags,
    live_with_config,
    load_config,
    log_outcome,
    parse_outputs,
    write_report,
)
from policykit.core.errors import UsageError
from policykit.findings import ConfigUsed, Severity
from policykit.probes import options as live_options
from policykit.reporters import Format, ReportOptions


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
    read_timeout: Annotated[int, typer.Option(
        "--read-timeout", help="The origin's OriginReadTimeout in seconds: a first byte later than this is "
        "CloudFront's 504 (PK617).", min=1, max=3600)] = 30,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[list[str] | None, typer.Option(
        "--output", "-o", help="Write the report to FILE, or FORMAT=FILE (repeatable; - is stdout).")] = None,
    severity_threshold: Annotated[Severity | None, typer.Option(
        "--severity-threshold", help="Exit 1 when a finding at or above this severity exists "
        "(default: error).")] = None,
    show_unknown: Annotated[bool, typer.Option(
        "--show-unknown", help="List the checks that could not be made, and why.")] = False,
    nameserver: Annotated[list[str] | None, typer.Option(
        "--nameserver", help="Resolve with this DNS server, HOST[:PORT] (repeatable).")] = None,
    allow_private: Annotated[bool | None, typer.Option(
        "--allow-private/--no-allow-private", help="Also probe loopback, private and link-local addresses.",
        show_default=False)] = None,
    trust_store: Annotated[Path | None, typer.Option(
        "--trust-store", help="PEM file of root CAs instead of the Mozilla bundle.")] = None,
    # Defaults of None: a flag given on the command line beats the configuration's `live:` settings, which
    # beat LiveOptions' defaults (as for `scan --live`: the same nameservers and trust store either way).
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="Seconds per probe step, a deadline for the whole step [default: 5].",
        show_default=False)] = None,
    origin_timeout: Annotated[float | None, typer.Option(
        "--origin-timeout", help="Seconds for every step and retry of the target [default: 30].",
        show_default=False)] = None,
    expiry_warning_days: Annotated[int | None, typer.Option(
        "--expiry-warning-days", help="Warn when the certificate expires this soon [default: 30].",
        show_default=False)] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Read this configuration instead of the nearest .policykit.yaml (its live: settings "
        "and severity_threshold apply; trusted, so also its nameservers, trust store and allow_private).")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore configuration files.")] = False,
    quiet: QuietOption = False,
    compact: CompactOption = False,
    color: ColorOption = Color.auto,
) -> None:
    """Probe one origin as CloudFront would: DNS, TCP, TLS with CloudFront's offer, the chain, HTTP."""
    from policykit import api  # scanning code: imported when a probe runs, not for --help
    from policykit.core.name_rules import shown
    from policykit.policy.loader import load_policies
    from policykit.probes.direct import Target, check, parse_target

    outputs = parse_outputs(output, format.value)
    try:
        hostname, port = parse_target(target, protocol.value)
    except ValueError as exc:
        raise UsageError(f"probe {shown(target)}: {exc}") from None
    protocols = tuple(p.strip() for p in ssl_protocols.split(",") if p.strip()) if ssl_protocols else None
    names = tuple(n.rstrip(".").lower() for n in [*(host or ()), *(sni or ())])
    wanted = Target(hostname, port, protocol.value, names, protocols, websocket, path, read_timeout)
    problem = check(wanted)
    if problem:
        raise UsageError(f"probe {shown(target)}: {problem}")
    settings = load_config(config, no_config)
    given, flags = live_flags(allow_private=allow_private, timeout=timeout, expiry_warning_days=expiry_warning_days,
                              origin_timeout=origin_timeout)
    given |= {"nameservers"} if nameserver else set()
    given |= {"trust_store"} if trust_store is not None else set()
    built = live_options.build(True, nameserver, flags["allow_private"], trust_store, flags["timeout"], 1,
                               flags["expiry_warning_days"], origin_timeout=flags["origin_timeout"],
                               run_timeout=live_options.DEFAULT_RUN_TIMEOUT)
    if built is None:  # pragma: no cover - build returns None only without --live
        raise UsageError("probe: no live options")
    # one target: the file's concurrency does not apply; the run lasts at least as long as the origin may
    options = live_with_config(built, settings, frozenset(given), ignored=frozenset({"concurrency"}))
    options = dataclasses.replace(options, run_timeout=max(options.run_timeout, options.origin_timeout))
    guard_nameservers(options, settings, frozenset(given))
    result = api.probe(wanted, options, load_policies(()))
    if settings.file:  # only its live settings and threshold apply to a probe
        result = dataclasses.replace(result, config=ConfigUsed(
            settings.file, settings.named, severity_threshold=settings.severity_threshold or "",
            live=tuple(sorted(k for k in settings.live if k != "concurrency")), ignored=settings.ignored))
    report_options = ReportOptions(show_unknown=show_unknown, quiet=quiet, compact=compact)
    for name, target_file in outputs:
        write_report(result, name, target_file, options=report_options, color=color, errors_inline=False)
    log_outcome(result, outputs, report_options, templates=False)
    exit_on_outcome(result, severity_threshold, settings)

