"""The `policykit` command: a thin Typer shell over `policykit.api`.

Only this package prints or exits. Exit codes: 0 clean, 1 findings at or above the
threshold, 2 usage, input or policy errors, 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import atexit
import gc
import sys

import typer

from policykit import __version__
from policykit.core.errors import PolicykitError
from policykit.core.printable import visible

COMMANDS = ("scan", "probe", "policies", "edge", "schema")


def _register(app: typer.Typer, name: str) -> None:
    # Each command's module is imported only when the command is registered: a `scan` run pays neither for
    # the other commands' imports nor for Typer reading their signatures.
    if name == "scan":
        from policykit.cli import scan

        app.command("scan")(scan.scan)  # no path: the working directory, as `checkov -d .`
    elif name == "probe":
        from policykit.cli import probe

        app.command("probe", no_args_is_help=True)(probe.probe)
    elif name == "policies":
        from policykit.cli import policies

        app.add_typer(policies.app, name="policies")
    elif name == "schema":
        from policykit.cli import schema

        app.command("schema", no_args_is_help=True)(schema.schema)
    else:
        from policykit.cli import edge

        app.add_typer(edge.app, name="edge")


def build_app(only: str | None = None) -> typer.Typer:
    """The CLI with every command (None), or with just `only` (the command a run names), or with none ("")."""
    app = typer.Typer(
        name="policykit",
        help="Stop CloudFront 502 Bad Gateway before it ships.",
        no_args_is_help=True,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},  # every command inherits it
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    app.callback()(root)
    for name in COMMANDS if only is None else (only,) if only else ():
        _register(app, name)
    return app


def _command_named(argv: list[str]) -> str | None:
    """Which command `argv` needs: its first word when that is a command, "" for none (`--version`, which
    answers before any command is read), None for all (`--help`, no arguments, a typo: the full CLI answers)."""
    if argv[:1] == ["--version"]:
        return ""
    if argv and argv[0] in COMMANDS:
        return argv[0]
    return None


def _version(value: bool) -> None:
    if value:
        from policykit.core.about import DISTRIBUTION

        typer.echo(f"policykit {__version__} ({DISTRIBUTION})")
        raise typer.Exit()


def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Stop CloudFront 502 Bad Gateway before it ships."""


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    # When the process ends, the interpreter would walk and free the command's objects (modules, classes, the
    # model) one by one, which costs more than a small scan's own work (~15 ms): frozen, they are left to the
    # operating system. Exit handlers still run and files are still flushed; registered once per process.
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)
    # A scan builds its nodes and model once and keeps them to the end: the cycle collector, at its default
    # thresholds, walks them again each time the heap grows by a quarter (a fifth of a large scan's time, for
    # nothing: they are no garbage). Collected rarely while a command runs (mypy does the same), as before after.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        return _main(args)
    finally:
        gc.set_threshold(*thresholds)


def _main(args: list[str]) -> int:
    try:
        app = build_app(_command_named(args))
        # In non-standalone mode click returns the code of a `typer.Exit` instead of raising it.
        code = app(args=args, prog_name="policykit", standalone_mode=False)
    except PolicykitError as exc:
        for line in exc.lines():  # a policy file's problems, all at once: one line each
            typer.echo(visible(f"policykit: {line}"), err=True)
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        typer.echo("policykit: aborted", err=True)
        return 2
    except Exception as exc:  # the crash handler: one line, never a traceback
        # Usage errors of click, or of the copy of click that newer typer vendors: shown as click shows them.
        show = getattr(exc, "show", None)
        if callable(show) and isinstance(getattr(exc, "exit_code", None), int):
            show()
            return 2
        typer.echo(visible(f"policykit: internal error: {type(exc).__name__}: {exc} (please report this)"), err=True)
        return 3
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
