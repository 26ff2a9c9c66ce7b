"""What the Serverless tests share: a service read as the template it deploys, and its model."""

from __future__ import annotations

from pathlib import Path

from policykit.cfn.load import model_of_template
from policykit.core.nodes import MDict
from policykit.model.cloudfront import Distribution, Model
from policykit.serverless.service import ServiceTemplate, read_service


def template_of(path: Path) -> ServiceTemplate:
    service = read_service(path, path.read_text(encoding="utf-8"))
    assert service is not None, f"{path} is not read as a service"
    return service


def resources_of(path: Path) -> MDict:
    resources = template_of(path).root["Resources"]
    assert isinstance(resources, MDict)
    return resources


def model_of(path: Path, params: dict[str, str] | None = None) -> Model:
    service = template_of(path)
    model, _ = model_of_template(service.root, path.read_text(encoding="utf-8"), str(path), params or {}, [])
    return model


def distribution_of(path: Path, name: str = "CloudFrontDistribution") -> Distribution:
    found = [d for d in model_of(path).distributions if d.resource == name]
    assert len(found) == 1, [d.resource for d in model_of(path).distributions]
    return found[0]
