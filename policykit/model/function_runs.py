"""What an edge function returned, as objects the policy engine walks beside the model (`scan --edge`,
`policykit edge`): the edge stage (policykit/edge) makes them, the facts (policykit/facts/function_results.py)
and the engine read them.

An `EdgeRun` is one invocation (or one result file given to `edge validate`): how it ended,
and the `EdgeResult` it returned. The result is split into objects a policy can point at:
each header entry (`EdgeHeader`), the origin a request is sent to (`EdgeOrigin`), and each
structural problem the JSON Schema found (`EdgeProblem`). Values a function returned are JSON of any
type (`object`): the facts test what they are.

They are frozen values, built once (policykit/edge/build.py): the parts first, then the result from them, whose
construction points each part at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from policykit.core.edge_rules import UnavailableReason
from policykit.core.results import Status
from policykit.model.base import ModelObject, ResultObject, adopt

Platform = Literal["lambda-edge", "cloudfront-functions"]
LAMBDA_EDGE: Platform = "lambda-edge"
CLOUDFRONT_FUNCTIONS: Platform = "cloudfront-functions"
# request | response | invalid (not an object at all)
Shape = Literal["request", "response", "invalid"]
OriginType = Literal["custom", "s3"]
# A CloudFront Function's origin change (runtime 2.0, viewer-request): the helper of the `cloudfront` module it called
OriginHelper = Literal["updateRequestOrigin", "selectRequestOriginById", "createRequestOriginGroup"]
ORIGIN_HELPERS: tuple[OriginHelper, ...] = ("updateRequestOrigin", "selectRequestOriginById",
                                            "createRequestOriginGroup")


class RunOutcome(Status):
    RETURNED = "returned"
    TIMEOUT = "timeout"
    ERROR = "error"  # raised, or exited without returning
    UNAVAILABLE = "unavailable"  # cannot run here (a runtime, a Lambda-provided module, the code is missing)
    SKIPPED = "skipped"


@dataclass(frozen=True, eq=False, repr=False)
class EdgeProblem(ResultObject):
    """Something the JSON Schema of the result (or its JSON itself) rejects."""

    kind = "edge_problem"
    path: str = "$"  # JSON path in the result, e.g. `$.headers['x-a'][0].value`
    problem: str = ""
    result: EdgeResult | None = field(default=None, repr=False)  # set by the result built from this problem

    @property
    def label(self) -> str:
        return f"{self.path} of {self.result.label if self.result else 'the result'}"


@dataclass(frozen=True, eq=False, repr=False)
class EdgeHeader(ResultObject):
    """One header entry of a result, or a read-only header of the input that the result dropped."""

    kind = "edge_header"
    name: str = ""  # the map key, as returned
    key: object = None  # the entry's `key` (Lambda@Edge), None when absent
    value: object = None
    path: str = "$"
    removed: bool = False  # present in the input, absent from the result
    # the input's values for this name; None when the input is not known (no --request)
    received: tuple[str, ...] | None = None
    result: EdgeResult | None = field(default=None, repr=False)  # set by the result built from this header

    @property
    def label(self) -> str:
        return f"header '{self.key or self.name}'"


@dataclass(frozen=True, eq=False, repr=False)
class EdgeOrigin(ResultObject):
    """Where CloudFront sends the request: the `origin` object of a Lambda@Edge request result, or a CloudFront
    Function's call of an origin helper (`helper`), with what it was given."""

    kind = "edge_origin"
    origin_type: OriginType = "custom"
    helper: OriginHelper | None = None  # None: a Lambda@Edge `origin` object
    origin_id: object = None  # selectRequestOriginById's argument
    member_ids: object = None  # createRequestOriginGroup's `originIds`
    params: Mapping[str, object] = field(default_factory=dict)  # the helper's argument object, as given
    # the origin ids of the distribution the function serves; None when not known (`policykit edge run`)
    known_origin_ids: tuple[str, ...] | None = None
    domain_name: object = None
    port: object = None
    protocol: object = None
    path_prefix: object = None  # the origin's `path`
    ssl_protocols: object = None
    custom_headers: Mapping[str, object] = field(default_factory=dict)
    path: str = "$.origin"
    result: EdgeResult | None = field(default=None, repr=False)  # set by the result built from this origin

    @property
    def label(self) -> str:
        if self.helper == "selectRequestOriginById":
            return f"origin {self.origin_id!r} (cf.selectRequestOriginById)"
        if self.helper == "createRequestOriginGroup":
            return f"origin group of {self.member_ids!r} (cf.createRequestOriginGroup)"
        if self.helper == "updateRequestOrigin":
            where = f"'{self.domain_name}'" if self.domain_name is not None else "(its domain unchanged)"
            return f"origin {where} (cf.updateRequestOrigin)"
        return f"{self.origin_type} origin '{self.domain_name}'"


@dataclass(frozen=True, eq=False, repr=False)
class EdgeResult(ResultObject):
    """What a function returned for one event: a (modified) request or a response."""

    kind = "edge_result"
    event_type: str = ""
    platform: Platform = LAMBDA_EDGE
    shape: Shape = "request"
    generated: bool = False  # a response returned by a request event
    function: str = ""  # how messages name the function: `handler app.py:handler`, `result.json`
    status: object = None  # `status` (Lambda@Edge, a string) or `statusCode` (CloudFront Functions)
    body: object = None
    body_encoding: object = None
    uri: object = None
    querystring: object = None
    headers: tuple[EdgeHeader, ...] = ()
    origin: EdgeOrigin | None = None
    origin_changes: tuple[EdgeOrigin, ...] = ()  # a CloudFront Function's origin helper calls, in order
    problems: tuple[EdgeProblem, ...] = ()
    # what the function received (request or response, plain JSON); None when not known
    received: Mapping[str, object] | None = field(default=None, repr=False)
    code_size: int | None = None  # bytes of a CloudFront Function's code, when known

    def __post_init__(self) -> None:
        adopt(self, (*self.headers, *self.problems, *([self.origin] if self.origin else []), *self.origin_changes),
              "result")

    @property
    def label(self) -> str:
        return f"the {self.event_type} {self.what} of {self.function}"

    @property
    def what(self) -> str:
        if self.shape == "response":
            return "generated response" if self.generated else "response"
        return "request" if self.shape == "request" else "result"

    @property
    def headers_present(self) -> list[EdgeHeader]:
        return [h for h in self.headers if not h.removed]


@dataclass(frozen=True, eq=False, repr=False)
class EdgeRun(ResultObject):
    """One invocation of a function (or one result file): how it ended, and what it returned."""

    kind = "edge_run"
    function: str = ""
    event_type: str = ""
    platform: Platform = LAMBDA_EDGE
    outcome: RunOutcome = RunOutcome.RETURNED
    detail: str = ""  # the error, the missing module, why it could not run
    log: str = ""  # the tail of what the handler printed
    timeout: float = 0.0
    code_file: str = ""  # the file of the function's code, for messages
    result: EdgeResult | None = None
    reason: UnavailableReason | None = None  # why it could not run here (outcome UNAVAILABLE)
    runtime_note: str = ""  # the function's runtime differs from the one that ran it here

    @property
    def label(self) -> str:
        return self.function

    def objects(self, kind: str) -> list[ModelObject]:
        """The objects of this run the engine walks for a policy's `applies_to`."""
        if kind == "edge_run":
            return [self]
        result = self.result
        if result is None:
            return []
        if kind == "edge_result":
            return [result]
        if kind == "edge_header":
            return list(result.headers)
        if kind == "edge_origin":
            return [*([result.origin] if result.origin else []), *result.origin_changes]
        if kind == "edge_problem":
            return list(result.problems)
        return []

