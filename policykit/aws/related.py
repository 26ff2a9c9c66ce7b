"""The resources behind a distribution, built in the model's terms from AWS's answers (each object located in
the answer's document), and what stands in for one whose answer is missing: the same object with every field
Unknown, saying why (`AccessDenied on elasticloadbalancing:DescribeListeners`), so that the checks needing it
say "not checked" and never guess."""

from __future__ import annotations

from policykit.aws.calls import Answer
from policykit.core.nodes import MDict
from policykit.core.values import Scalar, Unknown
from policykit.model.reader import Reader
from policykit.model.related import (
    Certificate,
    CloudFrontFunction,
    FunctionCode,
    HeadersConfig,
    LambdaFunction,
    Listener,
    LoadBalancer,
    RequestPolicy,
    SecurityGroup,
    SecurityGroupRule,
)

MAX_FUNCTION_CODE = 1024 * 1024  # bytes of a CloudFront Function's code read (CloudFront takes 10 KB)


def arn_region(arn: str) -> str:
    parts = arn.split(":")
    return parts[3] if len(parts) > 4 and parts[0] == "arn" else ""


def _reader(answer: Answer, resource: str) -> Reader:
    return Reader(answer.file, resource, [])


def _mapping(node: object, *keys: str) -> MDict | None:
    for key in keys:
        node = node.get(key) if isinstance(node, MDict) else None
    return node if isinstance(node, MDict) else None


def _items(node: object, key: str) -> list[MDict]:
    """The mappings of a list (`Items` of a `{Quantity, Items}` one too)."""
    value = node.get(key) if isinstance(node, MDict) else None
    if isinstance(value, MDict):
        value = value.get("Items")
    return [item for item in value if isinstance(item, MDict)] if isinstance(value, list) else []


def _strings(node: object, key: str) -> list[str]:
    value = node.get(key) if isinstance(node, MDict) else None
    if isinstance(value, MDict):
        value = value.get("Items")
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# Certificates --------------------------------------------------------------------------------------------------

def acm_certificate(answer: Answer, arn: str) -> Certificate:
    """`aws acm describe-certificate`: the domain name and the alternative names."""
    certificate = _mapping(answer.document, "Certificate")
    if certificate is None:
        return unread_certificate(arn, answer.reason or "the answer holds no Certificate")
    read = _reader(answer, arn)
    domain = read.text(certificate, "DomainName")
    names = read.strings(certificate, "SubjectAlternativeNames")  # ACM lists the domain name among them too
    return Certificate(domain_name=domain,
                       subject_alternative_names=[n for n in names if n != domain] if isinstance(names, list)
                       else [names],
                       region=arn_region(arn), resource=arn, loc=read.loc(certificate),
                       locs=read.locs(certificate, {"domain_name": "DomainName",
                                                    "subject_alternative_names": "SubjectAlternativeNames"}))


def server_certificate(answer: Answer, name: str) -> Certificate:
    """`aws iam get-server-certificate`: the names in the certificate body (its subject CN and DNS SANs)."""
    certificate = _mapping(answer.document, "ServerCertificate")
    body = certificate.get("CertificateBody") if certificate is not None else None
    if certificate is None or not isinstance(body, str):
        return unread_certificate(name, answer.reason or "the answer holds no CertificateBody")
    read = _reader(answer, name)
    names = pem_names(body)
    if isinstance(names, str):
        return unread_certificate(name, names)
    return Certificate(domain_name=names[0] if names else None, subject_alternative_names=list(names[1:]),
                       resource=name, loc=read.loc(certificate),
                       locs={"domain_name": read.loc(certificate, "CertificateBody")})


def pem_names(body: str) -> list[str] | str:
    """The DNS names a PEM certificate is valid for (its SANs, else its subject CN), or why none are known."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        certificate = x509.load_pem_x509_certificate(body.encode("ascii", "replace"))
    except ValueError as exc:
        return f"the server certificate body is not a PEM certificate ({exc})"
    try:
        extension = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = [str(n) for n in extension.value.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        names = []
    if not names:
        names = [str(a.value) for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    return names


def unread_certificate(resource: str, reason: str) -> Certificate:
    return Certificate(domain_name=Unknown(reason), resource=resource, region=arn_region(resource) or None)


# Load balancers, listeners, security groups --------------------------------------------------------------------

def load_balancer_v2(answer: Answer, item: MDict) -> LoadBalancer:
    """An Application or Network Load Balancer of `aws elbv2 describe-load-balancers`."""
    arn = str(item.get("LoadBalancerArn") or item.get("LoadBalancerName") or "")
    read = _reader(answer, arn)
    groups: list[Scalar] = list(_strings(item, "SecurityGroups"))
    return LoadBalancer(scheme=read.text(item, "Scheme"), lb_type=read.text(item, "Type", "application"),
                        security_group_refs=groups, resource=arn, loc=read.loc(item),
                        locs=read.locs(item, {"scheme": "Scheme", "lb_type": "Type",
                                              "security_groups": "SecurityGroups"}))


def listener_v2(answer: Answer, item: MDict) -> Listener:
    """A listener of `aws elbv2 describe-listeners` (its certificates are added by the traversal)."""
    arn = str(item.get("ListenerArn") or "")
    read = _reader(answer, arn)
    protocol = read.scalar(item, "Protocol")
    return Listener(port=read.integer(item, "Port"),
                    protocol=protocol.upper() if isinstance(protocol, str) else protocol,
                    ssl_policy=read.text(item, "SslPolicy"), resource=arn, loc=read.loc(item),
                    locs=read.locs(item, {"port": "Port", "protocol": "Protocol", "ssl_policy": "SslPolicy"}))


def classic_load_balancer(answer: Answer, item: MDict) -> tuple[LoadBalancer, list[str]]:
    """A Classic Load Balancer of `aws elb describe-load-balancers`, with the certificate ARN of each listener."""
    name = str(item.get("LoadBalancerName") or "")
    read = _reader(answer, name)
    balancer = LoadBalancer(scheme=read.text(item, "Scheme"), lb_type="classic",
                            security_group_refs=list(_strings(item, "SecurityGroups")), resource=name,
                            loc=read.loc(item), locs=read.locs(item, {"scheme": "Scheme",
                                                                      "security_groups": "SecurityGroups"}))
    certificates: list[str] = []
    for description in _items(item, "ListenerDescriptions"):
        listener = _mapping(description, "Listener")
        if listener is None:
            continue
        certificate = listener.get("SSLCertificateId")
        protocol = read.scalar(listener, "Protocol")
        balancer.listeners.append(Listener(
            port=read.integer(listener, "LoadBalancerPort"),
            protocol=protocol.upper() if isinstance(protocol, str) else protocol,
            certificate_arns=[certificate] if isinstance(certificate, str) and certificate else [],
            resource=name, loc=read.loc(listener),
            locs=read.locs(listener, {"port": "LoadBalancerPort", "protocol": "Protocol"})))
        if isinstance(certificate, str) and certificate:
            certificates.append(certificate)
    return balancer, certificates


def unread_load_balancer(resource: str, reason: str) -> LoadBalancer:
    """A load balancer whose description (or listeners, or groups) could not be read: everything Unknown."""
    balancer = LoadBalancer(scheme=Unknown(reason), lb_type=Unknown(reason), resource=resource,
                            security_group_refs=[Unknown(reason)])
    balancer.listeners = unread_listeners(resource, reason)
    balancer.security_groups = [unread_security_group(resource, reason)]
    return balancer


def unread_listeners(resource: str, reason: str) -> list[Listener]:
    """Listeners that could not be read: one whose port and protocol are Unknown stands for all of them."""
    return [Listener(port=Unknown(reason), protocol=Unknown(reason), ssl_policy=Unknown(reason), resource=resource)]


def security_group(answer: Answer, item: MDict) -> SecurityGroup:
    """A security group of `aws ec2 describe-security-groups`: one rule per source of each permission."""
    group_id = str(item.get("GroupId") or "")
    read = _reader(answer, group_id)
    rules: list[SecurityGroupRule] = []
    for index, permission in enumerate(_items(item, "IpPermissions")):
        written = read.scalar(permission, "IpProtocol", "-1")
        protocol = str(written).lower() if isinstance(written, str | int) else written
        low, high = read.integer(permission, "FromPort"), read.integer(permission, "ToPort")
        loc = read.loc(item["IpPermissions"], index)
        sources: list[SecurityGroupRule] = []
        for key, inner, field_name in (("IpRanges", "CidrIp", "cidr"), ("Ipv6Ranges", "CidrIpv6", "cidr"),
                                       ("PrefixListIds", "PrefixListId", "prefix_list"),
                                       ("UserIdGroupPairs", "GroupId", "source_group")):
            for source in _items(permission, key):
                value = source.get(inner)
                if isinstance(value, str):
                    rule = SecurityGroupRule(protocol=protocol, from_port=low, to_port=high, resource=group_id,
                                             loc=loc)
                    setattr(rule, field_name, value)
                    sources.append(rule)
        rules += sources or [SecurityGroupRule(protocol=protocol, from_port=low, to_port=high, resource=group_id,
                                               loc=loc)]
    return SecurityGroup(ingress=rules, resource=group_id, loc=read.loc(item),
                         locs=read.locs(item, {"ingress": "IpPermissions"}))


def unread_security_group(resource: str, reason: str) -> SecurityGroup:
    """A security group that could not be read: a rule whose source is Unknown stands for its rules."""
    return SecurityGroup(ingress=[SecurityGroupRule(protocol="-1", cidr=Unknown(reason), resource=resource)],
                         resource=resource)


# Functions and policies ----------------------------------------------------------------------------------------

def _set(node: object, key: str, inner: str = "") -> bool:
    """Is a property set with something in it (an empty VpcConfig or Variables is no restriction)?"""
    value = node.get(key) if isinstance(node, MDict) else None
    if inner:
        value = value.get(inner) if isinstance(value, MDict) else None
    return bool(value)


def lambda_function(answer: Answer, arn: str) -> LambdaFunction:
    """`aws lambda get-function`: the configuration Lambda@Edge restricts, and the code when it was read."""
    config = _mapping(answer.document, "Configuration")
    if config is None:
        return unread_function(arn, answer.reason or "the answer holds no Configuration")
    read = _reader(answer, arn)
    storage = _mapping(config, "EphemeralStorage")
    architectures = read.strings(config, "Architectures")
    package = read.text(config, "PackageType", "Zip")
    if isinstance(package, str) and package.lower() == "image":
        code = FunctionCode("image", reason="the code is a container image")
    elif answer.code_file is not None:
        code = FunctionCode("path", path=str(answer.code_file))
    else:
        code = FunctionCode("unknown", reason=answer.code_note or "its code package is read with --edge")
    return LambdaFunction(
        runtime=read.text(config, "Runtime"), handler=read.text(config, "Handler"), code=code,
        memory_size=read.integer(config, "MemorySize", 128), timeout=read.integer(config, "Timeout", 3),
        architectures=(architectures if isinstance(architectures, list) else [architectures]) or ["x86_64"],
        package_type=package, has_environment=_set(config, "Environment", "Variables"),
        has_vpc_config=_set(config, "VpcConfig", "SubnetIds"), has_layers=_set(config, "Layers"),
        has_dead_letter_config=_set(config, "DeadLetterConfig", "TargetArn"),
        ephemeral_storage=read.integer(storage, "Size", 512) if storage is not None else 512,
        region=arn_region(arn), execution_role=read.text(config, "Role"), resource=arn, loc=read.loc(config),
        locs=read.locs(config, {"execution_role": "Role", "runtime": "Runtime", "handler": "Handler",
                                "memory_size": "MemorySize",
                                "timeout": "Timeout", "architectures": "Architectures", "package_type": "PackageType",
                                "has_environment": "Environment", "has_vpc_config": "VpcConfig",
                                "has_layers": "Layers", "has_dead_letter_config": "DeadLetterConfig",
                                "ephemeral_storage": "EphemeralStorage"}))


EDGE_PRINCIPALS = frozenset({"lambda.amazonaws.com", "edgelambda.amazonaws.com"})


def role_trusts_edge(answer: Answer) -> bool | Unknown:
    """Does the role of `aws iam get-role` let both Lambda and Lambda@Edge assume it (an Allow statement for
    sts:AssumeRole naming each service)? Conditions are not judged: a role that names both is taken to."""
    if answer.error:
        return Unknown(answer.reason)
    document = _mapping(answer.document, "Role", "AssumeRolePolicyDocument")
    if document is None:
        return Unknown("the role's trust policy is not in the answer")
    statements = document.get("Statement")
    trusted: set[str] = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, MDict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action")
        actions = [actions] if isinstance(actions, str) else actions if isinstance(actions, list) else []
        if not any(isinstance(a, str) and a.lower() in ("sts:assumerole", "sts:*", "*") for a in actions):
            continue
        principal = statement.get("Principal")
        services = principal.get("Service") if isinstance(principal, MDict) else None
        services = [services] if isinstance(services, str) else services if isinstance(services, list) else []
        trusted.update(s.lower() for s in services if isinstance(s, str))
    return trusted >= EDGE_PRINCIPALS


def unread_function(arn: str, reason: str) -> LambdaFunction:
    unknown = Unknown(reason)
    return LambdaFunction(runtime=unknown, handler=unknown, memory_size=unknown, timeout=unknown,
                          architectures=[unknown], package_type=unknown, has_environment=unknown,
                          has_vpc_config=unknown, has_layers=unknown, has_dead_letter_config=unknown,
                          ephemeral_storage=unknown, region=arn_region(arn) or None, resource=arn,
                          code=FunctionCode("unknown", reason=reason))


def cloudfront_function(description: Answer, code: Answer, arn: str, name: str) -> CloudFrontFunction:
    """`aws cloudfront describe-function` and the code `get-function` writes to its outfile."""
    summary = _mapping(description.document, "FunctionSummary")
    read = _reader(description, arn)
    text: str | Unknown
    if code.code_text is not None:
        text = code.code_text
    elif code.code_file is None:
        text = Unknown(code.reason or code.code_note or "the function's code was not read")
    else:
        try:
            with code.code_file.open("rb") as stream:
                data = stream.read(MAX_FUNCTION_CODE + 1)
            text = data.decode("utf-8") if len(data) <= MAX_FUNCTION_CODE else Unknown(
                f"the function's code is larger than {MAX_FUNCTION_CODE // 1024} KB")
        except (OSError, UnicodeDecodeError) as exc:
            text = Unknown(f"the function's code cannot be read ({exc})")
    loc = read.loc(summary) if summary is not None else read.loc(description.document)
    return CloudFrontFunction(name=name, code=text, resource=arn, loc=loc)


def request_policy(answer: Answer, kind: str, policy_id: str) -> RequestPolicy:
    """`aws cloudfront get-cache-policy` / `get-origin-request-policy`: the viewer headers it sends on."""
    top, config_key = ("CachePolicy", "CachePolicyConfig") if kind == "cache" else (
        "OriginRequestPolicy", "OriginRequestPolicyConfig")
    config = _mapping(answer.document, top, config_key)
    if config is None:
        return RequestPolicy(policy_type=kind, headers=HeadersConfig(behavior=Unknown(
            answer.reason or f"the answer holds no {config_key}")), resource=policy_id)
    read = _reader(answer, policy_id)
    headers = _mapping(config, "ParametersInCacheKeyAndForwardedToOrigin", "HeadersConfig") if kind == "cache" \
        else _mapping(config, "HeadersConfig")
    behavior = read.text(headers, "HeaderBehavior", "none") if headers is not None else "none"
    names: list[Scalar] = list(_strings(headers, "Headers"))
    return RequestPolicy(policy_type=kind, name=read.text(config, "Name"), headers=HeadersConfig(behavior, names),
                         resource=policy_id, loc=read.loc(config),
                         locs={"headers": read.loc(headers) if headers is not None else read.loc(config)})
