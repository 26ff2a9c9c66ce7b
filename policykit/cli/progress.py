"""The live run's progress line, as the command line shows it: the library itself never prints."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence


class TerminalProgress:
    """`policykit: live probes 3/50 (waiting for https://a.example.com:443, +2)` on stderr, rewritten in place;
    only when stderr is a terminal. The total is known from the start: one per endpoint."""

    def __init__(self, what: str = "live probes") -> None:
        self.what = what  # what is counted: live probes, distributions read from AWS
        self.enabled = False
        self.pending: list[str] = []
        self.total = self.count = 0
        self.lock = threading.Lock()

    def started(self, endpoints: Sequence[str]) -> None:
        self.enabled = sys.stderr.isatty()
        self.pending = list(endpoints)
        self.total, self.count = len(self.pending), 0

    def finished(self, endpoint: str) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.count += 1
            if endpoint in self.pending:
                self.pending.remove(endpoint)
            waiting = ""
            if self.pending:
                more = f", +{len(self.pending) - 1}" if len(self.pending) > 1 else ""
                waiting = f" (waiting for {self.pending[0]}{more})"
            sys.stderr.write(f"\rpolicykit: {self.what} {self.count}/{self.total}{waiting}\x1b[K")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
