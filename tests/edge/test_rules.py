"""One bad and one good result per rule, for every event type where the rule applies."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from policykit.core.edge_rules import EVENTS, REQUEST_EVENTS
from policykit.model.function_runs import CLOUDFRONT_FUNCTIONS

from .helpers import findings, fired, header, received

RESPONSE_EVENTS = ("origin-response", "viewer-response")


def natural(event: str) -> dict[str, Any]:
    """What a function that changes nothing returns for the event."""
    return received(event)


def generated(status: str = "302", **extra: Any) -> dict[str, Any]:
    return {"status": status, "statusDescription": "Found", "headers": header("Location", "https://www.example.com/"),
            **extra}


def with_headers(event: str, **added: str) -> dict[str, Any]:
    value = natural(event)
    for name, text in added.items():
        value["headers"].update(header(name.replace("_", "-"), text))
    return value


@pytest.mark.parametrize("event", EVENTS)
def test_unchanged_input_is_valid_for_every_event(event: str) -> None:
    assert fired(natural(event), event) == set()


@pytest.mark.parametrize("event", REQUEST_EVENTS)
def test_generated_redirect_is_valid(event: str) -> None:
    assert fired(generated(), event) == set()


# PK701: structure
@pytest.mark.parametrize("event", EVENTS)
def test_pk701_not_an_object_or_wrong_types(event: str) -> None:
    assert "PK701" in fired(None, event)
    assert "PK701" in fired("ok", event)
    bad = natural(event)
    bad["headers"]["x-count"] = [{"key": "X-Count", "value": 3}]
    assert "PK701" in fired(bad, event)


@pytest.mark.parametrize("event", REQUEST_EVENTS)
def test_pk701_api_gateway_shape_and_missing_uri(event: str) -> None:
    assert "PK701" in fired({"statusCode": 302, "headers": {"location": "/x"}}, event)
    assert "PK701" in fired({"headers": {}}, event)


@pytest.mark.parametrize("event", RESPONSE_EVENTS)
def test_pk701_response_needs_status(event: str) -> None:
    bad = natural(event)
    del bad["status"]
    assert "PK701" in fired(bad, event)


# PK702: status range, on every event that returns a response
@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize(("status", "bad"), [("199", True), ("600", True), ("3O2", True), ("200", False),
                                             ("599", False), ("404", False)])
def test_pk702_status_range(event: str, status: str, bad: bool) -> None:
    value = generated(status) if event in REQUEST_EVENTS else {**natural(event), "status": status}
    given = {**received(event), "status": status} if event == "viewer-response" else None
    assert ("PK702" in fired(value, event, given=given)) is bad


# PK703: viewer-response status change
def test_pk703_viewer_response_status_change() -> None:
    assert "PK703" in fired({**natural("viewer-response"), "status": "404"}, "viewer-response")
    assert "PK703" not in fired(natural("viewer-response"), "viewer-response")
    assert "PK703" not in fired({**natural("origin-response"), "status": "404"}, "origin-response")


def test_pk703_without_input_is_a_note_not_a_guess() -> None:
    notes = [f for f in findings({**natural("viewer-response"), "status": "404"}, "viewer-response",
                                 known_input=False) if f.policy_id == "PK703"]
    assert [(f.unknown, f.severity.value) for f in notes] == [(True, "info")]


# PK704: header naming
@pytest.mark.parametrize("event", EVENTS)
def test_pk704_map_key_and_key(event: str) -> None:
    bad = natural(event)
    bad["headers"]["X-Frame-Options"] = [{"key": "X-Frame-Options", "value": "DENY"}]
    assert "PK704" in fired(bad, event)
    other = natural(event)
    other["headers"]["x-a"] = [{"key": "X-B", "value": "1"}]
    assert "PK704" in fired(other, event)
    good = natural(event)
    good["headers"]["x-frame-options"] = [{"key": "x-FRAME-options", "value": "DENY"}]
    good["headers"]["x-no-key"] = [{"value": "1"}]
    assert "PK704" not in fired(good, event)


# PK705: disallowed headers, every event
@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("name", ["X-Cache", "Connection", "X-Amz-Cf-Pop", "X-Edge-Location", "X-Forwarded-Proto",
                                  "Upgrade", "X-Real-IP"])
def test_pk705_disallowed(event: str, name: str) -> None:
    assert "PK705" in fired(with_headers(event, **{name.replace("-", "_"): "x"}), event)


@pytest.mark.parametrize("event", EVENTS)
def test_pk705_similar_names_are_fine(event: str) -> None:
    assert "PK705" not in fired(with_headers(event, X_My_Cache="x", X_Amz_Meta="x", Connection_Id="1"), event)


def test_pk705_in_a_generated_response() -> None:
    assert "PK705" in fired(generated(headers=header("X-Cache", "HIT")), "viewer-request")


# PK706: read-only headers per event
READ_ONLY_CASES = [
    ("viewer-request", "Host", True), ("viewer-request", "Via", True), ("viewer-request", "Content-Length", True),
    ("origin-request", "Host", False), ("origin-request", "Accept-Encoding", True),
    ("origin-request", "If-None-Match", True), ("origin-response", "Transfer-Encoding", True),
    ("origin-response", "Warning", False), ("viewer-response", "Warning", True), ("viewer-response", "Via", True),
    ("viewer-response", "Transfer-Encoding", False),
]


@pytest.mark.parametrize(("event", "name", "read_only"), READ_ONLY_CASES)
def test_pk706_adding_or_changing(event: str, name: str, read_only: bool) -> None:
    assert ("PK706" in fired(with_headers(event, **{name.replace("-", "_"): "changed"}), event)) is read_only


@pytest.mark.parametrize("event", EVENTS)
def test_pk706_unchanged_read_only_headers_are_fine(event: str) -> None:
    assert "PK706" not in fired(natural(event), event)


def test_pk706_removing_is_a_change() -> None:
    value = natural("viewer-response")
    del value["headers"]["via"]
    assert "PK706" in fired(value, "viewer-response")


def test_pk706_without_the_input_is_an_info_note() -> None:
    notes = [f for f in findings(with_headers("viewer-request", Host="other.example.com"), "viewer-request",
                                 known_input=False) if f.policy_id == "PK706"]
    assert notes and all(f.unknown and f.severity.value == "info" for f in notes)
    assert "--request" in notes[0].message


def test_pk706_does_not_apply_to_generated_responses() -> None:
    assert "PK706" not in fired(generated(headers=header("Via", "1.1 x")), "viewer-request")


# PK707: characters
@pytest.mark.parametrize("event", EVENTS)
def test_pk707_characters(event: str) -> None:
    assert "PK707" in fired(with_headers(event, X_User="alice\r\nSet-Cookie: a=b"), event)
    bad_name = natural(event)
    bad_name["headers"]["x user"] = [{"key": "X User", "value": "a"}]
    assert "PK707" in fired(bad_name, event)
    assert "PK707" not in fired(with_headers(event, X_User="alice; tab\tok"), event)


# PK708: size limits
KB = 1024


@pytest.mark.parametrize(("event", "size", "bad"), [
    ("viewer-request", 41 * KB, True), ("viewer-request", 30 * KB, False),
    ("origin-request", 41 * KB, False), ("origin-request", 1025 * KB, True),
])
def test_pk708_generated_response(event: str, size: int, bad: bool) -> None:
    assert ("PK708" in fired({"status": "200", "body": "x" * size}, event)) is bad


@pytest.mark.parametrize(("event", "size", "bad"), [
    ("viewer-response", 41 * KB, True), ("viewer-response", 39 * KB, False),
    ("origin-response", 41 * KB, False), ("origin-response", 1025 * KB, True),
])
def test_pk708_returned_response(event: str, size: int, bad: bool) -> None:
    assert ("PK708" in fired({**natural(event), "body": "x" * size}, event)) is bad


def test_pk708_base64_counts_what_it_decodes_to() -> None:
    body = base64.b64encode(b"x" * (39 * KB)).decode()  # 52 KB of text, 39 KB of body
    assert "PK708" not in fired({"status": "200", "body": body, "bodyEncoding": "base64"}, "viewer-request")


@pytest.mark.parametrize(("event", "encoding", "size", "bad"), [
    ("viewer-request", "text", 41 * KB, True), ("viewer-request", "base64", 41 * KB, False),
    ("viewer-request", "base64", 54 * KB, True), ("origin-request", "text", 41 * KB, False),
    ("origin-request", "text", 1025 * KB, True), ("origin-request", "base64", 1300 * KB, False),
])
def test_pk708_replaced_request_body(event: str, encoding: str, size: int, bad: bool) -> None:
    data = "QUJD" * (size // 4) if encoding == "base64" else "x" * size
    value = {**natural(event), "body": {"action": "replace", "encoding": encoding, "data": data}}
    assert ("PK708" in fired(value, event)) is bad


# PK709: body encoding
@pytest.mark.parametrize("event", EVENTS)
def test_pk709_encoding(event: str) -> None:
    base = generated() if event in REQUEST_EVENTS else natural(event)
    assert "PK709" in fired({**base, "body": "hi", "bodyEncoding": "gzip"}, event)
    assert "PK709" in fired({**base, "body": "<h1>", "bodyEncoding": "base64"}, event)
    assert "PK709" not in fired({**base, "body": "aGk=", "bodyEncoding": "base64"}, event)
    assert "PK709" not in fired({**base, "body": "<h1>"}, event)


# PK710: 204 with a body, viewer-request only
def test_pk710_no_content_with_body() -> None:
    assert "PK710" in fired({"status": "204", "body": "ok"}, "viewer-request")
    assert "PK710" not in fired({"status": "204"}, "viewer-request")
    assert "PK710" not in fired({"status": "204", "body": "ok"}, "origin-request")


# PK711-PK714: request results (both request events)
@pytest.mark.parametrize("event", REQUEST_EVENTS)
def test_pk711_uri(event: str) -> None:
    assert "PK711" in fired({**natural(event), "uri": "index.html"}, event)
    assert "PK711" not in fired({**natural(event), "uri": "/index.html"}, event)


@pytest.mark.parametrize("event", REQUEST_EVENTS)
def test_pk712_uri_and_query_length(event: str) -> None:
    assert "PK712" in fired({**natural(event), "uri": "/" + "a" * 4000, "querystring": "q=" + "b" * 4200}, event)
    assert "PK712" not in fired({**natural(event), "uri": "/" + "a" * 4000, "querystring": "q=" + "b" * 4000}, event)


@pytest.mark.parametrize("event", REQUEST_EVENTS)
@pytest.mark.parametrize(("query", "bad"), [("q=a b", True), ("q=a#b", True), ("q=a\x01", True),
                                            ("q=a%20b&r=%23", False)])
def test_pk713_querystring(event: str, query: str, bad: bool) -> None:
    assert ("PK713" in fired({**natural(event), "querystring": query}, event)) is bad


GOOD_ORIGIN = {"domainName": "api.example.com", "port": 443, "protocol": "https", "path": "",
               "sslProtocols": ["TLSv1.2"], "readTimeout": 30, "keepaliveTimeout": 5, "customHeaders": {}}


@pytest.mark.parametrize("event", REQUEST_EVENTS)
@pytest.mark.parametrize(("change", "bad"), [
    ({}, False), ({"domainName": "10.0.0.5"}, True), ({"domainName": "api.example.com:8443"}, True),
    ({"domainName": "a" * 250 + ".com"}, True), ({"port": 81}, True), ({"port": 8443}, False),
    ({"protocol": "ftp"}, True), ({"path": "api/"}, True), ({"sslProtocols": ["TLSv1.3"]}, True),
    ({"customHeaders": header("Cookie", "a=b")}, True), ({"customHeaders": header("X-Origin-Token", "s")}, False),
])
def test_pk714_origin(event: str, change: dict[str, Any], bad: bool) -> None:
    value = {**natural(event), "origin": {"custom": {**GOOD_ORIGIN, **change}}}
    assert ("PK714" in fired(value, event)) is bad


def test_pk714_s3_origin() -> None:
    good = {"s3": {"domainName": "b.s3.us-east-1.amazonaws.com", "path": "", "authMethod": "none",
                   "region": "us-east-1", "customHeaders": {}}}
    assert "PK714" not in fired({**natural("origin-request"), "origin": good}, "origin-request")
    bad = {"s3": {**good["s3"], "customHeaders": header("Host", "x")}}
    assert "PK714" in fired({**natural("origin-request"), "origin": bad}, "origin-request")


# CloudFront Functions results
CFF_REQUEST = {"method": "GET", "uri": "/", "querystring": {}, "headers": {"host": {"value": "www.example.com"}},
               "cookies": {}}


@pytest.mark.parametrize("event", ["viewer-request", "viewer-response"])
def test_cloudfront_function_results(event: str) -> None:
    redirect = {"statusCode": 302, "statusDescription": "Found", "headers": {"location": {"value": "/x"}}}
    given = {"statusCode": 200, "headers": {}} if event == "viewer-response" else CFF_REQUEST
    assert fired(redirect, event, given=given, platform=CLOUDFRONT_FUNCTIONS) == set()
    assert "PK701" in fired({"statusCode": "302", "headers": {"location": [{"value": "/x"}]}}, event, given=given,
                            platform=CLOUDFRONT_FUNCTIONS)
    assert "PK702" in fired({**redirect, "statusCode": 700}, event, given=given, platform=CLOUDFRONT_FUNCTIONS)
    assert "PK705" in fired({**redirect, "headers": {"x-cache": {"value": "HIT"}}}, event, given=given,
                            platform=CLOUDFRONT_FUNCTIONS)


def test_cloudfront_function_request_result() -> None:
    assert fired(CFF_REQUEST, "viewer-request", given=CFF_REQUEST, platform=CLOUDFRONT_FUNCTIONS) == set()
    changed = {**CFF_REQUEST, "headers": {"host": {"value": "other.example.com"}}}
    assert "PK706" in fired(changed, "viewer-request", given=CFF_REQUEST, platform=CLOUDFRONT_FUNCTIONS)


# PK710 on both platforms: Lambda@Edge's `status` is a string, a CloudFront Function's `statusCode` a number
def test_pk710_a_204_with_a_body_on_both_platforms() -> None:
    assert "PK710" in fired({"status": "204", "statusDescription": "No Content", "body": "ok"}, "viewer-request")
    assert "PK710" not in fired({"status": "204", "body": ""}, "viewer-request")
    assert "PK710" not in fired({"status": "200", "body": "ok"}, "viewer-request")
    cff = {"statusCode": 204, "statusDescription": "No Content", "body": "ok"}
    found = [f for f in findings(cff, "viewer-request", given=CFF_REQUEST, platform=CLOUDFRONT_FUNCTIONS)
             if f.policy_id == "PK710" and not f.unknown]
    assert len(found) == 1 and found[0].severity.value == "warning"  # not confirmed for CloudFront Functions
    assert "PK710" not in fired({**cff, "statusCode": 200}, "viewer-request", given=CFF_REQUEST,
                                platform=CLOUDFRONT_FUNCTIONS)
    assert "PK710" not in fired({"statusCode": 204, "statusDescription": "No Content"}, "viewer-request",
                                given=CFF_REQUEST, platform=CLOUDFRONT_FUNCTIONS)
