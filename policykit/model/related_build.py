"""The one builder of related resources (certificates, load balancers, listeners, security groups,
Lambda functions, request policies) and how they are linked, whatever the format.

A format's `Spelling.related` maps each resource type it knows to a `Related` (policykit/model/spelling.py): what
it builds (or links) and the keys it is written with (policykit/cfn/spelling.py, policykit/terraform/spelling.py).
"""

from __future__ import annotations

from collections.abc import Callable

from policykit.core.location import Location
from policykit.core.record import record
from policykit.core.values import Partial, Unknown
from policykit.model.base import DeclaredObject, ModelObject
from policykit.model.function_code import cfn_lambda_code, terraform_lambda_code
from policykit.model.reader import Mapping, Reader, Scalar, Text
from policykit.model.refs import ref_target
from policykit.model.related import (
    Certificate,
    CloudFrontFunction,
    DistributionTenant,
    FunctionCode,
    HeadersConfig,
    KeyValueStoreKey,
    LambdaFunction,
    Listener,
    LoadBalancer,
    RequestPolicy,
    SecurityGroup,
    SecurityGroupRule,
    VpcOrigin,
    function_code,
)
from policykit.model.spelling import Format, Related, Table

Objects = dict[str, ModelObject]


@record
class Declared:
    """A related resource as a format declares it: its address (logical id), type, resolved body, where."""

    address: str
    type: str
    body: Mapping
    read: Reader
    loc: Location


def build_all(fmt: Format, declared: list[Declared], objects: Objects) -> list[ModelObject]:
    """Build the related objects of `declared` into `objects` (by address), then link them; the ones built."""
    built: list[ModelObject] = []
    kept: list[tuple[Declared, Related]] = []
    for item in declared:
        related = fmt.spelling.related.get(item.type)
        if related is None:
            continue
        obj = build_related(fmt, related, item.read, item.body)
        if obj is not None:
            obj.resource, obj.loc = item.address, item.loc
            objects[item.address] = obj
            built.append(obj)
        kept.append((item, related))
    for item, related in kept:
        link_related(fmt, related, objects.get(item.address), item.read, item.body, objects)
    return built


def build_related(fmt: Format, related: Related, read: Reader, body: Mapping) -> ModelObject | None:
    """The model object a related resource's resolved body declares (None for link-only types)."""
    if related.custom is not None:
        return related.custom(body)
    builder = _BUILDERS.get(related.builds)
    if builder is None:
        return None
    obj = builder(fmt, related.keys, read, body)
    obj.locs.update(read.locs(body, related.locs))
    return obj


def link_related(fmt: Format, related: Related, own: ModelObject | None, read: Reader, body: Mapping,
                 objects: Objects) -> None:
    """Attach listeners to balancers, certificates to listeners, security groups and rules, versions to functions."""
    k = related.keys
    if isinstance(own, Listener):
        balancer = _target(objects, body.get(k["load_balancer_arn"]))
        if isinstance(balancer, LoadBalancer):
            balancer.listeners.append(own)
        own.certificates = _certificates(objects, own.certificate_arns)
    elif isinstance(own, LoadBalancer):
        own.security_groups = [g for g in (_target(objects, r) for r in own.security_group_refs)
                               if isinstance(g, SecurityGroup)]
    elif related.links == "listener_certificate":
        listener = _target(objects, body.get(k["listener_arn"]))
        if isinstance(listener, Listener):
            listener.certificate_arns.extend(_certificate_arns(fmt, k, read, body))
            listener.certificates = _certificates(objects, listener.certificate_arns)
    elif related.links == "ingress_rule":
        if "only_type" in k and body.get("type") != k["only_type"]:
            return
        group = _target(objects, body.get(k["group_id"]))
        if isinstance(group, SecurityGroup):
            group.ingress.extend(_rules(read, body, read.loc(body), k))
    elif isinstance(own, VpcOrigin):
        own.target = _target(objects, own.endpoint_arn)
    elif isinstance(own, DistributionTenant):
        certificate = _target(objects, own.certificate_arn)
        own.certificate = certificate if isinstance(certificate, Certificate) else None
    elif related.links == "function_version":
        function = _target(objects, body.get(k["function_name"]))
        if isinstance(function, LambdaFunction):
            objects[read.resource] = function  # a version is its function, frozen


def _target(objects: Objects, value: object) -> ModelObject | None:
    ref = ref_target(value)
    return objects.get(ref.resource) if ref else None


def _certificates(objects: Objects, arns: list[Scalar]) -> list[Certificate]:
    return [c for c in (_target(objects, arn) for arn in arns) if isinstance(c, Certificate)]


def _strings(read: Reader, node: object, key: str) -> list[Scalar]:
    """A list property; one only known at deployment is a list of that one unknown value."""
    values = read.strings(node, key)
    return [values] if isinstance(values, Unknown) else values


def _upper(value: Scalar) -> Scalar:
    return value.upper() if isinstance(value, str) else value


def _certificate(fmt: Format, k: Table, read: Reader, body: Mapping) -> Certificate:
    return Certificate(domain_name=read.text(body, k["domain_name"]),
                       subject_alternative_names=_strings(read, body, k["subject_alternative_names"]))


def _load_balancer(fmt: Format, k: Table, read: Reader, body: Mapping) -> LoadBalancer:
    if "internal" in k:  # Terraform: `internal = true`
        internal = read.boolean(body, k["internal"], False)
        scheme: Scalar = ("internal" if internal else "internet-facing") if isinstance(internal, bool) else internal
    else:
        scheme = read.text(body, k["scheme"])
    return LoadBalancer(scheme=scheme, lb_type=read.text(body, k["lb_type"], "application"),
                        security_group_refs=_strings(read, body, k["security_groups"]))


def _classic_load_balancer(fmt: Format, k: Table, read: Reader, body: Mapping) -> LoadBalancer:
    balancer = _load_balancer(fmt, k, read, body)
    balancer.lb_type = "classic"
    for loc, item in fmt.blocks(read, body, k["listeners"]):
        certificate = item.get(k["listener_certificate"])
        balancer.listeners.append(Listener(
            port=read.integer(item, k["listener_port"]), protocol=_upper(read.scalar(item, k["listener_protocol"])),
            certificate_arns=[read.text(item, k["listener_certificate"])] if certificate else [],
            loc=loc, locs=read.locs(item, {"port": k["listener_port"], "protocol": k["listener_protocol"]})))
    return balancer


def _certificate_arns(fmt: Format, k: Table, read: Reader, body: Mapping) -> list[Scalar]:
    """CloudFormation: `Certificates: [{CertificateArn}]`; Terraform: one `certificate_arn`."""
    if "certificates" in k:
        return [read.text(item, k["certificate_arn"]) for _, item in fmt.blocks(read, body, k["certificates"])]
    return [read.text(body, k["certificate_arn"])] if body.get(k["certificate_arn"]) else []


def _listener(fmt: Format, k: Table, read: Reader, body: Mapping) -> Listener:
    return Listener(port=read.integer(body, k["port"]), protocol=_upper(read.scalar(body, k["protocol"])),
                    ssl_policy=read.text(body, k["ssl_policy"]),
                    certificate_arns=_certificate_arns(fmt, k, read, body))


def _rules(read: Reader, item: Mapping, loc: Location, k: Table) -> list[SecurityGroupRule]:
    """One rule per source (CIDR, prefix list, group) of an ingress item, block or rule resource.

    A key ending in `s` holds a list of sources (Terraform's `cidr_blocks`), others one source.
    """
    protocol = read.scalar(item, k["protocol"], "-1")
    base = {"protocol": str(protocol).lower() if isinstance(protocol, (str, int)) else protocol,
            "from_port": read.integer(item, k["from_port"]), "to_port": read.integer(item, k["to_port"]),
            "loc": loc}

    def sources(keys: str) -> list[Scalar]:
        found: list[Scalar] = []
        for key in keys.split(","):
            if key.endswith("s"):
                found += _strings(read, item, key)
            elif item.get(key) is not None:
                found.append(read.text(item, key))
        return found

    rules = [SecurityGroupRule(cidr=cidr, **base) for cidr in sources(k["cidrs"])]  # type: ignore[arg-type]
    rules += [SecurityGroupRule(prefix_list=p, **base) for p in sources(k["prefix"])]  # type: ignore[arg-type]
    rules += [SecurityGroupRule(source_group=g, **base) for g in sources(k["group"])]  # type: ignore[arg-type]
    return rules or [SecurityGroupRule(**base)]  # type: ignore[arg-type]


def _security_group(fmt: Format, k: Table, read: Reader, body: Mapping) -> SecurityGroup:
    return SecurityGroup(ingress=[rule for loc, item in fmt.blocks(read, body, k["ingress"])
                                  for rule in _rules(read, item, loc, k)])


def _set(fmt: Format, read: Reader, body: Mapping, key: str, inner: str = "") -> bool | Unknown:
    """Is a (non-empty) property or block set? Unknown when it depends on a condition or a parameter.

    An empty environment (no variables), layer list or block is no restriction at the edge.
    """
    value = body.get(key)
    if isinstance(value, (Unknown, Partial)):
        return Unknown(f"{key} is only known at deployment" + (f" ({value.reason})" if value.reason else ""))
    if inner:
        block = fmt.block(read, body, key)
        if isinstance(block, Unknown):
            return block
        if block is None:
            return False
        variables = block.get(inner)
        if isinstance(variables, (Unknown, Partial)):
            return Unknown("the environment variables are only known at deployment")
        return bool(variables)
    if isinstance(value, (dict, list, str)):
        return bool(value)
    return value is not None


def _lambda_function(fmt: Format, k: Table, read: Reader, body: Mapping) -> LambdaFunction:
    storage = fmt.block(read, body, k["ephemeral_storage"])
    architectures = _strings(read, body, k["architectures"])
    return LambdaFunction(
        runtime=read.text(body, k["runtime"]), handler=read.text(body, k["handler"]),
        code=LAMBDA_CODE[k["code"]](body, read.file), memory_size=read.integer(body, k["memory_size"], 128),
        timeout=read.integer(body, k["timeout"], 3), architectures=architectures or ["x86_64"],
        package_type=read.text(body, k["package_type"], "Zip"),
        has_environment=_set(fmt, read, body, k["has_environment"], k["variables"]),
        has_vpc_config=_set(fmt, read, body, k["has_vpc_config"]),
        has_layers=_set(fmt, read, body, k["has_layers"]),
        has_dead_letter_config=_set(fmt, read, body, k["has_dead_letter_config"]),
        ephemeral_storage=read.integer(storage, k["storage_size"], 512) if isinstance(storage, dict) else 512)


# Where a function's code is (for `scan --edge`), read the way each format writes it
LAMBDA_CODE: dict[str, Callable[[Mapping, str], FunctionCode]] = {
    "cloudformation": lambda body, file: cfn_lambda_code(body, None, file),
    "terraform": terraform_lambda_code,
}


def _path(fmt: Format, read: Reader, node: object, path: str) -> Mapping | Unknown | None:
    """The block at a path `A.B` (each step one block)."""
    current: Mapping | Unknown | None = node if isinstance(node, dict) else None
    for step in path.split(".") if path else []:
        if not isinstance(current, dict):
            return current
        current = fmt.block(read, current, step)
    return current


def _headers(fmt: Format, k: Table, read: Reader, body: Mapping) -> HeadersConfig:
    config = _path(fmt, read, body, k["headers_config"])
    if isinstance(config, Unknown):
        return HeadersConfig(behavior=config)
    if config is None:
        return HeadersConfig(behavior="none")
    *heads, last = k["headers"].split(".")
    holder = _path(fmt, read, config, ".".join(heads))
    names: list[Scalar] = _strings(read, holder, last) if isinstance(holder, dict) else [holder] if holder else []
    return HeadersConfig(read.text(config, k["header_behavior"], "none"), names)


Builder = Callable[[Format, Table, Reader, Mapping], DeclaredObject]


def _cloudfront_function(fmt: Format, k: Table, read: Reader, body: Mapping) -> CloudFrontFunction:
    *heads, last = k["runtime"].split(".")
    config = _path(fmt, read, body, ".".join(heads))
    stores: list[Scalar] = []
    if k["store_arn"]:  # CloudFormation: [{KeyValueStoreARN}]; Terraform: a list of ARNs
        for _, item in read.items(config, k["stores"]) if isinstance(config, dict) else ():
            stores.append(read.scalar(item, k["store_arn"]))
    else:
        stores = _strings(read, body, k["stores"])
    return CloudFrontFunction(name=read.text(body, k["name"]), code=function_code(body.get(k["code"])),
                              runtime=read.text(config, last) if isinstance(config, dict) else None,
                              key_value_stores=stores)


def _key_value_store_key(fmt: Format, k: Table, read: Reader, body: Mapping) -> KeyValueStoreKey:
    return KeyValueStoreKey(store=read.scalar(body, k["store"]), key=read.text(body, k["key"]),
                            value=read.text(body, k["value"]))



def _request_policy(kind: str) -> Builder:
    def build(fmt: Format, k: Table, read: Reader, body: Mapping) -> RequestPolicy:
        *heads, last = k["name"].split(".")
        holder = _path(fmt, read, body, ".".join(heads))
        return RequestPolicy(policy_type=kind, name=read.text(holder, last) if isinstance(holder, dict) else None,
                             headers=_headers(fmt, k, read, body))
    return build


def _vpc_origin(fmt: Format, k: Table, read: Reader, body: Mapping) -> VpcOrigin:
    """A VPC origin's endpoint: the ARN it reaches, the ports and protocol CloudFront uses (keys: `endpoint`, the
    block; `ssl_protocols`, a path inside it; `default_protocol_policy`, what an unwritten policy is)."""
    endpoint = fmt.block(read, body, k["endpoint"])
    if not isinstance(endpoint, dict):
        why = endpoint if isinstance(endpoint, Unknown) else Unknown("the VPC origin has no endpoint configuration")
        return VpcOrigin(endpoint_arn=why, http_port=why, https_port=why, protocol_policy=why, ssl_protocols=why)
    *heads, last = k["ssl_protocols"].split(".")
    holder = _path(fmt, read, endpoint, ".".join(heads))
    protocols: list[Scalar] | Unknown | None = None  # not written: the provider default applies
    if isinstance(holder, Unknown):
        protocols = holder
    elif isinstance(holder, dict) and holder.get(last) is not None:
        protocols = read.strings(holder, last)
    origin = VpcOrigin(
        endpoint_arn=read.text(endpoint, k["arn"]), http_port=read.integer(endpoint, k["http_port"], 80),
        https_port=read.integer(endpoint, k["https_port"], 443),
        protocol_policy=read.text(endpoint, k["protocol_policy"], k.get("default_protocol_policy") or None),
        ssl_protocols=protocols)
    origin.locs.update(read.locs(endpoint, {"endpoint_arn": k["arn"], "http_port": k["http_port"],
                                            "https_port": k["https_port"], "protocol_policy": k["protocol_policy"],
                                            "ssl_protocols": (heads or [last])[0]}))
    return origin


def _distribution_tenant(fmt: Format, k: Table, read: Reader, body: Mapping) -> DistributionTenant:
    """A tenant: its distribution, its domains (`domain` empty: a list of names; else blocks holding that key), and
    its own certificate (`certificate_arn`, a path) or a certificate CloudFront manages for it (`managed`)."""
    tenant = DistributionTenant(distribution_id=read.text(body, k["distribution_id"]),
                                managed_certificate=fmt.block(read, body, k["managed"]) is not None)
    if k["domain"]:
        blocks = fmt.blocks(read, body, k["domains"])
        tenant.domains.extend((read.loc(block, k["domain"]) if k["domain"] in block else at,
                               read.text(block, k["domain"])) for at, block in blocks)
        tenant.domains.maybe(blocks.more)
    else:
        names = read.strings(body, k["domains"])
        if isinstance(names, Unknown):
            tenant.domains.maybe(names)
        else:
            marked = body.get(k["domains"])
            tenant.domains.extend((read.loc(marked, i) if read.loc(marked, i).line else read.loc(body, k["domains"]),
                                   _name(name)) for i, name in enumerate(names))
    *heads, last = k["certificate_arn"].split(".")
    holder = _path(fmt, read, body, ".".join(heads))
    tenant.certificate_arn = holder if isinstance(holder, Unknown) else read.text(holder, last)
    return tenant


def _name(value: Scalar) -> Text | None:
    return str(value) if isinstance(value, (int, float, bool)) else value


_BUILDERS: dict[str, Builder] = {
    "certificate": _certificate,
    "load_balancer": _load_balancer,
    "classic_load_balancer": _classic_load_balancer,
    "listener": _listener,
    "security_group": _security_group,
    "lambda_function": _lambda_function,
    "cache_policy": _request_policy("cache"),
    "origin_request_policy": _request_policy("origin_request"),
    "cloudfront_function": _cloudfront_function,
    "key_value_store_key": _key_value_store_key,
    "vpc_origin": _vpc_origin,
    "distribution_tenant": _distribution_tenant,
}
