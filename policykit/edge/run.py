"""Run a handler on a generated event and turn what happened into an EdgeRun to judge."""

from __future__ import annotations

import re

from policykit.core.location import Location
from policykit.edge.build import build_result, received_object
from policykit.edge.events import JsonObject, RequestShape, cloudfront_function_event, lambda_event
from policykit.edge.invoke import CLOUDFRONT_JS, Handler, invoke
from policykit.edge.paths import Locator, at
from policykit.model.function_runs import (
    CLOUDFRONT_FUNCTIONS,
    LAMBDA_EDGE,
    EdgeProblem,
    EdgeResult,
    EdgeRun,
    Platform,
    RunOutcome,
)


def platform_of(handler: Handler) -> Platform:
    return CLOUDFRONT_FUNCTIONS if handler.runtime == CLOUDFRONT_JS else LAMBDA_EDGE


def build_event(handler: Handler, event_type: str, shape: RequestShape, given: JsonObject | None) -> JsonObject:
    if handler.runtime == CLOUDFRONT_JS:
        return cloudfront_function_event(event_type, shape, given)
    return lambda_event(event_type, shape, given)


def cloudfront_settings(handler: Handler, event_type: str, kvs: JsonObject | None) -> JsonObject:
    """What the CloudFront Functions runtime of the child needs: its version, the event, the key value store
    (`{known, data}`, None when its content is not known here)."""
    return {"version": handler.cloudfront_version, "eventType": event_type, "kvs": kvs}


def run_handler(handler: Handler, event_type: str, event: JsonObject, timeout: float, function: str,
                locate: Locator | None = None, code_size: int | None = None, code_file: str | None = None,
                kvs: JsonObject | None = None, origin_ids: tuple[str, ...] | None = None) -> EdgeRun:
    """Invoke the handler once and describe the outcome (and the result, when there is one). `code_file` names the
    code in messages (default: the handler's file); `kvs` is a CloudFront Function's key value store and
    `origin_ids` the distribution's origins (what an origin a function selects must be one of)."""
    platform = platform_of(handler)
    locate = locate or at(definition(handler))
    settings = cloudfront_settings(handler, event_type, kvs) if handler.runtime == CLOUDFRONT_JS else None
    invocation = invoke(handler, event, timeout, settings)
    received = received_object(event, event_type)
    result: EdgeResult | None = None
    outcome = RunOutcome.RETURNED
    if invocation.outcome in ("returned", "unserializable"):
        if code_size is None and handler.runtime == CLOUDFRONT_JS:
            code_size = handler.file.stat().st_size
        if invocation.outcome == "returned":
            result = build_result(invocation.value, event_type, function, locate, received, platform, code_size,
                                  invocation.origin, origin_ids)
        else:
            result = EdgeResult(event_type=event_type, platform=platform, function=function, shape="invalid",
                                problems=(EdgeProblem(problem=invocation.detail, loc=locate(())),),
                                received=received, code_size=code_size, loc=locate(()))
    else:
        outcome = RunOutcome(invocation.outcome)  # timeout, error or unavailable
    return EdgeRun(function=function, event_type=event_type, platform=platform, outcome=outcome,
                   detail=invocation.detail, log=invocation.log or "(nothing printed)", timeout=timeout,
                   code_file=str(handler.file) if code_file is None else code_file, result=result,
                   reason=invocation.reason, runtime_note=invocation.runtime_note, loc=locate(()))


_DEFINITION = {
    ".py": r"^\s*(?:async\s+)?def\s+{name}\s*\(",
    ".js": r"(?:function\s*\*?\s*{name}\s*\(|\b{name}\s*[:=]|exports\.{name}\b)",
}


def definition(handler: Handler) -> Location:
    """Where the handler function is defined (line 1 when it cannot be found)."""
    pattern = _DEFINITION[".py" if handler.file.suffix == ".py" else ".js"].format(name=re.escape(handler.function))
    try:
        lines = handler.file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for number, line in enumerate(lines, start=1):
        if re.search(pattern, line):
            return Location(str(handler.file), number, 1)
    return Location(str(handler.file), 1, 1)
