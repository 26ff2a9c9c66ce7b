"""Suppressions written almost the way policykit reads them: PK008, a warning at that line.

A user who writes `#policykit:skip=PK101:why` (checkov's spelling), `# policykit: ignore PK101`,
`# policykit:disable`, or `Metadata: policykit: config: ignore_checks: [PK101]` (cfn-lint's)
means to suppress a finding; silently ignoring it would leave them believing it is suppressed.
Each becomes a warning naming the exact spelling policykit accepts. Found while the loaders read
the source, like the suppressions themselves (policykit/source/suppressions.py).
"""

from __future__ import annotations

import re

from policykit.core.builtins import NEAR_MISS_SUPPRESSION
from policykit.core.location import Location
from policykit.core.nodes import MDict, Node
from policykit.findings import Finding, builtin_finding

_ID = re.compile(r"\b[A-Za-z]{2,}\d{3,}\b")
_ACCEPTED_TF = re.compile(r"(?:#|//)\s*policykit:ignore\b")  # read (or refused with an error) as a suppression
# A comment that addresses policykit with a directive-like word: `policykit:skip`, `policykit: ignore`,
# `policykit ignore`, `policykit=...`, `policykit-disable`, in any case. Prose (`# checked by policykit.`) is not one.
# (Written so that no run of spaces can be split two ways: `\s*(?:[:=-]\s*|\s+)` took quadratic time on a long one.)
_DIRECTIVE = (r"\s*policykit(?:\s*[:=-]|\s)\s*(?P<word>ignore|skip|disable|suppress|noqa|nosec|exclude|allow)\b"
              r"(?P<rest>.*)$")
_TF_NEAR = re.compile(r"(?:#|//|/\*)" + _DIRECTIVE, re.IGNORECASE)
# Keys of Metadata.policykit that policykit reads.
CFN_KEYS = frozenset({"ignore", "websocket"})


def _finding(file: str, line: int, column: int, written: str, accepted: str, resource: str = "",
             about: str = "") -> Finding:
    """PK008; `about`: the policy id the written suppression names ("" when it names none)."""
    return builtin_finding(NEAR_MISS_SUPPRESSION,
                   message=f"{written} is not a suppression policykit reads, so nothing is suppressed; "
                           f"write {accepted}",
                   location=Location(file, line, column), resource=resource, subject=f"directive at line {line}",
                   fix=f"Write the suppression as {accepted} (a reason is required), or remove this one.",
                   about=about)


def _named(ids: list[str]) -> str:
    """The policy ids a near miss names, comma-separated ("" for none)."""
    return ",".join(sorted({i.upper() for i in ids}))


def terraform_near_misses(text: str, file: str) -> list[Finding]:
    """PK008 for each comment that looks like a `# policykit:ignore` but is not one."""
    if "policykit" not in text.lower():
        return []
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TF_NEAR.search(line)
        if not match or _ACCEPTED_TF.search(line):
            continue
        ids = _ID.findall(match["rest"])
        policy_id = ids[0].upper() if ids else "PKnnn"
        written = "'" + line[match.start():].strip()[:80] + "'"
        out.append(_finding(file, number, match.start() + 1, written,
                            f"'# policykit:ignore {policy_id} <why it is safe>' (expires=YYYY-MM-DD optional)",
                            about=_named(ids)))
    return out


# A YAML comment (`#` at the start of a line or after a blank) that addresses policykit: in a CloudFormation
# template no comment is read, the Terraform spelling `# policykit:ignore` included.
_YAML_NEAR = re.compile(r"(?:^|\s)#" + _DIRECTIVE, re.IGNORECASE)


def _outside_quotes(before: str) -> bool:
    """Whether text ending here is outside a quoted YAML scalar (a `#` inside quotes is no comment)."""
    return before.count('"') % 2 == 0 and before.count("'") % 2 == 0


def cfn_comment_near_misses(text: str, file: str) -> list[Finding]:
    """PK008 for each comment of a YAML template that means to suppress: CloudFormation suppressions are
    Metadata (comments are not read), so `# policykit:ignore PK101 why` there suppresses nothing."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _YAML_NEAR.search(line)
        if not match or not _outside_quotes(line[:match.start()]):
            continue
        ids = _ID.findall(match["rest"])
        policy_id = ids[0].upper() if ids else "PKnnn"
        start = line.index("#", match.start())
        out.append(_finding(file, number, start + 1,
                            "'" + line[start:].strip()[:80] + "' (a comment: a CloudFormation template reads none)",
                            f"Metadata: {{policykit: {{ignore: [{{id: {policy_id}, reason: why}}]}}}} on the resource",
                            about=_named(ids)))
    return out


def cfn_near_misses(root: Node, file: str) -> list[Finding]:
    """PK008 for each key under Metadata.policykit that is not one policykit reads (cfn-lint's
    `config: ignore_checks`, `skip`, `suppress`...), at the top of the template or on a resource."""
    if not isinstance(root, MDict):
        return []
    places: list[tuple[MDict, str]] = [(root, "")]
    resources = root.get("Resources")
    if isinstance(resources, MDict):
        places.extend((r, str(name)) for name, r in resources.items() if isinstance(r, MDict))
    out = []
    for node, resource in places:
        metadata = node.get("Metadata")
        if not isinstance(metadata, MDict):
            continue
        for key in metadata:
            if str(key).lower() != "policykit" and str(key).lower().replace("-", "").replace("_", "") == "policykit":
                mark = metadata.key_marks.get(key) or metadata.mark_of(key)
                out.append(_finding(file, mark.line, mark.column, f"Metadata key '{key}'",
                                    "Metadata: {policykit: {ignore: [{id: PKnnn, reason: why}]}}", resource))
        section = metadata.get("policykit")
        if not isinstance(section, MDict):
            continue
        for key in section:
            if key in CFN_KEYS:
                continue
            mark = section.key_marks.get(key) or section.mark_of(key)
            ids = sorted(set(_ID.findall(str(section[key])))) if section[key] is not None else []
            policy_id = ids[0].upper() if ids else "PKnnn"
            out.append(_finding(file, mark.line, mark.column, f"Metadata.policykit.{key}",
                                f"Metadata: {{policykit: {{ignore: [{{id: {policy_id}, reason: why}}]}}}}", resource,
                                about=_named(ids)))
    return out
