"""A loaded policy: its data, plus its condition compiled once into a tree of closures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import Any

from policykit.core.record import record
from policykit.core.truth import Truth
from policykit.findings import PolicyInfo, Severity

# A compiled condition: object -> True, False or Unknown (with the reason it is not known)
Check = Callable[[Any], Truth]


@record
class Policy:
    """One policy, loaded from its YAML file, with its conditions compiled."""

    id: str
    title: str
    severity: Severity
    applies_to: str
    check: Check
    message: str
    at: str = ""
    why: str = ""
    symptom: str = ""
    fix: str = ""
    references: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    examples: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    severity_when: tuple[tuple[Severity, Check], ...] = ()
    source: str = ""  # the file it was read from
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def help_uri(self) -> str:
        return self.references[0] if self.references else ""

    def info(self) -> PolicyInfo:
        return PolicyInfo(self.id, self.title, self.severity, self.why.strip(), self.fix.strip(), self.help_uri,
                          self.tags, self.applies_to, tuple(sorted(self.examples.items())))
