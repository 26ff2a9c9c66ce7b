"""The model objects a function's result becomes for the policy engine.

An `EdgeRun` is one invocation (or one result file given to `edge validate`): how it ended,
and the `EdgeResult` it returned. The result is split into objects a policy can point at:
each header entry (`EdgeHeader`), the origin a request is sent to (`EdgeOrigin`), and each
structural problem the JSON Schema found (`EdgeProblem`). Their facts are in `policykit.edge.facts`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policykit.model.base import ModelObject

LAMBDA_EDGE = "lambda-edge"
CLOUDFRONT_FUNCTIONS = "cloudfront-functions"


@dataclass(eq=False, repr=False)
class EdgeProblem(ModelObject):
    """Something the JSON Schema of the result (or its JSON itself) rejects."""

    kind = "edge_problem"
    path: str = "$"  # JSON path in the result, e.g. `$.headers['x-a'][0].value`
    problem: str = ""
    result: EdgeResult | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"{self.path} of {self.result.label if self.result else 'the result'}"


@dataclass(eq=False, repr=False)
class EdgeHeader(ModelObject):
    """One header entry of a result, or a read-only header of the input that the result dropped."""

    kind = "edge_header"
    name: str = ""  # the map key, as returned
    key: Any = None  # the entry's `key` (Lambda@Edge), None when absent
    value: Any = None
    path: str = "$"
    removed: bool = False  # present in the input, absent from the result
    # the input's values for this name; None when the input is not known (no --request)
    received: list[str] | None = None
    result: EdgeResult | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"header '{self.key or self.name}'"


@dataclass(eq=False, repr=False)
class EdgeOrigin(ModelObject):
    """The `origin` object of a request result: where CloudFront sends the request."""

    kind = "edge_origin"
    origin_type: str = ""  # custom | s3
    domain_name: Any = None
    port: Any = None
    protocol: Any = None
    path_prefix: Any = None  # the origin's `path`
    ssl_protocols: Any = None
    custom_headers: dict[str, Any] = field(default_factory=dict)
    path: str = "$.origin"
    result: EdgeResult | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        return f"{self.origin_type} origin '{self.domain_name}'"


@dataclass(eq=False, repr=False)
class EdgeResult(ModelObject):
    """What a function returned for one event: a (modified) request or a response."""

    kind = "edge_result"
    event_type: str = ""
    platform: str = LAMBDA_EDGE
    shape: str = "request"  # request | response | invalid (not an object at all)
    generated: bool = False  # a response returned by a request event
    function: str = ""  # how messages name the function: `handler app.py:handler`, `result.json`
    status: Any = None  # `status` (Lambda@Edge, a string) or `statusCode` (CloudFront Functions)
    body: Any = None
    body_encoding: Any = None
    uri: Any = None
    querystring: Any = None
    headers: list[EdgeHeader] = field(default_factory=list)
    origin: EdgeOrigin | None = None
    problems: list[EdgeProblem] = field(default_factory=list)
    # what the function received (request or response, plain JSON); None when not known
    received: dict[str, Any] | None = field(default=None, repr=False)
    code_size: int | None = None  # bytes of a CloudFront Function's code, when known

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


@dataclass(eq=False, repr=False)
class EdgeRun(ModelObject):
    """One invocation of a function (or one result file): how it ended, and what it returned."""

    kind = "edge_run"
    function: str = ""
    event_type: str = ""
    platform: str = LAMBDA_EDGE
    # returned | timeout | error (raised / exited) | unavailable (cannot run here) | skipped
    outcome: str = "returned"
    detail: str = ""  # the error, the missing module, why it could not run
    log: str = ""  # the tail of what the handler printed
    timeout: float = 0.0
    code_file: str = ""  # the file of the function's code, for messages
    result: EdgeResult | None = None

    @property
    def label(self) -> str:
        return self.function

    def objects(self, kind: str) -> list[Any]:
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
            return [result.origin] if result.origin else []
        if kind == "edge_problem":
            return list(result.problems)
        return []


EDGE_KINDS = ("edge_run", "edge_result", "edge_header", "edge_origin", "edge_problem")
