"""Origin TLS facts (policykit/facts/tls.py): the certificate an origin load balancer declared here presents and the
names CloudFront checks against it, and whether CloudFront and the listener's SslPolicy share a version and a
cipher; OriginSSLProtocols as written."""

from __future__ import annotations

import pytest

from policykit.core.values import Unknown
from policykit.facts.tls import (
    certificate_ids,
    cloudfront_protocols,
    common_ciphers,
    common_protocols,
    elb_ssl_policy,
    https_listener,
    name_covered,
    origin_certificate_names,
    origin_names,
    ssl_protocols_problem,
    tls_compatible,
)
from policykit.model.cloudfront import Origin
from tests.facts.helpers import distribution, origin
from tests.helpers import Write
from tests.templates import ALL_VIEWER, cfn_distribution, cfn_template

ALB_AND_CERTIFICATE = """\
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [subnet-1, subnet-2]}
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: origin.example.com, SubjectAlternativeNames: ['*.example.com']}
  Https:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 443
      Protocol: HTTPS
      Certificates: [{CertificateArn: !Ref Cert}]
      DefaultActions: [{Type: fixed-response, FixedResponseConfig: {StatusCode: '200'}}]
"""


def _text(ssl_policy: str = "", protocols: str = "", aliases: str = "", behavior: str = "") -> str:
    resources = ALB_AND_CERTIFICATE + (f"      SslPolicy: {ssl_policy}\n" if ssl_policy else "")
    return cfn_template(resources + cfn_distribution(
        "Site", "!GetAtt Alb.DNSName", custom_extra=f"              OriginSSLProtocols: {protocols}\n" if protocols
        else "", config_extra=f"        Aliases: {aliases}\n" if aliases else "", behavior_extra=behavior))


def _origin(write: Write, **kwargs: str) -> Origin:
    text = _text(**kwargs)
    return origin(write(f"t{abs(hash(text))}.yaml", text))


def test_the_certificate_an_origin_load_balancer_presents(write: Write) -> None:
    found = _origin(write)
    listener = https_listener(found)
    assert listener is not None and listener.port == 443
    assert origin_certificate_names(found) == ["origin.example.com", "*.example.com"]
    custom = origin(write("custom.yaml", cfn_template(cfn_distribution("Site"))))
    assert https_listener(custom) is None and isinstance(origin_certificate_names(custom), Unknown)


def test_the_names_cloudfront_checks_and_whether_the_certificate_covers_them(write: Write) -> None:
    # Host not forwarded: the origin domain (the load balancer's name) is checked, and it is not on the certificate
    text = _text(aliases="[www.example.com, shop.other.com]")
    (domain,) = origin_names(distribution(write("a.yaml", text)))
    assert domain.source == "origin domain" and isinstance(name_covered(domain), Unknown)  # a generated name
    assert certificate_ids(domain) == ["Cert"]
    # Host forwarded: each alias is checked
    text = _text(aliases="[www.example.com, shop.other.com]",
                 behavior=f"          OriginRequestPolicyId: {ALL_VIEWER}\n")
    names = origin_names(distribution(write("b.yaml", text)))
    assert [(n.name, n.source) for n in names] == [("www.example.com", "alias (Host forwarded)"),
                                                   ("shop.other.com", "alias (Host forwarded)")]
    assert [name_covered(n) for n in names] == [True, False]


@pytest.mark.parametrize(("ssl_policy", "named", "compatible"), [
    ("", "ELBSecurityPolicy-2016-08", True),  # the API default when omitted
    ("ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-2021-06", True),
    ("ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", False),  # TLS 1.3 only
])
def test_a_version_and_a_cipher_in_common(write: Write, ssl_policy: str, named: str, compatible: bool) -> None:
    found = _origin(write, ssl_policy=ssl_policy)
    assert elb_ssl_policy(found) == named
    assert tls_compatible(found) is compatible
    assert bool(common_protocols(found)) is compatible and bool(common_ciphers(found)) is compatible


def test_what_cloudfront_offers_is_origin_ssl_protocols(write: Write) -> None:
    assert cloudfront_protocols(_origin(write)) == ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"]  # when not written
    assert cloudfront_protocols(_origin(write, protocols="[TLSv1.2]")) == ["TLSv1.2"]
    only_old = _origin(write, protocols="[TLSv1]", ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06")
    assert common_protocols(only_old) == [] and tls_compatible(only_old) is False
    unknown_policy = _origin(write, ssl_policy="ELBSecurityPolicy-Nonexistent")
    assert isinstance(tls_compatible(unknown_policy), Unknown)
    assert tls_compatible(origin(write("custom.yaml", cfn_template(cfn_distribution("Site"))))) is True


@pytest.mark.parametrize(("protocols", "problem"), [
    ("", None),
    ("[TLSv1.2]", None),
    ("[TLSv1, TLSv1.1]", "without TLSv1.2 a modern origin refuses the handshake (502)"),
    ("[SSLv3, TLSv1.2]", "the list has TLSv1.2, so modern origins still complete the handshake, but SSLv3 is broken "
                         "(POODLE) and should not be offered"),
    ("[SSLv3]", "without TLSv1.2 a modern origin refuses the handshake (502), and SSLv3 is broken (POODLE); with "
                "nothing else newer it makes CloudFront send SSLv3-only handshakes"),
])
def test_ssl_protocols_problem(write: Write, protocols: str, problem: str | None) -> None:
    assert ssl_protocols_problem(_origin(write, protocols=protocols)) == problem
