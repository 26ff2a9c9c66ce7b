"""`policykit policies list|show|facts|fields|test|validate`: they read the same configuration as `scan`
(`--config`, `--no-config`): its policy directories, and what it turns off or makes more or less severe."""

# No `from __future__ import annotations`: Typer reads the options from the annotations, and evaluating them
# once here is cheaper than Typer evaluating each string on every run.

import enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from policykit.core.errors import UsageError
from policykit.core.printable import safe_line, visible, visible_lines

if TYPE_CHECKING:
    from policykit.config import Config
    from policykit.policy.model import Policy

app = typer.Typer(help="List and explain the policies.", no_args_is_help=True)

PolicyDirs = Annotated[list[Path] | None, typer.Option(
    "--policies", help="Your own policy directory (repeatable) [default: the configuration's policies:].",
    show_default=False)]
# The same configuration as `scan`: its policy directories, and what it turns off or makes more or less severe.
ConfigFile = Annotated[Path | None, typer.Option(
    "--config", help="Read this configuration instead of the nearest .policykit.yaml.")]
NoConfig = Annotated[bool, typer.Option("--no-config", help="Ignore configuration files.")]


def _settings(config: Path | None, no_config: bool) -> "Config":
    from policykit.cli.common import load_config

    return load_config(config, no_config)


def _policies(policies: list[Path] | None, settings: "Config") -> "list[Policy]":
    """The catalog and the user's policies as `scan` loads them: --policies, else the configuration's."""
    from policykit.policy.loader import load_policies

    return load_policies(tuple(policies or ()) or settings.policy_dirs)


def _as_configured(loaded: "list[Policy]", settings: "Config") -> dict[str, tuple[str, str]]:
    """id -> (severity as the configuration sets it, "" or why the configuration turns it off)."""
    from policykit.cli.common import selected_ids

    enabled, disabled = selected_ids(loaded, settings, None, None)
    where = Path(settings.file).name if settings.file else ""
    out = {}
    for policy in loaded:
        severity = settings.severity_overrides.get(policy.id, policy.severity.value)
        off = (f"off: disable in {where}" if policy.id in disabled
               else f"off: not in enable of {where}" if enabled and policy.id not in enabled else "")
        out[policy.id] = (severity, off)
    return out


@app.command("list")
def list_policies(policies: PolicyDirs = None, config: ConfigFile = None, no_config: NoConfig = False) -> None:
    """One line per policy: id, severity, title (as the configuration sets them, as `scan` runs them)."""
    settings = _settings(config, no_config)
    loaded = _policies(policies, settings)
    configured = _as_configured(loaded, settings)
    for policy in loaded:
        severity, off = configured[policy.id]
        _say(f"{policy.id}  {severity:<7}  {policy.title}" + (f"  ({off})" if off else ""))


class Language(str, enum.Enum):
    yaml = "yaml"
    json = "json"
    hcl = "hcl"


@app.command("show")
def show(policy_id: str, policies: PolicyDirs = None, language: Annotated[Language, typer.Option(
        "--as", help="Snippets as CloudFormation YAML, CloudFormation JSON (converted with cfn-flip) "
        "or Terraform HCL.")] = Language.yaml, config: ConfigFile = None, no_config: NoConfig = False) -> None:
    """A policy's explanation, the 502 it prevents, the fix, and bad/good snippets."""
    from policykit.reporters.snippets import CODE, example

    settings = _settings(config, no_config)
    loaded = _policies(policies, settings)
    by_id = {p.id: p for p in loaded}
    policy = by_id.get(policy_id.upper())
    if policy is None:
        raise UsageError(f"no policy {policy_id}; `policykit policies list` shows them")
    # an edge policy's examples are a function's code, the same whatever the template's language
    shown = CODE if policy.applies_to.startswith("edge_") else language.value
    severity, off = _as_configured(loaded, settings)[policy.id]
    if severity != policy.severity.value:
        severity += f" (set by {Path(settings.file).name}; the policy says {policy.severity.value})"
    sections = [
        visible(f"{policy.id}: {policy.title}"),
        f"severity: {severity}    applies to: {policy.applies_to}" + (f"\n({off})" if off else ""),
        ("why:\n" + _indent(policy.why)) if policy.why else "",
        ("symptom:\n" + _indent(policy.symptom)) if policy.symptom else "",
        ("fix:\n" + _indent(policy.fix)) if policy.fix else "",
        *(f"{kind}{'' if shown == 'yaml' else f' ({shown})'}:\n"
          + _indent(example(policy.examples, kind, shown))
          if example(policy.examples, kind, shown) else "" for kind in ("bad", "good")),
        (f"(no Terraform example for {policy.id}: `--as yaml` shows the CloudFormation one)"
         if shown == "hcl" and not example(policy.examples, "good", "hcl") and policy.examples else ""),
        ("references:\n" + "\n".join(f"  {visible(r)}" for r in policy.references)) if policy.references else "",
        visible(f"source: {policy.source}"),
    ]
    typer.echo("\n".join(visible_lines("\n\n".join(s for s in sections if s))))


@app.command("facts")
def facts(config: ConfigFile = None, no_config: NoConfig = False) -> None:
    """The computed facts any policy (yours too) can test, by object kind."""
    from policykit.facts import describe

    settings = _settings(config, no_config)  # read as `scan` reads it: a broken configuration says so here too
    _as_configured(_policies(None, settings), settings)

    for kind, table in describe().items():
        typer.echo(f"{kind}:")
        for name, doc in table.items():
            typer.echo(f"  {name:<32} {doc}")


@app.command("fields")
def fields(kind: Annotated[str | None, typer.Argument(
        metavar="[OBJECT]", help="An object kind (origin, behavior, alias...); every kind when omitted.")] = None,
           ) -> None:
    """The model fields a policy can test, per object kind, with their types (facts: `policies facts`)."""
    from policykit.policy.fields import table

    try:
        kinds = table(kind.strip().lower() if kind else None)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for name, rows in kinds.items():
        typer.echo(f"{name}:")
        for field, shown, doc in rows:
            typer.echo(f"  {field:<26} {shown:<28}  {doc}".rstrip())
    typer.echo("Every value may also be unknown or not set; a policy's conditions decide those "
               "(policykit policies facts lists the computed facts).")


Directories = Annotated[list[Path] | None, typer.Argument(
    help="Policy directories [default: the configuration's policies:, else the built-in catalog].",
    show_default=False)]


@app.command("test")
def test(directories: Directories = None, config: ConfigFile = None, no_config: NoConfig = False) -> None:
    """Run each policy's fixtures: tests/fail/* must fire the policy, tests/pass/* must not."""
    from policykit.policy.testing import run_dirs

    passed = failed = 0
    for result in run_dirs(directories or _settings(config, no_config).policy_dirs):
        _say(result.line())
        passed, failed = (passed + 1, failed) if result.ok else (passed, failed + 1)
    typer.echo(f"{passed + failed} fixture(s): {passed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)


@app.command("validate")
def validate(directories: Directories = None, config: ConfigFile = None, no_config: NoConfig = False) -> None:
    """Check policy files without scanning: the schema, and every fact path against the facts and model fields."""
    from policykit.policy.loader import validate_dirs

    checked, errors = validate_dirs(directories or _settings(config, no_config).policy_dirs)
    for error in errors:
        for line in error.lines():
            _say(f"policykit: {line}", err=True)
    typer.echo(f"{checked} policy file(s): {checked - len(errors)} valid, {len(errors)} invalid")
    if errors:
        raise typer.Exit(2)


def _say(line: str, err: bool = False) -> None:
    """Print one line that a policy file or a fixture's name may have written, escaped (policykit/core/printable.py)."""
    typer.echo(safe_line(visible(line)), err=err)


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" if line.strip() else "" for line in text.strip().splitlines())
