"""What the AWS provider sends to CloudFront for a resource's arguments, where the HCL does not show it.

A distribution is judged on the configuration CloudFront receives. The provider picks among arguments (one
viewer certificate of three), leaves some out (a zero meaning "not set") and fills in defaults of its own: each
rule is a row of a table below, with the provider function it restates. A body is rewritten into what is sent
before the deploy-time scenarios are compared (policykit/terraform/load.py), so scenarios that send the same
configuration are one, and a finding's label names only inputs that change what is deployed.
"""

from __future__ import annotations

from collections.abc import Callable

from policykit.core.nodes import MDict, MList
from policykit.core.truth import Truth
from policykit.core.values import Partial, Unknown

# The certificate arguments the provider sends, first non-empty one wins; `cloudfront_default_certificate` is sent
# only when none is. expandViewerCertificate (internal/service/cloudfront/distribution_configuration_structure.go):
# `if iam_certificate_id != "" {IAMCertificateId} else if acm_certificate_arn != "" {ACMCertificateArn} else
# {CloudFrontDefaultCertificate}`.
CERTIFICATE_PRECEDENCE: dict[str, tuple[str, ...]] = {
    "aws_cloudfront_distribution": ("iam_certificate_id", "acm_certificate_arn"),
}
DEFAULT_CERTIFICATE = "cloudfront_default_certificate"

# Origin arguments the provider does not send when they hold this value. aws_cloudfront_distribution:
# `response_completion_timeout` "if omitted or explicitly set to 0, no maximum value is enforced" (the resource's
# documentation; expandOrigin sends it only when non-zero).
NOT_SENT: dict[str, dict[str, object]] = {
    "aws_cloudfront_distribution": {"response_completion_timeout": 0},
}

# Attributes of a resource that are never empty once it exists: an ARN or an id.
_NEVER_EMPTY = frozenset({"arn", "id"})


def as_sent(resource_type: str, body: object) -> object:
    """The resolved body as the provider sends it (a new body; the one given is not changed)."""
    if not isinstance(body, MDict):
        return body
    out = _copy(body)
    precedence = CERTIFICATE_PRECEDENCE.get(resource_type)
    if precedence:
        _each_block(out, "viewer_certificate", lambda block: _sent_certificate(block, precedence))
    not_sent = NOT_SENT.get(resource_type, {})
    if not_sent:
        _each_block(out, "origin", lambda block: _drop_values(block, not_sent))
    return out


def _copy(node: MDict) -> MDict:
    out = MDict(node.mark)
    for key, value in node.items():
        out.set(key, value, node.key_marks.get(key, node.mark), node.mark_of(key))
    return out


def _each_block(body: MDict, key: str, rewrite: Callable[[MDict], MDict]) -> None:
    """Replace each block under `key` (one mapping, or a list of them) by its rewritten copy."""
    value = body.get(key)
    if isinstance(value, MDict):
        body[key] = rewrite(_copy(value))
    elif isinstance(value, MList):
        items = MList(value.mark)
        for index, item in enumerate(value):
            items.add(rewrite(_copy(item)) if isinstance(item, MDict) else item, value.mark_of(index))
        body[key] = items


def _drop_values(block: MDict, not_sent: dict[str, object]) -> MDict:
    for key, value in not_sent.items():
        if key in block and block[key] == value and not isinstance(block[key], bool):
            del block[key]
    return block


def _sent_certificate(block: MDict, precedence: tuple[str, ...]) -> MDict:
    undecided: Unknown | None = None
    for position, key in enumerate(precedence):
        empty = is_empty(block.get(key))
        if empty is True:
            block.pop(key, None)  # an empty ARN or id is not sent
            continue
        if empty is False:  # this one is sent: the later ones and the default certificate are not
            for later in (*precedence[position + 1:], DEFAULT_CERTIFICATE):
                block.pop(later, None)
            return block
        undecided = undecided or Unknown(f"CloudFront gets the default certificate only when {key} is empty, "
                                         f"and it is not known: {empty.reason}")
    if undecided is not None and block.get(DEFAULT_CERTIFICATE) is True:
        block[DEFAULT_CERTIFICATE] = undecided
    return block


def is_empty(value: object) -> Truth:
    """Is an argument empty as the provider tests it (absent, null or "")? An ARN or id of a resource is not."""
    if value is None or value == "":
        return True
    if isinstance(value, str):
        return False
    if isinstance(value, Partial):
        return False if any(isinstance(p, str) and p for p in value.parts) else Unknown(value.reason)
    if isinstance(value, Unknown):
        if value.ref is not None and value.ref.attribute in _NEVER_EMPTY:
            return False
        return Unknown(value.reason or "the value is not known")
    return False
