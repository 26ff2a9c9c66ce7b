"""The shipped JSON Schemas are valid schemas, and the events policykit builds satisfy them."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from policykit.core.edge_rules import CLOUDFRONT_FUNCTION_EVENTS, EVENTS
from policykit.edge import schema
from policykit.edge.events import RequestShape, cloudfront_function_event, lambda_event


@pytest.mark.parametrize("name", schema.SCHEMA_FILES)
def test_schema_files_are_valid_schemas(name: str) -> None:
    Draft202012Validator.check_schema(schema.load(name))


SHAPE = RequestShape(uri="/app/index.html", querystring="a=1&b=2", headers=(("X-Test", "1"),), body="hello")


@pytest.mark.parametrize("event", EVENTS)
def test_lambda_edge_events_match_the_event_schema(event: str) -> None:
    built = lambda_event(event, SHAPE)
    assert list(schema.problems(built, "lambda-edge-event.json")) == []
    cf = built["Records"][0]["cf"]
    assert cf["config"]["eventType"] == event
    assert cf["request"]["headers"]["x-test"] == [{"key": "X-Test", "value": "1"}]
    assert ("response" in cf) is event.endswith("response")
    assert ("origin" in cf["request"]) is (event != "viewer-request")


@pytest.mark.parametrize("event", CLOUDFRONT_FUNCTION_EVENTS)
def test_cloudfront_function_events_match_their_schema(event: str) -> None:
    built = cloudfront_function_event(event, SHAPE)
    assert list(schema.problems(built, "cloudfront-function-event.json")) == []
    assert built["request"]["headers"]["x-test"] == {"value": "1"}
    assert built["request"]["querystring"] == {"a": {"value": "1"}, "b": {"value": "2"}}


def test_a_broken_event_breaks_the_schema() -> None:
    built = lambda_event("viewer-request", SHAPE)
    del built["Records"][0]["cf"]["request"]["uri"]
    built["Records"][0]["cf"]["config"]["eventType"] = "viewer-sideways"
    paths = {path for path, _ in schema.problems(built, "lambda-edge-event.json")}
    assert ("Records", 0, "cf", "config", "eventType") in paths
    assert ("Records", 0, "cf", "request") in paths
