"""Facts: values computed once, in Python, from the model, that any policy can test by name.

`FACTS[kind][name]` is a function of one model object. A boolean fact returns True, False
or `Unknown(reason)`; never an error over something it cannot know.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policykit.facts import aliases, behaviors, edge, origins

Fact = Callable[[Any], Any]

FACTS: dict[str, dict[str, Fact]] = {
    "origin": {
        "endpoint_kind": origins.endpoint_kind,
        "aws_generated_host": origins.aws_generated_host,
        "uses_https": origins.uses_https,
        "behaviors": origins.behaviors,
        "forwards_host": origins.forwards_host,
        "validated_names": origins.validated_names,
    },
    "behavior": {
        "forwards_host": behaviors.forwards_host,
        "forwarded_headers": behaviors.forwarded_headers,
        "target": behaviors.target,
        "target_exists": behaviors.target_exists,
        "target_ids": behaviors.target_ids,
    },
    "alias": {
        "viewer_certificate_names": aliases.viewer_certificate_names,
        "covered_by_viewer_certificate": aliases.covered_by_viewer_certificate,
    },
    "lambda_association": {
        "arn_kind": edge.arn_kind,
    },
}


def describe() -> dict[str, dict[str, str]]:
    """Each fact's first docstring line, for `policykit policies facts`."""
    return {kind: {name: (fn.__doc__ or "").strip().splitlines()[0] for name, fn in table.items()}
            for kind, table in FACTS.items()}
