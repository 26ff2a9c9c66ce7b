"""A JSON Schema complaint in words that name the setting and what it takes, never the value written.

jsonschema's own messages quote the value (`'ghp_...' is not of type 'object'`): a file read by mistake (a
policy directory pointing elsewhere) would be echoed into CI logs. These say what the schema wants instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

_TYPES = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
          "number": "a number", "boolean": "true or false", "null": "null"}


class SchemaError(Protocol):
    """What jsonschema's ValidationError has (no import of jsonschema here); read only."""

    @property
    def validator(self) -> object: ...
    @property
    def validator_value(self) -> object: ...
    @property
    def instance(self) -> object: ...
    @property
    def schema(self) -> object: ...


def expected(error: SchemaError) -> str:
    """What the schema wants where `error` is: `must be a whole number`, `must be one of error, warning, info`."""
    kind, wanted = str(error.validator), error.validator_value
    if kind == "type":
        names = wanted if isinstance(wanted, list) else [wanted]
        return "must be " + " or ".join(_TYPES.get(str(name), str(name)) for name in names)
    if kind in ("enum", "const"):
        return "must be " + ("one of " + ", ".join(map(str, _items(wanted))) if kind == "enum" else str(wanted))
    bounds = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "more than",
              "exclusiveMaximum": "less than"}
    if kind in bounds:
        return f"must be {bounds[kind]} {wanted}"
    if kind in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
        what = "characters" if "Length" in kind else "items" if "Items" in kind else "keys"
        return f"must have {'at least' if kind.startswith('min') else 'at most'} {wanted} {what}"
    if kind == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [str(key) for key in _items(wanted) if key not in present]
        return f"needs the key {', '.join(missing)}" if missing else "needs more keys"
    if kind == "additionalProperties":
        allowed = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        keys = error.instance if isinstance(error.instance, dict) else {}
        unknown = sorted(str(key) for key in keys if key not in allowed)  # a key's name, not a value
        return f"has the unknown key {', '.join(repr(key) for key in unknown)}" if unknown else "has an unknown key"
    if kind == "propertyNames":
        return "has a key of the wrong form"
    if kind == "pattern":
        return f"does not have the expected form ({wanted})"
    if kind == "format":
        return f"must be a valid {wanted}"
    if kind in ("oneOf", "anyOf"):
        return "matches none of the forms allowed here"
    if kind == "uniqueItems":
        return "must not repeat an item"
    return f"is not valid here ({kind})"


def _items(value: object) -> Sequence[object]:
    return value if isinstance(value, (list, tuple)) else [value]
