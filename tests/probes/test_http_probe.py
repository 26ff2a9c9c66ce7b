"""The HTTP probe (policykit/probes/http_probe.py): a 101 answer checked as an RFC 6455 client checks it
(§4.1, §4.2.2; facts §6 row 3)."""

from __future__ import annotations

from policykit.probes.http_probe import upgrade_problem, websocket_accept

KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3's example


def _head(*lines: str) -> str:
    return "\r\n".join(("HTTP/1.1 101 Switching Protocols", *lines)) + "\r\n\r\n"


def test_the_accept_value_is_rfc_6455s() -> None:
    assert websocket_accept(KEY) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_a_complete_101_passes_and_each_missing_part_is_named() -> None:
    good = ("Upgrade: websocket", "Connection: keep-alive, Upgrade", f"Sec-WebSocket-Accept: {websocket_accept(KEY)}")
    assert upgrade_problem(_head(*good), KEY) == ""
    assert "no Upgrade: websocket" in upgrade_problem(_head(*good[1:]), KEY)
    assert "no Connection: Upgrade" in upgrade_problem(_head(good[0], good[2]), KEY)
    assert "no Sec-WebSocket-Accept" in upgrade_problem(_head(*good[:2]), KEY)
    wrong = upgrade_problem(_head(*good[:2], "Sec-WebSocket-Accept: AAAA"), KEY)
    assert "is AAAA, not s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in wrong
