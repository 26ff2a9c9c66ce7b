"""`scan --live`: DNS, TCP, HTTP and WebSocket probes against real loopback servers; safety and bounds."""

from __future__ import annotations

import contextlib
from typing import Any

from tests.live.helpers import LiveRun, ids, of
from tests.live.live_servers import FullBacklog, Pki, closed_port
from tests.templates import cfn_with_origins


def _tls(serve: Any, pki: Pki, *names: str, **kwargs: Any) -> Any:
    return serve(pki.context(pki.leaf(*names), (pki.intermediate,)), **kwargs)


def test_nxdomain_and_servfail_are_pk601(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _tls(serve, pki, "origin.test")
    dns = dns_server({"origin.test": "127.0.0.1", "broken.test": "SERVFAIL"})
    origins = [{"id": "good", "domain": "origin.test", "port": server.port},
               {"id": "missing", "domain": "missing.test", "port": server.port},
               {"id": "broken", "domain": "broken.test", "port": server.port}]
    _, findings, _ = live(cfn_with_origins(origins, paths=(("/a/*", "missing"), ("/b/*", "broken"))), dns)
    by_status = {f["message"].split("reach (")[1].split(":")[0]: f for f in of(findings, "PK601")}
    assert set(by_status) == {"NXDOMAIN", "SERVFAIL"}
    assert "missing.test" in by_status["NXDOMAIN"]["message"]
    assert findings.command(by_status["SERVFAIL"], "dig").startswith(f"dig @127.0.0.1 -p {dns.port} broken.test")
    # nothing after DNS is claimed about the names that did not resolve: unknown, not an error
    assert not of(findings, "PK602")


def test_cname_chain_is_followed(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _tls(serve, pki, "origin.test")
    dns = dns_server({"origin.test": "CNAME lb.test", "lb.test": "127.0.0.1"})
    _, findings, _ = live(cfn_with_origins([{"id": "o", "domain": "origin.test", "port": server.port}]), dns)
    assert not {i for i in ids(findings) if i.startswith("PK6")}
    assert "origin.test" in server.handshakes


def test_private_addresses_are_not_probed_without_allow_private(live: LiveRun, serve: Any, pki: Pki,
                                                                dns_server: Any) -> None:
    server = _tls(serve, pki, "wrong-name.test")  # would be PK610 if it were probed
    dns = dns_server({"origin.test": "127.0.0.1", "meta.test": "169.254.169.254"})
    origins = [{"id": "o", "domain": "origin.test", "port": server.port},
               {"id": "m", "domain": "meta.test", "port": 80}]
    _, findings, _ = live(cfn_with_origins(origins, paths=(("/m/*", "m"),)), dns, "--show-unknown", private=False)
    assert server.handshakes == []  # no connection reached the server
    assert not of(findings, "PK610") and not of(findings, "PK602")
    private = of(findings, "PK601")
    assert {f["severity"] for f in private} == {"warning"} and len(private) == 2
    assert all("only loopback/private/link-local addresses" in f["message"] for f in private)
    reasons = " ".join(f["message"] for f in findings if f["unknown"] and f["policy_id"] == "PK602")
    assert "a loopback address: not probed (pass --allow-private" in reasons
    assert "169.254.169.254, a link-local address: not probed" in reasons


def test_refused_port_is_pk602(live: LiveRun, dns_server: Any) -> None:
    dns = dns_server({"origin.test": "127.0.0.1"})
    port = closed_port()
    _, findings, _ = live(cfn_with_origins([{"id": "o", "domain": "origin.test", "port": port}]), dns)
    (finding,) = of(findings, "PK602")
    assert f"127.0.0.1:{port} refused" in finding["message"]
    assert findings.command(finding, "nc") == f"nc -vz -w 5 127.0.0.1 {port}"


def test_dropped_connection_is_pk602_timeout(live: LiveRun, dns_server: Any) -> None:
    backlog = FullBacklog()
    try:
        dns = dns_server({"origin.test": "127.0.0.1"})
        _, findings, _ = live(cfn_with_origins([{"id": "o", "domain": "origin.test", "port": backlog.port}]), dns,
                              "--timeout", "0.5")
    finally:
        backlog.stop()
    (finding,) = of(findings, "PK602")
    assert f"127.0.0.1:{backlog.port} timeout" in finding["message"]


def test_hung_server_costs_one_timeout_and_blocks_nothing(live: LiveRun, serve: Any, pki: Pki,
                                                          dns_server: Any) -> None:
    hung = [serve(None, behavior="hang") for _ in range(3)]
    expired = serve(pki.context(pki.leaf("other.test"), (pki.intermediate,)))
    dns = dns_server({"origin.test": "127.0.0.1"})
    origins = [{"id": f"h{i}", "domain": "origin.test", "port": s.port} for i, s in enumerate(hung)]
    origins.append({"id": "answers", "domain": "origin.test", "port": expired.port})
    paths = tuple((f"/{o['id']}/*", o["id"]) for o in origins[1:])
    _, findings, _ = live(cfn_with_origins(origins, paths=paths), dns, "--timeout", "0.5", "--show-unknown")
    # one timeout, not one per hung server: the client held the three hanging handshakes open at once (the
    # last connection to each, after its TCP check, was accepted before any of them was given up on), whatever
    # the machine's load makes of the wall time
    for server in hung:
        server.wait_for(server.client_closed, len(server.accepted))
        assert len(server.client_closed) == len(server.accepted) >= 2, "TCP check and handshake, closed, not leaked"
    assert max(max(server.accepted) for server in hung) < min(max(server.client_closed) for server in hung)
    assert of(findings, "PK610")  # the answering origin was judged all the same
    # tried and failed is a verdict, not a "not checked" note: each hung origin is a PK614 error
    timed_out = of(findings, "PK614")
    assert len(timed_out) == 3 and all("did not complete the TLS handshake within 0.5 s" in f["message"]
                                       for f in timed_out)
    assert {f["severity"] for f in timed_out} == {"error"}


def test_origin_answering_502_is_pk612(live: LiveRun, serve: Any, dns_server: Any) -> None:
    plain = serve(None, behavior="502")
    dns = dns_server({"origin.test": "127.0.0.1"})
    origin = {"id": "o", "domain": "origin.test", "port": plain.port, "policy": "http-only"}
    _, findings, _ = live(cfn_with_origins([origin]), dns)
    (finding,) = of(findings, "PK612")
    assert finding["severity"] == "warning" and "HTTP/1.1 502 Bad Gateway" in finding["message"]
    assert not {i for i in ids(findings) if i.startswith("PK6")} - {"PK612"}


def test_websocket_upgrade_refused_is_pk611(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    refusing = _tls(serve, pki, "origin.test", behavior="ws-refuse")
    accepting = _tls(serve, pki, "sockets.test", behavior="ws")
    dns = dns_server({"origin.test": "127.0.0.1", "sockets.test": "127.0.0.1"})
    origins = [{"id": "app", "domain": "origin.test", "port": refusing.port},
               {"id": "sockets", "domain": "sockets.test", "port": accepting.port}]
    _, findings, _ = live(cfn_with_origins(origins, paths=(("/ws/*", "app"), ("/socket.io/*", "sockets"))), dns)
    (finding,) = of(findings, "PK611")
    assert "origin 'app'" in finding["message"] and "HTTP/1.1 400 Bad Request" in finding["message"]
    assert finding["evidence"]["request"] == "GET /ws/ (Host: origin.test)"
    assert "-H 'Upgrade: websocket'" in findings.command(finding, "websocket")
    assert findings.command(finding, "websocket").endswith(f"https://origin.test:{refusing.port}/ws/")


def test_without_live_no_live_policy_fires(run_cli: Any, write: Any, serve: Any, pki: Pki) -> None:
    server = _tls(serve, pki, "other.test")
    path = write("t.yaml", cfn_with_origins([{"id": "o", "domain": "127.0.0.1", "port": server.port}]))
    _, out, _ = run_cli("scan", str(path), "--format", "json", "--show-unknown")
    assert '"PK6' not in out and server.handshakes == []


def test_bad_nameserver_is_a_usage_error(run_cli: Any, write: Any) -> None:
    path = write("t.yaml", cfn_with_origins([{"id": "o", "domain": "origin.test", "port": 443}]))
    code, _, err = run_cli("scan", str(path), "--live", "--nameserver", "127.0.0.1:notaport")
    expected = "policykit: --nameserver '127.0.0.1:notaport': expected HOST or HOST:PORT"
    assert code == 2 and err.strip().splitlines() == [expected]
    code, _, err = run_cli("scan", str(path), "--live", "--trust-store", str(path))
    assert code == 2 and "--trust-store needs a PEM file" in err and "Traceback" not in err


def test_domain_known_only_at_deployment_stays_unknown(live: LiveRun) -> None:
    text = cfn_with_origins([{"id": "o", "domain": "!GetAtt Alb.DNSName", "port": 443}]) + (
        "  Alb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties: {}\n")
    _, findings, _ = live(text, None, "--show-unknown", "--timeout", "0.5")
    assert not [f for f in findings if f["policy_id"].startswith("PK6") and not f["unknown"]]
    reasons = [f["message"] for f in findings if f["policy_id"] == "PK601" and f["unknown"]]
    assert reasons and "only known at deployment" in reasons[0]


def test_silent_resolver_costs_one_timeout_and_stays_unknown(live: LiveRun, serve: Any, pki: Pki,
                                                             dns_server: Any) -> None:
    server = _tls(serve, pki, "other.test")
    dns = dns_server({"origin.test": "127.0.0.1", "silent.test": "DROP"})
    origins = [{"id": "o", "domain": "origin.test", "port": server.port},
               {"id": "s", "domain": "silent.test", "port": server.port}]
    _, findings, _ = live(cfn_with_origins(origins, paths=(("/s/*", "s"),)), dns, "--timeout", "0.5", "--show-unknown")
    # the origin that resolved was probed meanwhile: its handshake came before the silent query's 0.5 s ran out
    # (an order of events on the servers, not the run's wall time, which a loaded machine stretches)
    [asked] = [when for when, name in dns.queries if name == "silent.test"][:1]
    assert server.handshake_times and min(server.handshake_times) < asked + 0.5
    assert of(findings, "PK610")
    assert not [f for f in of(findings, "PK601") if "silent.test" in f["message"]]
    unknown = [f["message"] for f in findings if f["unknown"] and f["policy_id"] == "PK601"]
    assert any("silent.test: no answer from the resolver within 0.5 s" in m for m in unknown), unknown


def test_distributions_sharing_an_origin_each_send_their_names(live: LiveRun, serve: Any, pki: Pki,
                                                               dns_server: Any) -> None:
    server = _tls(serve, pki, "a.example.com")
    dns = dns_server({"origin.test": "127.0.0.1"})
    one = cfn_with_origins([{"id": "o", "domain": "origin.test", "port": server.port}], aliases=("a.example.com",),
                   forward_host=True)
    two = cfn_with_origins([{"id": "o", "domain": "origin.test", "port": server.port}], aliases=("b.example.com",),
                   forward_host=True).replace("Resources:\n  Cdn:", "  Cdn2:")
    _, findings, _ = live(one + two, dns)
    assert {"a.example.com", "b.example.com"} <= set(server.handshakes)
    (mismatch,) = of(findings, "PK610")
    assert "SNI b.example.com" in mismatch["message"] and mismatch["distribution"] == "Cdn2"


def test_http_origin_that_never_answers_costs_one_timeout(live: LiveRun, dns_server: Any) -> None:
    import socket

    listener = socket.create_server(("127.0.0.1", 0), backlog=8)  # accepts (kernel), never reads or answers
    try:
        port = listener.getsockname()[1]
        dns = dns_server({"origin.test": "127.0.0.1"})
        origin = {"id": "o", "domain": "origin.test", "port": port, "policy": "http-only"}
        _, findings, _ = live(cfn_with_origins([origin], paths=(("/ws/*", "o"),)), dns, "--timeout", "0.5",
                              "--show-unknown")
        # HEAD timed out once and no upgrade request followed it: count the connections the kernel accepted
        # for us (no wall-clock bound, which a loaded machine breaks; budgets live in bench/)
        listener.setblocking(False)
        accepted = []
        with contextlib.suppress(BlockingIOError):
            while True:
                accepted.append(listener.accept()[0])
        for connection in accepted:
            connection.close()
        assert len(accepted) == 2, len(accepted)  # the TCP check and the HEAD; an upgrade would be a third
    finally:
        listener.close()
    # slower than the probe's timeout: a warning naming OriginReadTimeout (CloudFront waits 30 s)
    (slow,) = of(findings, "PK616")
    assert slow["severity"] == "warning" and "no response within 0.5 s" in slow["message"]
    assert "OriginReadTimeout (30 s)" in slow["message"]
    assert not [f for f in findings if f["policy_id"].startswith("PK6") and not f["unknown"] and f is not slow]
