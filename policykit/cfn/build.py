"""CloudFormation template -> the model: resolve each distribution per scenario, then the one builder builds it."""

from __future__ import annotations

from collections.abc import Iterable

from policykit.cfn.conditions import Decided
from policykit.cfn.inputs import has_choices, related_inputs, resource_without_idle_ifs
from policykit.cfn.intrinsics import Resolver
from policykit.cfn.scenarios import resource_variants
from policykit.cfn.spelling import CFN, NOT_READ
from policykit.cfn.template import Template
from policykit.cfn.values import Resolved
from policykit.core.location import Location
from policykit.core.nodes import MDict
from policykit.findings import Finding, not_read_finding
from policykit.model.base import ModelObject
from policykit.model.build import build_distribution, is_tenant_only
from policykit.model.cloudfront import Distribution, Model, Problem
from policykit.model.function_code import cfn_lambda_code
from policykit.model.index import TemplateIndex
from policykit.model.reader import Mapping, Reader, Scalar
from policykit.model.related import LambdaFunction
from policykit.model.related_build import Declared, build_all
from policykit.scenarios import scenario_bound_note, tenant_scenarios

DISTRIBUTION_TYPE = "AWS::CloudFront::Distribution"


def template_to_model(template: Template, notes: list[Finding]) -> Model:
    """Build the model; a distribution appears once per different configuration its scenarios give. What
    the scan could not do in full (too many deploy-time choices) is added to `notes`."""
    model = Model(template.file)
    index = TemplateIndex(types={name: template.resource_type(name) for name in template.resources})
    # the resolver (and what it memoised of every related resource) is let go once they are built
    index.objects = related_objects(Resolver(template), model.problems)
    model.resources = index.objects
    decided = Decided(template, Resolver)
    # The resources around distributions are resolved in each scenario of their own inputs too.
    choices = has_choices(template)  # most templates have none: then no resource is walked for its inputs
    related = related_inputs(template, CFN.spelling.related, choices)
    indexes: dict[tuple[str, ...], TemplateIndex] = {}
    for logical_id, resource in template.resources.items():
        if index.types.get(logical_id) in NOT_READ:
            mark = template.resources.key_marks.get(logical_id, template.resources.mark_of(logical_id))
            notes.append(not_read_finding(logical_id, index.types[logical_id], NOT_READ[index.types[logical_id]],
                                          template.location(mark)))
        if index.types.get(logical_id) != DISTRIBUTION_TYPE or not isinstance(resource, MDict):
            continue
        resource = resource_without_idle_ifs(resource)
        variants = resource_variants(template, resource, decided, related, choices)
        where = Reader(template.file, logical_id, [], logical_id).loc(template.resources, logical_id)
        if variants.never:
            model.never_deployed.append((logical_id, variants.never))
            continue
        if variants.bounded:
            notes.append(scenario_bound_note(template.file, logical_id, where, variants.enumeration))
        # One distribution per different configuration, standing for all the scenarios that give it:
        # the cost is the number of configurations, not of combinations.
        built: dict[tuple[str, tuple[str, ...]], list[Distribution]] = {}
        for scenarios, resolver in variants.exists:
            props = resolver.resolve(resource.get("Properties") or MDict())
            around = tuple(repr(resolver.choices.get(item.name)) for item in related)
            if around and around not in indexes:
                scoped = TemplateIndex(types=index.types, published=index.published)
                problems: list[Problem] = []
                scoped.objects = related_objects(resolver, problems)
                _add_problems(model, problems)
                indexes[around] = scoped
            key = (repr(props), around)
            if key not in built:
                built[key] = _add(model, template, indexes.get(around, index), props, logical_id, resource,
                                  scenarios[0].label)
                for each in built[key]:
                    each.scenarios = ()
            for each in built[key]:  # a multi-tenant distribution's tenant parameters are choices too
                each.scenarios += tuple(s.choices + each.tenant_choices for s in scenarios)
    return model


def related_objects(resolver: Resolver, problems: list[Problem]) -> dict[str, ModelObject]:
    """Model objects for the related resources of a template, by logical id, linked together."""
    template = resolver.template
    declared: list[Declared] = []
    for logical_id, resource in template.resources.items():
        rtype = template.resource_type(logical_id)
        if rtype not in CFN.spelling.related or not isinstance(resource, dict):
            continue
        read = Reader(template.file, logical_id, problems)
        props = resolver.resolve(resource.get("Properties") or MDict())
        if isinstance(props, dict):
            declared.append(Declared(logical_id, rtype, props, read, read.loc(template.resources, logical_id)))
    objects: dict[str, ModelObject] = {}
    for obj in build_all(CFN, declared, objects):
        resource = template.resources.get(obj.resource)
        if isinstance(obj, LambdaFunction) and isinstance(resource, dict) and resource.get("Metadata"):
            # CDK: the function's code is the asset beside the template in cdk.out
            body = next(d.body for d in declared if d.address == obj.resource)
            obj.code = cfn_lambda_code(body, resource.get("Metadata"), template.file)
    return objects


def _add(model: Model, template: Template, index: TemplateIndex, props: Resolved, logical_id: str,
         resource: MDict, scenario: str) -> list[Distribution]:
    problems: list[Problem] = []
    read = Reader(template.file, logical_id, problems, logical_id)
    config = read.mapping(props, "DistributionConfig") if isinstance(props, dict) else None
    if config is None:
        distributions = [Distribution(resource=logical_id, loc=read.loc(template.resources, logical_id),
                                      scenario=scenario, websocket_paths=_websocket_metadata(resource))]
    else:
        distributions = distribution_variants(read, config, index, resource=logical_id, loc=read.loc(config),
                                              scenario=scenario, websocket_paths=_websocket_metadata(resource))
    model.distributions.extend(distributions)
    _add_problems(model, problems)
    return distributions


def distribution_variants(read: Reader, config: Mapping, index: TemplateIndex, *, resource: str, loc: Location,
                          scenario: str = "", websocket_paths: Iterable[Scalar] = ()) -> list[Distribution]:
    """The distribution a DistributionConfig declares; a multi-tenant one once per scenario of its tenant
    parameters (their DefaultValues, or a tenant's own values), each with its choices."""
    paths = list(websocket_paths)
    if not is_tenant_only(CFN, read, config):
        return [build_distribution(CFN, read, config, index, resource=resource, loc=loc, scenario=scenario,
                                   websocket_paths=paths)]
    from policykit.model.tenants import tenant_parameters  # multi-tenant distributions only

    parameters = [(p.name, p.default) for p in tenant_parameters(CFN, read, config)]
    out = []
    for choices, values in tenant_scenarios(parameters):
        distribution = build_distribution(CFN, read, config, index, resource=resource, loc=loc, scenario=scenario,
                                          websocket_paths=paths, tenant_values=values)
        distribution.tenant_choices = choices
        out.append(distribution)
    return out


def _add_problems(model: Model, problems: list[Problem]) -> None:
    known = {(p.message, p.location) for p in model.problems}  # the same in most scenarios: each once
    model.problems.extend(p for p in problems if (p.message, p.location) not in known)


def distribution_from_config(config: MDict, file: str, name: str) -> list[Distribution]:
    """A distribution from a DistributionConfig in CloudFormation's shape, with nothing else declared around it
    (the adapted output of `aws cloudfront get-distribution-config`); a multi-tenant one per tenant scenario."""
    read = Reader(file, name, [], name)
    variants = distribution_variants(read, config, TemplateIndex(), resource=name, loc=read.loc(config))
    for variant in variants:
        variant.scenarios = (variant.tenant_choices,)
    return variants


def _websocket_metadata(resource: MDict) -> list[Scalar]:
    """`Metadata: {policykit: {websocket: [path patterns]}}` declares which behaviors serve WebSocket."""
    metadata = resource.get("Metadata")
    own = metadata.get("policykit") if isinstance(metadata, dict) else None
    paths = own.get("websocket") if isinstance(own, dict) else None
    if isinstance(paths, str):
        return [paths]
    return [p for p in paths if isinstance(p, str)] if isinstance(paths, list) else []
