"""The value of a provider-computed attribute, from a table of the shapes such values take.

Each format has its own table (policykit/cfn/shapes.py, policykit/terraform/shapes.py): it maps
(resource type, attribute) to known text with unknown pieces. The unknown pieces carry the
reference, which is how the model links an origin to the load balancer, bucket or function behind it.
"""

from __future__ import annotations

from collections.abc import Mapping

from policykit.core.values import Partial, ResourceAttr, Unknown, make_string

RESOURCE = None  # the unknown piece that names the resource
REGION = "region"  # the unknown piece that is the resource's Region
# An S3 website endpoint's Region with the separator before it: `-us-east-1` in the older Regions, `.eu-central-1`
# in the newer ones (the S3 website endpoints table); shown as `(-|.)${region}` so no separator is implied
SEPARATED_REGION = "separated-region"

Shape = tuple[str | None, ...]


def attribute_value(shapes: Mapping[tuple[str, str], Shape], resource_type: str, ref: ResourceAttr,
                    when: str) -> Unknown | Partial:
    """The value of `ref` as far as it is known before `when` ("deployment", "apply")."""
    unknown = Unknown(f"{ref} is only known after {when}", ref)
    shape = shapes.get((resource_type, ref.attribute))
    if shape is None:
        return unknown
    name_piece = Unknown(unknown.reason, ref, name=ref.resource)
    parts: list[str | Unknown] = []
    for piece in shape:
        if piece is RESOURCE:
            parts.append(name_piece)
        elif piece is REGION:
            parts.append(Unknown(f"the Region is only known at {when}", ref, name="region"))
        elif piece is SEPARATED_REGION:
            parts.append(Unknown(f"the Region is only known at {when}", ref, name="region", shown="(-|.)${region}"))
        else:
            parts.append(str(piece))
    value = make_string(parts)
    return value if isinstance(value, Partial) else unknown
