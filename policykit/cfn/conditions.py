"""Which conditions a resource depends on that cannot be decided from the template."""

from __future__ import annotations

from typing import Any

from policykit.cfn.intrinsics import Resolver


def undecided_conditions(resolver: Resolver, resource: dict[str, Any]) -> list[str]:
    """Names of conditions used by `resource` (Fn::If, Condition) whose value is not known, in order."""
    names: list[str] = []
    stack: list[Any] = [resource]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "Fn::If" and isinstance(value, list) and value and isinstance(value[0], str):
                    _add(names, resolver, value[0])
                elif key == "Condition" and isinstance(value, str):
                    _add(names, resolver, value)
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(names)


def _add(names: list[str], resolver: Resolver, name: str) -> None:
    if name not in names and resolver.condition(name) is None and name in resolver.template.conditions:
        names.append(name)
