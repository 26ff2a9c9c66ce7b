"""What evaluating a Terraform expression gives: a value Terraform would give, `Unknown`, `Partial`, or
`Invalid` (a value Terraform would refuse), and the conversions the evaluator and the functions share."""

from __future__ import annotations

import re
from typing import TypeGuard

from policykit.core.record import record
from policykit.core.values import Partial, Unknown, is_known, unknown_reason

# What an expression evaluates to: an HCL value (null, a bool, a number, a string, a list or tuple, a map or
# object: plain lists and dicts, or the marked MList/MDict a resolved body keeps its positions in), a string
# some of whose pieces are unknown (`Partial`), or `Unknown` (its kinds: `Invalid` below, FileText, OtherValue,
# UnknownAddress). Raw bodies are made of the same kinds (strings are templates there).
Value = str | int | float | bool | None | Unknown | Partial | list["Value"] | dict[str, "Value"]


@record
class Invalid(Unknown):
    """A value Terraform would refuse (a missing attribute, a wrong type, a bad function argument)."""


def reason_of(value: Value, fallback: str) -> str:
    return (value.reason if isinstance(value, (Unknown, Partial)) else "") or fallback


def unknown_of(value: Value, fallback: str, what: str = "") -> Unknown:
    """The Unknown standing for an operation over `value`: an Invalid stays invalid (try() skips it);
    `what` (the expression, as written) comes first in the reason."""
    reason = what + (reason_of(value, fallback) or "its value is not known")
    return Invalid(reason) if isinstance(value, Invalid) else Unknown(reason)


def first_unknown(values: list[Value], fallback: str) -> Unknown:
    for value in values:
        if not is_known(value):
            return unknown_of(value, unknown_reason(value) or fallback)
    return Unknown(fallback)


def is_number(value: Value) -> TypeGuard[int | float]:
    """A number (true and false are not, though Python counts them as ints)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def text_of(value: Value) -> str | None:
    """How a template or string function shows a primitive (Terraform's automatic conversion)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    return None


def to_number(value: Value) -> Value:
    """Terraform converts a numeric string for arithmetic ("2" + 1 is 3)."""
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,300}(\.\d{1,300})?", value):
        return float(value) if "." in value else int(value)
    return value
