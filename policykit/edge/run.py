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


def run_handler(handler: Handler, event_type: str, event: JsonObject, timeout: float, function: str,
                locate: Locator | None = None, code_size: int | None = None) -> EdgeRun:
    """Invoke the handler once and describe the outcome (and the result, when there is one)."""
    platform = platform_of(handler)
    locate = locate or at(definition(handler))
    invocation = invoke(handler, event, timeout)
    run = EdgeRun(function=function, event_type=event_type, platform=platform, timeout=timeout,
                  detail=invocation.detail, log=invocation.log or "(nothing printed)", code_file=str(handler.file),
                  loc=locate(()))
    received = received_object(event, event_type)
    if invocation.outcome == "returned":
        run.result = build_result(invocation.value, event_type, function, locate, received, platform)
    elif invocation.outcome == "unserializable":
        result = EdgeResult(event_type=event_type, platform=platform, function=function, shape="invalid",
                            received=received, loc=locate(()))
        result.problems.append(EdgeProblem(problem=invocation.detail, result=result, loc=locate(())))
        run.result = result
    else:
        run.outcome = RunOutcome(invocation.outcome)  # timeout, error or unavailable
    if run.result is not None:
        if code_size is None and handler.runtime == CLOUDFRONT_JS:
            code_size = handler.file.stat().st_size
        run.result.code_size = code_size
    return run


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
