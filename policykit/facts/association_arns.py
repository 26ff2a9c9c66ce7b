"""What the function ARN of a Lambda@Edge association names: a version, an alias, $LATEST, an unqualified
ARN or a bare function name (CloudFront accepts only a numbered version)."""

from __future__ import annotations

import re

from policykit.core.patterns import lazy_pattern
from policykit.core.values import Partial, Unknown, reason_of
from policykit.model.cloudfront import EdgeAssociation

_QUALIFIER = lazy_pattern(r":function:[^:]+:(?P<qualifier>[^:]+)$")
_UNQUALIFIED = lazy_pattern(r":function:[^:]+$")


def arn_kind(association: EdgeAssociation) -> str | Unknown:
    """What the function ARN names: version, latest, alias, unqualified, function-name (or Unknown)."""
    if association.arn_source:
        return str(association.arn_source)
    return classify_arn(association.lambda_arn)


def classify_arn(arn: object) -> str | Unknown:
    if isinstance(arn, Partial):
        last = arn.parts[-1]
        if isinstance(last, str) and re.search(r":\d+$", last):
            return "version"
        if isinstance(last, str) and last.endswith(":$LATEST"):
            return "latest"
        return Unknown(arn.reason or "the function ARN is only partly known")
    if not isinstance(arn, str):
        return Unknown(reason_of(arn, "the function ARN is not known"))
    match = _QUALIFIER().search(arn)
    if match:
        qualifier = match.group("qualifier")
        if qualifier.isdigit():
            return "version"
        return "latest" if qualifier == "$LATEST" else "alias"
    if _UNQUALIFIED().search(arn):
        return "unqualified"
    return Unknown("the function ARN has an unexpected form") if arn.startswith("arn:") else "function-name"
