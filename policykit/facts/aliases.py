"""Alias facts: is each alternate domain name (or a multi-tenant distribution's tenant domain) covered by the
certificate it is served with?"""

from __future__ import annotations

from policykit.core.values import Scalar, Unknown
from policykit.facts.hostnames import covered
from policykit.model.cloudfront import Alias
from policykit.model.related import Certificate


def _certificate(alias: Alias) -> Certificate | Unknown:
    """The certificate declared here that serves the alias: its tenant's own, else the distribution's."""
    tenant = alias.tenant
    if tenant is not None:
        if tenant.certificate is not None:
            return tenant.certificate
        if tenant.certificate_arn is not None:
            return Unknown(f"the certificate of tenant {tenant.resource} is not declared here")
        if tenant.managed_certificate:
            return Unknown(f"CloudFront issues the certificate of tenant {tenant.resource} (ManagedCertificateRequest)")
    dist = alias.distribution
    viewer = dist.viewer_certificate if dist else None
    if viewer is None or viewer.certificate is None:
        return Unknown("the viewer certificate is not declared here")
    return viewer.certificate


def viewer_certificate_names(alias: Alias) -> list[Scalar] | Unknown:
    """Names of the certificate serving the alias (its tenant's, else the distribution's viewer certificate), when
    it is an ACM certificate declared in the template or module."""
    certificate = _certificate(alias)
    if isinstance(certificate, Unknown):
        return certificate
    return [n for n in certificate.names if n is not None]


def viewer_certificate_resource(alias: Alias) -> str:
    """The logical id (or address) of the certificate serving the alias, for messages."""
    certificate = _certificate(alias)
    return "(not declared here)" if isinstance(certificate, Unknown) else certificate.resource


def covered_by_viewer_certificate(alias: Alias) -> bool | Unknown:
    """Does the certificate declared here that serves the alias cover it (exact or one-level wildcard)?"""
    names = viewer_certificate_names(alias)
    if isinstance(names, Unknown):
        return names
    return covered(alias.name, names)


def rejected(alias: Alias) -> str:
    """What CloudFront refuses when the name is not covered: the distribution, or the tenant whose domain it is."""
    return f"tenant {alias.tenant.resource}" if alias.tenant is not None else "the distribution"
