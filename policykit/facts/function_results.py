"""What a function returned (`scan --edge`, `policykit edge`), judged by the rules CloudFront applies before it
turns a result into 502 (policykit/core/edge_rules.py).

Registered lazily in `policykit.facts.FACTS` (a plain scan never imports this module).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from policykit.core.edge_rules import (
    CLOUDFRONT_FUNCTION_MAX_CODE,
    DISALLOWED,
    MAX_URI_AND_QUERY,
    READ_ONLY,
    REQUEST_BODY_LIMIT,
    RESPONSE_LIMIT,
    STATUS_FAILED,
    listed,
    side,
)
from policykit.core.truth import Truth
from policykit.core.values import Unknown
from policykit.facts.function_origins import origin_invalid, origin_problem_text, origin_problems
from policykit.model.function_runs import (
    CLOUDFRONT_FUNCTIONS,
    EdgeHeader,
    EdgeResult,
    EdgeRun,
    RunOutcome,
)

_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE_CHAR = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


# --- edge_run ---------------------------------------------------------------------------------

def failed(run: EdgeRun) -> bool:
    """Did the function time out, raise or exit instead of returning (CloudFront answers 503)?"""
    return run.outcome in (RunOutcome.TIMEOUT, RunOutcome.ERROR)


def could_not_run(run: EdgeRun) -> bool:
    """Could the function not be run here (a runtime, a Lambda-provided module or the network is missing)?"""
    return run.outcome is RunOutcome.UNAVAILABLE


def how_it_failed(run: EdgeRun) -> str:
    """What happened, for messages: `timed out after 3 s`, `raised ValueError: x`."""
    note = f" ({run.runtime_note})" if run.runtime_note else ""
    if run.outcome is RunOutcome.TIMEOUT:
        return f"did not return within its {run.timeout:g} s timeout{note}"
    return (f"failed: {run.detail}" if run.detail else "failed") + note


def cloudfront_status(run: EdgeRun) -> str:
    """The status viewers get when the function fails: 503 (execution error or timeout)."""
    return STATUS_FAILED


def unavailable_reason(run: EdgeRun) -> str:
    """Why it could not run here, one of core/edge_rules.py's UNAVAILABLE_REASONS ("" when it ran)."""
    return run.reason or ""


def runtime_note(run: EdgeRun) -> str:
    """The function's runtime, when it is not the one that ran it here ("" when they agree or are not known)."""
    return run.runtime_note


# --- edge_result ------------------------------------------------------------------------------

def _is_lambda(result: EdgeResult) -> bool:
    return result.platform != CLOUDFRONT_FUNCTIONS


def validation_error(result: EdgeResult) -> str:
    """How CloudFront names the 502 of an invalid result (facts 8.2, 8.3)."""
    return "Lambda validation error" if _is_lambda(result) else "CloudFront Functions validation error"


def lambda_rule_note(result: EdgeResult) -> str:
    """Said of a rule the facts document for Lambda@Edge only, on a CloudFront Function's result (such findings are
    warnings: facts 8.3 does not confirm them for CloudFront Functions); "" for Lambda@Edge."""
    return "" if _is_lambda(result) else (" (a Lambda@Edge rule: not confirmed for CloudFront Functions, so a "
                                          "warning)")


def status_out_of_range(result: EdgeResult) -> bool:
    """Is the response's status not a number from 200 to 599 (Lambda@Edge: a string of digits)?"""
    if result.shape != "response":
        return False
    status = result.status
    if _is_lambda(result):
        if not isinstance(status, str):
            return False  # the schema reports a status that is not a string
        return not (status.isascii() and status.isdigit() and 200 <= int(status) <= 599)
    if not isinstance(status, int) or isinstance(status, bool):
        return False
    return not 200 <= status <= 599


def status_changed(result: EdgeResult) -> Truth:
    """Did a Lambda@Edge viewer-response function change the status (it cannot)?"""
    if result.event_type != "viewer-response" or result.shape != "response" or not _is_lambda(result):
        return False
    if result.received is None:
        return Unknown("the response the function received is not known (give it with --request)")
    before = result.received.get("status")
    return before is not None and str(before) != str(result.status)


def received_status(result: EdgeResult) -> object:
    """The status of the response the function received (None when not known)."""
    return None if result.received is None else result.received.get("status")


def _body_bytes(result: EdgeResult) -> int:
    body = result.body
    if not isinstance(body, str):
        return 0
    if result.body_encoding == "base64" and result.shape == "response":
        try:  # what CloudFront sends is the decoded body
            return len(base64.b64decode(_squeeze(body), validate=True))
        except (binascii.Error, ValueError):
            return len(body.encode("utf-8"))
    return len(body.encode("utf-8"))


def result_size(result: EdgeResult) -> int:
    """Bytes that count against the size limit: headers and body of a response, the body of a request."""
    size = _body_bytes(result)
    if result.shape == "response":
        for header in result.headers_present:
            size += len(str(header.key or header.name).encode("utf-8")) + len(str(header.value or "").encode("utf-8"))
    return size


def size_limit(result: EdgeResult) -> int | None:
    """The limit for this event: 40 KB (viewer) / 1 MB (origin) per response; a request body's by encoding."""
    if result.shape == "response":
        return RESPONSE_LIMIT[side(result.event_type)]
    if result.shape == "request" and isinstance(result.body, str):
        encoding = "base64" if result.body_encoding == "base64" else "text"
        return REQUEST_BODY_LIMIT[(side(result.event_type), encoding)]
    return None


def over_size_limit(result: EdgeResult) -> bool:
    """Is the response (headers and body), or a replaced request body, larger than the event allows?"""
    limit = size_limit(result)
    return limit is not None and result_size(result) > limit


def size_limit_text(result: EdgeResult) -> str:
    """The limit in words, for messages."""
    limit = size_limit(result)
    if limit is None:
        return "(none)"
    return f"{limit // 1024} KB" if limit < 1024 * 1024 else f"{limit / (1024 * 1024):g} MB"


def _squeeze(text: str) -> str:
    return "".join(text.split())


def encoding_problem(result: EdgeResult) -> str:
    """What is wrong with bodyEncoding (not text/base64) or a base64 body that does not decode ("" if fine)."""
    if not _is_lambda(result) or result.body is None:
        return ""
    encoding = result.body_encoding
    if encoding not in ("text", "base64"):
        field = "body.encoding" if result.shape == "request" else "bodyEncoding"
        return f"{field} is {encoding!r}: only 'text' and 'base64' are accepted"
    if encoding == "base64" and isinstance(result.body, str):
        try:
            base64.b64decode(_squeeze(result.body), validate=True)
        except (binascii.Error, ValueError):
            return "the body is declared base64 but is not valid base64"
    return ""


def no_content_with_body(result: EdgeResult) -> bool:
    """Does a viewer-request function generate a 204 response that has a body?"""
    if not (result.generated and result.event_type == "viewer-request"):
        return False
    return str(result.status) == "204" and isinstance(result.body, str) and result.body != ""


def uri_without_slash(result: EdgeResult) -> bool:
    """Does the returned request's uri not start with `/`?"""
    return result.shape == "request" and isinstance(result.uri, str) and not result.uri.startswith("/")


def uri_and_query_length(result: EdgeResult) -> int:
    """Characters of the uri plus the query string."""
    if result.shape != "request":
        return 0
    uri = result.uri if isinstance(result.uri, str) else ""  # a CloudFront Function's object query string: not text
    query = result.querystring if isinstance(result.querystring, str) else ""
    return len(uri) + len(query)


def uri_too_long(result: EdgeResult) -> bool:
    """Are the uri and query string together 8,192 characters or more?"""
    return uri_and_query_length(result) >= MAX_URI_AND_QUERY


def querystring_problem(result: EdgeResult) -> str:
    """What the query string contains that it may not (spaces, control characters, `#`); "" if fine."""
    query = result.querystring
    if result.shape != "request" or not isinstance(query, str):
        return ""
    if "#" in query:
        return "a '#'"
    if " " in query:
        return "a space"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in query):
        return "a control character"
    return ""


def code_over_limit(result: EdgeResult) -> bool:
    """Is a CloudFront Function's code larger than 10 KB?"""
    return result.code_size is not None and result.code_size > CLOUDFRONT_FUNCTION_MAX_CODE


# --- edge_header ------------------------------------------------------------------------------

def name_problem(header: EdgeHeader) -> str:
    """What is wrong with how the header is named: a `key` naming another header, a map key not in lowercase."""
    if header.removed:
        return ""
    if isinstance(header.key, str) and header.key.lower() != header.name.lower():
        return f"its key {header.key!r} does not match the map key {header.name!r}"
    if header.name != header.name.lower():
        return (f"the headers map key {header.name!r} is not lowercase (the event structure has "
                f"{header.name.lower()!r})")
    return ""


def map_key_case_only(header: EdgeHeader) -> bool:
    """Is the only naming problem a map key with capitals? The event structure writes keys in lowercase, but that
    CloudFront rejects another case is not confirmed (facts 8.2): a warning, where a `key` naming another header
    is an error."""
    problem = name_problem(header)
    return bool(problem) and not (isinstance(header.key, str) and header.key.lower() != header.name.lower())


def name_verdict(header: EdgeHeader) -> str:
    """What CloudFront does with the misnamed header, for messages."""
    if map_key_case_only(header):
        return ("The event structure writes map keys in lowercase; that CloudFront rejects another case is not "
                "confirmed, so this is a warning")
    error = validation_error(header.result) if header.result is not None else "Lambda validation error"
    return f"CloudFront answers 502 ({error})"


def disallowed(header: EdgeHeader) -> bool:
    """Is it a header functions may not add (Connection, X-Cache, X-Amz-Cf-*, X-Edge-*, ...)?"""
    if header.removed or not listed(header.name.lower(), DISALLOWED):
        return False
    return header.received is None or str(header.value) not in header.received


def read_only(header: EdgeHeader) -> bool:
    """Is the header read-only for this event (e.g. Host on viewer-request, Via on every event)?"""
    result = header.result
    if result is None or result.generated:
        return False
    return header.name.lower() in READ_ONLY.get(result.event_type, ())


def read_only_change(header: EdgeHeader) -> str | Unknown:
    """How the function changed a read-only header: added, changed, removed, or "" (not changed)."""
    if not read_only(header):
        return ""
    if header.removed:
        return "removed"
    if header.received is None:
        return Unknown(f"what the function received is not known (give it with --request), so a change to "
                       f"read-only {header.name} cannot be told from the input")
    if not header.received:
        return "added"
    return "" if str(header.value) in header.received else "changed"


def read_only_changed(header: EdgeHeader) -> Truth:
    """Did the function add, change or remove a header that is read-only for this event?"""
    change = read_only_change(header)
    return change if isinstance(change, Unknown) else change != ""


def bad_characters(header: EdgeHeader) -> str:
    """Characters a header name (token characters only) or value (no control characters) may not have."""
    if header.removed:
        return ""
    name = str(header.key) if isinstance(header.key, str) else header.name
    if not _TOKEN.match(name):
        return f"the name {name!r} has characters other than letters, digits and !#$%&'*+-.^_`|~"
    if isinstance(header.value, str) and _BAD_VALUE_CHAR.search(header.value):
        return "the value has a control character (a line break, NUL, ...)"
    return ""


Fact = Callable[..., object]  # of one edge object


def _table(*functions: Fact) -> dict[str, Fact]:
    return {fn.__name__: fn for fn in functions}


FACTS: dict[str, dict[str, Fact]] = {
    "edge_run": _table(failed, could_not_run, how_it_failed, cloudfront_status, unavailable_reason, runtime_note),
    "edge_result": _table(status_out_of_range, status_changed, received_status, result_size, size_limit,
                          over_size_limit, size_limit_text, encoding_problem, no_content_with_body,
                          uri_without_slash, uri_and_query_length, uri_too_long, querystring_problem,
                          code_over_limit, validation_error, lambda_rule_note),
    "edge_header": _table(name_problem, map_key_case_only, name_verdict, disallowed, read_only, read_only_change,
                          read_only_changed, bad_characters),
    "edge_origin": _table(origin_problems, origin_invalid, origin_problem_text),
    "edge_problem": {},
}
