"""Each crash the fuzz tests (tests/fuzz/test_fuzz.py) found, with the minimal input hypothesis shrank it to,
checked by the same property: findings (exit 0/1) or one-line input errors naming the file (exit 2)."""

from __future__ import annotations

import json

import pytest

from tests.fuzz.harness import check_scan

FOUND: dict[str, dict[str, str]] = {
    # python-hcl2's error quoted the source over three lines: the error must be one line
    "hcl-unterminated-heredoc": {"main.tf": 'resource "aws_cloudfront_distribution" {\nenabled = <<EOT\na'},
    # plan JSON of the wrong shape: TypeError: 'int' object is not iterable (exit 3)
    "plan-resource-changes-number": {"plan.json": json.dumps({
        "format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {}, "variables": [],
        "prior_state": [], "configuration": {}, "resource_changes": 1})},
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_found_by_fuzzing(name: str) -> None:
    check_scan(FOUND[name])
