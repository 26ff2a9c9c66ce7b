"""Which policies run: ids and globs (`PK2*`) from `--select`/`--skip` and `.policykit.yaml`.

An id or glob that names no policy is a mistake a user wants to hear about (a typo in `disable:`
would otherwise leave the check running): a UsageError/InputError with the closest id.
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
from collections.abc import Iterable
from dataclasses import field

from policykit.core.builtins import ALWAYS_ON
from policykit.core.record import record
from policykit.findings import Finding, PolicyInfo, ScanResult, Severity


@record
class Selection:
    """Which policies' findings a scan keeps, and at which severity. Built-in findings (core/builtins.py) that
    are always on report on the input and the run itself: `--select` keeps them, `--skip` of their id drops them."""

    enabled: frozenset[str] = frozenset()  # empty: every policy
    disabled: frozenset[str] = frozenset()
    severity_overrides: dict[str, str] = field(default_factory=dict, hash=False)  # id -> error|warning|info

    def selected(self, policy_id: str) -> bool:
        if policy_id in self.disabled:
            return False
        return not self.enabled or policy_id in self.enabled or policy_id in ALWAYS_ON

    def finding(self, finding: Finding) -> Finding:
        wanted = self.severity_overrides.get(finding.policy_id)
        return dataclasses.replace(finding, severity=Severity(wanted)) if wanted else finding

    def info(self, info: PolicyInfo) -> PolicyInfo:
        wanted = self.severity_overrides.get(info.id)
        return dataclasses.replace(info, severity=Severity(wanted)) if wanted else info

    def apply(self, result: ScanResult) -> ScanResult:
        """The selected findings at their chosen severity, in report order."""
        findings = sorted((self.finding(f) for f in result.findings if self.selected(f.policy_id)),
                          key=lambda f: f.sort_key)
        return dataclasses.replace(result, findings=tuple(findings))


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
