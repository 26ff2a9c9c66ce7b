"""Alias facts: is each alternate domain name covered by the viewer certificate?"""

from __future__ import annotations

from policykit.core.values import Scalar, Unknown
from policykit.facts.hostnames import covered
from policykit.model.cloudfront import Alias


def viewer_certificate_names(alias: Alias) -> list[Scalar] | Unknown:
    """Names of the viewer certificate, when it is an ACM certificate declared in the template or module."""
    dist = alias.distribution
    viewer = dist.viewer_certificate if dist else None
    if viewer is None or viewer.certificate is None:
        return Unknown("the viewer certificate is not declared here")
    return [n for n in viewer.certificate.names if n is not None]


def covered_by_viewer_certificate(alias: Alias) -> bool | Unknown:
    """Does the viewer certificate declared here cover this alias (exact or one-level wildcard)?"""
    names = viewer_certificate_names(alias)
    if isinstance(names, Unknown):
        return names
    return covered(alias.name, names)
