"""`scan --edge`: run the code behind each Lambda@Edge and CloudFront Functions association of a
model on an event of its type; the runs of each distribution go to the engine for the PK7xx policies, and the
origin a CloudFront Function chooses to the static origin policies (policykit/edge/origins.py).

Findings point at the association in the template and name the function and the file of its
code. Code that is not here (S3, an image, an unbuilt path, a missing runtime) is an info note, and so is a
connection-request function (mutual TLS), which runs on no request.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import field
from pathlib import Path

from policykit.core.edge_rules import CLOUDFRONT_FUNCTION_EVENTS, CONNECTION_EVENT, EVENTS, timeout_for
from policykit.core.location import Location
from policykit.core.record import record
from policykit.edge import kvs, sandbox
from policykit.edge.discover import Found, cloudfront_handler, lambda_handler
from policykit.edge.events import RequestShape
from policykit.edge.handlers import CLOUDFRONT_JS, NODE
from policykit.edge.origins import ChosenOrigin, chosen_origins
from policykit.edge.paths import at
from policykit.edge.run import build_event, run_handler
from policykit.model.cloudfront import CacheBehavior, Distribution, Model
from policykit.model.function_runs import CLOUDFRONT_FUNCTIONS, LAMBDA_EDGE, EdgeRun, Platform, RunOutcome

CLOUDFRONT_FUNCTION_TIMEOUT = 1.0  # seconds; a CloudFront Function runs for well under a millisecond

# A run is shared by the associations of one function, event, request path and set of origins (scenario variants
# included)
_RunKey = tuple[int, str, str, tuple[str, ...]]


@record(frozen=False)
class EdgeReport:
    """What running a model's functions gave: the runs of each distribution, the origins functions chose, and the
    one line a report says about isolation ("" when handlers ran isolated, or none ran)."""

    runs: dict[Distribution, tuple[EdgeRun, ...]] = field(default_factory=dict)
    chosen: list[ChosenOrigin] = field(default_factory=list)
    notice: str = ""


def run_edge(model: Model, tree: Path) -> EdgeReport:
    """Run each associated function once per (function, event, path, origins); every variant gets its runs. Code is
    read only inside `tree`, the scanned directory."""
    workdir = Path(tempfile.mkdtemp(prefix="policykit-edge-"))  # private (0700): every file policykit writes
    cache: dict[_RunKey, EdgeRun] = {}
    report = EdgeReport()
    try:
        for dist in model.distributions:
            runs: list[EdgeRun] = []
            for behavior in dist.behaviors:
                runs.extend(_run_behavior(model, dist, behavior, workdir, tree, cache, report))
            report.runs[dist] = tuple(runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return report


def _run_behavior(model: Model, dist: Distribution, behavior: CacheBehavior, workdir: Path, tree: Path,
                  cache: dict[_RunKey, EdgeRun], report: EdgeReport) -> list[EdgeRun]:
    shape = _shape(dist, behavior)
    origin_ids = tuple(o.id for o in dist.origins if isinstance(o.id, str)) + tuple(
        g.id for g in dist.origin_groups if isinstance(g.id, str))
    runs: list[EdgeRun] = []
    for association in behavior.lambda_associations:
        function, event = association.function, association.event_type
        if function is None or event not in EVENTS:
            continue  # not declared here (an imported ARN), or an event type not known: nothing to run
        key: _RunKey = (id(function), event, shape.uri, ())
        if key not in cache:
            label = f"Lambda@Edge function {function.resource}"
            configured = function.timeout if isinstance(function.timeout, (int, float)) else None
            cache[key] = _run(lambda_handler(function, workdir, tree), event, shape, label,
                              timeout_for(event, configured), association.loc, LAMBDA_EDGE, report)
        runs.append(_placed(cache[key], association.loc))
    for cff_association in behavior.function_associations:
        cloudfront_function, cff_event = cff_association.function, cff_association.event_type
        if cloudfront_function is None:
            continue
        label = f"CloudFront Function {cloudfront_function.resource}"
        if cff_event == CONNECTION_EVENT:
            runs.append(_not_run(label, str(cff_event), "a connection-request function runs during the TLS "
                                 "handshake of mutual TLS, on no request: policykit does not run it",
                                 cff_association.loc))
            continue
        if cff_event not in CLOUDFRONT_FUNCTION_EVENTS:
            continue
        key = (id(cloudfront_function), cff_event, shape.uri, origin_ids)
        if key not in cache:
            found = cloudfront_handler(cloudfront_function, workdir, tree)
            cache[key] = _run(found, cff_event, shape, label, CLOUDFRONT_FUNCTION_TIMEOUT, cff_association.loc,
                              CLOUDFRONT_FUNCTIONS, report, kvs.for_function(cloudfront_function, model), origin_ids)
        run = _placed(cache[key], cff_association.loc)
        runs.append(run)
        chosen = chosen_origins(dist, behavior, run, cff_association.loc, model.file)
        if chosen is not None:
            report.chosen.append(chosen)
    return runs


def _not_run(label: str, event: str, detail: str, loc: Location) -> EdgeRun:
    return EdgeRun(function=label, event_type=event, platform=CLOUDFRONT_FUNCTIONS, outcome=RunOutcome.UNAVAILABLE,
                   detail=detail, log="(not run)", reason="event", loc=loc)


def _run(found: Found, event: str, shape: RequestShape, label: str, timeout: float, loc: Location,
         platform: Platform, report: EdgeReport, store: dict[str, object] | None = None,
         origin_ids: tuple[str, ...] = ()) -> EdgeRun:
    if found.handler is None:
        return EdgeRun(function=label, event_type=event, platform=platform, outcome=RunOutcome.UNAVAILABLE,
                       detail=found.missing, log="(not run)", reason=found.reason, loc=loc)
    handler = found.handler
    name = f"{label} (code: {found.code_file})"
    if handler.runtime in (CLOUDFRONT_JS, NODE) and shutil.which("node") is None:
        return EdgeRun(function=name, event_type=event, platform=platform, outcome=RunOutcome.UNAVAILABLE,
                       detail="node is not installed here", log="(not run)", code_file=found.code_file,
                       reason="runtime", loc=loc)
    code_size = len(handler.file.read_bytes()) if handler.runtime == CLOUDFRONT_JS else None
    report.notice = sandbox.isolation().notice  # a handler runs: the report says how it was contained
    return run_handler(handler, event, build_event(handler, event, shape, None), timeout, name, at(loc), code_size,
                       found.code_file, store, origin_ids if platform == CLOUDFRONT_FUNCTIONS else None)


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
