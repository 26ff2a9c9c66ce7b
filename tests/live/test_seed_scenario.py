"""The seed scenario: two aliases forward Host to one origin; the origin's certificate for `ws` lacks its
intermediate. Only `ws.example.com` is a PK608, pointed at its alias, and its upgrade is tried."""

from __future__ import annotations

from typing import Any

from tests.live.helpers import LiveRun, of
from tests.live.live_servers import Pki
from tests.templates import cfn_with_origins


def test_incomplete_chain_for_one_sni_name_only(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    complete = pki.context(pki.leaf("www.example.com"), (pki.intermediate,))
    incomplete = pki.context(pki.leaf("ws.example.com"), ())  # intermediate missing
    default = pki.context(pki.leaf("origin.test"), (pki.intermediate,))
    server = serve(default, behavior="ws", sni={"www.example.com": complete, "ws.example.com": incomplete})
    dns = dns_server({"origin.test": "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}],
                    aliases=("www.example.com", "ws.example.com"), forward_host=True)
    _, findings, _ = live(text, dns)

    assert {"www.example.com", "ws.example.com"} <= set(server.handshakes)
    assert "origin.test" not in server.handshakes  # every behavior forwards Host: SNI is the viewer's name
    (finding,) = of(findings, "PK608")
    assert "SNI ws.example.com" in finding["message"]
    assert finding["line"] == text.splitlines().index("          - ws.example.com") + 1
    assert finding["column"] > 0
    assert "-servername ws.example.com" in findings.command(finding, "openssl")
    assert not [f for f in findings if f["policy_id"].startswith("PK6") and not f["unknown"]
                and f is not finding]
