"""The bounds on what one scan reads and builds that a large repository may outgrow.

Each is named in the error (or note) that reports it, with how to raise it: `--limit NAME=N` on the
command line or `limits: {NAME: N}` in `.policykit.yaml` (the command line wins). The bounds that guard
against recursion and hostile shapes (nesting depth, reference chains, integer digits) stay fixed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from policykit.core.record import record

MIB = 1024 * 1024


@record
class Limits:
    """One scan's limits (the defaults below, or raised); `LIMITS` reads the running scan's."""

    file_bytes: int = 16 * MIB  # one input file or standard input (CloudFormation accepts 1 MB; plans are larger)
    document_values: int = 2_000_000  # values of one YAML document, aliases expanded
    alias_chars: int = 4 * MIB  # characters of text that YAML aliases repeat in one document
    cfn_string_chars: int = 1_000_000  # characters of one string Fn::Join / Fn::Sub builds
    terraform_steps: int = 2_000_000  # expressions evaluated, items built, iterations, per root module
    terraform_string_bytes: int = 32 * MIB  # bytes of the strings one root module's evaluation builds
    terraform_items: int = 200_000  # items of one evaluated Terraform value, nested ones counted
    scenarios: int = 256  # deploy-time combinations analysed per distribution (past it: one input at a time)


NAMES = tuple(f.name for f in dataclasses.fields(Limits))
# How far each may be raised: past these a scan would take hours or all the memory there is, which is no bound.
CEILINGS = {"file_bytes": 1024 * MIB, "document_values": 200_000_000, "alias_chars": 1024 * MIB,
            "cfn_string_chars": 100_000_000, "terraform_steps": 2_000_000_000, "terraform_string_bytes": 1024 * MIB,
            "terraform_items": 100_000_000, "scenarios": 65_536}
DEFAULTS = Limits()


def hint(name: str) -> str:
    """How an error names the limit it reached: `the file_bytes limit (--limit file_bytes=N raises it)`."""
    return f"the {name} limit (--limit {name}=N raises it)"


def parse(values: Mapping[str, object], where: str) -> dict[str, int]:
    """Limits as written (`--limit` or the configuration): known names, whole numbers of at least 1.
    Raises ValueError with the message for the user; `where` is the option or key they came from."""
    import difflib

    out: dict[str, int] = {}
    for name, value in values.items():
        if name not in NAMES:
            close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else f" (limits: {', '.join(NAMES)})"
            raise ValueError(f"{where}: no limit '{name}'{hint}")
        number = _whole(value)
        if number is None or number < 1:
            raise ValueError(f"{where}: limit {name} takes a whole number of at least 1, not '{value}'")
        if number > CEILINGS[name]:
            raise ValueError(f"{where}: limit {name} can be raised to {CEILINGS[name]:,} at most, not {number:,}")
        out[name] = number
    return out


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().replace("_", "").isdigit() and len(value) <= 20:
        return int(value.strip().replace("_", ""))
    return None


class _Current:
    """The limits of the scan running in this context (`applied` sets them; a thread or task of its own starts
    from the defaults): `LIMITS.file_bytes` reads them, and nothing can assign to them."""

    def __getattr__(self, name: str) -> int:
        value: int = getattr(_CURRENT.get(), name)
        return value

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"limits are set for a scan with `applied`, not assigned ({name})")


_CURRENT: ContextVar[Limits] = ContextVar("policykit_limits", default=DEFAULTS)
LIMITS = _Current()  # read by the loaders and evaluators


@contextmanager
def applied(changed: Mapping[str, int]) -> Iterator[Limits]:
    """Run with these limits raised (or lowered; the others as they are), then put the previous ones back."""
    limits = dataclasses.replace(_CURRENT.get(), **changed)
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)
