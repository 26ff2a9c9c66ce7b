"""`policykit probe HOST[:PORT]`: each PK6xx against real loopback servers, without a template."""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable
from typing import Any

import pytest

from tests.live.helpers import Findings
from tests.live.live_servers import DAY, NOW, DnsServer, FullBacklog, Pki, Server, closed_port, issue

ORIGIN = "origin.test"
Probe = Callable[..., tuple[int, Findings, str]]


@pytest.fixture
def probe(run_cli: Any, pki: Pki, dns_server: Any) -> Probe:
    """`policykit probe origin.test:PORT --format json ...` with loopback DNS; (exit code, findings, stderr)."""
    dns: DnsServer = dns_server({ORIGIN: "127.0.0.1", "gone.test": "NXDOMAIN"})

    def run(port: int, *extra: str, host: str = ORIGIN) -> tuple[int, Findings, str]:
        code, out, err = run_cli("probe", f"{host}:{port}", "--format", "json", "--nameserver", dns.address,
                                 "--allow-private", "--trust-store", str(pki.trust_store), *extra)
        assert code in (0, 1), (code, out, err)
        return code, Findings(json.loads(out)), err

    return run


def _fired(findings: list[dict[str, Any]]) -> set[str]:
    return {f["policy_id"] for f in findings if not f["unknown"]}


def _tls(serve: Any, pki: Pki, leaf: Any = None, chain: tuple[Any, ...] | None = None, behavior: str = "ok",
         **context: Any) -> Server:
    leaf = leaf or pki.leaf(ORIGIN)
    server: Server = serve(pki.context(leaf, (pki.intermediate,) if chain is None else chain, **context),
                           behavior=behavior)
    return server


def test_good_origin_is_clean(probe: Probe, serve: Any, pki: Pki) -> None:
    code, findings, _ = probe(_tls(serve, pki).port)
    assert code == 0 and not _fired(findings)


def test_pk601_name_does_not_resolve(probe: Probe) -> None:
    _, findings, _ = probe(443, host="gone.test")
    (finding,) = [f for f in findings if f["policy_id"] == "PK601" and not f["unknown"]]
    assert finding["resource"] == "gone.test:443" and finding["file"] == "" and finding["line"] == 0


def test_pk602_refused(probe: Probe) -> None:
    assert "PK602" in _fired(probe(closed_port())[1])


def test_pk602_timeout_is_a_warning(probe: Probe) -> None:
    backlog = FullBacklog()
    try:
        code, findings, _ = probe(backlog.port, "--timeout", "0.5")
    finally:
        backlog.stop()
    assert [f["severity"] for f in findings if f["policy_id"] == "PK602"] == ["warning"] and code == 0


def test_pk603_tls13_only(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, versions=(ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_3))
    assert _fired(probe(server.port)[1]) == {"PK603"}


def test_pk603_with_the_distributions_protocols(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, versions=(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2))
    assert not _fired(probe(server.port, "--ssl-protocols", "TLSv1.2")[1])
    findings = probe(server.port, "--ssl-protocols", "TLSv1,TLSv1.1")[1]
    assert _fired(findings) == {"PK603"}


def test_pk604_no_common_cipher(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, ciphers="ECDHE-ECDSA-CHACHA20-POLY1305",
                  versions=(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2))
    assert _fired(probe(server.port)[1]) == {"PK604"}


def test_pk605_expired(probe: Probe, serve: Any, pki: Pki) -> None:
    leaf = pki.leaf(ORIGIN, not_before=NOW - 400 * DAY, not_after=NOW - DAY)
    assert "PK605" in _fired(probe(_tls(serve, pki, leaf).port)[1])


def test_pk606_self_signed(probe: Probe, serve: Any, pki: Pki) -> None:
    leaf = issue(ORIGIN, sans=(ORIGIN,))
    assert _fired(probe(_tls(serve, pki, leaf, ()).port)[1]) == {"PK606"}


def test_pk607_private_root(probe: Probe, serve: Any, pki: Pki) -> None:
    private_intermediate = issue("Private Issuing CA", pki.private_root, ca=True)
    leaf = issue(ORIGIN, private_intermediate, sans=(ORIGIN,))
    assert _fired(probe(_tls(serve, pki, leaf, (private_intermediate,)).port)[1]) == {"PK607"}


def test_seed_case_reports_the_incomplete_chain_for_ws_only(probe: Probe, serve: Any, pki: Pki) -> None:
    complete = pki.context(pki.leaf("www.seed.test"), (pki.intermediate,))
    incomplete = pki.context(pki.leaf("ws.seed.test"), ())  # the intermediate was never fixed for ws.
    server = serve(pki.context(pki.leaf(ORIGIN), (pki.intermediate,)),
                   sni={"www.seed.test": complete, "ws.seed.test": incomplete})
    _, findings, _ = probe(server.port, "--host", "www.seed.test", "--host", "ws.seed.test")
    assert set(server.handshakes) == {"www.seed.test", "ws.seed.test"}
    (finding,) = [f for f in findings if not f["unknown"]]
    assert finding["policy_id"] == "PK608" and "SNI ws.seed.test" in finding["message"]
    assert finding["subject"] == f"'ws.seed.test' at {ORIGIN}:{server.port}"


def test_pk609_wrong_order(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, chain=(pki.root, pki.intermediate))
    assert "PK609" in _fired(probe(server.port)[1])


def test_pk610_name_mismatch(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, pki.leaf("other.test"))
    _, findings, _ = probe(server.port, "--sni", "www.example.test")
    (finding,) = [f for f in findings if f["policy_id"] == "PK610"]
    assert "SNI www.example.test" in finding["message"]
    assert "-verify_hostname www.example.test" in findings.command(finding, "openssl")


def test_pk611_websocket_refused_is_an_error(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, behavior="ws-refuse")
    code, findings, _ = probe(server.port, "--websocket", "/socket")
    (finding,) = [f for f in findings if f["policy_id"] == "PK611"]
    assert finding["severity"] == "error" and code == 1
    assert finding["evidence"]["request"] == f"GET /socket (Host: {ORIGIN})"


def test_pk612_origin_answers_502_over_http(probe: Probe, serve: Any) -> None:
    server = serve(None, behavior="502")
    assert _fired(probe(server.port, "--protocol", "http")[1]) == {"PK612"}


def test_pk613_expires_soon(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, pki.leaf(ORIGIN, not_after=NOW + 10 * DAY))
    assert _fired(probe(server.port)[1]) == {"PK613"}


def test_pk614_hung_handshake(probe: Probe, serve: Any) -> None:
    code, findings, _ = probe(serve(None, behavior="hang").port, "--timeout", "0.5")
    assert _fired(findings) == {"PK614"} and code == 1


def test_pk615_fails_for_everyone(probe: Probe, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, ciphers="ECDHE-RSA-AES128-GCM-SHA256",
                  versions=(ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_2))
    assert _fired(probe(server.port)[1]) == {"PK615"}


def test_pk616_dribbling_http(probe: Probe, serve: Any) -> None:
    _, findings, _ = probe(serve(None, behavior="dribble").port, "--protocol", "http", "--timeout", "0.5")
    assert [f["severity"] for f in findings if f["policy_id"] == "PK616"] == ["warning"]


def test_head_path_and_what_was_seen_in_text(run_cli: Any, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _tls(serve, pki)
    dns = dns_server({ORIGIN: "127.0.0.1"})
    code, out, _ = run_cli("probe", f"{ORIGIN}:{server.port}", "--path", "/health", "--nameserver", dns.address,
                           "--allow-private", "--trust-store", str(pki.trust_store))
    assert code == 0
    assert server.requests[0].startswith("HEAD /health HTTP/1.1\r\n")
    assert "resolved: 127.0.0.1" in out and "negotiated: TLSv1.2" in out and "chain as sent" in out
    assert f"probing {ORIGIN}:{server.port}" in out


def test_findings_without_a_template_fingerprint_from_target_name_and_policy(probe: Probe, serve: Any,
                                                                            pki: Pki) -> None:
    server = _tls(serve, pki, pki.leaf("other.test"))
    first = [f["fingerprint"] for f in probe(server.port)[1] if f["policy_id"] == "PK610"]
    again = [f["fingerprint"] for f in probe(server.port)[1] if f["policy_id"] == "PK610"]
    assert first == again and len(first) == 1


@pytest.mark.parametrize(("args", "words"), [
    (["evil.test\r\nX: y"], "control character"),
    (["origin.test:99999"], "the port must be a number"),
    (["origin.test", "--host", "ü.test"], "xn--tda.test"),
    (["origin.test", "--path", "/a b"], "cannot be sent"),
    (["origin.test", "--ssl-protocols", "TLSv1.3"], "not one of"),
    (["origin.test", "--timeout", "nan"], "--timeout must be a positive number"),
    (["origin.test", "--timeout", "inf"], "--timeout must be a positive number"),
    (["origin.test", "--timeout", "0"], "--timeout must be a positive number"),
])
def test_bad_arguments_are_one_line_and_exit_2(run_cli: Any, args: list[str], words: str) -> None:
    code, _, err = run_cli("probe", *args)
    assert code == 2 and words in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_scan_timeout_rejects_nan_and_inf(run_cli: Any, write: Any) -> None:
    path = write("t.yaml", "Resources: {}\n")
    for value in ("nan", "inf", "-1"):
        code, _, err = run_cli("scan", str(path), "--live", "--timeout", value)
        assert code == 2 and "--timeout must be a positive number" in err


def test_sarif_gives_the_target_as_a_logical_location(run_cli: Any, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _tls(serve, pki, pki.leaf("other.test"))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    code, out, _ = run_cli("probe", f"{ORIGIN}:{server.port}", "--format", "sarif", "--nameserver", dns.address,
                           "--allow-private", "--trust-store", str(pki.trust_store))
    assert code == 1
    (result,) = json.loads(out)["runs"][0]["results"]
    (location,) = result["locations"]
    assert "physicalLocation" not in location  # no template: nothing in the repository to point at
    assert location["logicalLocations"][0]["name"] == f"{ORIGIN}:{server.port}"
    assert result["ruleId"] == "PK610" and result["partialFingerprints"]


def test_probe_reads_the_configuration_live_settings(run_cli: Any, pki: Pki, dns_server: Any, serve: Any,
                                                      tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same nameservers, trust store and address rule as `scan --live`: a probe of an origin whose chain
    the team's own roots sign is clean with the team's configuration (named with --config: a configuration found
    in the scanned tree may not set these), and untrusted without it."""
    dns: DnsServer = dns_server({ORIGIN: "127.0.0.1"})
    port = _tls(serve, pki).port
    (tmp_path / "roots.pem").write_bytes(pki.trust_store.read_bytes())
    (tmp_path / "ci.yaml").write_text(
        f"live:\n  nameservers: ['{dns.address}']\n  trust_store: roots.pem\n  allow_private: true\n"
        "  concurrency: 4\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli("probe", f"{ORIGIN}:{port}", "--format", "json", "--config", "ci.yaml")
    assert code == 0 and not _fired(json.loads(out)["findings"]), (out, err)
    # a flag beats the file: with private addresses refused, the loopback origin is a PK601 verdict
    code, out, _ = run_cli("probe", f"{ORIGIN}:{port}", "--format", "json", "--config", "ci.yaml",
                           "--no-allow-private")
    [refused] = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK601"]
    assert not refused["unknown"] and "only loopback/private/link-local addresses" in refused["message"]
    # without the file, the team's roots are not trusted: the chain ends at an unknown root
    code, out, _ = run_cli("probe", f"{ORIGIN}:{port}", "--format", "json", "--no-config",
                           "--nameserver", dns.address, "--allow-private")
    assert code == 1 and "PK607" in _fired(json.loads(out)["findings"]), out
