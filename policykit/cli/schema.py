"""`policykit schema report|policy|config`: the JSON Schemas of what policykit writes and reads, for editors,
CI steps that check a report, and tools that consume one."""

# No `from __future__ import annotations`: Typer reads the arguments from the annotations.

import enum
from pathlib import Path
from typing import Annotated

import typer

PACKAGE = Path(__file__).resolve().parent.parent


class Schema(str, enum.Enum):
    report = "report"
    policy = "policy"
    config = "config"


# Where each schema is shipped in the package (the report's is the one its tests validate every report against).
FILES = {Schema.report: "reporters/report_schema.json", Schema.policy: "policy/schema.json",
         Schema.config: "config_schema.json"}


def schema_text(name: Schema) -> str:
    return (PACKAGE / FILES[name]).read_text(encoding="utf-8")


def schema(name: Annotated[Schema, typer.Argument(
        help="report: the JSON report (--format json); policy: a policy file; config: .policykit.yaml.")]) -> None:
    """Print a JSON Schema: of the JSON report, of a policy file, or of the configuration."""
    typer.echo(schema_text(name), nl=False)
