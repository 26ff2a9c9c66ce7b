"""Build and judge results in-process, as `policykit edge validate` does."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Any

from policykit.api import judge_edge_runs
from policykit.core.location import Location
from policykit.edge.build import build_result, received_object
from policykit.edge.events import RequestShape, lambda_event
from policykit.edge.paths import at
from policykit.findings import Finding
from policykit.model.function_runs import LAMBDA_EDGE, EdgeRun
from policykit.policy.loader import load_policies

POLICIES = load_policies()
HERE = Location("result.json", 1, 1)


def received(event: str) -> dict[str, Any]:
    """What a function of `event` receives from CloudFront (a generated event)."""
    found = received_object(lambda_event(event, RequestShape()), event)
    assert found is not None
    return copy.deepcopy(found)


def findings(value: Any, event: str, given: dict[str, Any] | None = None, platform: str = LAMBDA_EDGE,
             known_input: bool = True) -> list[Finding]:
    base = given if given is not None else (received(event) if known_input else None)
    result = build_result(value, event, "result.json", at(HERE), base, platform)
    run = EdgeRun(function="result.json", event_type=event, platform=platform, result=result)
    return judge_edge_runs([run], POLICIES)


def fired(value: Any, event: str, **kw: Any) -> set[str]:
    return {f.policy_id for f in findings(value, event, **kw) if not f.unknown}


def header(name: str, value: str) -> dict[str, list[dict[str, str]]]:
    return {name.lower(): [{"key": name, "value": value}]}


def zip_of(path: Path, entries: dict[str, bytes]) -> Path:
    """A zip file at `path` holding `entries` (name -> bytes)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, data in entries.items():
            bundle.writestr(name, data)
    return path
