"""Which policies run: ids and globs (`PK2*`) from `--select`/`--skip` and `.policykit.yaml`.

An id or glob that names no policy is a mistake a user wants to hear about (a typo in `disable:`
would otherwise leave the check running): a UsageError/InputError with the closest id.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable

# Findings that come from no policy file but can be selected, skipped or re-graded like one.
BUILTIN_IDS = frozenset({"PK002", "PK003", "PK004", "PK005", "PK006", "PK007", "PK008"})


def split(items: Iterable[str] | None) -> list[str]:
    """`--skip PK101,PK2*` and repeated options: one list of upper-case patterns."""
    return [part.strip().upper() for item in items or () for part in item.split(",") if part.strip()]


def suggestion(pattern: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(pattern.upper(), sorted(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def unknown(pattern: str, known: frozenset[str]) -> bool:
    return not any(fnmatch.fnmatchcase(policy_id, pattern.upper()) for policy_id in known)


def expand(patterns: Iterable[str], known: frozenset[str]) -> frozenset[str]:
    """The known ids the patterns match (callers check `unknown` first to report typos)."""
    patterns = [p.upper() for p in patterns]
    return frozenset(i for i in known if any(fnmatch.fnmatchcase(i, p) for p in patterns))
