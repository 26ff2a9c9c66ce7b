"""`policies test` fixtures for the PK7xx policies: a result JSON file and a sidecar `NAME.edge.yaml`.

The sidecar says what the result is for, and what must fire:

    event: viewer-request          # required
    result: x-cache.json           # default: NAME.json beside the sidecar
    request: x-cache.in.json       # optional: what the function received
    runtime: cloudfront-js         # optional: a CloudFront Function's result (cloudfront-js-1.0 / -2.0 to run one)
    handler: slow.py:handler       # instead of a result: run this handler on a generated event
    timeout: 0.5                   # with handler: seconds
    expect: [PK705:5]              # ids (optionally ID:LINE of the result file) that must have a finding

A fail fixture must fire its policy; a pass fixture must not (policykit/policy/testing.py judges it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policykit.edge.check import validate_file
from policykit.model.function_runs import CLOUDFRONT_FUNCTIONS, LAMBDA_EDGE, EdgeRun

SIDECAR = ".edge.yaml"


def fixture_run(sidecar: Path, spec: dict[str, Any]) -> EdgeRun:
    """The run a sidecar describes (its `event:` checked by the caller): its result file read, or its handler run."""
    base = sidecar.parent
    stem = sidecar.name[: -len(SIDECAR)]
    platform = CLOUDFRONT_FUNCTIONS if str(spec.get("runtime", "")).startswith("cloudfront-js") else LAMBDA_EDGE
    event = spec["event"]
    if "handler" in spec:
        from policykit.edge.events import RequestShape
        from policykit.edge.handlers import parse_handler
        from policykit.edge.run import build_event, run_handler

        handler = parse_handler(str(base / str(spec["handler"])), spec.get("runtime"))
        timeout = float(spec.get("timeout", 3))
        return run_handler(handler, event, build_event(handler, event, RequestShape(), None), timeout,
                           f"handler {handler.file.name}:{handler.function}")
    result = base / str(spec.get("result", f"{stem}.json"))
    request = spec.get("request")
    return validate_file(str(result), event, str(base / str(request)) if request else None, platform)
