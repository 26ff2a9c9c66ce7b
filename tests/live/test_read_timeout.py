"""The first byte of the origin's answer against its OriginReadTimeout (facts §3.2 rows 4 and 7; §9.2 row 4):
later is CloudFront's 504 (PK617), whatever --timeout says; a read timeout the probe cannot wait for is "not
checked", never a pass. Asserted on findings and on the order of events on the server, never on wall time."""

from __future__ import annotations

import json
from typing import Any

from tests.live.helpers import Findings, LiveRun, of
from tests.templates import cfn_with_origins

ORIGIN = "origin.test"


def _scan(live: LiveRun, dns_server: Any, port: int, *extra: str, **origin: Any) -> Findings:
    dns = dns_server({ORIGIN: "127.0.0.1"})
    origin = {"id": "app", "domain": ORIGIN, "port": port, "policy": "http-only", **origin}
    _, findings, _ = live(cfn_with_origins([origin]), dns, *extra)
    return findings


def test_a_first_byte_after_the_read_timeout_is_pk617(live: LiveRun, serve: Any, dns_server: Any) -> None:
    slow = serve(None, behavior="slow", delay=1.5)
    findings = _scan(live, dns_server, slow.port, "--timeout", "0.5", read_timeout=1)
    (finding,) = of(findings, "PK617")
    assert finding["severity"] == "error" and "504 Gateway Timeout" in finding["message"]
    assert "OriginReadTimeout is 1 s" in finding["message"] and "first byte " in finding["message"]
    assert "§3.2 rows 4 and 7" in finding["evidence"]["facts"]
    assert not of(findings, "PK616")  # it answered, late: CloudFront's 504, not a silent origin
    # the probe waited past its --timeout of 0.5 s for the answer, and read it before it went away
    slow.wait_for(slow.events, 3)
    assert slow.events == ["request", "answered", "client-closed"]


def test_a_first_byte_within_the_read_timeout_is_quiet(live: LiveRun, serve: Any, dns_server: Any) -> None:
    slow = serve(None, behavior="slow", delay=1.5)
    findings = _scan(live, dns_server, slow.port, "--timeout", "0.5", read_timeout=4)
    assert not of(findings, "PK617") and not of(findings, "PK616")
    head = findings.of_name(ORIGIN)["head"]
    assert head["status"] == 200 and head["first_byte_seconds"] is not None


def test_a_read_timeout_longer_than_the_probe_may_wait_is_not_checked(live: LiveRun, serve: Any,
                                                                       dns_server: Any) -> None:
    silent = serve(None, behavior="slow", delay=60)  # answers after a minute: never, for this test
    findings = _scan(live, dns_server, silent.port, "--timeout", "0.5", "--origin-timeout", "3", "--show-unknown",
                     read_timeout=60)
    assert not of(findings, "PK617")
    (note,) = [f["message"] for f in findings if f["unknown"] and f["policy_id"] == "PK617"]
    assert "OriginReadTimeout is 60 s; raise --origin-timeout to 65 to check" in note
    (slow,) = of(findings, "PK616")  # no answer in what the probe could wait: a warning, never a pass
    assert slow["severity"] == "warning"
    assert silent.events == ["request"]


def test_probe_checks_the_read_timeout_it_is_given(run_cli: Any, serve: Any, dns_server: Any) -> None:
    slow = serve(None, behavior="slow", delay=1.5)
    dns = dns_server({ORIGIN: "127.0.0.1"})
    code, out, _ = run_cli("probe", f"{ORIGIN}:{slow.port}", "--protocol", "http", "--read-timeout", "1",
                           "--timeout", "0.5", "--nameserver", dns.address, "--allow-private", "--format", "json")
    assert code == 1
    (finding,) = [f for f in json.loads(out)["findings"] if f["policy_id"] == "PK617" and not f["unknown"]]
    assert "OriginReadTimeout is 1 s" in finding["message"]
