"""CloudFormation template -> the model: resolve each distribution per scenario, then the one builder builds it."""

from __future__ import annotations

from typing import Any

from policykit.cfn.intrinsics import Resolver
from policykit.cfn.related import build_related
from policykit.cfn.scenarios import scenarios
from policykit.cfn.spelling import CFN
from policykit.cfn.template import Template
from policykit.model.build import build_distribution
from policykit.model.cloudfront import Distribution, Model, Problem
from policykit.model.index import TemplateIndex
from policykit.model.reader import Reader, Scalar

DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"


def template_to_model(template: Template) -> Model:
    """Build the model; a distribution whose values depend on undecided conditions appears once per scenario."""
    model = Model(template.file)
    base = Resolver(template)
    index = TemplateIndex(types={name: template.resource_type(name) for name in template.resources})
    index.objects = build_related(base, model.problems)
    model.resources = index.objects
    for logical_id, resource in template.resources.items():
        if index.types.get(logical_id) != DISTRIBUTION_TYPE or not isinstance(resource, dict):
            continue
        for scenario in scenarios(base, resource):
            _add(model, template, index, scenario.resolver, logical_id, resource, scenario.label)
    return model


def _add(model: Model, template: Template, index: TemplateIndex, resolver: Resolver, logical_id: str,
         resource: dict[str, Any], scenario: str) -> None:
    if "Condition" in resource and resolver.condition(resource["Condition"]) is False:
        return  # the distribution does not exist in this scenario
    problems: list[Problem] = [] if scenario else model.problems
    read = Reader(template.file, logical_id, problems, logical_id)
    props = resolver.resolve(resource.get("Properties") or {})
    config = read.mapping(props, "DistributionConfig") if isinstance(props, dict) else None
    if config is None:
        distribution = Distribution(resource=logical_id, loc=read.loc(template.resources, logical_id),
                                    scenario=scenario, websocket_paths=_websocket_metadata(resource))
    else:
        distribution = build_distribution(CFN, read, config, index, resource=logical_id, loc=read.loc(config),
                                          scenario=scenario, websocket_paths=_websocket_metadata(resource))
    model.distributions.append(distribution)
    if scenario:  # problems are the same in every scenario: keep the first scenario's
        known = {(p.message, p.location) for p in model.problems}
        model.problems.extend(p for p in problems if (p.message, p.location) not in known)


def distribution_from_config(config: dict[str, Any], file: str, name: str) -> Distribution:
    """A distribution from a DistributionConfig in CloudFormation's shape, with nothing else declared around it
    (the adapted output of `aws cloudfront get-distribution-config`)."""
    read = Reader(file, name, [], name)
    return build_distribution(CFN, read, config, TemplateIndex(), resource=name, loc=read.loc(config))


def _websocket_metadata(resource: dict[str, Any]) -> list[Scalar]:
    """`Metadata: {policykit: {websocket: [path patterns]}}` declares which behaviors serve WebSocket."""
    metadata = resource.get("Metadata")
    own = metadata.get("policykit") if isinstance(metadata, dict) else None
    paths = own.get("websocket") if isinstance(own, dict) else None
    if isinstance(paths, str):
        return [paths]
    return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []
