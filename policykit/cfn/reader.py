"""Read resolved properties with their locations, reporting wrong types instead of crashing."""

from __future__ import annotations

from typing import Any

from policykit.location import Location
from policykit.model.cloudfront import Problem
from policykit.model.values import Partial, Unknown
from policykit.source.nodes import child_mark, mark_of


class Reader:
    """Typed access to one resource's resolved properties; wrong types become `Problem`s."""

    def __init__(self, file: str, resource: str, problems: list[Problem], distribution: str = "") -> None:
        self.file = file
        self.resource = resource
        self.problems = problems
        self.distribution = distribution

    def loc(self, node: Any, key: str | int | None = None) -> Location:
        mark = child_mark(node, key) if key is not None else mark_of(node)
        return Location(self.file, mark.line, mark.column)

    def problem(self, node: Any, key: str | int, message: str) -> None:
        self.problems.append(Problem(message, self.loc(node, key), self.resource, self.distribution))

    def mapping(self, node: Any, key: str) -> dict[str, Any] | None:
        """A sub-mapping; None when absent or unknown; a Problem when of the wrong type."""
        value = node.get(key) if isinstance(node, dict) else None
        if value is None or isinstance(value, (Unknown, Partial)):
            return None
        if not isinstance(value, dict):
            self.problem(node, key, f"{key} must be a mapping, not {_type_name(value)}")
            return None
        return value

    def listing(self, node: Any, key: str) -> list[Any] | Unknown:
        """A list (empty when absent), or Unknown when only known at deployment."""
        value = node.get(key) if isinstance(node, dict) else None
        if value is None:
            return []
        if isinstance(value, Unknown):
            return value
        if isinstance(value, Partial):
            return Unknown(value.reason)
        if not isinstance(value, list):
            self.problem(node, key, f"{key} must be a list, not {_type_name(value)}")
            return []
        return value

    def items(self, node: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
        """The mapping items of a list property, with their index; other items are Problems."""
        values = self.listing(node, key)
        if isinstance(values, Unknown):
            return []
        out = []
        for index, item in enumerate(values):
            if isinstance(item, dict):
                out.append((index, item))
            elif not isinstance(item, (Unknown, Partial)):
                self.problem(values, index, f"each item of {key} must be a mapping, not {_type_name(item)}")
        return out

    def scalar(self, node: Any, key: str, default: Any = None) -> Any:
        """A scalar value (str/int/bool/Unknown/Partial); containers are Problems."""
        if not isinstance(node, dict) or key not in node:
            return default
        value = node[key]
        if isinstance(value, (dict, list)):
            self.problem(node, key, f"{key} must be a single value, not {_type_name(value)}")
            return Unknown(f"{key} has the wrong type")
        return value

    def integer(self, node: Any, key: str, default: Any = None) -> Any:
        value = self.scalar(node, key, default)
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                self.problem(node, key, f"{key} must be a whole number, not '{value}'")
                return Unknown(f"{key} is not a number")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def boolean(self, node: Any, key: str, default: Any = None) -> Any:
        value = self.scalar(node, key, default)
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return value

    def strings(self, node: Any, key: str) -> list[Any] | Unknown:
        """A list of scalar values (strings, numbers, unknowns)."""
        values = self.listing(node, key)
        if isinstance(values, Unknown):
            return values
        out = []
        for index, item in enumerate(values):
            if isinstance(item, (dict, list)):
                self.problem(values, index, f"each item of {key} must be a single value")
            else:
                out.append(item)
        return out

    def locs(self, node: Any, keys: dict[str, str]) -> dict[str, Location]:
        """Locations of the model fields (values) written under the template keys (keys)."""
        if not isinstance(node, dict):
            return {}
        return {field: self.loc(node, key) for field, key in keys.items() if key in node}


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string"
