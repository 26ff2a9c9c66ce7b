"""`policykit scan PATH...`"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from policykit import api
from policykit.cli.options import key_values
from policykit.findings import Severity
from policykit.probes import options as live_options
from policykit.reporters import ReportOptions, get


class Format(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"


class Threshold(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


def scan(
    paths: Annotated[list[Path], typer.Argument(help="Templates, Terraform files or directories.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    policies: Annotated[list[Path] | None, typer.Option(
        "--policies", help="A directory of your own policies (repeatable).")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="CloudFormation parameter KEY=VALUE (repeatable).")] = None,
    var: Annotated[list[str] | None, typer.Option(
        "--var", help="Terraform variable KEY=VALUE (repeatable).")] = None,
    var_file: Annotated[list[Path] | None, typer.Option(
        "--var-file", help="Terraform .tfvars or .tfvars.json file (repeatable).")] = None,
    severity_threshold: Annotated[Threshold, typer.Option(
        "--severity-threshold", help="Exit 1 when a finding at or above this severity exists.")] = Threshold.error,
    show_unknown: Annotated[bool, typer.Option(
        "--show-unknown", help="List the checks that the template leaves undecidable.")] = False,
    live: Annotated[bool, typer.Option(
        "--live", help="Also probe each declared origin over the network as CloudFront would.")] = False,
    nameserver: Annotated[list[str] | None, typer.Option(
        "--nameserver", help="With --live: resolve with this DNS server, HOST[:PORT] (repeatable).")] = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="With --live: also probe loopback, private and link-local addresses.")] = False,
    trust_store: Annotated[Path | None, typer.Option(
        "--trust-store", help="With --live: PEM file of root CAs instead of the Mozilla bundle.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="With --live: seconds per probe step.")] = 5.0,
    concurrency: Annotated[int, typer.Option("--concurrency", help="With --live: probes at once.")] = 16,
    expiry_warning_days: Annotated[int, typer.Option(
        "--expiry-warning-days", help="With --live: warn when an origin certificate expires this soon.")] = 30,
) -> None:
    """Scan CloudFormation and Terraform for CloudFront configurations that end in 502."""
    options = api.ScanOptions(
        params=key_values(param, "--param"), tf_vars=key_values(var, "--var"),
        tf_var_files=tuple(var_file or ()), policy_dirs=tuple(policies or ()),
        live=live_options.build(live, nameserver, allow_private, trust_store, timeout, concurrency,
                                expiry_warning_days, progress=True),
    )
    result = api.scan(paths, options)
    report = get(format.value)
    if output is None or str(output) == "-":
        color = format is Format.text and sys.stdout.isatty() and "NO_COLOR" not in os.environ
        report(result, sys.stdout, ReportOptions(color=color, show_unknown=show_unknown))
    else:
        with output.open("w", encoding="utf-8") as stream:
            report(result, stream, ReportOptions(show_unknown=show_unknown))
    if format is not Format.text or output is not None:
        for error in result.errors:
            typer.echo(f"policykit: {error}", err=True)
    if result.errors:
        raise typer.Exit(2)
    if result.worst_at_least(Severity(severity_threshold.value)):
        raise typer.Exit(1)
