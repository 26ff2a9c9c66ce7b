"""Multi-tenant distributions (ConnectionMode tenant-only): their tenant parameters, and the tenants declared beside
them.

A `{{name}}` in an origin's domain or path is a parameter each tenant fills in (TenantConfig.ParameterDefinitions):
unknown, except that its DefaultValue is what a tenant that does not set it gets, the default deploy-time scenario
(the stage enumerates the scenarios: policykit/scenarios.py `tenant_inputs`). A tenant's domains are the names the
distribution serves for it (it has no Aliases of its own): they are read as its aliases, each checked against the
tenant's certificate, or the distribution's when the tenant has none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from policykit.core.record import record
from policykit.core.values import Partial, Text, Unknown, make_string
from policykit.model.cloudfront import Alias, Distribution
from policykit.model.index import TemplateIndex
from policykit.model.reader import Reader
from policykit.model.refs import ref_target
from policykit.model.related import DistributionTenant
from policykit.model.spelling import Format

_PARAMETER = re.compile(r"\{\{([A-Za-z0-9_-]+)\}\}")

# The value of each parameter in one scenario: its text, or None where each tenant sets its own (unknown)
TenantValues = Mapping[str, str | None]


@record
class TenantParameter:
    """A parameter of a multi-tenant distribution: its name and DefaultValue (None when it has none)."""

    name: str
    default: str | None = None


def tenant_parameters(fmt: Format, read: Reader, config: Mapping[str, object]) -> list[TenantParameter]:
    """The parameters TenantConfig defines that origins of the distribution use (`{{name}}`), in order."""
    used = set(_used_names(config))
    k = fmt.spelling.tenant_parameter
    found: list[TenantParameter] = []
    for _, item in _path_items(fmt, read, config, k["definitions"]):
        name = read.text(item, k["name"])
        if not isinstance(name, str) or name not in used or any(p.name == name for p in found):
            continue
        default = _at_path(fmt, read, item, k["default"])
        found.append(TenantParameter(name, default if isinstance(default, str) and default else None))
    return found


def with_tenant_values(value: Text | None, values: TenantValues | None) -> Text | None:
    """`value` with each `{{name}}` replaced by the parameter's value in this scenario, or by an unknown piece."""
    if values is None or value is None or isinstance(value, Unknown):
        return value
    pieces = value.parts if isinstance(value, Partial) else (value,)
    parts: list[str | Unknown] = []
    for piece in pieces:
        if not isinstance(piece, str):
            parts.append(piece)
            continue
        position = 0
        for match in _PARAMETER.finditer(piece):
            parts.append(piece[position:match.start()])
            name = match.group(1)
            known = values.get(name)
            parts.append(known if known is not None else Unknown(
                f"{{{{{name}}}}} is a tenant parameter: each tenant of the multi-tenant distribution sets its own",
                name=f"tenant.{name}"))
            position = match.end()
        parts.append(piece[position:])
    return make_string(parts)


def tenant_domains(dist: Distribution, index: TemplateIndex) -> None:
    """A multi-tenant distribution serves its tenants' domains: those declared here are its aliases, and tenants
    declared elsewhere may add more."""
    for tenant in tenants_of(dist.resource, index):
        dist.aliases.extend(Alias(name=name, distribution=dist, tenant=tenant, resource=tenant.resource, loc=at)
                            for at, name in tenant.domains)
        dist.aliases.maybe(tenant.domains.more)
    dist.aliases.maybe(Unknown("a multi-tenant distribution serves the domains of its tenants, and tenants may be "
                               "declared elsewhere"))


def tenants_of(resource: str, index: TemplateIndex) -> list[DistributionTenant]:
    """The distribution tenants declared here whose DistributionId names `resource`."""
    found: list[DistributionTenant] = []
    for obj in index.objects.values():
        if isinstance(obj, DistributionTenant):
            ref = ref_target(obj.distribution_id)
            if ref is not None and ref.resource == resource:
                found.append(obj)
    return found


def _used_names(node: object) -> list[str]:
    """The `{{name}}` parameters written in any string of the configuration (a walk of every value once)."""
    names: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "{{" in item:
                names.extend(_PARAMETER.findall(item))
        elif isinstance(item, Partial):
            stack.extend(p for p in item.parts if isinstance(p, str))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return names


def _path_items(fmt: Format, read: Reader, node: object, path: str) -> list[tuple[object, Mapping[str, object]]]:
    *heads, last = path.split(".")
    for head in heads:
        inner = fmt.block(read, node, head)
        if not isinstance(inner, dict):
            return []
        node = inner
    return list(fmt.blocks(read, node, last))


def _at_path(fmt: Format, read: Reader, node: object, path: str) -> object:
    *heads, last = path.split(".")
    for head in heads:
        inner = fmt.block(read, node, head)
        if not isinstance(inner, dict):
            return None
        node = inner
    return read.text(node, last)
