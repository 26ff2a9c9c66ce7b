"""What the model builder looks up by name, built once per template or module."""

from __future__ import annotations

from dataclasses import field

from policykit.core.record import record
from policykit.core.values import Unknown
from policykit.model.base import ModelObject


@record(frozen=False)
class TemplateIndex:
    """Resource types, the related model objects and Lambda `publish` flags, by logical id or address."""

    types: dict[str, str] = field(default_factory=dict)
    objects: dict[str, ModelObject] = field(default_factory=dict)
    # Terraform `aws_lambda_function.publish`: True makes `version`/`qualified_arn` a numbered version
    published: dict[str, bool | Unknown] = field(default_factory=dict)

    def object(self, name: str | None) -> ModelObject | None:
        return self.objects.get(name) if name else None
