"""`policykit scan PATH...`"""

# No `from __future__ import annotations`: Typer reads the options from the annotations, and evaluating them
# once here is cheaper than Typer evaluating each string on every run.

import contextlib
import dataclasses
import enum
import functools
import io
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from policykit import api
from policykit.cli.options import key_values
from policykit.cli.progress import TerminalProgress
from policykit.config import Config
from policykit.config import discover as discover_config
from policykit.config import load as config_file
from policykit.core.builtins import BUILTIN_IDS, INTERNAL_ERROR
from policykit.core.errors import InputError, UsageError
from policykit.core.limits import DEFAULTS, hint
from policykit.core.limits import NAMES as LIMIT_NAMES
from policykit.core.output import write_output
from policykit.filters import selection
from policykit.findings import ScanResult, Severity
from policykit.probes import options as live_options
from policykit.reporters import REPORTERS, ReportOptions, get, visible

if TYPE_CHECKING:
    from policykit.policy.model import Policy



class Format(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"


class Threshold(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Color(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


STDIN = Path("-")


def scan(
    paths: Annotated[list[Path], typer.Argument(
        help="Templates, Terraform files or directories; - reads one template from stdin.")],
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
    severity_threshold: Annotated[Threshold | None, typer.Option(
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
        "--config", help="Read this configuration instead of the nearest .policykit.yaml.")] = None,
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
    color: Annotated[Color, typer.Option(
        "--color", help="Colour the text report: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces), "
        "always, never.")] = Color.auto,
    limit: Annotated[list[str] | None, typer.Option(
        "--limit", help="Raise a bound on what the scan reads and builds, NAME=N (repeatable; the names: "
        f"{', '.join(LIMIT_NAMES)}).")] = None,
    base_dir: Annotated[Path | None, typer.Option(
        "--base-dir", help="SARIF and annotation paths relative to this directory [default: the git root "
        "of the scanned files].", show_default=False)] = None,
) -> None:
    """Scan CloudFormation and Terraform for CloudFront configurations that end in 502."""
    settings = load_config(config, no_config)
    raised = {**settings.limits, **parse_limits(limit)}
    outputs = parse_outputs(output, format.value)
    given, flags = live_flags(allow_private=allow_private, timeout=timeout, concurrency=concurrency,
                              expiry_warning_days=expiry_warning_days, origin_timeout=origin_timeout,
                              run_timeout=run_timeout)
    if nameserver:
        given.add("nameservers")
    if trust_store is not None:
        given.add("trust_store")
    from policykit.policy.loader import load_policies

    policy_dirs = tuple(policies or ()) or settings.policy_dirs
    loaded = load_policies(policy_dirs)
    enabled, disabled = selected_ids(loaded, settings, select, skip)
    options = api.ScanOptions(
        params=key_values(param, "--param"), tf_vars=key_values(var, "--var"),
        tf_var_files=tuple(var_file or ()), policy_dirs=policy_dirs,
        live=live_options.build(live, nameserver, flags["allow_private"], trust_store, flags["timeout"],
                                flags["concurrency"], flags["expiry_warning_days"], progress=TerminalProgress(),
                                origin_timeout=flags["origin_timeout"], run_timeout=flags["run_timeout"]),
        enabled=enabled, disabled=disabled, severity_overrides=settings.severity_overrides,
        file_options=settings.file_options, edge=edge, limits=raised,
    )
    options = with_live_config(options, settings, frozenset(given))
    threshold = severity_threshold.value if severity_threshold else settings.severity_threshold or "error"
    baseline = baseline or settings.baseline
    if write_baseline is None:
        options = dataclasses.replace(options, baseline=baseline)
    with stdin_input(paths, stdin_filename, raised.get("file_bytes", DEFAULTS.file_bytes)) as (scan_paths, names):
        result = api.scan(scan_paths, dataclasses.replace(options, display_names=names), policies=loaded)
    report_options = ReportOptions(show_unknown=show_unknown, threshold=threshold,
                                   base_dir=str(base_dir) if base_dir is not None else None)
    for name, target in outputs:
        write_report(result, name, target, options=report_options, color=color, errors_inline=False)
    for note in result.notes:
        typer.echo(f"policykit: note: {visible(note)}", err=True)
    for error in result.errors:
        typer.echo(f"policykit: {visible(str(error))}", err=True)
    if write_baseline is not None:
        from policykit.filters import baseline as baselines

        count = 0

        def record(path: Path) -> None:
            nonlocal count
            count = baselines.write(path, result)

        _write(write_baseline, record)
        typer.echo(f"policykit: recorded {count} finding(s) in {write_baseline}", err=True)
    exit_on_outcome(result, severity_threshold, settings, write_baseline is not None, exit_zero)


def exit_on_outcome(result: ScanResult, severity_threshold: Threshold | None, settings: Config,
                    recording: bool = False, exit_zero: bool = False) -> None:
    """3 for an internal error (a bug, reported as PK007 after the report), 2 for input errors,
    1 for findings at or above the threshold."""
    if any(f.policy_id == INTERNAL_ERROR for f in result.findings):
        raise typer.Exit(3)
    if result.errors:
        raise typer.Exit(2)
    if recording or exit_zero:
        return  # recording a baseline accepts what is there; --exit-zero reports without failing
    threshold = severity_threshold.value if severity_threshold else settings.severity_threshold or "error"
    if result.worst_at_least(Severity(threshold)):
        raise typer.Exit(1)


def write_report(result: ScanResult, name: str, target: str, show_unknown: bool = False, *,
                 options: ReportOptions | None = None, color: Color = Color.auto, errors_inline: bool = True) -> None:
    """One report: to stdout (colour per --color) or to a file (policykit.core.output.write_output).

    `errors_inline=False`: a text report on stdout leaves the input errors to the caller's stderr lines."""
    report = get(name)
    options = options or ReportOptions(show_unknown=show_unknown)
    if target == "-":
        report(result, sys.stdout, dataclasses.replace(
            options, color=name == "text" and use_color(color, sys.stdout), errors_inline=errors_inline))
    else:
        buffer = io.StringIO()
        report(result, buffer, options)
        _write(Path(target), functools.partial(write_output, text=buffer.getvalue()))




def use_color(choice: Color, stream: TextIO) -> bool:
    """--color always/never; auto: FORCE_COLOR (any non-empty value) forces it, NO_COLOR (likewise)
    turns it off, else a terminal that is not `dumb` gets it."""
    if choice is not Color.auto:
        return choice is Color.always
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def selected_ids(loaded: "list[Policy]", settings: Config, select: list[str] | None,
                 skip: list[str] | None) -> tuple[frozenset[str], frozenset[str]]:
    """(enabled, disabled) ids from --select/--skip and the configuration; a pattern naming no
    policy is exit 2 with the nearest id. --select replaces the file's `enable`; --skip adds to `disable`."""
    known = frozenset(p.id for p in loaded) | BUILTIN_IDS
    settings.check_ids(known)
    chosen, skipped = selection.split(select), selection.split(skip)
    for option, patterns in (("--select", chosen), ("--skip", skipped)):
        for pattern in patterns:
            if selection.unknown(pattern, known):
                raise UsageError(f"{option}: no policy '{pattern}'{selection.suggestion(pattern, known)}; "
                                 "`policykit policies list` shows them")
    enabled = selection.expand(chosen, known) if chosen else selection.expand(settings.enabled, known)
    disabled = selection.expand([*settings.disabled, *skipped], known)
    return enabled, disabled


def parse_limits(items: list[str] | None) -> dict[str, int]:
    """`--limit NAME=N` options: known names and whole numbers, or a usage error (exit 2)."""
    from policykit.core.limits import parse

    try:
        return parse(key_values(items, "--limit"), "--limit")
    except ValueError as exc:
        raise UsageError(str(exc)) from None


@contextlib.contextmanager
def stdin_input(paths: list[Path], name: str | None, limit: int) -> Iterator[tuple[list[Path], dict[str, str]]]:
    """`scan -`: stdin (at most `limit` bytes, the file_bytes limit) is written to a private temporary file named
    like --stdin-filename (so it is read as that kind of file); the names to show for it (ScanOptions.display_names)
    come with the paths."""
    if STDIN not in paths:
        if name is not None:
            raise UsageError("--stdin-filename needs - among the paths (read the template from stdin)")
        yield paths, {}
        return
    if paths.count(STDIN) > 1:
        raise UsageError("- (stdin) can be given once")
    from policykit.source.files import read_bounded

    data = read_bounded(sys.stdin.buffer, limit) if hasattr(sys.stdin, "buffer") else \
        sys.stdin.read(min(limit + 1, 1 << 30)).encode("utf-8", "surrogateescape")
    if len(data) > limit:
        raise UsageError(f"stdin is larger than {limit:,} bytes: {hint('file_bytes')}")
    shown = name or "-"
    suffix = Path(name).name if name else ("stdin.json" if data.lstrip()[:1] in (b"{", b"[") else "stdin.yaml")
    import tempfile  # only standard input needs it

    with tempfile.TemporaryDirectory(prefix="policykit-stdin-") as directory:
        temp = Path(directory) / suffix
        temp.write_bytes(data)
        yield [temp if p == STDIN else p for p in paths], {str(temp): shown, str(temp.parent): shown}




def _write(path: Path, write: Callable[[Path], None]) -> None:
    """A file that cannot be written is the user's problem to fix, not a crash: one line, exit 2."""
    try:
        write(path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def parse_outputs(items: list[str] | None, default_format: str) -> list[tuple[str, str]]:
    """`--output FILE` (the --format report) or `--output FORMAT=FILE`, repeatable; stdout when none.

    A word before `=` that is not a format (`xml=out.x`) is a mistake, not a file name: exit 2
    naming the formats (write `./xml=out.x` for a file of that name)."""
    outputs: list[tuple[str, str]] = []
    for item in items or []:
        name, sep, target = item.partition("=")
        if sep and name in REPORTERS:
            outputs.append((name, target or "-"))
        elif sep and name.isidentifier():
            raise UsageError(f"--output {item}: unknown format '{name}' (known: {', '.join(REPORTERS)}); "
                             f"for a file of that name write ./{item}")
        else:
            outputs.append((default_format, item))
    if sum(1 for _, target in outputs if target == "-") > 1:
        raise UsageError("only one --output can go to stdout (-)")
    return outputs or [(default_format, "-")]


def load_config(path: Path | None, disabled: bool) -> Config:
    if disabled:
        return Config()
    if path is not None:
        if not path.is_file():
            raise UsageError(f"--config {path}: no such file")
        return config_file(path)
    return discover_config()


def live_flags(**flags: Any) -> tuple[set[str], dict[str, Any]]:
    """(names given on the command line, values with LiveOptions' defaults for the rest)."""
    defaults = live_options.LiveOptions()
    given = {name for name, value in flags.items() if value is not None}
    return given, {name: getattr(defaults, name) if value is None else value for name, value in flags.items()}


def with_live_config(options: api.ScanOptions, settings: Config,
                     given: frozenset[str] | None = None) -> api.ScanOptions:
    """The file's live settings fill in what the command line did not give (flags win).

    `given` names the LiveOptions fields set by flags; without it, a value that differs from
    the default counts as given (an explicit flag equal to the default then loses: pass `given`)."""
    if not settings.live or options.live is None:
        return options
    return dataclasses.replace(options, live=live_with_config(options.live, settings, given))


def live_with_config(live: live_options.LiveOptions, settings: Config, given: frozenset[str] | None = None,
                     ignored: frozenset[str] = frozenset()) -> live_options.LiveOptions:
    """`live` with the file's live settings where the command line gave none (see with_live_config);
    `ignored`: settings that do not apply to this command."""
    defaults = live_options.LiveOptions()
    values: dict[str, Any] = {}
    for key, value in settings.live.items():
        if key in ignored:
            continue
        on_command_line = key in given if given is not None else getattr(live, key) != getattr(defaults, key)
        if on_command_line:
            continue
        if key == "nameservers":
            try:
                value = tuple(live_options.parse_nameserver(n) for n in value)
            except ValueError as exc:
                raise InputError(settings.file, f"live.nameservers: {exc}") from None
        elif key == "trust_store":
            value = Path(settings.file).parent / value
            problem = live_options.trust_store_problem(value)
            if problem:
                raise InputError(settings.file, f"live.trust_store {value}: {problem}")
        values[key] = value
    return dataclasses.replace(live, **values)
