"""The `policykit` command: a thin Typer shell over `policykit.api`.

Only this package prints or exits. Exit codes: 0 clean, 1 findings at or above the
threshold, 2 usage, input or policy errors, 3 an internal error (a bug: please report it).
"""

from __future__ import annotations

import sys

import typer

from policykit import __version__
from policykit.cli import edge, policies, probe, scan
from policykit.errors import PolicykitError
from policykit.printable import printable

app = typer.Typer(
    name="policykit",
    help="Stop CloudFront 502 Bad Gateway before it ships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.command("scan", no_args_is_help=True)(scan.scan)
app.command("probe", no_args_is_help=True)(probe.probe)
app.add_typer(policies.app, name="policies")
app.add_typer(edge.app, name="edge")


def _version(value: bool) -> None:
    if value:
        from policykit.about import DISTRIBUTION

        typer.echo(f"policykit {__version__} ({DISTRIBUTION})")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Stop CloudFront 502 Bad Gateway before it ships."""


def main(argv: list[str] | None = None) -> int:
    try:
        # In non-standalone mode click returns the code of a `typer.Exit` instead of raising it.
        code = app(args=argv, prog_name="policykit", standalone_mode=False)
    except PolicykitError as exc:
        typer.echo(printable(f"policykit: {exc}"), err=True)
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
        typer.echo(printable(f"policykit: internal error: {type(exc).__name__}: {exc} (please report this)"), err=True)
        return 3
    return code if isinstance(code, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
