"""The regular expressions of a policy's `matches`, run by RE2: time linear in the text, whatever the pattern.

A policy may come from the repository being scanned, and Python's `re` backtracks: `^(a+)+$` on a 40-character
name never ends. RE2 (google-re2) never backtracks, so no pattern can hang a scan and every run gives the same
answer on any machine (a time-out would not). Its syntax is Python's without backreferences and lookarounds: a
pattern RE2 refuses is a policy error when the policy loads, naming its file and line. Imported only when a
policy uses `matches`.
"""

from __future__ import annotations

import functools
from typing import Protocol


class Compiled(Protocol):
    def search(self, text: str) -> object | None: ...


class PatternError(ValueError):
    """A pattern RE2 cannot run (its syntax, a feature it lacks, or no RE2 installed); the message says which."""


@functools.cache
def compiled(pattern: str) -> Compiled:
    """The pattern compiled once per run; PatternError when RE2 refuses it."""
    try:
        import re2  # google-re2: only for policies that use `matches`
    except ImportError:
        raise PatternError("the matches operator needs the google-re2 package (pip install google-re2)") from None
    options = re2.Options()
    options.log_errors = False  # RE2 would print its own complaint on stderr, the pattern with it, unescaped
    try:
        regexp: Compiled = re2.compile(pattern, options)
    except re2.error as exc:
        raise PatternError(f"RE2 cannot run this pattern ({_reason(exc)}): RE2 syntax has no backreferences "
                           "or lookarounds") from None
    return regexp


def _reason(exc: Exception) -> str:
    detail = exc.args[0] if exc.args else ""
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)


def search(pattern: str, text: str) -> bool:
    return compiled(pattern).search(text) is not None
