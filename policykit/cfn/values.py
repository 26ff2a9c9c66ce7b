"""What CloudFormation values are to policykit: what the resolver makes of a template's nodes (`Resolved`),
and the value a parameter takes in one deploy-time scenario (`Choice`). A node as written is
`policykit.core.nodes.Node`."""

from __future__ import annotations

from policykit.core.nodes import MDict, MList
from policykit.core.values import Partial, Unknown
from policykit.scenarios import Other


class NoValue:
    """`AWS::NoValue`: the property is removed."""


NO_VALUE = NoValue()

# A node with every intrinsic function evaluated: a marked mapping or list (of resolved values), a scalar, a
# value known only at deployment (`Unknown`) or in part (`Partial`), or `NO_VALUE`, which removes the property.
Resolved = MDict | MList | str | int | float | bool | None | Unknown | Partial | NoValue

# A parameter's value in one deploy-time scenario: text (CloudFormation parameters are strings), or `Other`:
# any value but the literals its conditions compare it to.
Choice = str | Other
Choices = dict[str, Choice]
