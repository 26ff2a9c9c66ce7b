"""A function's result (plain or marked JSON) to the model objects policies check."""

from __future__ import annotations

from typing import TypeVar

from policykit.core.edge_rules import READ_ONLY, REQUEST_EVENTS
from policykit.core.location import Location
from policykit.edge import schema
from policykit.edge.paths import Locator, Path, jpath
from policykit.model.function_runs import (
    CLOUDFRONT_FUNCTIONS,
    LAMBDA_EDGE,
    EdgeHeader,
    EdgeOrigin,
    EdgeProblem,
    EdgeResult,
    EdgeRun,
    Platform,
)


def received_object(given: object, event_type: str) -> dict[str, object] | None:
    """What the function received, from a whole event or a bare request/response."""
    if not isinstance(given, dict):
        return None
    wanted = "request" if event_type in REQUEST_EVENTS else "response"
    records = given.get("Records")
    if isinstance(records, list) and records and isinstance(records[0], dict):
        cf = records[0].get("cf")
        inner = cf.get(wanted) if isinstance(cf, dict) else None
        return inner if isinstance(inner, dict) else None
    if "context" in given and isinstance(given.get(wanted), dict):  # a CloudFront Functions event
        return given[wanted]  # type: ignore[no-any-return]
    return given


def build_result(value: object, event_type: str, function: str, locate: Locator,
                 received: dict[str, object] | None = None, platform: Platform = LAMBDA_EDGE) -> EdgeResult:
    """The EdgeResult of what a function returned; `received` is its input, when known."""
    result = EdgeResult(event_type=event_type, platform=platform, function=function, received=received,
                        loc=locate(()))
    if not isinstance(value, dict):
        result.shape = "invalid"
        what = "nothing (null, None or undefined)" if value is None else f"a {_json_type(value)}"
        _problem(result, (), f"the function returned {what}, not a request or response object", locate)
        return result
    cloudfront_functions = platform == CLOUDFRONT_FUNCTIONS
    status_field = "statusCode" if cloudfront_functions else "status"
    is_response = event_type not in REQUEST_EVENTS or status_field in value
    result.shape = "response" if is_response else "request"
    result.generated = is_response and event_type in REQUEST_EVENTS
    name = ("cloudfront-function-result.json#/$defs/" + result.shape) if cloudfront_functions else (
        f"lambda-edge-{result.shape}.json")
    for path, message in schema.problems(value, name):
        _problem(result, path, message, locate)
    if not cloudfront_functions and "statusCode" in value and "status" not in value:
        _problem(result, ("statusCode",), "`statusCode` is not a Lambda@Edge field: a response needs `status`, "
                 "a string such as \"302\"", locate)
    result.status = value.get(status_field)
    result.locs["status"] = locate((status_field,))
    _read_body(result, value, locate, cloudfront_functions)
    if result.shape == "request":
        result.uri = value.get("uri")
        result.locs["uri"] = locate(("uri",))
        if not cloudfront_functions:
            result.querystring = value.get("querystring")
            result.locs["querystring"] = locate(("querystring",))
            result.origin = _origin(result, value.get("origin"), locate)
    result.headers = (_cff_headers if cloudfront_functions else _headers)(result, value.get("headers"), locate)
    result.headers.extend(_removed_read_only(result, value.get("headers")))
    return result


def _json_type(value: object) -> str:
    return {str: "string", bool: "boolean", int: "number", float: "number", list: "list"}.get(type(value), "value")


def _problem(result: EdgeResult, path: Path, message: str, locate: Locator) -> None:
    result.problems.append(EdgeProblem(path=jpath(path), problem=message, result=result, loc=locate(path)))


def _read_body(result: EdgeResult, value: dict[str, object], locate: Locator, cloudfront_functions: bool) -> None:
    body = value.get("body")
    if cloudfront_functions:
        if isinstance(body, dict):
            result.body, result.body_encoding = body.get("data"), body.get("encoding", "text")
            result.locs["body"] = locate(("body", "data"))
        else:
            result.body, result.body_encoding = body, "text"
            result.locs["body"] = locate(("body",))
        return
    if result.shape == "request":  # IncludeBody: {action, encoding, data}; only `replace` changes it
        if isinstance(body, dict) and body.get("action") == "replace":
            result.body, result.body_encoding = body.get("data"), body.get("encoding", "base64")
            result.locs["body"] = locate(("body", "data"))
            result.locs["body_encoding"] = locate(("body", "encoding"))
        return
    result.body = body
    result.body_encoding = value.get("bodyEncoding", "text")
    result.locs["body"] = locate(("body",))
    result.locs["body_encoding"] = locate(("bodyEncoding",))


def _headers(result: EdgeResult, headers: object, locate: Locator) -> list[EdgeHeader]:
    if not isinstance(headers, dict):
        return []
    received = _received_headers(result)
    out: list[EdgeHeader] = []
    for name, entries in headers.items():
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            path: Path = ("headers", name, index)
            out.append(EdgeHeader(name=name, key=entry.get("key"), value=entry.get("value"), path=jpath(path),
                                  received=None if received is None else received.get(name.lower(), []),
                                  result=result, loc=locate(path)))
    return out


def _cff_headers(result: EdgeResult, headers: object, locate: Locator) -> list[EdgeHeader]:
    if not isinstance(headers, dict):
        return []
    received = _received_headers(result)
    out: list[EdgeHeader] = []
    for name, entry in headers.items():
        if not isinstance(entry, dict):
            continue
        values: list[tuple[Path, object]] = [((name, "value"), entry.get("value"))] if "value" in entry else []
        for index, item in enumerate(entry.get("multiValue") or []):
            if isinstance(item, dict):
                values.append(((name, "multiValue", index, "value"), item.get("value")))
        for path, value in values:
            full: Path = ("headers", *path)
            out.append(EdgeHeader(name=name, value=value, path=jpath(full), result=result, loc=locate(full),
                                  received=None if received is None else received.get(name.lower(), [])))
    return out


def _received_headers(result: EdgeResult) -> dict[str, list[str]] | None:
    """The input's header values by lowercase name; None when the input is not known."""
    if result.received is None:
        return None
    if result.generated:  # a generated response replaces nothing the function received
        return {}
    headers = result.received.get("headers")
    out: dict[str, list[str]] = {}
    if not isinstance(headers, dict):
        return out
    for name, entries in headers.items():
        if isinstance(entries, list):  # Lambda@Edge
            out[str(name).lower()] = [str(e.get("value")) for e in entries if isinstance(e, dict)]
        elif isinstance(entries, dict):  # CloudFront Functions
            values = [entries["value"]] if "value" in entries else []
            values += [v.get("value") for v in entries.get("multiValue") or [] if isinstance(v, dict)]
            out[str(name).lower()] = [str(v) for v in values]
    return out


def _removed_read_only(result: EdgeResult, headers: object) -> list[EdgeHeader]:
    """Read-only headers of the input that the result no longer has (removing one is a change too)."""
    received = _received_headers(result)
    if not received or result.generated or result.shape == "invalid":
        return []
    present = {str(n).lower() for n in headers} if isinstance(headers, dict) else set()
    read_only = READ_ONLY.get(result.event_type, ())
    return [EdgeHeader(name=name, path=jpath(("headers",)), removed=True, received=values, result=result,
                       loc=result.loc)
            for name, values in received.items() if name in read_only and name not in present and values]


def _origin(result: EdgeResult, origin: object, locate: Locator) -> EdgeOrigin | None:
    if not isinstance(origin, dict) or len(origin) != 1:
        return None
    (origin_type, config), = origin.items()
    headers = config.get("customHeaders") if isinstance(config, dict) else None
    if origin_type not in ("custom", "s3") or not isinstance(config, dict):
        return None
    base: Path = ("origin", origin_type)
    found = EdgeOrigin(
        origin_type=origin_type, domain_name=config.get("domainName"), port=config.get("port"),
        protocol=config.get("protocol"), path_prefix=config.get("path"), ssl_protocols=config.get("sslProtocols"),
        custom_headers=headers if isinstance(headers, dict) else {},
        path=jpath(base), result=result, loc=locate(base))
    for field_name, key in (("domain_name", "domainName"), ("port", "port"), ("protocol", "protocol"),
                            ("path_prefix", "path"), ("ssl_protocols", "sslProtocols"),
                            ("custom_headers", "customHeaders")):
        found.locs[field_name] = locate((*base, key))
    return found


def relocate(run: EdgeRun, loc: Location) -> EdgeRun:
    """A copy of a run whose objects all point at `loc` (the same function on another association)."""
    import copy

    moved = copy.copy(run)
    moved.loc = loc
    if run.result is not None:
        result = copy.copy(run.result)
        result.loc, result.locs = loc, {}
        result.headers = [_moved(h, loc, result) for h in run.result.headers]
        result.problems = [_moved(p, loc, result) for p in run.result.problems]
        result.origin = _moved(run.result.origin, loc, result) if run.result.origin else None
        moved.result = result
    return moved


_Part = TypeVar("_Part", EdgeHeader, EdgeProblem, EdgeOrigin)


def _moved(obj: _Part, loc: Location, result: EdgeResult) -> _Part:
    import copy

    moved = copy.copy(obj)
    moved.loc, moved.locs, moved.result = loc, {}, result
    return moved
