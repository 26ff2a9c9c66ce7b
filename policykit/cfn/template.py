"""A parsed CloudFormation template: its sections, indexed once."""

from __future__ import annotations

from dataclasses import field

from policykit.core.location import Location
from policykit.core.nodes import Mark, MDict
from policykit.core.record import record


@record(frozen=False)
class Template:
    """A CloudFormation template as read, with the positions of its nodes."""

    file: str
    root: MDict
    params: dict[str, str] = field(default_factory=dict)  # from --param K=V

    @property
    def parameters(self) -> MDict:
        return _section(self.root, "Parameters")

    @property
    def mappings(self) -> MDict:
        return _section(self.root, "Mappings")

    @property
    def conditions(self) -> MDict:
        return _section(self.root, "Conditions")

    @property
    def resources(self) -> MDict:
        return _section(self.root, "Resources")

    def resource_type(self, logical_id: str) -> str:
        resource = self.resources.get(logical_id)
        if isinstance(resource, dict) and isinstance(resource.get("Type"), str):
            return str(resource["Type"])
        return ""

    def location(self, mark: Mark) -> Location:
        return Location(self.file, mark.line, mark.column)


def _section(root: MDict, name: str) -> MDict:
    """A section of the template; an empty one when it is absent (or not a mapping: load.check_shape says so)."""
    value = root.get(name)
    return value if isinstance(value, MDict) else MDict()
