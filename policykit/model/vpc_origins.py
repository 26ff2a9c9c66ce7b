"""An origin reached through a CloudFront VPC origin: CloudFront connects with the VPC origin's protocol and ports
to its endpoint (a load balancer or an instance in a VPC), so those are the origin's connection as the facts read
it; the origin's own VpcOriginConfig gives the timeouts."""

from __future__ import annotations

from policykit.core.values import Partial, Unknown
from policykit.model.cloudfront import Origin
from policykit.model.index import TemplateIndex
from policykit.model.reader import Mapping, Reader
from policykit.model.refs import ref_target
from policykit.model.related import VpcOrigin
from policykit.model.spelling import Format

# The connection CloudFront uses, as the VPC origin says it (the same field names on both objects)
CONNECTION = ("protocol_policy", "http_port", "https_port", "ssl_protocols")


def vpc_origin(fmt: Format, read: Reader, node: Mapping, origin: Origin, index: TemplateIndex) -> None:
    """Read the origin's VpcOriginConfig into `origin`, and what the VPC origin it names says of the connection."""
    key = fmt.spelling.origin["vpc"]
    origin.config_type = "vpc"
    origin.locs["config_type"] = read.loc(node, key)
    block = fmt.block(read, node, key)
    if not isinstance(block, dict):
        _not_known(origin, block if isinstance(block, Unknown) else Unknown("the VpcOriginConfig is not known"))
        return
    k = fmt.spelling.vpc_origin_config
    origin.vpc_origin_id = read.text(block, k["vpc_origin_id"])
    origin.read_timeout = read.integer(block, k["read_timeout"])
    origin.keepalive_timeout = read.integer(block, k["keepalive_timeout"])
    origin.locs.update(read.locs(block, k))
    ref = ref_target(origin.vpc_origin_id)
    found = index.object(ref.resource if ref else None)
    if not isinstance(found, VpcOrigin):
        shown = origin.vpc_origin_id
        named = shown.placeholder if isinstance(shown, Unknown) else str(shown) if isinstance(shown, (str, Partial)) \
            else "it names"
        _not_known(origin, Unknown(f"the VPC origin {named} is not declared here: the protocol and ports CloudFront "
                                   "uses are its own"))
        return
    origin.vpc_origin = found
    for name in CONNECTION:
        setattr(origin, name, getattr(found, name))
        if name in found.locs:
            origin.locs[name] = found.locs[name]
    if found.target is not None:
        origin.target = found.target  # CloudFront connects to the VPC origin's endpoint


def _not_known(origin: Origin, why: Unknown) -> None:
    origin.protocol_policy = why
    origin.http_port = why
    origin.https_port = why
    origin.ssl_protocols = why
