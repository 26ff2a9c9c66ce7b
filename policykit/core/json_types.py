"""JSON as Python holds it: what a report, a baseline, the configuration or a policy file is made of.

Read-only containers (`Sequence`, `Mapping`) so that a `dict[str, int]` or a `list[str]` is JSON as it is;
a document being built is a `JsonObject`, which can still be written into.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

JsonValue = str | int | float | bool | None | Sequence["JsonValue"] | Mapping[str, "JsonValue"]
JsonObject = dict[str, JsonValue]
