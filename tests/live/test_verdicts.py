"""Tried and failed is a verdict: hung and failing handshakes, slow and silent origins, chain readings,
bounded reads, and nothing from the template on the wire unchecked."""

from __future__ import annotations

import io
import json
import os
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.live.helpers import Findings, LiveRun, ids, of
from tests.live.live_servers import DAY, NOW, Pki, issue
from tests.templates import cfn_with_origins

ORIGIN = "origin.test"


def _one(live: LiveRun, dns_server: Any, port: int, *extra: str, **origin: Any) -> Findings:
    dns = dns_server({ORIGIN: "127.0.0.1"})
    _, findings, _ = live(cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": port, **origin}]), dns, *extra)
    return findings


def test_hung_handshake_is_an_error_shown_in_red_without_show_unknown(run_cli: Any, write: Any, serve: Any,
                                                                      pki: Pki, dns_server: Any) -> None:
    hung = serve(None, behavior="hang")
    dns = dns_server({ORIGIN: "127.0.0.1"})
    path = write("t.yaml", cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": hung.port}]))

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    from contextlib import redirect_stderr
    from unittest import mock

    from policykit.cli import main

    out = Terminal()
    with mock.patch.object(sys, "stdout", out), redirect_stderr(io.StringIO()), mock.patch.dict(os.environ):
        os.environ.pop("NO_COLOR", None)
        code = main(["scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
                     "--trust-store", str(pki.trust_store), "--timeout", "0.5"])
    text = out.getvalue()
    assert code == 1
    assert "\033[31merror\033[0m PK614" in text  # red, and listed without --show-unknown
    assert "did not complete the TLS handshake within 0.5 s" in text
    assert "1 error(s)" in text


def test_handshake_failing_for_everyone_is_pk615(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # an ECDSA certificate with only RSA cipher suites: no client can complete a handshake
    context = pki.context(pki.leaf(ORIGIN), (pki.intermediate,), ciphers="ECDHE-RSA-AES128-GCM-SHA256",
                          versions=(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2))
    findings = _one(live, dns_server, serve(context).port)
    (finding,) = of(findings, "PK615")
    assert finding["severity"] == "error"
    assert "the origin answered with the TLS alert handshake_failure" in finding["message"]
    assert "fails for every client" in finding["message"]
    assert not of(findings, "PK603") and not of(findings, "PK604")


def test_dribbling_server_is_bounded_by_one_deadline(live: LiveRun, serve: Any, dns_server: Any) -> None:
    dribbling = serve(None, behavior="dribble")  # 'HTTP/1.1 200 OK' at one byte per 0.1 s
    findings = _one(live, dns_server, dribbling.port, "--timeout", "0.5", policy="http-only")
    # the deadline is total, not per read: the client went away after about 0.5 s of bytes (one per 0.1 s),
    # before the 17-byte status line was through (a per-read timeout would have read it all)
    dribbling.wait_for(dribbling.dribbled, 1)
    assert dribbling.dribbled and max(dribbling.dribbled) < len("HTTP/1.1 200 OK\r\n")
    (slow,) = of(findings, "PK616")
    assert slow["severity"] == "warning" and "no response within 0.5 s" in slow["message"]


def test_tcp_timeout_is_a_warning_from_this_machine(live: LiveRun, dns_server: Any) -> None:
    from tests.live.live_servers import FullBacklog

    backlog = FullBacklog()
    try:
        findings = _one(live, dns_server, backlog.port, "--timeout", "0.5")
    finally:
        backlog.stop()
    (finding,) = of(findings, "PK602")
    assert finding["severity"] == "warning" and "from this machine" in finding["message"]


def test_private_root_not_sent_is_pk607(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    private_intermediate = issue("Private Issuing CA", pki.private_root, ca=True)
    leaf = issue(ORIGIN, private_intermediate, sans=(ORIGIN,))
    findings = _one(live, dns_server, serve(pki.context(leaf, (private_intermediate,))).port)
    (finding,) = of(findings, "PK607")
    assert "issued by CN=Private Corp Root CA" in finding["message"] and "private CA" in finding["message"]
    assert "exceeds max depth" not in finding["message"] and "candidates exhausted" not in finding["message"]
    assert not of(findings, "PK608")


def test_known_private_ca_sent_alone_is_pk607(live: LiveRun, serve: Any, dns_server: Any, tmp_path: Path) -> None:
    origin_ca = issue("CloudFlare Origin SSL ECC Certificate Authority", ca=True)
    leaf = issue(ORIGIN, origin_ca, sans=(ORIGIN,))
    pki_free = serve(Pki.create(tmp_path).context(leaf, ()))
    findings = _one(live, dns_server, pki_free.port)
    assert of(findings, "PK607") and not of(findings, "PK608")


def test_header_injection_through_an_alias_never_reaches_the_wire(live: LiveRun, serve: Any, pki: Pki,
                                                                  dns_server: Any) -> None:
    server = serve(pki.context(pki.leaf(ORIGIN, "evil.test"), (pki.intermediate,)))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": server.port}],
                    aliases=('"evil.test\\r\\nX-Injected: yes"', "good.test"), forward_host=True)
    _, findings, _ = live(text, dns)
    assert server.requests, "the valid alias was probed"
    assert not any("X-Injected" in r for r in server.requests)
    assert all(r.count("\r\nHost: ") == 1 for r in server.requests)
    assert not [h for h in server.handshakes if "\n" in h or "\r" in h]
    (static,) = of(findings, "PK307")
    assert static["line"] == text.splitlines().index('          - "evil.test\\r\\nX-Injected: yes"') + 1
    assert "control character '\\r'" in static["message"]


def test_origin_path_with_crlf_is_pk110_and_never_sent(live: LiveRun, serve: Any, pki: Pki,
                                                       dns_server: Any) -> None:
    server = serve(pki.context(pki.leaf(ORIGIN), (pki.intermediate,)))
    findings = _one(live, dns_server, server.port, path='"/app\\r\\nX-Injected: yes"')
    assert of(findings, "PK110")
    assert not any("X-Injected" in r for r in server.requests)
    assert server.requests == []  # the handshake is checked; no request with an invalid path is sent


def test_non_ascii_alias_with_host_forwarded(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = serve(pki.context(pki.leaf(ORIGIN, "www.example.test"), (pki.intermediate,)))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": server.port}],
                    aliases=("ü.example.test", "a..b.example.test", "www.example.test"), forward_host=True)
    code, findings, _ = live(text, dns)
    assert code == 1
    problems = {f["message"].split("'")[1]: f for f in of(findings, "PK307")}
    assert set(problems) == {"ü.example.test", "a..b.example.test"}
    assert "xn--tda.example.test" in problems["ü.example.test"]["fix"]
    assert set(server.handshakes) == {"www.example.test"}  # only the valid name went on the wire


def test_non_ascii_san_in_the_served_certificate(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    leaf = issue(ORIGIN, pki.intermediate, raw_sans=("ü.test".encode(), b"bad\x1b[31m.test"))
    findings = _one(live, dns_server, serve(pki.context(leaf, (pki.intermediate,))).port)
    (mismatch,) = of(findings, "PK610")
    assert "\x1b" not in mismatch["message"] and "\\x1b" in mismatch["message"]
    assert not of(findings, "PK607")  # the path to the trusted root is fine


def test_missing_trust_store_in_the_config_is_one_line(run_cli: Any, write: Any) -> None:
    path = write("t.yaml", cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": 443}]))
    config = write(".policykit.yaml", "live:\n  trust_store: missing.pem\n")
    code, _, err = run_cli("scan", str(path), "--live", "--config", str(config))
    assert code == 2 and "Traceback" not in err
    (line,) = err.strip().splitlines()
    assert str(config) in line and "missing.pem" in line and "live.trust_store" in line


def test_6to4_address_is_refused_without_allow_private(live: LiveRun, dns_server: Any,
                                                       monkeypatch: Any) -> None:
    from policykit.probes import addresses

    attempts: list[tuple[str, int]] = []
    real = addresses.open_connection

    def spy(address: str, port: int, timeout: float, allow_private: bool) -> Any:
        attempts.append((address, port))
        return real(address, port, timeout, allow_private)

    monkeypatch.setattr(addresses, "open_connection", spy)
    for module in ("tcp_probe", "tls_probe", "http_probe"):
        monkeypatch.setattr(f"policykit.probes.{module}.open_connection", spy)
    dns = dns_server({"meta6.test": "2002:a9fe:a9fe::1"})  # 6to4 embedding 169.254.169.254
    text = cfn_with_origins([{"id": "app", "domain": "meta6.test", "port": 443}])
    _, findings, _ = live(text, dns, "--show-unknown", private=False)
    assert attempts == []  # no connection was even attempted
    (warning,) = of(findings, "PK601")
    assert warning["severity"] == "warning"
    reasons = " ".join(f["message"] for f in findings if f["unknown"] and f["policy_id"] == "PK602")
    assert "link-local (6to4, embedding 169.254.169.254)" in reasons


def test_private_origins_say_how_to_probe_them(live: LiveRun, dns_server: Any) -> None:
    dns = dns_server({ORIGIN: "127.0.0.1"})
    _, findings, _ = live(cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": 443}]), dns, private=False)
    (warning,) = of(findings, "PK601")
    assert "pass --allow-private" in warning["evidence"]["resolver"]
    assert warning["evidence"]["addresses"] == ["127.0.0.1"]  # structured, not a flattened string


def test_openssl_command_reproduces_the_check(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = serve(pki.context(pki.leaf("other.test"), (pki.intermediate,)))
    findings = _one(live, dns_server, server.port, protocols=["TLSv1.2"])
    (finding,) = of(findings, "PK610")
    command = findings.command(finding, "openssl")
    assert f"-servername {ORIGIN} -verify_hostname {ORIGIN}" in command
    assert f"-CAfile {pki.trust_store}" in command and " -tls1_2 " in command
    assert "ECDHE-ECDSA-AES256-GCM-SHA384" in command


def test_structured_evidence_and_text_once_per_name(run_cli: Any, write: Any, serve: Any, pki: Pki,
                                                    dns_server: Any) -> None:
    leaf = pki.leaf("other.test", not_after=NOW + 5 * DAY)
    server = serve(pki.context(leaf, (pki.intermediate,)))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    path = write("t.yaml", cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": server.port}]))
    args = ["scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
            "--trust-store", str(pki.trust_store)]
    _, out, _ = run_cli(*args, "--format", "json")
    findings = json.loads(out)["findings"]
    mismatch = of(findings, "PK610")[0]
    chain = mismatch["evidence"]["certificates"]
    assert [c["subject"] for c in chain] == ["CN=other.test", "CN=Test Intermediate CA"]
    assert set(chain[0]) >= {"subject", "issuer", "sans", "not_before", "not_after", "sha256"}
    assert mismatch["evidence"]["negotiated"]["protocol"] == "TLSv1.2"
    _, text, _ = run_cli(*args)
    assert {"PK610", "PK613"} <= ids(findings)
    assert text.count("CN=Test Intermediate CA (issuer CN=Test Root CA)") == 1  # once, not per finding
    assert "live probes, what was seen:" in text and "resolved: 127.0.0.1" in text


def test_live_run_prints_no_warning_under_w_error(tmp_path: Path, serve: Any, pki: Pki, dns_server: Any) -> None:
    """The Mozilla bundle (not --trust-store) is parsed, and nothing warns (`-W error` for all else)."""
    server = serve(pki.context(pki.leaf(ORIGIN), (pki.intermediate,)))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    path = tmp_path / "t.yaml"
    path.write_text(cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": server.port}]), encoding="utf-8")
    run = subprocess.run([sys.executable, "-W", "error", "-m", "policykit", "scan", str(path), "--live",
                          "--allow-private", "--nameserver", dns.address], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 1, run.stderr  # the test CA is not a Mozilla root: PK607, and no crash
    assert "Warning" not in run.stderr and "Traceback" not in run.stderr, run.stderr
    assert "PK607" in run.stdout


def test_an_exception_in_one_probe_is_pk007_and_the_others_run(run_cli: Any, write: Any, serve: Any, pki: Pki,
                                                               dns_server: Any, monkeypatch: Any) -> None:
    from policykit.probes import runner

    good = serve(pki.context(pki.leaf("other.test"), (pki.intermediate,)))
    dns = dns_server({ORIGIN: "127.0.0.1", "boom.test": "127.0.0.1"})
    real = runner._probe_endpoint

    def explode(item: Any, *args: Any) -> None:
        if item.host == "boom.test":
            raise RuntimeError("probe exploded")
        real(item, *args)

    monkeypatch.setattr(runner, "_probe_endpoint", explode)
    origins = [{"id": "app", "domain": ORIGIN, "port": good.port},
               {"id": "boom", "domain": "boom.test", "port": good.port}]
    path = write("t.yaml", cfn_with_origins(origins, paths=(("/b/*", "boom"),)))
    code, out, err = run_cli("scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
                             "--trust-store", str(pki.trust_store), "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 3, err  # a bug: exit 3, after the report
    (internal,) = of(findings, "PK007")
    assert "origin 'boom'" in internal["message"] and "RuntimeError: probe exploded" in internal["message"]
    assert of(findings, "PK610")  # the other origin was probed and judged
