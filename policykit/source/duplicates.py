"""Duplicate mapping keys: the loaders keep the last value (as CloudFormation and Terraform do) and say so (PK006)."""

from __future__ import annotations

from policykit.core.builtins import DUPLICATE_KEY
from policykit.core.location import Location
from policykit.findings import Finding, builtin_finding
from policykit.source.dupkeys import DuplicateKey

# What an HCL argument set twice is: Terraform 0.12+ refuses the file (policykit reads it, as python-hcl2 does).
HCL_REFUSES = "Terraform refuses an argument set twice (\"Attribute redefined\"); policykit reads the last one"
# The Serverless Framework parses YAML with js-yaml, which refuses a key written twice (JSON.parse keeps the last).
SERVERLESS_REFUSES = ("the Serverless Framework refuses a YAML key written twice (\"duplicated mapping key\"); "
                      "policykit reads the last one")


def duplicate_key_findings(duplicates: list[DuplicateKey], file: str, used_by: str) -> list[Finding]:
    """One PK006 warning per duplicate, at the second key; `used_by` says who takes the last one (or, for
    HCL and Serverless YAML, HCL_REFUSES / SERVERLESS_REFUSES: what the tool does instead)."""
    def said(d: DuplicateKey) -> str:
        if used_by in (HCL_REFUSES, SERVERLESS_REFUSES):
            return f"'{d.key}' is set twice (first at line {d.first.line}): {used_by}"
        return (f"'{d.key}' is written twice in this mapping (first at line {d.first.line}): "
                f"{used_by} the last one, so the first one is silently ignored")

    return [
        builtin_finding(DUPLICATE_KEY, said(d),
                location=Location(file, d.second.line, d.second.column), subject=f"key '{d.key}'",
                fix=f"Keep one '{d.key}': merge the two, or delete the one that is not meant.")
        for d in duplicates
    ]
