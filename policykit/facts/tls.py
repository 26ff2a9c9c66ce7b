"""Origin TLS facts: which certificate names the origin presents, and whether CloudFront and the
origin load balancer's security policy share a protocol and a cipher.

Tables: `elb_tls_policies.json` (ELB security policies) and `cloudfront_origin_tls.json`
(what CloudFront offers to origins), both package data.
"""

from __future__ import annotations

from typing import TypedDict

from policykit.core.data import load
from policykit.core.truth import Truth, any_true
from policykit.core.values import Scalar, Text, Unknown, reason_of
from policykit.facts import behaviors as behavior_facts
from policykit.facts import origins as origin_facts
from policykit.facts.hostnames import covered
from policykit.facts.load_balancers import load_balancer
from policykit.model.cloudfront import Distribution, Origin
from policykit.model.derived import OriginName
from policykit.model.related import Certificate, Listener

# What the ELB API, CloudFormation and Terraform use when SslPolicy is omitted.
DEFAULT_ELB_POLICY = "ELBSecurityPolicy-2016-08"
_TLS_LISTENER = {"HTTPS", "TLS", "SSL"}


class TlsPolicy(TypedDict):
    """What an ELB security policy allows: the fields policykit reads of an entry of `elb_tls_policies.json`."""

    protocols: list[str]
    ciphers: list[str]


def https_listeners(origin: Origin) -> list[Listener] | Unknown:
    """Listeners of the origin load balancer that terminate TLS on the origin's HTTPS port."""
    balancer = load_balancer(origin)
    if balancer is None:
        return Unknown("the origin is not a load balancer declared here")
    port = origin.https_port
    if not isinstance(port, int) or isinstance(port, bool):
        return Unknown(reason_of(port, "the origin HTTPS port is not known"))
    found: list[Listener] = []
    for listener in balancer.listeners:
        if not isinstance(listener.port, int) or not isinstance(listener.protocol, str):
            unknown = listener.port if not isinstance(listener.port, int) else listener.protocol
            return Unknown(reason_of(unknown, "a listener port or protocol is not known"))
        if listener.port == port and listener.protocol in _TLS_LISTENER:
            found.append(listener)
    if not found:
        return Unknown(f"no TLS listener on port {port} of {balancer.resource} is declared here")
    return found


def https_listener(origin: Origin) -> Listener | None:
    """The origin load balancer's TLS listener on the origin's HTTPS port (declared here), if any."""
    listeners = https_listeners(origin)
    return None if isinstance(listeners, Unknown) else listeners[0]


def origin_certificates(origin: Origin) -> list[Certificate] | Unknown:
    """ACM certificates declared here that the origin load balancer's HTTPS listener presents."""
    listeners = https_listeners(origin)
    if isinstance(listeners, Unknown):
        return listeners
    certificates: list[Certificate] = []
    for listener in listeners:
        if not listener.certificate_arns or len(listener.certificates) != len(listener.certificate_arns):
            return Unknown("a listener certificate is not declared here")
        certificates.extend(listener.certificates)
    return certificates


def origin_certificate_names(origin: Origin) -> list[Scalar] | Unknown:
    """Names (DomainName and SANs) of the certificates the origin load balancer presents, when declared here."""
    certificates = origin_certificates(origin)
    if isinstance(certificates, Unknown):
        return certificates
    return [n for c in certificates for n in c.names if n is not None]


def _needed(values: list[Truth], want: bool, more: Unknown | None) -> Truth:
    """True if a behavior's Host forwarding is `want`; Unknown if one is undecided or may exist; else False."""
    return any_true((v if isinstance(v, Unknown) else v is want for v in values), more=more)


def origin_names(dist: Distribution) -> list[OriginName]:
    """One object per (HTTPS origin, name CloudFront validates its certificate against)."""
    out: list[OriginName] = []
    for origin in dist.origins:
        if origin_facts.uses_https(origin) is not True or load_balancer(origin) is None:
            continue  # the origin certificate is only known from a load balancer declared here
        certificates = origin_certificates(origin)
        names = origin_certificate_names(origin)
        kept = [] if isinstance(certificates, Unknown) else certificates
        reaching = origin_facts.behaviors(origin)
        forwarding = [behavior_facts.forwards_host(b) for b in reaching]
        # Host not forwarded by some behavior (or no behavior at all): the origin domain is checked
        domain_needed = _needed(forwarding, False, reaching.more) if forwarding else True
        if domain_needed is not False:
            out.append(OriginName(origin=origin, name=origin.domain_name, source="origin domain",
                                  needed=domain_needed, certificate_names=names, certificates=kept,
                                  resource=dist.resource, loc=origin.location_of("domain_name")))
        aliases_needed = _needed(forwarding, True, reaching.more)
        if aliases_needed is not False:
            out.extend(OriginName(origin=origin, name=alias.name, source="alias (Host forwarded)",
                                  needed=aliases_needed, certificate_names=names, certificates=kept,
                                  resource=dist.resource, loc=alias.loc) for alias in dist.aliases)
    return out


def name_covered(item: OriginName) -> Truth:
    """Does a certificate of the origin (declared here) cover this name (exact or one-label wildcard)?"""
    if isinstance(item.needed, Unknown):
        return item.needed  # whether CloudFront checks this name depends on an unknown Host forwarding
    if isinstance(item.certificate_names, Unknown):
        return item.certificate_names
    return covered(item.name, list(item.certificate_names or []))


def certificate_ids(item: OriginName) -> list[str]:
    """Logical ids (or addresses) of the origin certificates the name was checked against."""
    return [c.resource for c in item.certificates]


def elb_ssl_policy(origin: Origin) -> str | Unknown:
    """The security policy of the origin load balancer's HTTPS listener (the API default when omitted)."""
    listeners = https_listeners(origin)
    if isinstance(listeners, Unknown):
        return listeners
    names = {_policy_name(listener) for listener in listeners}
    if len(names) != 1:
        return Unknown("several TLS listeners on the port")
    name = names.pop()
    return name if isinstance(name, str) else Unknown(reason_of(name, "the SslPolicy is not known"))


def _policy_name(listener: Listener) -> Text:
    return DEFAULT_ELB_POLICY if listener.ssl_policy is None else listener.ssl_policy


def cloudfront_protocols(origin: Origin) -> list[str] | Unknown:
    """Protocols CloudFront offers this origin: OriginSSLProtocols, or all it supports when not written."""
    offered = origin.ssl_protocols
    if offered is None:
        return list(load("cloudfront_origin_tls.json")["protocols"])
    if isinstance(offered, Unknown) or not all(isinstance(p, str) for p in offered):
        return Unknown(reason_of(offered, "OriginSSLProtocols is not known"))
    return [str(p) for p in offered]


def ssl_protocols_problem(origin: Origin) -> str | Unknown | None:
    """What is wrong with the written OriginSSLProtocols (no TLSv1.2, SSLv3 offered), in words; None when nothing."""
    offered = origin.ssl_protocols
    if offered is None:
        return None
    if isinstance(offered, Unknown) or not all(isinstance(p, str) for p in offered):
        return Unknown(reason_of(offered, "OriginSSLProtocols is not known"))
    without_tls12 = "TLSv1.2" not in offered
    sslv3 = "SSLv3" in offered
    if without_tls12 and sslv3:
        return ("without TLSv1.2 a modern origin refuses the handshake (502), and SSLv3 is broken (POODLE); "
                "with nothing else newer it makes CloudFront send SSLv3-only handshakes")
    if without_tls12:
        return "without TLSv1.2 a modern origin refuses the handshake (502)"
    if sslv3:
        return ("the list has TLSv1.2, so modern origins still complete the handshake, but SSLv3 is broken "
                "(POODLE) and should not be offered")
    return None


def _policy(origin: Origin) -> TlsPolicy | Unknown:
    name = elb_ssl_policy(origin)
    if isinstance(name, Unknown):
        return name
    entry: TlsPolicy | None = load("elb_tls_policies.json")["policies"].get(name)
    if entry is None:
        return Unknown(f"security policy {name} is not in policykit's table")
    return entry


def common_protocols(origin: Origin) -> list[str] | Unknown:
    """TLS versions both CloudFront (OriginSSLProtocols) and the origin listener's SslPolicy allow."""
    entry, offered = _policy(origin), cloudfront_protocols(origin)
    if isinstance(entry, Unknown):
        return entry
    if isinstance(offered, Unknown):
        return offered
    return [p for p in offered if p in entry["protocols"]]


def common_ciphers(origin: Origin) -> list[str] | Unknown:
    """TLS 1.2-and-older cipher suites both CloudFront and the origin listener's SslPolicy allow."""
    entry = _policy(origin)
    if isinstance(entry, Unknown):
        return entry
    offered = load("cloudfront_origin_tls.json")["ciphers"]
    return [c for c in offered if c in entry["ciphers"]]


def tls_compatible(origin: Origin) -> Truth:
    """Can CloudFront and the origin load balancer (declared here) agree on a TLS version and a cipher?"""
    if load_balancer(origin) is None or origin_facts.uses_https(origin) is False:
        return True  # not an origin load balancer declared here, or no TLS at all: nothing to disagree on
    https = origin_facts.uses_https(origin)
    if isinstance(https, Unknown):
        return https
    protocols, ciphers = common_protocols(origin), common_ciphers(origin)
    if isinstance(protocols, Unknown):
        return protocols
    if isinstance(ciphers, Unknown):
        return ciphers
    return bool(protocols) and bool(ciphers)
