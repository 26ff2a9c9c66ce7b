"""Helpers of the --live tests: finding filters, and what the run saw (the template is
tests.templates.cfn_with_origins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

LiveRun = Callable[..., tuple[int, "Findings", str]]


class Findings(list[dict[str, Any]]):
    """The findings of a JSON report, and the report's `live` block: what was probed and seen, once per
    endpoint and name, with the commands that reproduce each check."""

    def __init__(self, document: dict[str, Any]) -> None:
        super().__init__(document["findings"])
        self.live: dict[str, Any] = document.get("live", {})

    def seen(self, finding: dict[str, Any]) -> dict[str, Any]:
        """What was seen of the endpoint or name the finding speaks of."""
        for item in self.live.get("observed", []):
            if item["subject"] == finding["subject"] and item["distribution"] == finding["distribution"]:
                return dict(item)
        raise KeyError(f"nothing seen of {finding['subject']}")

    def of_name(self, name: str) -> dict[str, Any]:
        """What was seen of the (first) probed name `name`, finding or not."""
        for item in self.live.get("observed", []):
            if item["endpoint"] and item.get("name") == name:
                return dict(item)
        raise KeyError(f"nothing seen of {name}")

    def command(self, finding: dict[str, Any], tool: str) -> str:
        """The command (dig, nc, openssl, curl, websocket) that reproduces the check behind a finding."""
        return str(self.seen(finding)["commands"][tool])


def ids(findings: list[dict[str, Any]], *, unknown: bool = False) -> set[str]:
    return {f["policy_id"] for f in findings if f["unknown"] is unknown}


def of(findings: list[dict[str, Any]], policy_id: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["policy_id"] == policy_id and not f["unknown"]]
