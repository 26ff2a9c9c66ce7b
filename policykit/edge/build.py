"""A function's result (plain or marked JSON) to the model objects policies check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from policykit.core.edge_rules import READ_ONLY, REQUEST_EVENTS
from policykit.core.location import Location
from policykit.edge import schema
from policykit.edge.paths import Locator, Path, jpath
from policykit.model.function_runs import (
    CLOUDFRONT_FUNCTIONS,
    LAMBDA_EDGE,
    ORIGIN_HELPERS,
    EdgeHeader,
    EdgeOrigin,
    EdgeProblem,
    EdgeResult,
    EdgeRun,
    Platform,
    Shape,
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
                 received: Mapping[str, object] | None = None, platform: Platform = LAMBDA_EDGE,
                 code_size: int | None = None, origin_calls: Sequence[Mapping[str, object]] = (),
                 origin_ids: tuple[str, ...] | None = None) -> EdgeResult:
    """The EdgeResult of what a function returned; `received` is its input, when known; `origin_calls` a CloudFront
    Function's origin helper calls (`{helper, value}`), judged against the distribution's `origin_ids` when known."""
    here = locate(())
    changes = tuple(o for o in (origin_change(call, here, origin_ids) for call in origin_calls) if o is not None)
    if not isinstance(value, dict):
        what = "nothing (null, None or undefined)" if value is None else f"a {_json_type(value)}"
        problem = _problem((), f"the function returned {what}, not a request or response object", locate)
        return EdgeResult(event_type=event_type, platform=platform, shape="invalid", function=function,
                          problems=(problem,), received=received, code_size=code_size, origin_changes=changes,
                          loc=here)
    cloudfront_functions = platform == CLOUDFRONT_FUNCTIONS
    status_field = "statusCode" if cloudfront_functions else "status"
    is_response = event_type not in REQUEST_EVENTS or status_field in value
    shape: Shape = "response" if is_response else "request"
    generated = is_response and event_type in REQUEST_EVENTS
    name = ("cloudfront-function-result.json#/$defs/" + shape) if cloudfront_functions else (
        f"lambda-edge-{shape}.json")
    problems = [_problem(path, message, locate) for path, message in schema.problems(value, name)]
    if not cloudfront_functions and "statusCode" in value and "status" not in value:
        problems.append(_problem(("statusCode",), "`statusCode` is not a Lambda@Edge field: a response needs "
                                 "`status`, a string such as \"302\"", locate))
    locs = {"status": locate((status_field,))}
    body, body_encoding = _read_body(value, shape, locate, cloudfront_functions, locs)
    uri = querystring = None
    origin: EdgeOrigin | None = None
    if shape == "request":
        uri = value.get("uri")
        locs["uri"] = locate(("uri",))
        querystring = value.get("querystring")
        locs["querystring"] = locate(("querystring",))
        if cloudfront_functions:  # an object as received, or a string (valid: facts 8.3)
            querystring = querystring if isinstance(querystring, str) else None
        else:
            origin = _origin(value.get("origin"), locate)
    known = _received_headers(received, generated)
    given = value.get("headers")
    headers = (_cff_headers if cloudfront_functions else _headers)(given, known, locate)
    headers.extend(_removed_read_only(event_type, known, given, here))
    return EdgeResult(event_type=event_type, platform=platform, shape=shape, generated=generated, function=function,
                      status=value.get(status_field), body=body, body_encoding=body_encoding, uri=uri,
                      querystring=querystring, headers=tuple(headers), origin=origin, origin_changes=changes,
                      problems=tuple(problems), received=received, code_size=code_size, loc=here, locs=locs)


def _json_type(value: object) -> str:
    return {str: "string", bool: "boolean", int: "number", float: "number", list: "list"}.get(type(value), "value")


def _problem(path: Path, message: str, locate: Locator) -> EdgeProblem:
    return EdgeProblem(path=jpath(path), problem=message, loc=locate(path))


def _read_body(value: dict[str, object], shape: Shape, locate: Locator, cloudfront_functions: bool,
               locs: dict[str, Location]) -> tuple[object, object]:
    """(body, body encoding) of the result; where each is written goes into `locs`."""
    body = value.get("body")
    if cloudfront_functions:
        if isinstance(body, dict):
            locs["body"] = locate(("body", "data"))
            return body.get("data"), body.get("encoding", "text")
        locs["body"] = locate(("body",))
        return body, "text"
    if shape == "request":  # IncludeBody: {action, encoding, data}; only `replace` changes it
        if isinstance(body, dict) and body.get("action") == "replace":
            locs["body"] = locate(("body", "data"))
            locs["body_encoding"] = locate(("body", "encoding"))
            return body.get("data"), body.get("encoding", "base64")
        return None, None
    locs["body"] = locate(("body",))
    locs["body_encoding"] = locate(("bodyEncoding",))
    return body, value.get("bodyEncoding", "text")


def _headers(headers: object, known: Mapping[str, tuple[str, ...]] | None, locate: Locator) -> list[EdgeHeader]:
    if not isinstance(headers, dict):
        return []
    out: list[EdgeHeader] = []
    for name, entries in headers.items():
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            path: Path = ("headers", name, index)
            out.append(EdgeHeader(name=name, key=entry.get("key"), value=entry.get("value"), path=jpath(path),
                                  received=None if known is None else known.get(name.lower(), ()),
                                  loc=locate(path)))
    return out


def _cff_headers(headers: object, known: Mapping[str, tuple[str, ...]] | None, locate: Locator) -> list[EdgeHeader]:
    if not isinstance(headers, dict):
        return []
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
            out.append(EdgeHeader(name=name, value=value, path=jpath(full), loc=locate(full),
                                  received=None if known is None else known.get(name.lower(), ())))
    return out


def _received_headers(received: Mapping[str, object] | None, generated: bool) -> dict[str, tuple[str, ...]] | None:
    """The input's header values by lowercase name; None when the input is not known."""
    if received is None:
        return None
    if generated:  # a generated response replaces nothing the function received
        return {}
    headers = received.get("headers")
    out: dict[str, tuple[str, ...]] = {}
    if not isinstance(headers, dict):
        return out
    for name, entries in headers.items():
        if isinstance(entries, list):  # Lambda@Edge
            out[str(name).lower()] = tuple(str(e.get("value")) for e in entries if isinstance(e, dict))
        elif isinstance(entries, dict):  # CloudFront Functions
            values = [entries["value"]] if "value" in entries else []
            values += [v.get("value") for v in entries.get("multiValue") or [] if isinstance(v, dict)]
            out[str(name).lower()] = tuple(str(v) for v in values)
    return out


def _removed_read_only(event_type: str, known: Mapping[str, tuple[str, ...]] | None, headers: object,
                       here: Location) -> list[EdgeHeader]:
    """Read-only headers of the input that the result no longer has (removing one is a change too); none when the
    input is not known or a generated response replaces it."""
    if not known:
        return []
    present = {str(n).lower() for n in headers} if isinstance(headers, dict) else set()
    read_only = READ_ONLY.get(event_type, ())
    return [EdgeHeader(name=name, path=jpath(("headers",)), removed=True, received=values, loc=here)
            for name, values in known.items() if name in read_only and name not in present and values]


def _origin(origin: object, locate: Locator) -> EdgeOrigin | None:
    if not isinstance(origin, dict) or len(origin) != 1:
        return None
    (origin_type, config), = origin.items()
    headers = config.get("customHeaders") if isinstance(config, dict) else None
    if origin_type not in ("custom", "s3") or not isinstance(config, dict):
        return None
    base: Path = ("origin", origin_type)
    locs = {field_name: locate((*base, key)) for field_name, key in (
        ("domain_name", "domainName"), ("port", "port"), ("protocol", "protocol"), ("path_prefix", "path"),
        ("ssl_protocols", "sslProtocols"), ("custom_headers", "customHeaders"))}
    return EdgeOrigin(
        origin_type=origin_type, domain_name=config.get("domainName"), port=config.get("port"),
        protocol=config.get("protocol"), path_prefix=config.get("path"), ssl_protocols=config.get("sslProtocols"),
        custom_headers=headers if isinstance(headers, dict) else {},
        path=jpath(base), loc=locate(base), locs=locs)


def origin_change(call: Mapping[str, object], loc: Location, origin_ids: tuple[str, ...] | None) -> EdgeOrigin | None:
    """A CloudFront Function's call of an origin helper as the origin it sends the request to."""
    helper = next((h for h in ORIGIN_HELPERS if h == call.get("helper")), None)
    if helper is None:
        return None
    value = call.get("value")
    params: dict[str, object] = dict(value) if isinstance(value, dict) else {}
    path = f"cf.{helper}()"
    if helper == "selectRequestOriginById":
        return EdgeOrigin(helper=helper, origin_id=value, known_origin_ids=origin_ids, path=path, loc=loc)
    if helper == "createRequestOriginGroup":
        return EdgeOrigin(helper=helper, member_ids=params.get("originIds", value if not params else None),
                          params=params, known_origin_ids=origin_ids, path=path, loc=loc)
    config = params.get("customOriginConfig")
    custom = config if isinstance(config, dict) else {}
    headers = params.get("customHeaders")
    return EdgeOrigin(
        helper=helper, domain_name=params.get("domainName"), path_prefix=params.get("originPath"),
        port=custom.get("port"), protocol=custom.get("protocol"), ssl_protocols=custom.get("sslProtocols"),
        custom_headers={str(k): [{"value": v}] for k, v in headers.items()} if isinstance(headers, dict) else {},
        params=params, known_origin_ids=origin_ids, path=path, loc=loc)


def relocate(run: EdgeRun, loc: Location) -> EdgeRun:
    """A copy of a run whose objects all point at `loc` (the same function on another association): its result
    and the result's parts rebuilt, the result from the parts."""
    found = run.result
    if found is None:
        return replace(run, loc=loc)
    result = replace(found, loc=loc, locs={}, headers=tuple(_moved(h, loc) for h in found.headers),
                     problems=tuple(_moved(p, loc) for p in found.problems),
                     origin=_moved(found.origin, loc) if found.origin else None,
                     origin_changes=tuple(_moved(o, loc) for o in found.origin_changes))
    return replace(run, loc=loc, result=result)


_Part = TypeVar("_Part", EdgeHeader, EdgeProblem, EdgeOrigin)


def _moved(part: _Part, loc: Location) -> _Part:
    """The part, at `loc`, not yet in a result (the one it is built into adopts it)."""
    return replace(part, loc=loc, locs={}, result=None)
