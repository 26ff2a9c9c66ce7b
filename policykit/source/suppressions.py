"""Suppression directives written in the source, read from what the loaders already parsed.

Like a linter's disable comments, they belong to the source stage: the CloudFormation loader
reads `Metadata.policykit.ignore` from the template root it parsed, the Terraform reader reads
`# policykit:ignore` comments from the `.tf` text it read. The filtering (which finding a
suppression covers, PK003/PK004) is `policykit/filters/suppressions.py`, after the policies ran.

Where a suppression is written:
- CloudFormation: `Metadata: {policykit: {ignore: [{id, reason, expires}]}}` on a resource
  (covers findings on that resource or on the distribution it is) or at the top of the template
  (covers the whole file).
- Terraform: `# policykit:ignore PK201 reason... expires=2027-01-31` (or `//`) inside a
  `resource "TYPE" "NAME" { ... }` block (covers findings whose resource is TYPE.NAME in that
  module), or outside any block (covers the file's module).

Every suppression needs a reason: one without (or with a bad date) is an InputError naming
its file and line.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from policykit.core.errors import InputError
from policykit.core.location import Location
from policykit.core.nodes import MDict, MList, Node, file_of
from policykit.core.patterns import lazy_pattern
from policykit.findings import Suppression

_ID = lazy_pattern(r"^[A-Za-z][A-Za-z0-9_-]*$")
_TF_COMMENT = lazy_pattern(r"(?:#|//)\s*policykit:ignore\b(?P<rest>.*)$")
_TF_RESOURCE = lazy_pattern(r'^\s*resource\s+"(?P<type>[^"]+)"\s+"(?P<name>[^"]+)"\s*\{')
_EXPIRES = lazy_pattern(r"\bexpires=(\S+)\s*$")


def parse_date(text: object, where: Location) -> datetime.date:
    """An expiry date as written (`expires=` text, or a YAML date or value: read as its text)."""
    try:
        return datetime.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InputError(where.file, f"suppression expiry '{text}' is not a date (YYYY-MM-DD)",
                         where.line, where.column) from None


# --- CloudFormation -------------------------------------------------------------------------


def cfn_suppressions(root: Node, file: str) -> list[Suppression]:
    """The suppressions in a parsed template's Metadata (top level and per resource)."""
    if not isinstance(root, MDict):
        return []
    found = _from_metadata(root, file, "")
    resources = root.get("Resources")
    if isinstance(resources, MDict):
        for logical_id, resource in resources.items():
            if isinstance(resource, MDict):
                found.extend(_from_metadata(resource, file, str(logical_id)))
    return found


def _from_metadata(node: MDict, file: str, resource: str) -> list[Suppression]:
    metadata = node.get("Metadata")
    if not isinstance(metadata, MDict) or not isinstance(metadata.get("policykit"), MDict):
        return []
    section = metadata["policykit"]
    if "ignore" not in section:
        return []
    items = section["ignore"]
    mark = section.mark_of("ignore")
    file = file_of(mark, file)  # written in a file a Serverless service includes: it covers that file
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
        if not isinstance(policy_id, str) or not _ID().match(policy_id):
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
        match = _TF_RESOURCE().match(lines[index])
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
    """The `# policykit:ignore ID reason expires=DATE` comments of one .tf file's text."""
    if "policykit:ignore" not in text:
        return []
    blocks = resource_blocks(text)
    scope = str(Path(file).parent)
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TF_COMMENT().search(line)
        if not match:
            continue
        where = Location(file, number, match.start() + 1)
        rest = match["rest"].strip()
        expires = None
        expiry = _EXPIRES().search(rest)
        if expiry:
            expires = parse_date(expiry.group(1), where)
            rest = rest[:expiry.start()].strip()
        policy_id, _, reason = rest.partition(" ")
        if not policy_id or not _ID().match(policy_id):
            raise InputError(file, "a suppression names a policy: # policykit:ignore PK201 reason",
                             where.line, where.column)
        reason = reason.strip().lstrip(":-").strip()
        if not reason:
            raise InputError(file, f"the suppression of {policy_id} needs a reason "
                             f"(# policykit:ignore {policy_id} why it is safe)", where.line, where.column)
        resource = next((address for address, first, last in blocks if first <= number <= last), "")
        out.append(Suppression(policy_id.upper(), reason, where, expires, resource, scope, terraform=True))
    return out
