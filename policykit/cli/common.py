"""What the commands share: the configuration they read, how they write reports and exit, option parsing."""

# No `from __future__ import annotations` in the CLI: Typer reads the options from the annotations.

import dataclasses
import enum
import functools
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from policykit.config import Config, trust
from policykit.config import discover as discover_config
from policykit.config import load as config_file
from policykit.core.builtins import BUILTIN_IDS, INTERNAL_ERROR
from policykit.core.errors import InputError, UsageError
from policykit.core.printable import visible
from policykit.filters import selection
from policykit.findings import ConfigUsed, ScanResult, Severity
from policykit.options import ScanOptions
from policykit.reporters import REPORTERS, ReportOptions, get

if TYPE_CHECKING:
    from policykit.policy.model import Policy
    from policykit.probes.options import LiveOptions


def key_values(items: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} takes KEY=VALUE, not '{item}'")
        out[key.strip()] = value
    return out


class Color(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


# The options of every command that prints a report (scan, probe, edge validate, edge run).
ColorOption = Annotated[Color, typer.Option(
    "--color", help="Colour the text report: auto (a terminal, unless NO_COLOR; FORCE_COLOR forces), always, "
    "never.")]
QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Findings only: no fix lines, no what-was-seen, no summary.")]
CompactOption = Annotated[bool, typer.Option("--compact", help="One line per finding, then the summary.")]


def exit_on_outcome(result: ScanResult, severity_threshold: Severity | None, settings: Config,
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
        from policykit.core.output import write_output  # a report to a file: only then

        buffer = io.StringIO()
        report(result, buffer, options)
        write_file(Path(target), functools.partial(write_output, text=buffer.getvalue()))




def with_scan_paths(options: ScanOptions, settings: Config, exclude: list[str] | None,
                    written: "list[Path | None]") -> ScanOptions:
    """`options` with what decides which paths are read: the configuration file (its `files:` and `exclude:`
    patterns are relative to its directory, and it is never read as an input), `--exclude` (relative to the working
    directory), and the files this run writes (never inputs either)."""
    from policykit.source.globs import Globs

    globs = [Globs.at(Path.cwd(), exclude or [])]
    if settings.directory is not None:
        globs.append(Globs.at(settings.directory, settings.exclude))
    return dataclasses.replace(
        options, config_file=Path(settings.file) if settings.file else None, exclude=tuple(g for g in globs
                                                                                          if g.patterns),
        own_files=tuple(path for path in written if path is not None))


def log_outcome(result: ScanResult, outputs: list[tuple[str, str]], options: ReportOptions,
                templates: bool = True) -> None:
    """What goes to stderr after the reports: the summary line when every report went to a file (so a CI log is
    never empty), the notes (not with --quiet), the input errors, and, for a scan (`templates`), that nothing was
    checked when no input was a template (never a silent pass)."""
    from policykit.reporters import safe_line, visible

    if all(target != "-" for _, target in outputs) and not options.quiet:
        from policykit.reporters.text import summary

        typer.echo(safe_line(summary(result, options)), err=True)
    for note in () if options.quiet else result.notes:
        typer.echo(f"policykit: note: {visible(note)}", err=True)
    for error in result.errors:
        typer.echo(f"policykit: {visible(str(error))}", err=True)
    if templates and not result.files and not result.errors:
        passed = f" ({len(result.skipped)} file(s) skipped, not templates)" if result.skipped else ""
        typer.echo(f"policykit: nothing was checked: no CloudFormation template or Terraform among the "
                   f"inputs{passed}", err=True)


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


def write_file(path: Path, write: Callable[[Path], None]) -> None:
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
    """The configuration this run follows: the file named with --config (all its settings), or the nearest one
    found from here (without what a repository may not set: each such setting is a warning line on stderr)."""
    if disabled:
        return Config()
    if path is not None:
        if not path.is_file():
            raise UsageError(f"--config {path}: no such file")
        return trust(config_file(path), named=True)
    settings = trust(discover_config(), named=False)
    for warning in settings.warnings:
        typer.echo(f"policykit: warning: {visible(warning)}", err=True)
    return settings


def config_used(settings: Config, loaded: "list[Policy]") -> ConfigUsed | None:
    """What the configuration changed, for every report; None when no file was read. A configuration that turns
    off every policy is an input error at its `disable:` (or `enable:`): a scan that checks nothing is no pass."""
    if not settings.file:
        return None
    known = frozenset(p.id for p in loaded) | BUILTIN_IDS
    chosen = selection.Selection(selection.expand(settings.enabled, known), selection.expand(settings.disabled, known))
    off = tuple(sorted(p.id for p in loaded if not chosen.selected(p.id)))
    if loaded and len(off) == len(loaded):
        key = "disable" if settings.disabled else "enable"
        line, column = settings.positions.get(key, (0, 0))
        raise InputError(settings.file, f"{key}: the configuration turns off every policy, so the run would check "
                         "nothing (to run a few, list them under enable:)", line, column)
    return ConfigUsed(
        settings.file, settings.named, disabled=off, severities=tuple(sorted(settings.severity_overrides.items())),
        severity_threshold=settings.severity_threshold or "",
        file_patterns=tuple(pattern for pattern, _, _ in settings.file_options),
        policy_dirs=tuple(str(d) for d in settings.policy_dirs),
        baseline=str(settings.baseline) if settings.baseline else "",
        limits=tuple(sorted(settings.limits.items())), live=tuple(sorted(settings.live)), ignored=settings.ignored,
        excluded=settings.exclude)


def guard_nameservers(live: "LiveOptions", settings: Config, given: frozenset[str]) -> None:
    """Nameservers from the command line or from --config's file pass the address guard the origins pass, unless
    private addresses are allowed: a loopback, private or link-local resolver (or a port of another service there)
    is refused before any query is sent. The system resolver (no nameserver given) is the machine's, and exempt."""
    if live.allow_private or not live.nameservers:
        return
    from policykit.probes import addresses

    for nameserver in live.nameservers:
        try:
            addresses.check_nameserver(nameserver.host, allow_private=False)
        except addresses.AddressRefused as exc:
            if "nameservers" in given or not settings.file:
                raise UsageError(f"--nameserver {nameserver}: {exc}") from None
            line, column = settings.positions.get("live.nameservers", (0, 0))
            raise InputError(settings.file, f"live.nameservers: {exc}", line, column) from None


def live_flags(**flags: Any) -> tuple[set[str], dict[str, Any]]:
    """(names given on the command line, values with LiveOptions' defaults for the rest)."""
    from policykit.probes.options import LiveOptions  # live commands only: a plain scan imports no probe code

    defaults = LiveOptions()
    given = {name for name, value in flags.items() if value is not None}
    return given, {name: getattr(defaults, name) if value is None else value for name, value in flags.items()}


def with_live_config(options: ScanOptions, settings: Config,
                     given: frozenset[str] | None = None) -> ScanOptions:
    """The file's live settings fill in what the command line did not give (flags win).

    `given` names the LiveOptions fields set by flags; without it, a value that differs from
    the default counts as given (an explicit flag equal to the default then loses: pass `given`)."""
    if not settings.live or options.live is None:
        return options
    return dataclasses.replace(options, live=live_with_config(options.live, settings, given))


def live_with_config(live: "LiveOptions", settings: Config, given: frozenset[str] | None = None,
                     ignored: frozenset[str] = frozenset()) -> "LiveOptions":
    """`live` with the file's live settings where the command line gave none (see with_live_config);
    `ignored`: settings that do not apply to this command."""
    from policykit.probes import options as live_options

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
