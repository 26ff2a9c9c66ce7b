"""Terraform distribution resources -> the model: how their blocks are read (the one builder, policykit/model/build.py,
with the spelling of policykit/terraform/spelling.py), and a multi-tenant one's variants."""

from __future__ import annotations

from policykit.core.location import Location
from policykit.core.nodes import MDict, MList
from policykit.core.values import MaybeMore, Partial, Unknown
from policykit.model.build import build_distribution, is_tenant_only
from policykit.model.cloudfront import Distribution
from policykit.model.index import TemplateIndex
from policykit.model.reader import Mapping, Reader, Scalar
from policykit.model.spelling import Spelling
from policykit.scenarios import tenant_scenarios
from policykit.terraform.module import UNKNOWN_BLOCKS
from policykit.terraform.spelling import MULTITENANT, SPELLING, WEBSOCKET_TAG


class Terraform:
    """Terraform blocks: nested blocks are lists of bodies (one body in JSON syntax); dynamic ones may be unknown.
    One per resource type's spelling."""

    def __init__(self, spelling: Spelling) -> None:
        self.spelling = spelling

    def blocks(self, read: Reader, node: object, key: str) -> MaybeMore[tuple[Location, Mapping]]:
        if not isinstance(node, dict):
            return MaybeMore()
        value = node.get(key)
        out: MaybeMore[tuple[Location, Mapping]] = MaybeMore(more=_dynamic_unknown(node, key))
        if value is None:
            return out
        if isinstance(value, (Unknown, Partial)):
            return out.maybe(Unknown(value.reason or f"{key} is only known at plan time", at=read.loc(node, key)))
        if isinstance(value, dict):
            out.append((read.loc(node, key), value))
            return out
        if not isinstance(value, list):
            read.problem(node, key, f"{key} must be a block, not a single value")
            return out.maybe(Unknown(f"{key} has the wrong type"))
        for index, item in enumerate(value):
            if isinstance(item, dict):
                out.append((read.loc(value, index), item))
            elif isinstance(item, (Unknown, Partial)):
                out.maybe(Unknown(item.reason or f"a {key} block is only known at plan time"))
            elif item is not None:
                read.problem(value, index, f"each {key} must be a block")
        return out

    def located(self, read: Reader, node: object, key: str) -> tuple[Location, Mapping] | None:
        found = self.blocks(read, node, key)
        return found[0] if found else None

    def block(self, read: Reader, node: object, key: str) -> Mapping | Unknown | None:
        found = self.blocks(read, node, key)
        if found:
            return found[0][1]
        return found.more


TERRAFORM = Terraform(SPELLING)
# The resource types read as distributions, and how each is spelt
FORMATS: dict[str, Terraform] = {
    "aws_cloudfront_distribution": TERRAFORM,
    "aws_cloudfront_multitenant_distribution": Terraform(MULTITENANT),
}


def _dynamic_unknown(node: Mapping, key: str) -> Unknown | None:
    marker = node.get(UNKNOWN_BLOCKS)
    found = marker.get(key) if isinstance(marker, dict) else None
    return found if isinstance(found, Unknown) else None


def without_nulls(node: object) -> object:
    """The body with every argument set to null left out: Terraform treats `x = null` as not written.

    Modules pass optional settings as `lookup(v, "origin_read_timeout", null)`; read as a value,
    null would be a setting "that is not a number" instead of CloudFront's default.
    """
    if isinstance(node, MDict):
        out = MDict(node.mark)
        for key, value in node.items():
            if value is not None:
                out.set(key, without_nulls(value), node.key_marks.get(key, node.mark), node.mark_of(key))
        return out
    if isinstance(node, MList):
        items = MList(node.mark)
        for index, item in enumerate(node):
            items.add(without_nulls(item), node.mark_of(index))
        return items
    return node


def distributions(read: Reader, body: Mapping, address: str, loc: Location, index: TemplateIndex,
                  resource_type: str = "aws_cloudfront_distribution") -> list[Distribution]:
    """The distribution a distribution resource's body (resolved, or a plan's values) declares; a multi-tenant one
    once per scenario of its tenant parameters, each with its choices (`tenant_choices`)."""
    fmt = FORMATS[resource_type]
    cleaned = without_nulls(body)
    config = cleaned if isinstance(cleaned, dict) else {}
    paths = _websocket_tag(config)
    if not is_tenant_only(fmt, read, config):
        return [build_distribution(fmt, read, config, index, resource=address, loc=loc, websocket_paths=paths)]
    from policykit.model.tenants import tenant_parameters  # multi-tenant distributions only

    parameters = [(p.name, p.default) for p in tenant_parameters(fmt, read, config)]
    out = []
    for choices, values in tenant_scenarios(parameters):
        variant = build_distribution(fmt, read, config, index, resource=address, loc=loc, websocket_paths=paths,
                                     tenant_values=values)
        variant.tenant_choices = choices
        out.append(variant)
    return out


def _websocket_tag(body: Mapping) -> list[Scalar]:
    """A tag `policykit:websocket = "/ws/*,/socket.io/*"` declares which behaviors serve WebSocket."""
    tags = body.get("tags")
    value = tags.get(WEBSOCKET_TAG) if isinstance(tags, dict) else None
    if isinstance(value, str):
        return [p.strip() for p in value.split(",") if p.strip()]
    return [value] if isinstance(value, (Unknown, Partial)) else []
