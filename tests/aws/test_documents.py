"""Answers are printed as the AWS CLI prints them and read back with positions; each position has its API path."""

from __future__ import annotations

import datetime
import json

from policykit.aws.documents import Places, parse, render
from policykit.core.location import Location


def test_render_prints_as_the_cli_does() -> None:
    when = datetime.datetime(2025, 3, 4, 10, 20, 30, tzinfo=datetime.timezone.utc)
    text = render({"ResponseMetadata": {"RequestId": "x"}, "When": when, "Blob": b"\x00\x01", "Name": "café"})
    assert json.loads(text) == {"When": "2025-03-04T10:20:30+00:00", "Blob": "AAE=", "Name": "café"}
    assert text.startswith('{\n    "When"')  # four spaces, as `aws ... --output json`


def test_places_give_the_api_path_of_a_position() -> None:
    text = render({"Distribution": {"Id": "E1", "DistributionConfig": {
        "Origins": {"Quantity": 2, "Items": [{"Id": "a"}, {"Id": "b", "CustomOriginConfig": {"HTTPPort": 80}}]}}}})
    root = parse(text, "aws:cloudfront/E1")
    places = Places("aws:cloudfront/E1", root, ("Distribution", "DistributionConfig"))
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"HTTPPort"' in row)
    column = text.splitlines()[line - 1].index("80") + 1
    assert places.location(Location("aws:cloudfront/E1", line, column)) == Location(
        "aws:cloudfront/E1 Origins.Items[1].CustomOriginConfig.HTTPPort")
    config_line = next(i for i, row in enumerate(text.splitlines(), 1) if '"DistributionConfig"' in row)
    assert places.location(Location("x", config_line, 31)) == Location("aws:cloudfront/E1")
