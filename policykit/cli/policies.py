"""`policykit policies list|show|facts|fields|test|validate`"""

# No `from __future__ import annotations`: Typer reads the options from the annotations, and evaluating them
# once here is cheaper than Typer evaluating each string on every run.

import enum
from pathlib import Path
from typing import Annotated

import typer

from policykit.core.errors import UsageError
from policykit.core.printable import safe_line, visible, visible_lines

app = typer.Typer(help="List and explain the policies.", no_args_is_help=True)

PolicyDirs = Annotated[list[Path] | None, typer.Option("--policies", help="Your own policy directory.")]


@app.command("list")
def list_policies(policies: PolicyDirs = None) -> None:
    """One line per policy: id, severity, title."""
    from policykit.policy.loader import load_policies

    for policy in load_policies(tuple(policies or ())):
        _say(f"{policy.id}  {policy.severity.value:<7}  {policy.title}")


class Language(str, enum.Enum):
    yaml = "yaml"
    json = "json"
    hcl = "hcl"


@app.command("show")
def show(policy_id: str, policies: PolicyDirs = None, language: Annotated[Language, typer.Option(
        "--as", help="Snippets as CloudFormation YAML, CloudFormation JSON (converted with cfn-flip) "
        "or Terraform HCL.")] = Language.yaml) -> None:
    """A policy's explanation, the 502 it prevents, the fix, and bad/good snippets."""
    from policykit.policy.loader import load_policies
    from policykit.reporters.snippets import CODE, example

    by_id = {p.id: p for p in load_policies(tuple(policies or ()))}
    policy = by_id.get(policy_id.upper())
    if policy is None:
        raise UsageError(f"no policy {policy_id}; `policykit policies list` shows them")
    # an edge policy's examples are a function's code, the same whatever the template's language
    shown = CODE if policy.applies_to.startswith("edge_") else language.value
    sections = [
        visible(f"{policy.id}: {policy.title}"),
        f"severity: {policy.severity.value}    applies to: {policy.applies_to}",
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
def facts() -> None:
    """The computed facts any policy (yours too) can test, by object kind."""
    from policykit.facts import describe

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


@app.command("test")
def test(directories: Annotated[list[Path] | None, typer.Argument(
        help="Policy directories (default: the built-in catalog).")] = None) -> None:
    """Run each policy's fixtures: tests/fail/* must fire the policy, tests/pass/* must not."""
    from policykit.policy.testing import run_dirs

    passed = failed = 0
    for result in run_dirs(directories or ()):
        _say(result.line())
        passed, failed = (passed + 1, failed) if result.ok else (passed, failed + 1)
    typer.echo(f"{passed + failed} fixture(s): {passed} passed, {failed} failed")
    if failed:
        raise typer.Exit(1)


@app.command("validate")
def validate(directories: Annotated[list[Path] | None, typer.Argument(
        help="Policy directories (default: the built-in catalog).")] = None) -> None:
    """Check policy files without scanning: the schema, and every fact path against the facts and model fields."""
    from policykit.policy.loader import validate_dirs

    checked, errors = validate_dirs(directories or ())
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
