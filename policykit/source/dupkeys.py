"""A mapping key written twice, as the loaders record it (policykit/source/duplicates.py reports it)."""

from __future__ import annotations

from dataclasses import dataclass

from policykit.source.nodes import Mark


@dataclass(frozen=True)
class DuplicateKey:
    """A key written twice in one mapping: where the first and the second (the one used) are."""

    key: str
    first: Mark
    second: Mark
