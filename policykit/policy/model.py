"""A loaded policy: its data, plus its condition compiled once into a tree of closures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field

from policykit.core.json_types import JsonValue
from policykit.core.record import record
from policykit.core.truth import Truth
from policykit.findings import PolicyInfo, Severity

# A compiled condition: True, False or Unknown (with the reason it is not known) for an object the policy
# applies to, or an item of a list a quantifier (`any_item`, `all_items`) walks, which can be any value.
Check = Callable[[object], Truth]
# A policy file's data, valid by policy/schema.json (JSON, as YAML or the compiled catalog gives it).
PolicyDocument = Mapping[str, JsonValue]


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
    raw: PolicyDocument = field(default_factory=dict, repr=False)

    @property
    def help_uri(self) -> str:
        return self.references[0] if self.references else ""

    def info(self) -> PolicyInfo:
        return PolicyInfo(self.id, self.title, self.severity, self.why.strip(), self.fix.strip(), self.help_uri,
                          self.tags, self.applies_to, tuple(sorted(self.examples.items())))
