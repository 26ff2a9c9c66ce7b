"""How a resolved value points at a resource of the same template or module."""

from __future__ import annotations

from policykit.core.values import Partial, ResourceAttr, Unknown


def ref_target(value: object) -> ResourceAttr | None:
    """The resource a resolved value refers to (`!Ref X`, `!GetAtt X.Y`, `${X.Y}` in a string, `aws_lb.x.dns_name`)."""
    if isinstance(value, Unknown):
        return value.ref
    if isinstance(value, Partial) and value.refs:
        return value.refs[0]
    return None
