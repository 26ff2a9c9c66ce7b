"""PK611 severity: a refused upgrade is an error where WebSocket is declared, a warning where it is guessed.

Like the static PK304, a behavior that only looks like WebSocket (a `/ws` path pattern or a `ws.`
alias, fact serves_websocket == "guessed") may reach an origin that never meant to serve it.
"""

from __future__ import annotations

from typing import Any

from tests.live.helpers import LiveRun, of
from tests.live.live_servers import Pki
from tests.templates import cfn_with_origins

DECLARED = "    Metadata:\n      policykit:\n        websocket: ['/ws/*']\n"


def _declare(text: str) -> str:
    marker = "    Type: AWS::CloudFront::Distribution\n"
    assert marker in text
    return text.replace(marker, marker + DECLARED, 1)


def _refusing(serve: Any, pki: Pki, *names: str) -> Any:
    return serve(pki.context(pki.leaf(*names), (pki.intermediate,)), behavior="ws-refuse")


def test_guessed_path_is_a_warning(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _refusing(serve, pki, "origin.test")
    dns = dns_server({"origin.test": "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}], paths=(("/ws/*", "app"),))
    code, findings, _ = live(text, dns)
    (finding,) = of(findings, "PK611")
    assert finding["severity"] == "warning"
    assert finding["evidence"]["request"] == "GET /ws/ (Host: origin.test)"
    assert code == 0  # a warning does not fail the default threshold


def test_declared_path_is_an_error(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _refusing(serve, pki, "origin.test")
    dns = dns_server({"origin.test": "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}], paths=(("/ws/*", "app"),))
    code, findings, _ = live(_declare(text), dns)
    (finding,) = of(findings, "PK611")
    assert finding["severity"] == "error" and "HTTP/1.1 400 Bad Request" in finding["message"]
    assert code == 1


def test_ws_alias_is_a_warning(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = _refusing(serve, pki, "origin.test", "ws.example.test")
    dns = dns_server({"origin.test": "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}],
                    aliases=("ws.example.test",), forward_host=True)
    _, findings, _ = live(text, dns)
    (finding,) = of(findings, "PK611")
    assert finding["severity"] == "warning"
    assert finding["evidence"]["request"] == "GET / (Host: ws.example.test)"


def test_101_without_accept_is_an_error_where_declared(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # facts §6 row 3 and RFC 6455 §4.1: a 101 without Sec-WebSocket-Accept fails the upgrade at the client
    server = serve(pki.context(pki.leaf("origin.test"), (pki.intermediate,)), behavior="ws-no-accept")
    dns = dns_server({"origin.test": "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}], paths=(("/ws/*", "app"),))
    code, findings, _ = live(_declare(text), dns)
    (finding,) = of(findings, "PK611")
    assert finding["severity"] == "error" and code == 1
    assert "101 answer has no Sec-WebSocket-Accept header" in finding["message"]
    assert any("Sec-WebSocket-Key: " in r for r in server.requests)  # the key it should have answered to


def test_101_with_a_wrong_accept_is_refused(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    # facts §6 row 3: the value is base64(SHA-1(key + GUID)) of the key policykit sent; anything else fails
    server = serve(pki.context(pki.leaf("origin.test"), (pki.intermediate,)), behavior="ws-wrong-accept")
    dns = dns_server({"origin.test": "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}], paths=(("/ws/*", "app"),))
    _, findings, _ = live(text, dns)
    (finding,) = of(findings, "PK611")
    assert finding["severity"] == "warning"  # guessed from the path: a warning, as for a refusal
    assert "Sec-WebSocket-Accept is " in finding["message"] and "the value for the key sent" in finding["message"]


def test_a_complete_upgrade_is_quiet(live: LiveRun, serve: Any, pki: Pki, dns_server: Any) -> None:
    server = serve(pki.context(pki.leaf("origin.test"), (pki.intermediate,)), behavior="ws")
    dns = dns_server({"origin.test": "127.0.0.1"})
    text = cfn_with_origins([{"id": "app", "domain": "origin.test", "port": server.port}], paths=(("/ws/*", "app"),))
    _, findings, _ = live(_declare(text), dns)
    assert not of(findings, "PK611")
    assert findings.of_name("origin.test")["websocket"]["status"] == 101
