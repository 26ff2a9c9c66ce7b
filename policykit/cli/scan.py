"""`policykit scan PATH...`"""

# No `from __future__ import annotations`: Typer reads the options from the annotations, and evaluating them
# once here is cheaper than Typer evaluating each string on every run.

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policykit import api
from policykit.cli.common import (
    Color,
    ColorOption,
    CompactOption,
    QuietOption,
    config_used,
    exit_on_outcome,
    guard_nameservers,
    key_values,
    live_flags,
    load_config,
    log_outcome,
    parse_limits,
    parse_outputs,
    selected_ids,
    with_live_config,
    with_scan_paths,
    write_file,
    write_report,
)
from policykit.core.errors import UsageError
from policykit.core.limits import NAMES as LIMIT_NAMES
from policykit.core.printable import printable_data
from policykit.findings import Severity
from policykit.reporters import Format, ReportOptions, visible

if TYPE_CHECKING:
    from policykit.aws.options import AwsOptions
    from policykit.probes.options import LiveOptions


def scan(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Templates, Terraform files or directories; - reads one template from stdin; aws:cloudfront/ID "
        "reads a deployed distribution from AWS, aws:cloudfront every one of the account [default: .].",
        show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    output: Annotated[list[str] | None, typer.Option(
        "--output", "-o", help="Write the report to FILE, or FORMAT=FILE (repeatable; - is stdout).")] = None,
    policies: Annotated[list[Path] | None, typer.Option(
        "--policies", help="A directory of your own policies (repeatable).")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="CloudFormation parameter KEY=VALUE (repeatable).")] = None,
    var: Annotated[list[str] | None, typer.Option(
        "--var", help="Terraform variable KEY=VALUE (repeatable).")] = None,
    var_file: Annotated[list[Path] | None, typer.Option(
        "--var-file", help="Terraform .tfvars or .tfvars.json file (repeatable).")] = None,
    severity_threshold: Annotated[Severity | None, typer.Option(
        "--severity-threshold", help="Exit 1 when a finding at or above this severity exists "
        "(default: error).")] = None,
    show_unknown: Annotated[bool, typer.Option(
        "--show-unknown", help="List the checks that the template leaves undecidable.")] = False,
    live: Annotated[bool, typer.Option(
        "--live", help="Also probe each declared origin over the network as CloudFront would.")] = False,
    edge: Annotated[bool, typer.Option(
        "--edge", help="Also run the code of each Lambda@Edge / CloudFront Functions association on a "
        "generated event and check what it returns. This executes that code: use it only on code you trust.")]
        = False,
    nameserver: Annotated[list[str] | None, typer.Option(
        "--nameserver", help="With --live: resolve with this DNS server, HOST[:PORT] (repeatable).")] = None,
    allow_private: Annotated[bool | None, typer.Option(
        "--allow-private/--no-allow-private",
        help="With --live: also probe loopback, private and link-local addresses.", show_default=False)] = None,
    trust_store: Annotated[Path | None, typer.Option(
        "--trust-store", help="With --live: PEM file of root CAs instead of the Mozilla bundle.")] = None,
    # Defaults of None: a flag given on the command line, even with the default value, beats the
    # configuration file; what neither sets gets LiveOptions' default (see live_flags).
    timeout: Annotated[float | None, typer.Option(
        "--timeout", help="With --live: seconds per probe step, a deadline for the whole step "
        "(DNS, connect, handshake, request) [default: 5].", show_default=False)] = None,
    origin_timeout: Annotated[float | None, typer.Option(
        "--origin-timeout", help="With --live: seconds for all steps and retries of one origin endpoint "
        "[default: 30].", show_default=False)] = None,
    run_timeout: Annotated[float | None, typer.Option(
        "--run-timeout", help="With --live: seconds for the whole live run [default: 300].",
        show_default=False)] = None,
    concurrency: Annotated[int | None, typer.Option(
        "--concurrency", help="With --live: probes at once [default: 16].", show_default=False)] = None,
    expiry_warning_days: Annotated[int | None, typer.Option(
        "--expiry-warning-days", help="With --live: warn when an origin certificate expires this soon "
        "[default: 30].", show_default=False)] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Read this configuration instead of the nearest .policykit.yaml, trusted: all its settings "
        "apply (a file found in the checkout cannot widen what is reached or read, or raise a bound).")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore configuration files.")] = False,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", help="Report only findings that are not in this baseline file.")] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        "--write-baseline", help="Record the current findings as the accepted baseline.")] = None,
    select: Annotated[list[str] | None, typer.Option(
        "--select", help="Run only these policies: ids or globs, comma-separated or repeated (PK2*).")] = None,
    skip: Annotated[list[str] | None, typer.Option(
        "--skip", help="Do not run these policies: ids or globs, comma-separated or repeated.")] = None,
    stdin_filename: Annotated[str | None, typer.Option(
        "--stdin-filename", help="With -: the file name stdin stands for (positions, suppressions, "
        "config patterns).")] = None,
    exit_zero: Annotated[bool, typer.Option(
        "--exit-zero", help="Findings never fail the run (exit 0); input errors still exit 2.")] = False,
    exclude: Annotated[list[str] | None, typer.Option(
        "--exclude", help="Never scan paths matching this glob, relative to the working directory (repeatable; "
        "a directory covers what is under it, a pattern without / matches a name at any depth).")] = None,
    quiet: QuietOption = False,
    compact: CompactOption = False,
    show_suppressed: Annotated[bool, typer.Option(
        "--show-suppressed", help="Show suppressed findings in full (default: one line each).")] = False,
    color: ColorOption = Color.auto,
    limit: Annotated[list[str] | None, typer.Option(
        "--limit", help="Raise a bound on what the scan reads and builds, NAME=N (repeatable; the names: "
        f"{', '.join(LIMIT_NAMES)}).")] = None,
    base_dir: Annotated[Path | None, typer.Option(
        "--base-dir", help="SARIF and annotation paths relative to this directory [default: the git root "
        "of the scanned files].", show_default=False)] = None,
    aws_profile: Annotated[str | None, typer.Option(
        "--aws-profile", help="With aws: inputs: the AWS profile to read with [default: the standard chain, "
        "AWS_PROFILE].", show_default=False)] = None,
    aws_region: Annotated[str | None, typer.Option(
        "--aws-region", help="With aws: inputs: the default Region [default: AWS_REGION, the profile's].",
        show_default=False)] = None,
    list_only: Annotated[bool, typer.Option(
        "--list", help="With aws: inputs: print the ids and aliases of the distributions they name, and scan "
        "nothing.")] = False,
    save: Annotated[Path | None, typer.Option(
        "--save", help="With aws: inputs: write what was read to DIR (one JSON file per call, as the AWS CLI "
        "prints it); `policykit scan DIR` reads it again offline.", metavar="DIR")] = None,
) -> None:
    """Scan CloudFormation and Terraform for CloudFront configurations that end in 502 (PATHS: . by default)."""
    paths = paths or [Path(".")]
    aws_options = _aws_options(paths, aws_profile, aws_region, list_only, save)
    if list_only:
        _list_aws(paths, aws_options)
        return
    settings = load_config(config, no_config)
    raised = {**settings.limits, **parse_limits(limit)}
    outputs = parse_outputs(output, format.value)
    from policykit.policy.loader import load_policies

    policy_dirs = tuple(policies or ()) or settings.policy_dirs
    loaded = load_policies(policy_dirs)
    enabled, disabled = selected_ids(loaded, settings, select, skip)
    used = config_used(settings, loaded)
    live_settings, given = _live_options(live, nameserver, trust_store, allow_private=allow_private, timeout=timeout,
                                         concurrency=concurrency, expiry_warning_days=expiry_warning_days,
                                         origin_timeout=origin_timeout, run_timeout=run_timeout)
    options = api.ScanOptions(
        params=key_values(param, "--param"), tf_vars=key_values(var, "--var"),
        tf_var_files=tuple(var_file or ()), policy_dirs=policy_dirs,
        live=live_settings,
        enabled=enabled, disabled=disabled, severity_overrides=settings.severity_overrides,
        file_options=settings.file_options, edge=edge, limits=raised, aws=aws_options,
        outlines=any(name == Format.html.value for name, _ in outputs),
    )
    options = with_scan_paths(options, settings, exclude, [write_baseline, *(Path(t) for _, t in outputs if t != "-")])
    options = with_live_config(options, settings, given)
    if options.live is not None:
        guard_nameservers(options.live, settings, given)
    threshold = severity_threshold.value if severity_threshold else settings.severity_threshold or "error"
    baseline = baseline or settings.baseline
    if write_baseline is None:
        options = dataclasses.replace(options, baseline=baseline)
    result = api.scan(paths, dataclasses.replace(options, stdin_name=stdin_filename), policies=loaded)
    result = dataclasses.replace(result, config=printable_data(used))
    report_options = ReportOptions(show_unknown=show_unknown, threshold=threshold, quiet=quiet, compact=compact,
                                   show_suppressed=show_suppressed, config_file=settings.file,
                                   base_dir=str(base_dir) if base_dir is not None else None)
    for name, target in outputs:
        write_report(result, name, target, options=report_options, color=color, errors_inline=False)
    log_outcome(result, outputs, report_options)
    if write_baseline is not None:
        from policykit.filters import baseline as baselines

        count = 0

        def record(path: Path) -> None:
            nonlocal count
            count = baselines.write(path, result)

        write_file(write_baseline, record)
        typer.echo(f"policykit: recorded {count} finding(s) in {visible(str(write_baseline))}", err=True)
    exit_on_outcome(result, severity_threshold, settings, write_baseline is not None, exit_zero)


def _live_options(live: bool, nameserver: "list[str] | None", trust_store: "Path | None",
                  **flags: "float | int | bool | None") -> "tuple[LiveOptions | None, frozenset[str]]":
    """The options of a live scan (None without --live, which imports no probe code) and the names of those the
    command line gave; a usage error for a bad value."""
    if not live:
        return None, frozenset()
    from policykit.cli.progress import TerminalProgress
    from policykit.probes import options as live_options

    given, values = live_flags(**flags)
    if nameserver:
        given.add("nameservers")
    if trust_store is not None:
        given.add("trust_store")
    built = live_options.build(True, nameserver, values["allow_private"], trust_store, values["timeout"],
                               values["concurrency"], values["expiry_warning_days"], progress=TerminalProgress(),
                               origin_timeout=values["origin_timeout"], run_timeout=values["run_timeout"])
    return built, frozenset(given)


def _aws_options(paths: "list[Path]", profile: "str | None", region: "str | None", list_only: bool,
                 save: "Path | None") -> "AwsOptions | None":
    """How the `aws:` inputs are read (None when there are none: no AWS code is imported)."""
    if not any(api.is_aws_input(path) for path in paths):
        for name, given in (("--list", list_only), ("--save", save is not None), ("--aws-profile", profile),
                            ("--aws-region", region)):
            if given:
                raise UsageError(f"{name} applies to aws: inputs (aws:cloudfront, aws:cloudfront/ID); none is given")
        return None
    from policykit.aws.options import AwsOptions
    from policykit.cli.progress import TerminalProgress

    return AwsOptions(profile=profile, region=region, save_dir=save,
                      progress=TerminalProgress("distributions read from AWS"))


def _list_aws(paths: "list[Path]", options: "AwsOptions | None") -> None:
    """--list: the distributions the aws: inputs name, one a line: id, aliases, domain name."""
    listed = api.list_aws([str(p) for p in paths if api.is_aws_input(p)], options)
    for item in listed:
        aliases = ", ".join(item.aliases) or "(no aliases)"
        typer.echo(visible(f"{item.id}  {aliases}  {item.domain_name}".rstrip()))
