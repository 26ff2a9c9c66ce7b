"""Pure parts of the live probes: option parsing, address ranges, name matching, chain judging."""

from __future__ import annotations

from pathlib import Path

import pytest

from live.live_servers import DAY, NOW, Pki, issue
from policykit.core.origin_tls import default_protocols
from policykit.probes.addresses import special_range
from policykit.probes.certs import check_chain, name_matches
from policykit.probes.options import Nameserver, parse_nameserver
from policykit.probes.tls_probe import offered_protocols


@pytest.mark.parametrize(("text", "expected"), [
    ("127.0.0.1", Nameserver("127.0.0.1", 53)),
    ("127.0.0.1:5353", Nameserver("127.0.0.1", 5353)),
    ("[::1]:5353", Nameserver("::1", 5353)),
    ("::1", Nameserver("::1", 53)),
])
def test_nameserver_forms(text: str, expected: Nameserver) -> None:
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["", "host:", "host:0", "host:70000", "host:x"])
def test_bad_nameservers(text: str) -> None:
    with pytest.raises(ValueError, match="expected HOST or HOST:PORT"):
        parse_nameserver(text)


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.2", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("100.64.0.1", "special-purpose"),
    ("0.0.0.0", "private"), ("93.184.216.34", ""), ("2606:4700::1", ""),
])
def test_special_ranges(address: str, kind: str) -> None:
    assert special_range(address) == kind


def test_wildcards_cover_one_label() -> None:
    assert name_matches("www.example.com", "*.example.com")
    assert name_matches("WWW.Example.com.", "www.example.com")
    assert not name_matches("example.com", "*.example.com")
    assert not name_matches("a.b.example.com", "*.example.com")


def test_protocols_offered() -> None:
    assert offered_protocols(None) == default_protocols() == ("TLSv1", "TLSv1.1", "TLSv1.2")
    assert offered_protocols(["TLSv1.2", "SSLv3"]) == ("TLSv1.2",)
    assert offered_protocols(["SSLv3"]) == ()


def test_chain_problems_combine(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = Pki.create(tmp_path)
    leaf = pki.leaf("www.example.com", not_after=NOW + 3 * DAY)
    der = [leaf.cert.public_bytes(Encoding.DER)]
    result = check_chain(der, "api.example.com", pki.trust_store, 30)
    assert set(result.problems) == {"expiring-soon", "name-mismatch", "incomplete-chain"}
    assert result.days_left == 2
    # the same chain against a trust store holding the intermediate is complete
    (tmp_path / "int.pem").write_bytes(pki.intermediate.pem())
    assert "incomplete-chain" not in check_chain(der, "www.example.com", tmp_path / "int.pem", 30).problems


def test_a_self_signed_ca_is_not_mistaken_for_the_leaf(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    pki = Pki.create(tmp_path)
    private_leaf = issue("origin.test", pki.private_root, sans=("origin.test",))
    chain = [c.public_bytes(Encoding.DER) for c in (private_leaf.cert, pki.private_root.cert)]
    assert check_chain(chain, "origin.test", pki.trust_store, 30).problems == ("untrusted-root",)


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


@pytest.mark.parametrize(("address", "words"), [
    ("2002:a9fe:a9fe::1", "link-local (6to4, embedding 169.254.169.254)"),
    ("2002:0a00:0001::1", "private (6to4, embedding 10.0.0.1)"),
    ("64:ff9b::a9fe:a9fe", "link-local (NAT64, embedding 169.254.169.254)"),
    ("64:ff9b:1::7f00:1", "loopback (NAT64, embedding 127.0.0.1)"),
    ("::ffff:169.254.169.254", "link-local (IPv4-mapped, embedding 169.254.169.254)"),
    ("::ffff:0:7f00:1", "loopback (IPv4-translated, embedding 127.0.0.1)"),
    ("::a9fe:a9fe", "link-local (IPv4-compatible, embedding 169.254.169.254)"),
    ("2001:0:4136:e378:8000:63bf:5601:fefe", "link-local (Teredo, embedding 169.254.1.1)"),
])
def test_embedded_ipv4_forms_are_refused_without_sending(address: str, words: str) -> None:
    from policykit.probes.addresses import AddressRefused, check_allowed, open_connection

    assert special_range(address) == words
    with pytest.raises(AddressRefused, match="pass --allow-private"):
        check_allowed(address, allow_private=False)
    with pytest.raises(AddressRefused):  # the one place probes connect refuses before any socket exists
        open_connection(address, 443, 1.0, allow_private=False)


def test_a_live_run_leaves_the_model_as_it_was(tmp_path: Path) -> None:
    """Probes return their live objects; the engine receives them beside the model, which nothing writes."""
    import socket

    from live.helpers import template
    from policykit.cfn.load import load_cfn
    from policykit.model.subjects import Subjects
    from policykit.policy import engine
    from policykit.policy.loader import load_policies
    from policykit.probes.options import LiveOptions
    from policykit.probes.runner import probe_model

    with socket.socket() as free:  # a loopback port nothing listens on: TCP is refused
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    path = tmp_path / "t.yaml"
    path.write_text(template([{"id": "app", "domain": "127.0.0.1", "port": port}]), encoding="utf-8")
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


def test_live_objects_are_frozen_values_built_names_first() -> None:
    """An endpoint is built from its names, whose construction points each name at it; nothing writes them after."""
    import dataclasses

    from policykit.model.live import LiveName, LiveOrigin

    names = (LiveName(name="a.test"), LiveName(name="b.test"))
    live = LiveOrigin(host="a.test", port=443, scheme="https", names=names)
    assert all(name.endpoint is live for name in live.names)
    assert names[1].label == "'b.test' at a.test:443" and names[1].origin is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        live.not_probed = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        names[0].not_probed = "changed"
    with pytest.raises(ValueError, match="already belongs to another live_origin"):
        LiveOrigin(host="b.test", names=(names[0],))  # a name is one endpoint's
