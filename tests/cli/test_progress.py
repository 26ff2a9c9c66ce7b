"""The live run's progress line (policykit/cli/progress.py): shown on a terminal only."""

from __future__ import annotations

import pytest


def test_progress_is_shown_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from policykit.cli.progress import TerminalProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, shown in ((Terminal(), True), (io.StringIO(), False)):
        monkeypatch.setattr(sys, "stderr", stream)
        progress = TerminalProgress()
        progress.started(["https://a.test:443", "https://b.test:443"])
        progress.finished("https://a.test:443")
        progress.done()
        assert ("policykit: live probes 1/2 (waiting for https://b.test:443)" in stream.getvalue()) is shown
