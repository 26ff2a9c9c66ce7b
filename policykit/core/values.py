"""Values that may not be known before deployment, and three-valued logic over them.

A template value is either known (str, int, bool, list, dict, None), or `Unknown`
(a parameter without default, an import, a resource attribute...), or `Partial`
(a string some of whose pieces are known, e.g. `${Bucket}.s3-website-${AWS::Region}.amazonaws.com`).
Policies never produce an error finding over an unknown value: see policykit/core/truth.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import field
from typing import TypeVar

from policykit.core.location import Location
from policykit.core.record import record

_T = TypeVar("_T")


@record
class ResourceAttr:
    """A reference to a resource in the same template or module, e.g. `Alb.DNSName`."""

    resource: str
    attribute: str = ""  # "" for `Ref`

    def __str__(self) -> str:
        return f"{self.resource}.{self.attribute}" if self.attribute else self.resource


@record
class Unknown:
    """A value that cannot be known from the template; `reason` says why, for the user."""

    reason: str
    ref: ResourceAttr | None = None
    name: str = ""  # what the value stands for in messages: a parameter, `AWS::Region`, `var.env`
    # where the unknown value is written, when the reader knows (not part of its identity)
    at: Location | None = field(default=None, compare=False, repr=False)
    # how a message shows it when `${name}` alone would mislead (a piece that also covers a separator); display only
    shown: str = field(default="", compare=False, repr=False)

    @property
    def placeholder(self) -> str:
        """How a message shows this piece of a partly known name: `${OriginParam}`, `${Alb}`."""
        return self.shown or "${" + (self.name or (str(self.ref) if self.ref else "?")) + "}"

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


@record
class UnknownAddress(Unknown):
    """An IP address known only at deployment (`!GetAtt Instance.PublicIp`, a single-instance Elastic
    Beanstalk environment's EndpointURL): which address is unknown, that it is an address is not."""


@record
class FileText(Unknown):
    """What Terraform's `file(PATH)` reads: unknown to every policy and report (no file's content reaches a
    finding), and read from `base / path` only where policykit runs a function's code (`scan --edge`)."""

    path: str = ""
    base: str = ""  # the directory PATH is relative to: the module's (`${path.module}` is ".")


@record
class Partial:
    """A string made of known text and unknown pieces."""

    parts: tuple[str | Unknown, ...]

    @property
    def refs(self) -> tuple[ResourceAttr, ...]:
        return tuple(p.ref for p in self.parts if isinstance(p, Unknown) and p.ref)

    @property
    def reason(self) -> str:
        return "; ".join(p.reason for p in self.parts if isinstance(p, Unknown))

    def pattern(self) -> re.Pattern[str]:
        """A regex matching every string this value could be (unknown pieces match anything)."""
        return re.compile(
            "".join(re.escape(p) if isinstance(p, str) else ".*" for p in self.parts), re.DOTALL
        )

    def __str__(self) -> str:
        return "".join(p if isinstance(p, str) else p.placeholder for p in self.parts)


class MaybeMore(list[_T]):
    """A list of the items known before deployment, and maybe more (`more` says why).

    `more` is None when the list is complete. Dynamic blocks, `for_each`/`count` over
    unknowns, `Fn::If` items and `!Ref ListParam` make lists that may hold more than is
    written; a quantifier over such a list answers unknown unless a known item decides it.
    """

    more: Unknown | None

    def __init__(self, items: Iterable[_T] = (), more: Unknown | None = None) -> None:
        super().__init__(items)
        self.more = more

    def maybe(self, more: Unknown | None) -> MaybeMore[_T]:
        """Mark the list as maybe longer (keeps the first reason)."""
        if self.more is None:
            self.more = more
        return self


def joined(*lists: Iterable[_T]) -> MaybeMore[_T]:
    """The items of the lists in order; maybe more when any of them may hold more."""
    out: MaybeMore[_T] = MaybeMore()
    for items in lists:
        out.extend(items)
        out.maybe(getattr(items, "more", None))
    return out


# What a field holds: its value, or what is known of it (Unknown with a reason, a Partial string).
Text = str | Unknown | Partial
Number = int | Unknown
Flag = bool | Unknown
# A scalar as a template writes it (numbers and booleans too), before a field gives it a type.
Scalar = str | int | float | bool | Unknown | Partial | None


def make_string(parts: list[str | Unknown]) -> str | Partial:
    """Join pieces; merge adjacent text; a string when every piece is known."""
    merged: list[str | Unknown] = []
    run: list[str] = []  # adjacent text, joined once (adding strings one by one is quadratic)
    for part in parts:
        if isinstance(part, str):
            run.append(part)
            continue
        if run:
            merged.append("".join(run))
            run = []
        merged.append(part)
    text = "".join(run)
    if not merged:
        return text
    if text:
        merged.append(text)
    return Partial(tuple(p for p in merged if p != ""))


def reason_of(value: object, otherwise: str) -> str:
    """Why `value` is not known (an `Unknown` or `Partial` says), or `otherwise` for any other value."""
    return value.reason if isinstance(value, (Unknown, Partial)) else otherwise


def is_known(value: object) -> bool:
    """True when the value, and everything inside it, is known."""
    if isinstance(value, (Unknown, Partial)):
        return False
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(is_known(v) for v in value)
    return True


def unknown_reason(value: object) -> str:
    """Why a value (or something inside it) is unknown."""
    if isinstance(value, (Unknown, Partial)):
        return value.reason
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for item in value:
            if not is_known(item):
                return unknown_reason(item)
    return ""
