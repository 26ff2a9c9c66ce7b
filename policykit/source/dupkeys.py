"""A mapping key written twice, as the loaders record it (policykit/source/duplicates.py reports it)."""

from __future__ import annotations

from policykit.core.nodes import Mark
from policykit.core.record import record


@record
class DuplicateKey:
    """A key written twice in one mapping: where the first and the second (the one used) are."""

    key: str
    first: Mark
    second: Mark
