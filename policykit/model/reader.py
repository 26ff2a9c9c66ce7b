"""Read resolved properties with their locations, reporting wrong types instead of crashing.

Shared by every input format: a CloudFormation template's resolved properties, a Terraform
body, a plan's values. A value of the wrong type is a `Problem` (PK002) and reads as Unknown,
so no policy judges it; a value not known before deployment stays Unknown or Partial.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from policykit.core.location import Location
from policykit.core.nodes import child_mark, file_of, mark_of
from policykit.core.values import MaybeMore, Partial, Scalar, Text, Unknown
from policykit.model.cloudfront import Problem

Mapping = dict[str, Any]
__all__ = ["Mapping", "Reader", "Scalar", "Text"]


class Reader:
    """Typed access to one resource's resolved properties; wrong types become `Problem`s."""

    def __init__(self, file: str, resource: str, problems: list[Problem], distribution: str = "") -> None:
        self.file = file
        self.resource = resource
        self.problems = problems
        self.distribution = distribution

    def loc(self, node: object, key: str | int | None = None) -> Location:
        mark = child_mark(node, key) if key is not None else mark_of(node)
        return Location(file_of(mark, self.file), mark.line, mark.column)  # a node from an included file: its own

    def problem(self, node: object, key: str | int, message: str) -> None:
        self.problems.append(Problem(message, self.loc(node, key), self.resource, self.distribution))

    def mapping(self, node: object, key: str) -> Mapping | None:
        """A sub-mapping; None when absent or unknown; a Problem when of the wrong type."""
        value = node.get(key) if isinstance(node, dict) else None
        if value is None or isinstance(value, (Unknown, Partial)):
            return None
        if not isinstance(value, dict):
            self.problem(node, key, f"{key} must be a mapping, not {_type_name(value)}")
            return None
        return value

    def listing(self, node: object, key: str) -> MaybeMore[Any]:
        """A list (empty when absent); one only known at deployment is empty and maybe more."""
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return MaybeMore()
        if isinstance(value, (Unknown, Partial)):
            return MaybeMore(more=_whole(value, key, self.loc(node, key)))
        if not isinstance(value, list):
            # PK002 reports the wrong type; the list stays open, so no policy reads it as empty
            self.problem(node, key, f"{key} must be a list, not {_type_name(value)}")
            return MaybeMore(more=Unknown(f"{key} has the wrong type", at=self.loc(node, key)))
        return MaybeMore(value)

    def items(self, node: object, key: str) -> MaybeMore[tuple[Location, Mapping]]:
        """The mapping items of a list property, with their locations; unknown items make it maybe longer."""
        values = self.listing(node, key)
        out: MaybeMore[tuple[Location, Mapping]] = MaybeMore(more=values.more)
        marked = node.get(key) if values and isinstance(node, dict) else values  # the list with its marks
        for index, item in enumerate(values):
            if isinstance(item, dict):
                out.append((self.loc(marked, index), item))
            elif isinstance(item, (Unknown, Partial)):
                out.maybe(_whole(item, f"an item of {key}", self.loc(marked, index)))
            else:
                self.problem(marked, index, f"each item of {key} must be a mapping, not {_type_name(item)}")
        return out

    def scalar(self, node: object, key: str, default: Scalar = None) -> Scalar:
        """A scalar value (str/int/bool/Unknown/Partial); containers are Problems."""
        if not isinstance(node, dict) or key not in node:
            return default
        value = node[key]
        if isinstance(value, (dict, list)):
            self.problem(node, key, f"{key} must be a single value, not {_type_name(value)}")
            return Unknown(f"{key} has the wrong type", at=self.loc(node, key))
        if isinstance(value, Unknown) and value.at is None:  # replace: a subclass (UnknownAddress) stays one
            return dataclasses.replace(value, at=self.loc(node, key))
        return value  # type: ignore[no-any-return]

    def text(self, node: object, key: str, default: str | None = None) -> Text | None:
        """A string property: numbers and booleans read as the text CloudFormation and Terraform send."""
        value = self.scalar(node, key, default)
        if isinstance(value, bool):
            return str(value).lower()
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else str(value)
        return value

    def integer(self, node: object, key: str, default: int | None = None) -> int | Unknown | None:
        value = self.scalar(node, key, default)
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                self.problem(node, key, f"{key} must be a whole number, not '{value}'")
                return Unknown(f"{key} is not a number", at=self.loc(node, key))
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, (bool, float)):
            return Unknown(f"{key} is not a whole number", at=self.loc(node, key))
        if isinstance(value, Partial):
            return Unknown(value.reason, at=self.loc(node, key))
        return value

    def boolean(self, node: object, key: str, default: bool | None = None) -> bool | Unknown | None:
        value = self.scalar(node, key, default)
        if isinstance(value, str):
            if value.lower() in ("true", "false"):
                return value.lower() == "true"
            return Unknown(f"{key} is neither true nor false", at=self.loc(node, key))
        if isinstance(value, Partial):
            return Unknown(value.reason, at=self.loc(node, key))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return Unknown(f"{key} is neither true nor false", at=self.loc(node, key))
        return value

    def strings(self, node: object, key: str) -> list[Scalar] | Unknown:
        """A list of scalar values (strings, numbers, unknowns); Unknown when the whole list is."""
        values = self.listing(node, key)
        if values.more is not None and not values:
            return values.more
        marked = node.get(key) if values and isinstance(node, dict) else values  # the list with its marks
        out: list[Scalar] = []
        for index, item in enumerate(values):
            if isinstance(item, (dict, list)):
                self.problem(marked, index, f"each item of {key} must be a single value")
            else:
                out.append(item)
        return out

    def locs(self, node: object, keys: dict[str, str]) -> dict[str, Location]:
        """Locations of the model fields (keys of `keys`) written under the source keys (its values)."""
        if not isinstance(node, dict):
            return {}
        return {field: self.loc(node, key) for field, key in keys.items() if key in node}


def _whole(value: Unknown | Partial, what: str, at: Location) -> Unknown:
    reason = value.reason or f"{what} is only known at deployment"
    ref = value.ref if isinstance(value, Unknown) else None
    return Unknown(reason, ref, at=at)


def _type_name(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string"
