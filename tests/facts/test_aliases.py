"""Alias facts (policykit/facts/aliases.py): the certificate declared here that serves each alternate domain name,
and whether it covers the name (exact, or a one-label wildcard)."""

from __future__ import annotations

from policykit.core.values import Unknown
from policykit.facts.aliases import (
    covered_by_viewer_certificate,
    rejected,
    viewer_certificate_names,
    viewer_certificate_resource,
)
from policykit.model.cloudfront import Alias
from tests.facts.helpers import distribution
from tests.helpers import Write
from tests.templates import cfn_distribution, cfn_template

CERTIFICATE = """\
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: www.example.com, SubjectAlternativeNames: ['*.shop.example.com']}
"""


def _aliases(write: Write, names: str, certificate: str = "!Ref Cert") -> list[Alias]:
    config = (f"        Aliases: {names}\n        ViewerCertificate: {{AcmCertificateArn: {certificate}, "
              "SslSupportMethod: sni-only}\n")
    text = cfn_template(CERTIFICATE + cfn_distribution("Site", config_extra=config))
    return list(distribution(write(f"a{abs(hash(text))}.yaml", text)).aliases)


def test_the_declared_viewer_certificate_covers_an_alias_exactly_or_by_one_wildcard_label(write: Write) -> None:
    found = _aliases(write, "[www.example.com, a.shop.example.com, b.a.shop.example.com, api.example.com]")
    assert [covered_by_viewer_certificate(a) for a in found] == [True, True, False, False]
    assert viewer_certificate_names(found[0]) == ["www.example.com", "*.shop.example.com"]
    assert viewer_certificate_resource(found[0]) == "Cert"
    assert rejected(found[0]) == "the distribution"


def test_a_viewer_certificate_not_declared_here_is_unknown(write: Write) -> None:
    (alias,) = _aliases(write, "[www.example.com]", "arn:aws:acm:us-east-1:123456789012:certificate/abc")
    assert viewer_certificate_names(alias) == Unknown("the viewer certificate is not declared here")
    assert isinstance(covered_by_viewer_certificate(alias), Unknown)
    assert viewer_certificate_resource(alias) == "(not declared here)"
