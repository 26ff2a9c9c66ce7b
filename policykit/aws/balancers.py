"""The load balancer behind an origin, read from AWS: found by its DNS name, then its listeners, the certificates
they present and its security groups.

elbv2 `DescribeLoadBalancers` has no DNS-name filter: the Region and the name are read from the DNS name
(`NAME-ID.REGION.elb.amazonaws.com`, `internal-NAME-ID...`, `NAME-ID.elb.REGION.amazonaws.com`), the load balancer
is asked for by that name (Application/Network, then Classic), and only when that finds nothing are the Region's
load balancers paged through and matched by DNS name.
"""

from __future__ import annotations

import re

from policykit.aws.calls import Answer, Call, Source
from policykit.aws.related import (
    acm_certificate,
    arn_region,
    classic_load_balancer,
    listener_v2,
    load_balancer_v2,
    security_group,
    server_certificate,
    unread_certificate,
    unread_listeners,
    unread_load_balancer,
    unread_security_group,
)
from policykit.core.nodes import MDict
from policykit.core.values import Scalar, Unknown
from policykit.model.related import Certificate, LoadBalancer, SecurityGroup

_REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]")
_TLS = frozenset({"HTTPS", "TLS", "SSL"})


def elb_place(dns: str) -> tuple[str, str] | None:
    """(Region, load balancer name) written in an ELB DNS name; None when it is no ELB name."""
    name = dns.strip().lower().rstrip(".")
    name = name.removeprefix("dualstack.")
    labels = name.split(".")
    if name.endswith(".amazonaws.com.cn"):
        labels = labels[:-1]
    if len(labels) < 4 or labels[-2:] != ["amazonaws", "com"]:
        return None
    if labels[-3] == "elb" and len(labels) == 4:
        region = "us-east-1"  # NAME-ID.elb.amazonaws.com: the oldest Classic names, in us-east-1
    elif labels[-3] == "elb" and _REGION.fullmatch(labels[-4]):
        region = labels[-4]  # NAME-ID.REGION.elb.amazonaws.com (Application, Classic)
    elif labels[-4] == "elb" and _REGION.fullmatch(labels[-3]):
        region = labels[-3]  # NAME-ID.elb.REGION.amazonaws.com (Network)
    else:
        return None
    first = labels[0].removeprefix("internal-")
    return region, first.rsplit("-", 1)[0] if "-" in first else first


def _same_name(a: object, b: str) -> bool:
    return isinstance(a, str) and a.strip().lower().rstrip(".").removeprefix("dualstack.") == \
        b.strip().lower().rstrip(".").removeprefix("dualstack.")


def _matching(answer: Answer, key: str, dns: str) -> MDict | None:
    items = answer.document.get(key) if answer.document is not None else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, MDict) and _same_name(item.get("DNSName"), dns):
            return item
    return None


def balancer_by_dns(source: Source, dns: str) -> LoadBalancer | None:
    """The load balancer whose DNS name is `dns`, with its listeners and groups; None when `dns` is no ELB name."""
    place = elb_place(dns)
    if place is None:
        return None
    region, name = place
    lookups = (Call("elbv2", "DescribeLoadBalancers", region, (("Names", (name,)),)),
               Call("elb", "DescribeLoadBalancers", region, (("LoadBalancerNames", (name,)),)),
               Call("elbv2", "DescribeLoadBalancers", region, paged=True),
               Call("elb", "DescribeLoadBalancers", region, paged=True))
    for call in lookups:
        answer = source.ask(call)
        if answer.error and not answer.missing:
            return unread_load_balancer(dns, answer.reason)
        if answer.error:
            continue
        classic = call.service == "elb"
        item = _matching(answer, "LoadBalancerDescriptions" if classic else "LoadBalancers", dns)
        if item is not None:
            return _classic(source, answer, item, region) if classic else _v2(source, answer, item, region)
    return unread_load_balancer(dns, f"no load balancer of this account in {region} has the DNS name {dns}")


def balancer_by_arn(source: Source, arn: str) -> LoadBalancer:
    """An Application or Network Load Balancer by its ARN (a VPC origin's endpoint)."""
    region = arn_region(arn)
    answer = source.ask(Call("elbv2", "DescribeLoadBalancers", region, (("LoadBalancerArns", (arn,)),)))
    items = answer.document.get("LoadBalancers") if answer.document is not None else None
    item = items[0] if isinstance(items, list) and items and isinstance(items[0], MDict) else None
    if item is None:
        return unread_load_balancer(arn, answer.reason or f"no load balancer {arn}")
    return _v2(source, answer, item, region)


def _v2(source: Source, answer: Answer, item: MDict, region: str) -> LoadBalancer:
    balancer = load_balancer_v2(answer, item)
    arn = balancer.resource
    listeners = source.ask(Call("elbv2", "DescribeListeners", region, (("LoadBalancerArn", arn),), paged=True))
    items = listeners.document.get("Listeners") if listeners.document is not None else None
    if listeners.error or not isinstance(items, list):
        balancer.listeners = unread_listeners(arn, listeners.reason or "the answer holds no Listeners")
    for listener_item in items if isinstance(items, list) and not listeners.error else []:
        if not isinstance(listener_item, MDict):
            continue
        listener = listener_v2(listeners, listener_item)
        balancer.listeners.append(listener)
        if listener.protocol in _TLS:
            arns, unread = _listener_certificate_arns(source, listener_item, region)
            listener.certificate_arns = list(arns)
            listener.certificates = [certificate(source, a) for a in arns]
            if unread:
                listener.certificate_arns.append(Unknown(unread))
                listener.certificates.append(unread_certificate(listener.resource, unread))
    balancer.security_groups = security_groups(source, balancer.security_group_refs, region)
    return balancer


def _listener_certificate_arns(source: Source, item: MDict, region: str) -> tuple[list[str], str]:
    """The certificates of a TLS listener (the default and those added for SNI), and why some are unknown."""
    found: list[str] = []
    for entry in item.get("Certificates") or []:
        if isinstance(entry, MDict) and isinstance(entry.get("CertificateArn"), str):
            found.append(entry["CertificateArn"])
    answer = source.ask(Call("elbv2", "DescribeListenerCertificates", region,
                             (("ListenerArn", str(item.get("ListenerArn") or "")),), paged=True))
    entries = answer.document.get("Certificates") if answer.document is not None else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, MDict) and isinstance(entry.get("CertificateArn"), str):
            found.append(entry["CertificateArn"])
    return list(dict.fromkeys(found)), answer.reason


def _classic(source: Source, answer: Answer, item: MDict, region: str) -> LoadBalancer:
    balancer, arns = classic_load_balancer(answer, item)
    known = {arn: certificate(source, arn) for arn in dict.fromkeys(arns)}
    for listener in balancer.listeners:
        listener.certificates = [known[a] for a in listener.certificate_arns if isinstance(a, str) and a in known]
    balancer.security_groups = security_groups(source, balancer.security_group_refs, region)
    return balancer


def security_groups(source: Source, refs: list[Scalar], region: str) -> list[SecurityGroup]:
    """The groups `refs` names, in that order; one that could not be read stands with its rules Unknown."""
    ids = [ref for ref in refs if isinstance(ref, str)]
    if not ids:
        return []
    answer = source.ask(Call("ec2", "DescribeSecurityGroups", region, (("GroupIds", tuple(sorted(set(ids)))),)))
    items = answer.document.get("SecurityGroups") if answer.document is not None else None
    found = {str(i.get("GroupId")): security_group(answer, i) for i in items if isinstance(i, MDict)} \
        if isinstance(items, list) else {}
    return [found.get(ref) or unread_security_group(ref, answer.reason or f"security group {ref} was not found")
            for ref in ids]


def certificate(source: Source, arn: str) -> Certificate:
    """An ACM certificate by ARN (in its own Region), or an IAM server certificate by ARN."""
    if ":acm:" in arn:
        answer = source.ask(Call("acm", "DescribeCertificate", arn_region(arn), (("CertificateArn", arn),)))
        return unread_certificate(arn, answer.reason) if answer.error else acm_certificate(answer, arn)
    if ":iam:" in arn and ":server-certificate/" in arn:
        return server_certificate_named(source, arn.rsplit("/", 1)[-1], arn)
    return unread_certificate(arn, f"{arn} is neither an ACM nor an IAM certificate ARN")


def server_certificate_named(source: Source, name: str, resource: str) -> Certificate:
    answer = source.ask(Call("iam", "GetServerCertificate", "", (("ServerCertificateName", name),)))
    return unread_certificate(resource, answer.reason) if answer.error else server_certificate(answer, resource)


def server_certificate_by_id(source: Source, certificate_id: str) -> Certificate:
    """The viewer's IAM server certificate: found by its id through ListServerCertificates, then read."""
    listing = source.ask(Call("iam", "ListServerCertificates", "", paged=True))
    if listing.error:
        return unread_certificate(certificate_id, listing.reason)
    items = listing.document.get("ServerCertificateMetadataList") if listing.document is not None else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, MDict) and item.get("ServerCertificateId") == certificate_id:
            return server_certificate_named(source, str(item.get("ServerCertificateName")), certificate_id)
    return unread_certificate(certificate_id, f"no IAM server certificate of this account has the id {certificate_id}")
