"""Deadlines of a live run: each step, each origin endpoint, and the whole run are bounded.

A step (a DNS lookup, a connect, a handshake, a request and its answer) ends at the earliest of
its own timeout, the origin's bound and the run's bound. A step that ran out of its own timeout
is a verdict about the origin; a step cut short by a larger bound proves nothing (unknown).
"""

from __future__ import annotations

import time

from policykit.core.record import record


class BoundReached(Exception):
    """A larger bound (per origin, per run) left no time for the next step."""


@record
class Step:
    at: float  # time.monotonic() deadline
    seconds: float  # the step's own timeout
    cut: str  # "" when the step has its whole timeout; else the bound that cuts it short

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def timeout_words(self) -> str:
        """How a step that ran out of time says so."""
        if self.cut:
            return f"cut short: {self.cut} was reached"
        return f"within {self.seconds:g} s"


@record
class Deadlines:
    """The bounds of one origin endpoint's probes: each step's timeout, the endpoint's, the run's."""

    timeout: float  # --timeout, per step
    origin_at: float
    origin_seconds: float
    run_at: float
    run_seconds: float

    @classmethod
    def start(cls, timeout: float, origin_seconds: float, run_at: float, run_seconds: float) -> Deadlines:
        return cls(timeout, time.monotonic() + origin_seconds, origin_seconds, run_at, run_seconds)

    def bound(self) -> tuple[float, str]:
        """The deadline of the larger bounds (the endpoint's, the run's), and the option that sets it."""
        if self.run_at < self.origin_at:
            return self.run_at, "--run-timeout"
        return self.origin_at, "--origin-timeout"

    def spent(self) -> float:
        """Seconds this endpoint's probes have taken so far."""
        return time.monotonic() - (self.origin_at - self.origin_seconds)

    def step(self) -> Step:
        """The deadline of the next step; BoundReached when a larger bound has no time left."""
        now = time.monotonic()
        own = now + self.timeout
        for at, words in ((self.run_at, f"the run's bound of {self.run_seconds:g} s (--run-timeout)"),
                          (self.origin_at, f"the per-origin bound of {self.origin_seconds:g} s (--origin-timeout)")):
            if at <= now:
                raise BoundReached(words)
        candidates = [(own, ""), (self.origin_at, f"the per-origin bound of {self.origin_seconds:g} s "
                                                  "(--origin-timeout)"),
                      (self.run_at, f"the run's bound of {self.run_seconds:g} s (--run-timeout)")]
        at, cut = min(candidates, key=lambda c: c[0])
        return Step(at, self.timeout, cut if at < own else "")
