"""Suppressions: the filtering stage after detection.

Where a suppression is written:
- CloudFormation: `Metadata: {policykit: {ignore: [{id, reason, expires}]}}` on a resource
  (covers findings on that resource or on the distribution it is) or at the top of the template
  (covers the whole file).
- Terraform: `# policykit:ignore PK201 reason... expires=2027-01-31` (or `//`) inside a
  `resource "TYPE" "NAME" { ... }` block (covers findings whose resource is TYPE.NAME in that
  module), or outside any block (covers the file's module).

Every suppression needs a reason (an input error otherwise). Suppressed findings stay in the
result with `suppressed` set to the reason, so JSON and SARIF show them; they do not count for
the exit code. An expired suppression stops suppressing and says so (PK004), and one that
matches nothing is reported (PK003), so stale ignores do not pile up.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policykit.errors import InputError
from policykit.findings import Finding, ScanError, ScanResult, Severity
from policykit.location import Location

UNUSED_ID = "PK003"
EXPIRED_ID = "PK004"
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_TF_COMMENT = re.compile(r"(?:#|//)\s*policykit:ignore\b(?P<rest>.*)$")
_TF_RESOURCE = re.compile(r'^\s*resource\s+"(?P<type>[^"]+)"\s+"(?P<name>[^"]+)"\s*\{')
_EXPIRES = re.compile(r"\bexpires=(\S+)\s*$")


@dataclass
class Suppression:
    policy_id: str
    reason: str
    location: Location  # where it is written
    expires: datetime.date | None = None
    resource: str = ""  # logical id / TYPE.NAME; "" covers the whole file (CFN) or module (Terraform)
    scope: str = ""  # the file (CloudFormation) or module directory (Terraform) it covers
    terraform: bool = False
    used: bool = False

    def expired(self, today: datetime.date) -> bool:
        return self.expires is not None and self.expires < today

    def covers(self, finding: Finding) -> bool:
        if finding.policy_id.upper() != self.policy_id.upper():
            return False
        if self.terraform:
            if str(Path(finding.location.file).parent) != self.scope and finding.location.file != self.scope:
                return False
            return not self.resource or self.resource in (_address(finding.resource),
                                                          _address(finding.distribution))
        if finding.location.file != self.scope:
            return False
        return not self.resource or self.resource in (finding.resource, finding.distribution)


def _address(address: str) -> str:
    """`module.x.aws_cloudfront_distribution.cdn["a"]` -> `aws_cloudfront_distribution.cdn`."""
    parts = re.sub(r"\[[^\]]*\]", "", address).split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else address


def parse_date(text: Any, where: Location) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(where.file, f"suppression expiry '{text}' is not a date (YYYY-MM-DD)",
                         where.line, where.column) from None


# --- CloudFormation -------------------------------------------------------------------------


def cfn_suppressions(file: str) -> list[Suppression]:
    """The suppressions in a template's Metadata (top level and per resource)."""
    from policykit.cfn.load import parse
    from policykit.source.files import read_text
    from policykit.source.nodes import MDict

    text = read_text(Path(file))
    if text is None or "policykit" not in text:  # cheap: most templates have none
        return []
    root = parse(text, file)
    if not isinstance(root, MDict):
        return []
    found = _from_metadata(root, file, "")
    resources = root.get("Resources")
    if isinstance(resources, MDict):
        for logical_id, resource in resources.items():
            if isinstance(resource, MDict):
                found.extend(_from_metadata(resource, file, str(logical_id)))
    return found


def _from_metadata(node: Any, file: str, resource: str) -> list[Suppression]:
    from policykit.source.nodes import MDict, MList

    metadata = node.get("Metadata")
    if not isinstance(metadata, MDict) or not isinstance(metadata.get("policykit"), MDict):
        return []
    section = metadata["policykit"]
    if "ignore" not in section:
        return []
    items = section["ignore"]
    mark = section.mark_of("ignore")
    if not isinstance(items, MList):
        raise InputError(file, "Metadata.policykit.ignore must be a list of {id, reason, expires}",
                         mark.line, mark.column)
    out = []
    for index, item in enumerate(items):
        mark = items.mark_of(index)
        where = Location(file, mark.line, mark.column)
        if not isinstance(item, MDict):
            raise InputError(file, "a suppression needs a reason: write {id: PKnnn, reason: why}",
                             mark.line, mark.column)
        unknown = sorted(set(item) - {"id", "reason", "expires"})
        if unknown:
            key_mark = item.key_marks.get(unknown[0], mark)
            raise InputError(file, f"unknown key '{unknown[0]}' in a suppression (use id, reason, expires)",
                             key_mark.line, key_mark.column)
        policy_id = item.get("id")
        if not isinstance(policy_id, str) or not _ID.match(policy_id):
            raise InputError(file, "a suppression needs an id (e.g. id: PK201)", mark.line, mark.column)
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise InputError(file, f"the suppression of {policy_id} needs a reason", mark.line, mark.column)
        expires = None
        if item.get("expires") is not None:
            expires_mark = item.mark_of("expires")
            expires = parse_date(item["expires"], Location(file, expires_mark.line, expires_mark.column))
        out.append(Suppression(policy_id.upper(), reason.strip(), where, expires, resource, file))
    return out


# --- Terraform ------------------------------------------------------------------------------


def resource_blocks(text: str) -> list[tuple[str, int, int]]:
    """(TYPE.NAME, first line, last line) of each top-level `resource` block, 1-based.

    Braces inside strings, heredocs and comments do not count, so a `}` in a description
    does not end a block early.
    """
    lines = text.splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        match = _TF_RESOURCE.match(lines[index])
        if not match:
            index += 1
            continue
        end = _block_end(lines, index, match.end() - 1)
        blocks.append((f"{match['type']}.{match['name']}", index + 1, end + 1))
        index = end + 1
    return blocks


def _block_end(lines: list[str], start_line: int, start_col: int) -> int:
    depth = 0
    heredoc = ""
    for number in range(start_line, len(lines)):
        line = lines[number]
        if heredoc:
            if line.strip() == heredoc:
                heredoc = ""
            continue
        column = start_col if number == start_line else 0
        in_string = False
        while column < len(line):
            char = line[column]
            if in_string:
                if char == "\\":
                    column += 1
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char == "#" or line.startswith("//", column):
                break
            elif line.startswith("/*", column):
                close = line.find("*/", column + 2)
                if close < 0:
                    break  # a block comment spanning lines: rare in resource bodies; the rest of the line
                column = close + 1
            elif line.startswith("<<", column):
                marker = re.match(r"<<-?([A-Za-z_][A-Za-z0-9_]*)", line[column:])
                if marker:
                    heredoc = marker.group(1)
                    break
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    return number
            column += 1
    return len(lines) - 1  # unbalanced: the block runs to the end of the file


def terraform_suppressions(text: str, file: str) -> list[Suppression]:
    """The `# policykit:ignore ID reason expires=DATE` comments of one .tf file."""
    if "policykit:ignore" not in text:
        return []
    blocks = resource_blocks(text)
    scope = str(Path(file).parent)
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TF_COMMENT.search(line)
        if not match:
            continue
        where = Location(file, number, match.start() + 1)
        rest = match["rest"].strip()
        expires = None
        expiry = _EXPIRES.search(rest)
        if expiry:
            expires = parse_date(expiry.group(1), where)
            rest = rest[:expiry.start()].strip()
        policy_id, _, reason = rest.partition(" ")
        if not policy_id or not _ID.match(policy_id):
            raise InputError(file, "a suppression names a policy: # policykit:ignore PK201 reason",
                             where.line, where.column)
        reason = reason.strip().lstrip(":-").strip()
        if not reason:
            raise InputError(file, f"the suppression of {policy_id} needs a reason "
                             f"(# policykit:ignore {policy_id} why it is safe)", where.line, where.column)
        resource = next((address for address, first, last in blocks if first <= number <= last), "")
        out.append(Suppression(policy_id.upper(), reason, where, expires, resource, scope, terraform=True))
    return out


def _suppressions_of(path: str) -> list[Suppression]:
    target = Path(path)
    if target.is_dir():
        found = []
        for tf in sorted(target.glob("*.tf")):
            from policykit.source.files import read_text

            text = read_text(tf)
            if text is not None:
                found.extend(terraform_suppressions(text, str(tf)))
        return found
    if target.name.lower().endswith(".tf"):
        from policykit.source.files import read_text

        text = read_text(target)
        return [] if text is None else terraform_suppressions(text, str(target))
    if target.name.lower().endswith(".tf.json"):
        return []  # JSON has no comments; Terraform JSON suppressions are not supported
    return cfn_suppressions(path)  # a template (a plan JSON parses too, and has no Metadata)


# --- the stage ------------------------------------------------------------------------------


def apply(result: ScanResult, today: datetime.date | None = None,
          suppressions: Iterable[Suppression] | None = None) -> None:
    """Marks suppressed findings, reports expired and unused suppressions, in place."""
    today = today or datetime.date.today()
    if suppressions is None:
        collected: list[Suppression] = []
        for path in result.files:
            try:
                collected.extend(_suppressions_of(path))
            except InputError as exc:
                result.errors.append(ScanError(exc.file, exc.message, exc.line, exc.column))
        suppressions = collected
    active = list(suppressions)
    if not active:
        return
    findings = []
    for finding in result.findings:
        for suppression in active:
            if suppression.covers(finding):
                suppression.used = True
                if not suppression.expired(today):
                    finding = dataclasses.replace(finding, suppressed=suppression.reason)
                    break
        findings.append(finding)
    for suppression in active:
        if suppression.expired(today):
            findings.append(_expired(suppression))
        elif not suppression.used:
            findings.append(_unused(suppression))
    findings.sort(key=lambda f: f.sort_key)
    result.findings[:] = findings


def _target(suppression: Suppression) -> str:
    return f"resource {suppression.resource}" if suppression.resource else "this file"


def _expired(suppression: Suppression) -> Finding:
    return Finding(
        policy_id=EXPIRED_ID, title="Expired suppression", severity=Severity.WARNING,
        message=(f"the suppression of {suppression.policy_id} on {_target(suppression)} expired on "
                 f"{suppression.expires}, so its findings are reported again (reason was: {suppression.reason})"),
        location=suppression.location, resource=suppression.resource,
        fix="Fix the finding, or renew the suppression with a new expires date and a current reason.")


def _unused(suppression: Suppression) -> Finding:
    return Finding(
        policy_id=UNUSED_ID, title="Unused suppression", severity=Severity.INFO,
        message=(f"the suppression of {suppression.policy_id} on {_target(suppression)} matches no finding"),
        location=suppression.location, resource=suppression.resource,
        fix="Remove the suppression: the finding it was written for is gone (or the id is misspelt).")
