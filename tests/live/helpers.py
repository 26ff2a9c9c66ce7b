"""Helpers of the --live tests: finding filters (the template is tests.templates.cfn_with_origins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LiveRun = Callable[..., tuple[int, list[dict[str, Any]], str]]


def ids(findings: list[dict[str, Any]], *, unknown: bool = False) -> set[str]:
    return {f["policy_id"] for f in findings if f["unknown"] is unknown}


def of(findings: list[dict[str, Any]], policy_id: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["policy_id"] == policy_id and not f["unknown"]]
