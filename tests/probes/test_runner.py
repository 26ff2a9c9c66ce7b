"""The probe runner (policykit/probes/runner.py): the library prints no progress and tells the observer it is given;
a live run returns its results beside the model and leaves the model as it was."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_the_library_prints_no_progress_and_tells_the_observer_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import socket
    import sys
    from collections.abc import Sequence

    from policykit.probes.direct import Target, model_of
    from policykit.probes.options import LiveOptions
    from policykit.probes.runner import probe_plans

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Recorder:
        def __init__(self) -> None:
            self.seen: list[tuple[str, ...]] = []

        def started(self, endpoints: Sequence[str]) -> None:
            self.seen.append(("started", *endpoints))

        def finished(self, endpoint: str) -> None:
            self.seen.append(("finished", endpoint))

        def done(self) -> None:
            self.seen.append(("done",))

    with socket.socket() as free:  # a loopback port nothing listens on: the probe is refused at once
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    model, plan = model_of(Target("127.0.0.1", port, "http"))
    probe_plans([(model.distributions[0], [plan])], LiveOptions(allow_private=True))
    assert stream.getvalue() == ""  # no observer: nothing is printed, even on a terminal
    recorder = Recorder()
    probe_plans([(model.distributions[0], [plan])], LiveOptions(allow_private=True, progress=recorder))
    endpoint = f"http://127.0.0.1:{port}"
    assert recorder.seen == [("started", endpoint), ("finished", endpoint), ("done",)]
    assert stream.getvalue() == ""


def test_a_live_run_leaves_the_model_as_it_was(tmp_path: Path) -> None:
    """Probes return their live objects; the engine receives them beside the model, which nothing writes."""
    import socket

    from policykit.cfn.load import load_cfn
    from policykit.model.subjects import Subjects
    from policykit.policy import engine
    from policykit.policy.loader import load_policies
    from policykit.probes.options import LiveOptions
    from policykit.probes.runner import probe_model
    from tests.templates import cfn_with_origins

    with socket.socket() as free:  # a loopback port nothing listens on: TCP is refused
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    path = tmp_path / "t.yaml"
    path.write_text(cfn_with_origins([{"id": "app", "domain": "127.0.0.1", "port": port}]), encoding="utf-8")
    read = load_cfn(path, {})
    assert read is not None
    model = read[0]
    (dist,) = model.distributions
    before = (repr(model), sorted(vars(dist)))
    report = probe_model(model, LiveOptions(allow_private=True))
    findings, failures = engine.run(load_policies(), model, Subjects(live_origins=report.live_origins))
    assert (repr(model), sorted(vars(dist))) == before
    assert [live.tcp.status for live in report.live_origins[dist] if live.tcp] == ["refused"]
    assert any(f.policy_id == "PK602" and not f.unknown for f in findings) and not failures  # judged as subjects
