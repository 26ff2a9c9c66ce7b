"""`policies test` fixtures for the PK7xx policies: a result JSON file and a sidecar `NAME.edge.yaml`.

The sidecar says what the result is for, and what must fire:

    event: viewer-request          # required
    result: x-cache.json           # default: NAME.json beside the sidecar
    request: x-cache.in.json       # optional: what the function received
    runtime: cloudfront-js         # optional: a CloudFront Function's result
    handler: slow.py:handler       # instead of a result: run this handler on a generated event
    timeout: 0.5                   # with handler: seconds
    expect: [PK705:5]              # ids (optionally ID:LINE of the result file) that must have a finding

A fail fixture must fire its policy; a pass fixture must not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policykit.core.errors import PolicykitError
from policykit.edge.check import judge, validate_file
from policykit.findings import Finding
from policykit.model.function_runs import CLOUDFRONT_FUNCTIONS, LAMBDA_EDGE, EdgeRun
from policykit.policy.model import Policy
from policykit.source.yaml_loader import load_yaml

SIDECAR = ".edge.yaml"


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR)


def run_fixture(sidecar: Path, policy_id: str, outcome: str, policies: list[Policy]) -> str:
    """"" when the fixture holds, else why not."""
    try:
        spec = load_yaml(sidecar.read_text(encoding="utf-8"), str(sidecar))
        if not isinstance(spec, dict) or not isinstance(spec.get("event"), str):
            return f"{sidecar.name}: needs `event:`"
        findings = judge([_run(sidecar, spec)], policies)
    except PolicykitError as exc:
        return f"input error: {exc}"
    fired = [f for f in findings if f.policy_id == policy_id and not f.unknown]
    if outcome == "pass":
        return ("fired " + "; ".join(f"{f.location}: {f.message[:120]}" for f in fired[:3])) if fired else ""
    if not fired:
        unknown = [f for f in findings if f.policy_id == policy_id]
        return f"{policy_id} did not fire" + (f" (only 'not checked': {unknown[0].message})" if unknown else "")
    missing = [e for e in spec.get("expect") or [] if not _has(findings, str(e))]
    return ("no finding for " + ", ".join(map(str, missing))) if missing else ""


def _run(sidecar: Path, spec: dict[str, Any]) -> EdgeRun:
    base = sidecar.parent
    stem = sidecar.name[: -len(SIDECAR)]
    platform = CLOUDFRONT_FUNCTIONS if spec.get("runtime") == "cloudfront-js" else LAMBDA_EDGE
    event = spec["event"]
    if "handler" in spec:
        from policykit.edge.events import RequestShape
        from policykit.edge.run import build_event, run_handler
        from policykit.edge.runner import parse_handler

        handler = parse_handler(str(base / str(spec["handler"])), spec.get("runtime"))
        timeout = float(spec.get("timeout", 3))
        return run_handler(handler, event, build_event(handler, event, RequestShape(), None), timeout,
                           f"handler {handler.file.name}:{handler.function}")
    result = base / str(spec.get("result", f"{stem}.json"))
    request = spec.get("request")
    return validate_file(str(result), event, str(base / str(request)) if request else None, platform)


def _has(findings: list[Finding], expected: str) -> bool:
    policy_id, _, line = expected.partition(":")
    return any(f.policy_id == policy_id and not f.unknown and (not line or f.location.line == int(line))
               for f in findings)
