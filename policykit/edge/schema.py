"""The JSON Schemas of CloudFront's edge event and result objects, shipped in the package."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported when a result is checked, not before
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

SCHEMA_FILES = (
    "lambda-edge-headers.json", "lambda-edge-request.json", "lambda-edge-response.json", "lambda-edge-event.json",
    "cloudfront-function-result.json", "cloudfront-function-event.json",
)
BASE = "https://policykit.invalid/schemas/edge/"
MAX_PROBLEMS = 20  # per result: past that the first ones say enough


@functools.cache
def load(name: str) -> dict[str, object]:
    text = resources.files("policykit.edge").joinpath("schemas", name).read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@functools.cache
def _validator(name: str) -> Validator:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    registry: Registry[Any] = Registry().with_resources(
        (BASE + file, Resource.from_contents(load(file))) for file in SCHEMA_FILES)
    return Draft202012Validator({"$ref": BASE + name}, registry=registry)


def problems(document: Mapping[str, Any], name: str) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, message) of each place `document` breaks the schema `name` (at most MAX_PROBLEMS)."""
    seen: set[tuple[str | int, ...]] = set()
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: (len(e.absolute_path), str(e.message)))
    for error in errors:
        path = tuple(error.absolute_path)
        if path in seen:
            continue
        seen.add(path)
        yield path, _message(error)
        if len(seen) >= MAX_PROBLEMS:
            return


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    return error.message
