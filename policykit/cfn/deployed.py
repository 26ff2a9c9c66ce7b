"""A deployed distribution: the JSON `aws cloudfront get-distribution-config` / `get-distribution` print.

The API shape differs from CloudFormation's in spelling only: lists are `{"Quantity": n, "Items": [...]}`,
`AllowedMethods` carries `CachedMethods` inside, a few keys are spelled in capitals (`ACMCertificateArn`).
The document is rewritten into the CloudFormation property shape as marked nodes, keeping every
position, and built by the one CloudFormation path (cfn.build.distribution_from_config): every
static policy and `--live` work on it, and findings point at the lines of the JSON file.
"""

from __future__ import annotations

from typing import Any

from policykit.model.cloudfront import Model
from policykit.source.nodes import NO_MARK, Mark, MDict, MList

# API key -> CloudFormation key (the same property, spelled differently)
RENAMES = {
    "CustomHeaders": "OriginCustomHeaders",
    "OriginSslProtocols": "OriginSSLProtocols",
    "ACMCertificateArn": "AcmCertificateArn",
    "IAMCertificateId": "IamCertificateId",
    "SSLSupportMethod": "SslSupportMethod",
    "IsIPV6Enabled": "IPV6Enabled",
}
# CloudFormation keeps the API's Quantity/Items shape under these keys (origin groups).
KEEP_QUANTITY_ITEMS = frozenset({"OriginGroups"})


def deployed_config(root: Any) -> tuple[MDict, str] | None:
    """(the DistributionConfig node, the distribution's name) when `root` is the output of
    get-distribution-config (`{"ETag", "DistributionConfig"}`) or get-distribution (`{"Distribution"}`)."""
    if not isinstance(root, dict):
        return None
    distribution = root.get("Distribution")
    if isinstance(distribution, dict) and isinstance(distribution.get("DistributionConfig"), MDict):
        ident = distribution.get("Id")
        return distribution["DistributionConfig"], str(ident) if isinstance(ident, str) and ident else ""
    config = root.get("DistributionConfig")
    if isinstance(config, MDict) and ("ETag" in root or "Origins" in config):
        return config, ""
    return None


def deployed_model(root: Any, file: str, stem: str) -> Model | None:
    """The model of a deployed distribution, or None when `root` is not one."""
    from policykit.cfn.build import distribution_from_config

    found = deployed_config(root)
    if found is None:
        return None
    config, ident = found
    name = ident or stem  # get-distribution-config does not print the Id: the file's name stands for it
    distribution = distribution_from_config(to_cloudformation(config), file, name)
    return Model(file, distributions=[distribution])


def _is_quantity_items(node: MDict) -> bool:
    return "Quantity" in node and set(node) <= {"Quantity", "Items"}


def _items(node: MDict) -> MList:
    items = node.get("Items")
    out = MList(node.mark)
    if isinstance(items, MList):
        out.mark = items.mark
        for index, item in enumerate(items):
            out.add(item, items.mark_of(index))
    return out


def to_cloudformation(node: Any, keep: bool = False) -> Any:
    """`node` in CloudFormation's property shape, with the same marks."""
    if isinstance(node, MList):
        out_list = MList(node.mark)
        for index, item in enumerate(node):
            out_list.add(to_cloudformation(item, keep), node.mark_of(index))
        return out_list
    if not isinstance(node, MDict):
        return node
    if _is_quantity_items(node) and not keep:
        return to_cloudformation(_items(node))
    out = MDict(node.mark)
    for key, value in node.items():
        key_mark, value_mark = node.key_marks.get(key, NO_MARK), node.mark_of(key)
        if key == "AllowedMethods" and isinstance(value, MDict) and "Quantity" in value:
            _allowed_methods(out, value, key_mark, value_mark)
            continue
        if key == "GeoRestriction" and isinstance(value, MDict) and "Quantity" in value:
            value = _geo_restriction(value)
        out.set(RENAMES.get(key, key), to_cloudformation(value, keep or key in KEEP_QUANTITY_ITEMS), key_mark,
                value_mark)
    return out


def _allowed_methods(out: MDict, value: MDict, key_mark: Mark, value_mark: Mark) -> None:
    """`AllowedMethods: {Quantity, Items, CachedMethods: {Quantity, Items}}` -> two lists."""
    out.set("AllowedMethods", _items(value), key_mark, value_mark)
    cached = value.get("CachedMethods")
    if isinstance(cached, MDict):
        out.set("CachedMethods", _items(cached), value.key_marks.get("CachedMethods", NO_MARK),
                value.mark_of("CachedMethods"))


def _geo_restriction(value: MDict) -> MDict:
    """`{RestrictionType, Quantity, Items}` -> `{RestrictionType, Locations}`."""
    out = MDict(value.mark)
    for key in value:
        if key == "RestrictionType":
            out.set(key, value[key], value.key_marks.get(key, NO_MARK), value.mark_of(key))
    out.set("Locations", _items(value), value.key_marks.get("Items", NO_MARK), value.mark_of("Items"))
    return out
