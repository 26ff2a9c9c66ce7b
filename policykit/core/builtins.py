"""The built-in findings (PK002-PK010): findings that come from no policy file, in one table.

Selection (`--select`/`--skip`, `enable`/`disable`), SARIF rules, suppression bookkeeping, severity overrides
and the README all read this table; no other module spells these ids.
"""

from __future__ import annotations

from typing import Literal

from policykit.core.record import record

SeverityName = Literal["error", "warning", "info"]


@record
class Builtin:
    """One built-in finding: what it says, how severe it is, whether `--select` can leave it out."""

    id: str
    title: str
    severity: SeverityName
    description: str
    tags: tuple[str, ...] = ()
    # Always on: it reports on the input or on the run itself (what could not be read, followed or combined),
    # which choosing some policies with `--select` must not hide; `--skip` of its own id still does.
    always_on: bool = True


WRONG_TYPE = "PK002"
UNUSED_SUPPRESSION = "PK003"
EXPIRED_SUPPRESSION = "PK004"
MODULE_NOT_FOLLOWED = "PK005"
DUPLICATE_KEY = "PK006"
INTERNAL_ERROR = "PK007"
NEAR_MISS_SUPPRESSION = "PK008"
SCENARIOS_NOT_COMBINED = "PK009"
RESOURCE_NOT_READ = "PK010"

BUILTINS: dict[str, Builtin] = {b.id: b for b in (
    Builtin(WRONG_TYPE, "Property of the wrong type", "error",
            "A value of the wrong type where CloudFront needs another (a string where the list of origins "
            "belongs): CloudFormation/Terraform cannot deploy it, and policykit cannot check it.", tags=("input",)),
    Builtin(UNUSED_SUPPRESSION, "Unused suppression", "info",
            "A suppression that matches no finding of the policies that ran: the finding it was written for "
            "is gone, or the id is misspelt.", tags=("suppression",)),
    Builtin(EXPIRED_SUPPRESSION, "Expired suppression", "warning",
            "A suppression past its expiry date: its findings are reported again.", tags=("suppression",)),
    Builtin(MODULE_NOT_FOLLOWED, "Terraform module not followed", "info",
            "A Terraform module whose source or instances are not known here: the distributions it declares "
            "are not checked.", tags=("terraform", "coverage")),
    Builtin(DUPLICATE_KEY, "Duplicate key", "warning",
            "A key written twice in one mapping: CloudFormation and Terraform JSON use the last one, Terraform "
            "refuses an HCL argument set twice.", tags=("input",)),
    Builtin(INTERNAL_ERROR, "Internal error", "error",
            "A policy, fact or probe raised: a bug of policykit. The other checks still run and the scan exits "
            "3 after the report.", tags=("internal",)),
    Builtin(NEAR_MISS_SUPPRESSION, "Suppression policykit does not read", "warning",
            "A suppression spelt the way another tool or an older policykit reads it: it suppresses nothing.",
            tags=("suppression",)),
    Builtin(SCENARIOS_NOT_COMBINED, "Deploy-time choices not all combined", "info",
            "More deploy-time combinations than the scenarios limit: each choice is analysed alone, with the "
            "others at their defaults.", tags=("coverage",)),
    Builtin(RESOURCE_NOT_READ, "CloudFront resource not read", "info",
            "A CloudFront-like resource type policykit does not read: its configuration is not checked.",
            tags=("coverage",)),
)}
BUILTIN_IDS = frozenset(BUILTINS)
ALWAYS_ON = frozenset(b.id for b in BUILTINS.values() if b.always_on)
