"""`scan --edge`: run the code behind each Lambda@Edge and CloudFront Functions association of a
model on an event of its type; the runs of each distribution go to the engine for the PK7xx policies.

Findings point at the association in the template and name the function and the file of its
code. Code that is not here (S3, an image, an unbuilt path, a missing runtime) is an info note.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from policykit.core.edge_rules import CLOUDFRONT_FUNCTION_EVENTS, EVENTS, timeout_for
from policykit.core.location import Location
from policykit.edge.discover import Found, cloudfront_handler, lambda_handler
from policykit.edge.events import RequestShape
from policykit.edge.invoke import CLOUDFRONT_JS
from policykit.edge.paths import at
from policykit.edge.run import build_event, run_handler
from policykit.model.cloudfront import CacheBehavior, Distribution, Model
from policykit.model.function_runs import CLOUDFRONT_FUNCTIONS, LAMBDA_EDGE, EdgeRun, Platform, RunOutcome

CLOUDFRONT_FUNCTION_TIMEOUT = 1.0  # seconds; a CloudFront Function runs for well under a millisecond


# A run is shared by the associations of one function, event and request path (scenario variants included)
_RunKey = tuple[int, str, str]


def run_edge(model: Model) -> dict[Distribution, tuple[EdgeRun, ...]]:
    """Run each associated function once per (function, event, path); every variant gets its runs."""
    workdir = Path(tempfile.mkdtemp(prefix="policykit-edge-"))
    cache: dict[_RunKey, EdgeRun] = {}
    runs: dict[Distribution, tuple[EdgeRun, ...]] = {}
    try:
        for dist in model.distributions:
            runs[dist] = tuple(run for behavior in dist.behaviors
                               for run in _run_behavior(dist, behavior, workdir, cache))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return runs


def _run_behavior(dist: Distribution, behavior: CacheBehavior, workdir: Path,
                  cache: dict[_RunKey, EdgeRun]) -> list[EdgeRun]:
    shape = _shape(dist, behavior)
    runs: list[EdgeRun] = []
    for association in behavior.lambda_associations:
        function, event = association.function, association.event_type
        if function is None or event not in EVENTS:
            continue  # not declared here (an imported ARN), or an event type not known: nothing to run
        key = (id(function), event, shape.uri)
        if key not in cache:
            label = f"Lambda@Edge function {function.resource}"
            configured = function.timeout if isinstance(function.timeout, (int, float)) else None
            cache[key] = _run(lambda_handler(function, workdir), event, shape, label,
                              timeout_for(event, configured), association.loc, LAMBDA_EDGE)
        runs.append(_placed(cache[key], association.loc))
    for cff_association in behavior.function_associations:
        cloudfront_function, cff_event = cff_association.function, cff_association.event_type
        if cloudfront_function is None or cff_event not in CLOUDFRONT_FUNCTION_EVENTS:
            continue
        key = (id(cloudfront_function), cff_event, shape.uri)
        if key not in cache:
            label = f"CloudFront Function {cloudfront_function.resource}"
            cache[key] = _run(cloudfront_handler(cloudfront_function, workdir), cff_event, shape, label,
                              CLOUDFRONT_FUNCTION_TIMEOUT, cff_association.loc, CLOUDFRONT_FUNCTIONS)
        runs.append(_placed(cache[key], cff_association.loc))
    return runs


def _run(found: Found, event: str, shape: RequestShape, label: str, timeout: float, loc: Location,
         platform: Platform) -> EdgeRun:
    if found.handler is None:
        return EdgeRun(function=label, event_type=event, platform=platform, outcome=RunOutcome.UNAVAILABLE,
                       detail=found.missing, log="(not run)", loc=loc)
    handler = found.handler
    name = f"{label} (code: {found.code_file})"
    if handler.runtime in (CLOUDFRONT_JS, "nodejs") and shutil.which("node") is None:
        return EdgeRun(function=name, event_type=event, platform=platform, outcome=RunOutcome.UNAVAILABLE,
                       detail="node is not installed here", log="(not run)", code_file=found.code_file, loc=loc)
    code_size = len(handler.file.read_bytes()) if handler.runtime == CLOUDFRONT_JS else None
    return run_handler(handler, event, build_event(handler, event, shape, None), timeout, name, at(loc), code_size,
                       found.code_file)


def _placed(run: EdgeRun, loc: Location) -> EdgeRun:
    """The run as seen from one association: the same result, located at that association."""
    if run.loc == loc:
        return run
    from policykit.edge.build import relocate

    return relocate(run, loc)


def _shape(dist: Distribution, behavior: CacheBehavior) -> RequestShape:
    host = next((a.name for a in dist.aliases if isinstance(a.name, str)), "d111111abcdef8.cloudfront.net")
    origin = next((o for o in dist.origins if o.id == behavior.target_origin_id), None)
    domain = origin.domain_name if origin is not None and isinstance(origin.domain_name, str) else "origin.example.com"
    return RequestShape(uri=sample_uri(behavior.path_pattern), host=host, origin_domain=domain)


def sample_uri(pattern: object) -> str:
    """A request path the behavior serves: `/api/*` -> `/api/index.html`, the default -> `/`."""
    if not isinstance(pattern, str) or pattern in ("*", "/*", ""):
        return "/"
    path = pattern if pattern.startswith("/") else "/" + pattern
    path = path.replace("*", "index.html", 1).replace("*", "x").replace("?", "a")
    return path
