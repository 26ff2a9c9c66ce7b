"""Realistic CloudFront events for a function: Lambda@Edge records and CloudFront Functions events."""

from __future__ import annotations

import base64
import copy
from dataclasses import field

from policykit.core.edge_rules import REQUEST_EVENTS
from policykit.core.record import record

DISTRIBUTION_DOMAIN = "d111111abcdef8.cloudfront.net"
DISTRIBUTION_ID = "EDFDVBD6EXAMPLE"
REQUEST_ID = "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ=="
VIEWER_IP = "203.0.113.178"  # TEST-NET-3: documentation only, never contacted
VIA = "2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)"
# An event, or a part of one, as JSON: values of any JSON type
JsonObject = dict[str, object]


@record
class RequestShape:
    """What the viewer sends, as the command line or the template's behavior describes it."""

    uri: str = "/"
    method: str = "GET"
    querystring: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    host: str = "www.example.com"
    origin_domain: str = "origin.example.com"
    origin_headers: dict[str, str] = field(default_factory=dict)


def _lambda_headers(pairs: list[tuple[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for name, value in pairs:
        out.setdefault(name.lower(), []).append({"key": name, "value": value})
    return out


def _viewer_headers(shape: RequestShape) -> list[tuple[str, str]]:
    pairs = [("Host", shape.host), ("User-Agent", "Amazon CloudFront"), ("Accept", "*/*")]
    given = {name.lower() for name, _ in shape.headers}
    return [p for p in pairs if p[0].lower() not in given] + list(shape.headers)


def lambda_request(event_type: str, shape: RequestShape) -> JsonObject:
    pairs = _viewer_headers(shape)
    if event_type != "viewer-request":  # what CloudFront adds on the way to the origin
        pairs = [(n, shape.origin_domain if n.lower() == "host" else v) for n, v in pairs]
        pairs += [("X-Forwarded-For", VIEWER_IP), ("Via", VIA)]
    request: JsonObject = {
        "clientIp": VIEWER_IP, "method": shape.method, "uri": shape.uri, "querystring": shape.querystring,
        "headers": _lambda_headers(pairs)}
    if shape.body is not None and event_type in REQUEST_EVENTS:
        request["body"] = {"inputTruncated": False, "action": "read-only", "encoding": "base64",
                           "data": base64.b64encode(shape.body.encode("utf-8")).decode("ascii")}
    if event_type != "viewer-request":
        request["origin"] = {"custom": {
            "customHeaders": _lambda_headers(list(shape.origin_headers.items())), "domainName": shape.origin_domain,
            "keepaliveTimeout": 5, "path": "", "port": 443, "protocol": "https", "readTimeout": 30,
            "sslProtocols": ["TLSv1.2"]}}
    return request


def lambda_response(event_type: str) -> JsonObject:
    pairs = [("Content-Type", "text/html; charset=utf-8"), ("Date", "Thu, 01 Jan 2026 00:00:00 GMT"),
             ("Server", "origin"), ("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")]
    if event_type == "viewer-response":
        pairs += [("Via", VIA), ("Age", "0")]
    return {"status": "200", "statusDescription": "OK", "headers": _lambda_headers(pairs)}


def lambda_event(event_type: str, shape: RequestShape, given: JsonObject | None = None) -> JsonObject:
    """`Records[0].cf` with config, request and (response events) a response; `given` replaces parts."""
    if given is not None and isinstance(given.get("Records"), list):
        return copy.deepcopy(given)  # a whole event: used as it is
    cf: JsonObject = {
        "config": {"distributionDomainName": DISTRIBUTION_DOMAIN, "distributionId": DISTRIBUTION_ID,
                   "eventType": event_type, "requestId": REQUEST_ID},
        "request": lambda_request(event_type, shape)}
    if event_type not in REQUEST_EVENTS:
        cf["response"] = lambda_response(event_type)
    if given is not None:
        key = "request" if event_type in REQUEST_EVENTS or "status" not in given else "response"
        cf[key] = copy.deepcopy(given)
    return {"Records": [{"cf": cf}]}


def _cff_map(pairs: list[tuple[str, str]]) -> JsonObject:
    """`{name: {value}}`; a repeated name keeps its first value and lists every one in `multiValue`."""
    entries: dict[str, dict[str, object]] = {}
    multi: dict[str, list[dict[str, str]]] = {}
    for name, value in pairs:
        key = name.lower()
        if key in entries:
            multi.setdefault(key, [{"value": str(entries[key]["value"])}]).append({"value": value})
            entries[key]["multiValue"] = multi[key]
        else:
            entries[key] = {"value": value}
    return dict(entries)


def _cff_query(querystring: str) -> JsonObject:
    from urllib.parse import parse_qsl

    return _cff_map(parse_qsl(querystring, keep_blank_values=True))


def cloudfront_function_event(event_type: str, shape: RequestShape,
                              given: JsonObject | None = None) -> JsonObject:
    """`{version, context, viewer, request, response}` with headers as `{name: {value}}`."""
    if given is not None and "context" in given:
        return copy.deepcopy(given)
    event: JsonObject = {
        "version": "1.0",
        "context": {"distributionDomainName": DISTRIBUTION_DOMAIN, "distributionId": DISTRIBUTION_ID,
                    "eventType": event_type, "requestId": REQUEST_ID},
        "viewer": {"ip": VIEWER_IP},
        "request": {"method": shape.method, "uri": shape.uri, "querystring": _cff_query(shape.querystring),
                    "headers": _cff_map(_viewer_headers(shape)), "cookies": {}}}
    if event_type == "viewer-response":
        event["response"] = {"statusCode": 200, "statusDescription": "OK", "cookies": {}, "headers": _cff_map(
            [("Content-Type", "text/html; charset=utf-8"), ("Via", VIA)])}
    if given is not None:
        event["response" if "statusCode" in given else "request"] = copy.deepcopy(given)
    return event
