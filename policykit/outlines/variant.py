"""One variant of a distribution (one deploy-time configuration) as hops and links: viewer names, the viewer
certificate, behaviors and their edge functions, origin groups, origins and, through policykit/outlines/behind.py,
what stands behind them. Facts say what the model alone does not (what a domain is, the names CloudFront sends)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from policykit.core.values import Unknown, reason_of
from policykit.facts import behaviors as behavior_facts
from policykit.facts import origins as origin_facts
from policykit.facts.indexes import targets_by_id
from policykit.facts.settings import SETTINGS
from policykit.facts.tls import https_listener, origin_names
from policykit.model.cloudfront import CacheBehavior, Distribution, Origin, OriginGroup
from policykit.model.related import LoadBalancer
from policykit.outlines.behind import BEHIND, generic, listener_key
from policykit.outlines.draft import Drafts, places, shown

if TYPE_CHECKING:
    from policykit.model.live import LiveOrigin

VIEWER = "viewer"
REQUEST_EVENTS = ("viewer-request", "origin-request")
RESPONSE_EVENTS = ("origin-response", "viewer-response")
# what an origin's domain is, in words (policykit/facts/hostnames.py ENDPOINT_PATTERNS)
ENDPOINT_WORDS = {
    "s3": "an S3 bucket's REST endpoint", "s3-website": "an S3 website endpoint", "elb": "a load balancer's name",
    "ec2": "an EC2 host name", "elastic-beanstalk": "an Elastic Beanstalk environment", "ip": "an IP address",
    "api-gateway": "an API Gateway endpoint", "lambda-url": "a Lambda function URL", "cloudfront": "a CloudFront name",
    "mediastore": "a MediaStore endpoint", "mediapackage": "a MediaPackage endpoint", "opensearch": "an OpenSearch "
    "endpoint", "global-accelerator": "a Global Accelerator", "app-runner": "an App Runner service",
    "amplify": "an Amplify app",
}


class Variant(Drafts):
    """The hops and links of one variant (one deploy-time configuration) of a distribution."""

    def __init__(self, dist: Distribution, live: Iterable[LiveOrigin]) -> None:
        super().__init__()
        self.dist = dist
        self.origin_keys: dict[int, str] = {}  # id() of an origin -> its hop
        self.live: dict[int, list[str]] = {}  # id() of an origin -> the subjects of what the probes saw there
        for lo in live:
            self.live.setdefault(id(lo.origin), []).extend([lo.label, *(name.label for name in lo.names)])

    def build(self) -> None:
        dist = self.dist
        self.viewer()
        for origin in dist.origins:
            self.origin(origin)
        for group in dist.origin_groups:
            key = f"group:{shown(group.id)}"
            self.hop(key, "origin_group", group.label, subjects=[group.label], places=places(group),
                     mentions=[group.label], lines=[f"members {shown(list(group.member_ids))}",
                                                    f"fails over on {shown(list(group.status_codes))}"])
            for member in group.member_ids:
                self.link(key, self.target_key(member, None))
        for behavior in dist.behaviors:
            self.behavior(behavior)
        if dist.behaviors.more is not None:
            self.hop("behavior:more", "behavior", "more behaviors", lines=["known at deployment"],
                     unknown=dist.behaviors.more.reason)
            self.link(VIEWER, "behavior:more")
        for name in origin_names(dist):  # the names an origin certificate must cover sit on its TLS hop
            if name.origin is not None and id(name.origin) in self.origin_keys:
                tls = self.hops.get(self.tls_key(name.origin)) or self.hops[self.origin_keys[id(name.origin)]]
                tls.subjects.append(name.label)

    def viewer(self) -> None:
        dist = self.dist
        for alias in dist.aliases:
            key = f"alias:{shown(alias.name)}"
            self.hop(key, "alias", alias.label, subjects=[alias.label], places=places(alias), mentions=[alias.label])
            self.link(key, VIEWER)
        if dist.aliases.more is not None:
            self.hop("alias:more", "alias", "more aliases", lines=["known at deployment"],
                     unknown=dist.aliases.more.reason)
            self.link("alias:more", VIEWER)
        self.hop("default_domain", "default_domain", "CloudFront name", lines=["dxxxxxxxx.cloudfront.net"])
        self.link("default_domain", VIEWER)
        cert = dist.viewer_certificate
        lines: list[str] = []
        if cert is None or cert.cloudfront_default is True or (
                cert.acm_certificate_arn is None and cert.iam_certificate_id is None):
            lines.append("CloudFront default certificate")
        elif cert.acm_certificate_arn is not None:
            lines.append(f"ACM {shown(cert.certificate.resource if cert.certificate else cert.acm_certificate_arn)}")
            if cert.certificate is not None:
                lines.append(f"covers {shown(cert.certificate.names)}")
        else:
            lines.append(f"IAM {shown(cert.iam_certificate_id)}")
        if cert is not None and cert.minimum_protocol_version is not None:
            lines.append(f"minimum {shown(cert.minimum_protocol_version)}")
        self.hop(VIEWER, "viewer_certificate", "viewer certificate", lines=lines, subjects=[dist.label],
                 places=[*places(dist), *places(cert), *places(cert.certificate if cert else None)],
                 mentions=[dist.label])

    def behavior(self, behavior: CacheBehavior) -> None:
        key = f"behavior:{behavior.label}"
        forwards = behavior_facts.forwards_host(behavior)
        lines = [f"path {'*' if behavior.is_default else shown(behavior.path_pattern)}",
                 f"viewer {shown(behavior.viewer_protocol_policy)}",
                 "forwards Host" if forwards is True else "Host forwarding unknown" if isinstance(forwards, Unknown)
                 else ""]
        self.hop(key, "behavior", behavior.label, lines=[line for line in lines if line],
                 subjects=[behavior.label], places=places(behavior), mentions=[behavior.label])
        self.link(VIEWER, key)
        chain = key
        lambdas = behavior.lambda_associations
        functions = [*((a, a.event_type, "Lambda@Edge", a.function, a.lambda_arn) for a in lambdas),
                     *((a, a.event_type, "CloudFront Function", a.function, a.function_arn)
                       for a in behavior.function_associations)]
        order = {event: index for index, event in enumerate((*REQUEST_EVENTS, *RESPONSE_EVENTS))}
        functions.sort(key=lambda item: order.get(item[1] if isinstance(item[1], str) else "", len(order)))
        for index, (association, event, platform, function, arn) in enumerate(functions):
            fn_key = f"function:{behavior.label}:{index}"
            named = shown(function.resource if function is not None else arn)
            self.hop(fn_key, "edge_function", f"{shown(event)} {platform}", lines=[named],
                     subjects=[association.label], places=[*places(association), *places(function)],
                     mentions=[named])
            if event in REQUEST_EVENTS:
                self.link(chain, fn_key)
                chain = fn_key
            else:
                self.link(key, fn_key)
        more = behavior.lambda_associations.more or behavior.function_associations.more
        if more is not None:
            self.hop(f"function:{behavior.label}:more", "edge_function", "more functions",
                     lines=["known at deployment"], unknown=more.reason)
            self.link(key, f"function:{behavior.label}:more")
        self.link(chain, self.target_key(behavior.target_origin_id, behavior))

    def target_key(self, target_id: object, behavior: CacheBehavior | None) -> str:
        """The hop a behavior (or an origin group) sends requests to; a made-up hop when no origin has that id."""
        if not isinstance(target_id, str):
            key = f"origin:{shown(target_id)}"
            self.hop(key, "origin", "origin known at deployment", lines=[shown(target_id)],
                     unknown=reason_of(target_id, "the target origin is not known"))
            return key
        target = targets_by_id(self.dist).get(target_id)
        if isinstance(target, OriginGroup):
            return f"group:{target_id}"
        if isinstance(target, Origin):
            return self.origin_keys[id(target)]
        key = f"missing:{target_id}"
        at = [behavior.location_of("target_origin_id")] if behavior is not None else []
        named = [behavior.label] if behavior is not None else []
        self.hop(key, "origin", f"origin '{target_id}'", lines=["no origin has this id"],
                 subjects=named, places=at, mentions=named)
        return key

    def origin(self, origin: Origin) -> None:
        key = f"origin:{shown(origin.id)}"
        while key in self.hops:  # a duplicated id (PK503): each origin is a hop
            key += "'"
        self.origin_keys[id(origin)] = key
        kind = origin_facts.endpoint_kind(origin)
        lines = [shown(origin.domain_name)]
        if isinstance(kind, str) and kind in ENDPOINT_WORDS:
            lines.append(ENDPOINT_WORDS[kind])
        lines.extend(_connection(origin))
        if origin.origin_path:
            lines.append(f"path {shown(origin.origin_path)}")
        headers = [place for header in origin.custom_headers for place in places(header)]
        self.hop(key, "origin", origin.label, lines=lines, places=[*places(origin), *headers],
                 subjects=[origin.label, *(f"{name} of {origin.label}" for _, name, *_ in SETTINGS),
                           *self.live.get(id(origin), [])],
                 mentions=[origin.label])
        for behind in BEHIND.get(type(origin.target), generic)(self, origin) if origin.target is not None else []:
            self.link(key, behind)
        if kind == "s3-website":
            site = f"s3-website:{key}"
            self.hop(site, "s3_website", "S3 website endpoint", lines=["HTTP only, on port 80"],
                     mentions=[origin.label])
            self.link(key, site)
        if origin.config_type == "vpc":
            vpc = f"vpc:{key}"
            self.hop(vpc, "vpc_origin", "VPC origin", lines=["a private endpoint in a VPC"],
                     places=[origin.location_of("config_type")], mentions=[origin.label])
            self.link(key, vpc)

    def tls_key(self, origin: Origin) -> str:
        """The deepest hop of an origin's TLS as declared here: the listener's first certificate, the listener,
        the load balancer, or the origin itself."""
        listener = https_listener(origin)
        if listener is not None and listener.certificates:
            return f"cert:{listener.certificates[0].resource}"
        if listener is not None:
            return listener_key(listener)
        target = origin.target
        return f"lb:{target.resource}" if isinstance(target, LoadBalancer) else self.origin_keys[id(origin)]


def _connection(origin: Origin) -> list[str]:
    """How CloudFront connects to an origin, and the names it sends (SNI and Host)."""
    if origin.config_type == "s3":
        return ["S3 origin: HTTPS on 443", f"SNI and Host {shown(origin.domain_name)}"]
    if origin.config_type == "vpc":
        return ["VPC origin"]
    policy = origin.protocol_policy
    ports = {"https-only": f"HTTPS on {shown(origin.https_port)}", "http-only": f"HTTP on {shown(origin.http_port)}",
             "match-viewer": f"as the viewer: HTTP {shown(origin.http_port)}, HTTPS {shown(origin.https_port)}"}
    lines = [ports.get(policy, f"protocol {shown(policy)}") if isinstance(policy, str) else f"protocol {shown(policy)}"]
    if origin.ssl_protocols is not None:
        lines.append(f"offers {shown(origin.ssl_protocols)}")
    forwards = origin_facts.forwards_host(origin)
    https = origin_facts.uses_https(origin)
    if isinstance(forwards, Unknown):
        lines.append("Host: the origin's or the viewer's (not known)")
    else:
        names = origin_facts.validated_names(origin) or ["dxxxxxxxx.cloudfront.net"]  # Host forwarded, no alias
        lines.append(f"{'SNI and Host' if https is True else 'Host'} {shown(names)}")
    return lines
