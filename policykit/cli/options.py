"""Parsing of repeated `KEY=VALUE` options."""

from __future__ import annotations

from policykit.core.errors import UsageError


def key_values(items: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{option} takes KEY=VALUE, not '{item}'")
        out[key.strip()] = value
    return out
