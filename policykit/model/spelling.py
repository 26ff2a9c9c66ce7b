"""How an input format spells what the model builder reads, and the few hooks where shapes differ.

A format plugs into the builder (policykit/model/build.py) with a `Format`: its `Spelling`
(model field -> the key it is written under; `A.B` is the key `B` inside the block `A`) and
two hooks that say how its nested blocks are read. CloudFormation: policykit/cfn/spelling.py;
Terraform: policykit/terraform/spelling.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import Protocol

from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.values import MaybeMore, Scalar, Unknown
from policykit.model.base import ModelObject
from policykit.model.reader import Mapping, Reader

# A table: model field -> source key (or `Block.key` path)
Table = dict[str, str]


@record
class Related:
    """What a resource type builds (`builds`) or links (`links`), and its keys (model field -> source key)."""

    builds: str = ""  # certificate, load_balancer, classic_load_balancer, listener, security_group,
    #                   lambda_function, cache_policy, origin_request_policy
    links: str = ""  # listener_certificate, ingress_rule, function_version (they build nothing of their own)
    keys: Table = field(default_factory=dict)
    locs: Table = field(default_factory=dict)  # model field -> key whose position locates it
    # a format's own reading, for a resource that is a model object only in some configurations
    # (a load-balanced Elastic Beanstalk environment is a load balancer): None when it is not one
    custom: Callable[[Mapping], ModelObject | None] | None = None


@record
class Spelling:
    """The keys one format writes each model field under."""

    distribution: Table  # enabled, aliases, viewer_certificate, origins, origin_groups, default/ordered behaviors
    viewer_certificate: Table
    origin: Table  # id, domain_name, ..., custom_headers, and the custom/s3/vpc config blocks
    custom_origin: Table
    custom_header: Table
    origin_group: Table  # id, member_ids (path to the members), member_id (key in a member), status_codes
    behavior: Table
    forwarded_values: Table
    lambda_association: Table
    function_association: Table
    origin_shield: Table  # enabled, region: the keys of the origin's OriginShield block
    vpc_origin_config: Table  # vpc_origin_id, read_timeout, keepalive_timeout: the origin's VpcOriginConfig block
    s3_origin: Table  # read_timeout: the origin's S3OriginConfig block
    mtls: Table  # certificate_arn: the custom origin config's OriginMtlsConfig block
    grpc: Table  # enabled: the behavior's GrpcConfig block
    # definitions (path to the list), name, default (path inside one): a multi-tenant distribution's parameters
    tenant_parameter: Table
    # What a Lambda ARN names, by (type of the referenced resource, attribute): version, alias,
    # unqualified, function-name, latest, or "published" (a version when the function publishes
    # one, $LATEST when it does not). `lambda_arns` is for a bare reference, `lambda_qualifiers`
    # for the reference after the last `:` of a joined ARN (`${Fn.Arn}:${Fn.Version}`).
    lambda_arns: dict[tuple[str, str], str]
    lambda_qualifiers: dict[tuple[str, str], str]
    # related resource types (certificates, load balancers...): what each builds or links, and its keys
    related: dict[str, Related]
    # what is sent when a field is not written, by table ("distribution", "origin"): model field -> value. Only
    # where it differs from "not set" (CloudFormation's HttpVersion is http1.1, the provider's http2).
    defaults: dict[str, dict[str, Scalar]] = field(default_factory=dict)

    @staticmethod
    def locs_of(table: Table) -> Table:
        """The keys whose position locates each field: the first block of a path."""
        return {name: key.split(".", 1)[0] for name, key in table.items()}


class Format(Protocol):
    """How a format's nested blocks are read (a list of mappings, one mapping, or unknown)."""

    spelling: Spelling

    def blocks(self, read: Reader, node: object, key: str) -> MaybeMore[tuple[Location, Mapping]]:
        """The blocks (list items) under `key`, with their locations; maybe more when some are unknown."""
        ...

    def located(self, read: Reader, node: object, key: str) -> tuple[Location, Mapping] | None:
        """The one block under `key` with its location (a distribution's default behavior, its certificate)."""
        ...

    def block(self, read: Reader, node: object, key: str) -> Mapping | Unknown | None:
        """The one block under `key`; Unknown when only known at deployment; None when absent."""
        ...
