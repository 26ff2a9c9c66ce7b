"""A deployed distribution: the JSON `aws cloudfront get-distribution-config` / `get-distribution` print.

The API shape differs from CloudFormation's in spelling only: lists are `{"Quantity": n, "Items": [...]}`,
`AllowedMethods` carries `CachedMethods` inside, a few keys are spelled in capitals (`ACMCertificateArn`).
The document is rewritten into the CloudFormation property shape as marked nodes, keeping every
position, and built by the one CloudFormation path (cfn.build.distribution_from_config): every
static policy and `--live` work on it, and findings point at the lines of the JSON file.
"""

from __future__ import annotations

from pathlib import Path

from policykit.core.location import Location
from policykit.core.nodes import NO_MARK, Mark, MDict, MList, Node
from policykit.findings import Finding, not_read_finding
from policykit.model.cloudfront import Distribution, Model
from policykit.model.related import RequestPolicy

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
# Ids the API may print as "" when none is set: no policy, no certificate of that kind
EMPTY_IS_NONE = frozenset({"CachePolicyId", "OriginRequestPolicyId", "ResponseHeadersPolicyId", "ACMCertificateArn",
                           "IAMCertificateId"})


def deployed_config(root: Node) -> tuple[MDict, str] | None:
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


def deployed_distributions(root: Node, file: str, name: str) -> list[Distribution] | None:
    """The distribution a get-distribution(-config) document declares, named `name` (a multi-tenant one: one per
    tenant scenario), with nothing linked to it (a read from AWS, policykit/aws, links what stands behind it); None
    when `root` is not one."""
    from policykit.cfn.build import distribution_from_config

    found = deployed_config(root)
    return None if found is None else distribution_from_config(to_cloudformation(found[0]), file, name)


def deployed_model(root: Node, file: str, stem: str) -> Model | None:
    """The model of a deployed distribution, or None when `root` is not one."""
    found = deployed_config(root)
    if found is None:
        return None
    # get-distribution-config does not print the Id: the file's name stands for it
    distributions = deployed_distributions(root, file, found[1] or stem)
    if distributions is None:
        return None
    policies = policies_beside(Path(file))
    for behavior in (b for distribution in distributions for b in distribution.behaviors):
        # a custom policy is named by its id; `aws cloudfront get-cache-policy` output beside the file holds it
        if isinstance(behavior.cache_policy_id, str) and behavior.cache_policy is None:
            behavior.cache_policy = policies.get(("cache", behavior.cache_policy_id))
        if isinstance(behavior.origin_request_policy_id, str) and behavior.origin_request_policy is None:
            behavior.origin_request_policy = policies.get(("origin_request", behavior.origin_request_policy_id))
    return Model(file, distributions=distributions)


# What other `aws cloudfront get-*` commands print that policykit does not read (PK010 says so): top key -> what it is
NOT_READ_DOCUMENTS = {
    "StreamingDistribution": "an RTMP streaming distribution (CloudFront no longer serves RTMP)",
    "StreamingDistributionConfig": "an RTMP streaming distribution's configuration (CloudFront no longer serves RTMP)",
    "DistributionTenant": "a distribution tenant, whose domains are checked with the template or module that "
                          "declares its multi-tenant distribution",
}


def not_read_document(root: Node, file: str, stem: str) -> Finding | None:
    """PK010 when `root` is the output of a CloudFront command policykit does not read; None otherwise."""
    if not isinstance(root, MDict):
        return None
    for key, what in NOT_READ_DOCUMENTS.items():
        document = root.get(key)
        if isinstance(document, MDict):
            ident = document.get("Id")
            name = ident if isinstance(ident, str) and ident else stem
            mark = root.key_marks.get(key, root.mark_of(key))
            return not_read_finding(name, f"aws cloudfront get-{_command(key)} output", what,
                                    Location(file, mark.line, mark.column))
    return None


def _command(key: str) -> str:
    words = "".join(f"-{c.lower()}" if c.isupper() else c for c in key).strip("-")
    return words.removesuffix("-config") + ("-config" if key.endswith("Config") else "")


# What `aws cloudfront get-cache-policy` / `get-origin-request-policy` print: (top key, config key, kind, type)
_POLICY_DOCUMENTS = (("CachePolicy", "CachePolicyConfig", "cache", "AWS::CloudFront::CachePolicy"),
                     ("OriginRequestPolicy", "OriginRequestPolicyConfig", "origin_request",
                      "AWS::CloudFront::OriginRequestPolicy"))
MAX_SIBLINGS = 256  # JSON files looked at beside a deployed distribution
MAX_SIBLING_BYTES = 1024 * 1024


def policies_beside(path: Path) -> dict[tuple[str, str], RequestPolicy]:
    """Custom cache and origin request policies by (kind, id), from the JSON files beside `path`."""
    from policykit.cfn.spelling import CFN
    from policykit.model.reader import Reader
    from policykit.model.related_build import build_related

    found: dict[tuple[str, str], RequestPolicy] = {}
    try:
        siblings = sorted(p for p in path.parent.iterdir() if p.suffix.lower() == ".json" and p != path)
    except OSError:
        return found
    for sibling in siblings[:MAX_SIBLINGS]:
        root = _small_json(sibling)
        for top, key, kind, resource_type in _POLICY_DOCUMENTS:
            document = root.get(top) if isinstance(root, dict) else None
            if not isinstance(document, MDict) or not isinstance(document.get("Id"), str):
                continue
            body = to_cloudformation(MDict(document.mark) if key not in document else _only(document, key))
            read = Reader(str(sibling), document["Id"], [])
            policy = build_related(CFN, CFN.spelling.related[resource_type], read, body)
            if isinstance(policy, RequestPolicy):
                policy.resource, policy.loc = document["Id"], read.loc(document)
                found[(kind, document["Id"])] = policy
    return found


def _only(node: MDict, key: str) -> MDict:
    out = MDict(node.mark)
    out.set(key, node[key], node.key_marks.get(key, NO_MARK), node.mark_of(key))
    return out


def _small_json(path: Path) -> Node:
    """A sibling's marked JSON, or None when it is large, unreadable or not JSON (it is not ours to judge)."""
    from policykit.core.errors import InputError
    from policykit.source.json_loader import load_json

    try:
        if path.stat().st_size > MAX_SIBLING_BYTES:
            return None
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    if '"CachePolicy"' not in text and '"OriginRequestPolicy"' not in text:
        return None
    try:
        return load_json(text, str(path))
    except InputError:
        return None


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


def to_cloudformation(node: MDict, keep: bool = False) -> MDict:
    """A mapping (a DistributionConfig, a policy's config) in CloudFormation's property shape, with the same
    marks. With `keep`, `{Quantity, Items}` stays as written inside it."""
    out = MDict(node.mark)
    for key, value in node.items():
        key_mark, value_mark = node.key_marks.get(key, NO_MARK), node.mark_of(key)
        if key in EMPTY_IS_NONE and value == "":
            continue
        if key == "AllowedMethods" and isinstance(value, MDict) and "Quantity" in value:
            _allowed_methods(out, value, key_mark, value_mark)
            continue
        if key == "GeoRestriction" and isinstance(value, MDict) and "Quantity" in value:
            value = _geo_restriction(value)
        out.set(RENAMES.get(key, key), _converted(value, keep or key in KEEP_QUANTITY_ITEMS), key_mark, value_mark)
    return out


def _converted(node: Node, keep: bool) -> Node:
    """Any node in CloudFormation's shape: `{Quantity, Items}` is the list of its items (unless `keep`)."""
    if isinstance(node, MList):
        out_list = MList(node.mark)
        for index, item in enumerate(node):
            out_list.add(_converted(item, keep), node.mark_of(index))
        return out_list
    if not isinstance(node, MDict):
        return node
    if _is_quantity_items(node) and not keep:
        return _converted(_items(node), False)
    return to_cloudformation(node, keep)


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
