"""Facts of a live name's HTTP: the `HEAD` answer, its first byte against OriginReadTimeout, the WebSocket upgrade
checked as a client checks it, and the `curl` commands that send the same requests."""

from __future__ import annotations

import shlex

from policykit.core.results import HttpOutcome
from policykit.core.values import Unknown
from policykit.model.live import LiveName

DEFAULT_READ_TIMEOUT = 30  # facts §3.2 row 4


def seconds(value: float) -> str:
    """A measured time for people: three digits, and no "0 s" for a loopback answer."""
    return "under 0.001" if value < 0.001 else f"{value:.3g}"


def origin_status(name: LiveName) -> int | Unknown:
    """The HTTP status of `HEAD /` sent with this Host (and SNI)."""
    if name.head is None:
        return Unknown(name.requests_not_sent or name.not_probed or "no request sent")
    if name.head.status is None:
        return Unknown(f"HEAD {name.head.path}: {name.head.detail or 'no status line'}")
    return int(name.head.status)


def http_outcome(name: LiveName) -> str | Unknown:
    """How the origin answered `HEAD /`: answered, timeout, closed, reset, not-http or error."""
    if name.head is None:
        return Unknown(name.requests_not_sent or name.not_probed or "no request sent")
    if name.head.outcome is HttpOutcome.CUT:
        return Unknown(f"HEAD {name.head.path}: {name.head.detail}")
    return str(name.head.outcome)


def http_detail(name: LiveName) -> str:
    """What happened to `HEAD /` when no status line came back."""
    return str(name.head.detail) if name.head is not None else ""


def read_timeout(name: LiveName) -> int:
    """The origin's OriginReadTimeout in seconds (30 when not written)."""
    value = getattr(name.origin, "read_timeout", None)
    return value if isinstance(value, int) and not isinstance(value, bool) else DEFAULT_READ_TIMEOUT


def origin_read_timeout(name: LiveName) -> int | Unknown:
    """How long CloudFront waits for this origin's first byte: OriginReadTimeout, 30 s when not written (a VPC
    origin's own timeout would be read here: VPC origins are not probed)."""
    value = getattr(name.origin, "read_timeout", None)
    if value is None:
        return DEFAULT_READ_TIMEOUT
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return value if isinstance(value, Unknown) else Unknown("OriginReadTimeout is not a number of seconds")


def first_byte_seconds(name: LiveName) -> float | Unknown:
    """Seconds from the `HEAD` request sent to the first byte of the answer."""
    if name.head is None:
        return Unknown(name.requests_not_sent or name.not_probed or "no request sent")
    if name.head.first_byte is None:
        return Unknown(f"HEAD {name.head.path}: no byte of an answer ({name.head.detail or name.head.outcome})")
    return float(name.head.first_byte)


def read_timeout_exceeded(name: LiveName) -> bool | Unknown:
    """Did the first byte of the `HEAD` answer come later than OriginReadTimeout, or not at all within it?"""
    limit = origin_read_timeout(name)
    head = name.head
    if head is None:
        return Unknown(name.requests_not_sent or name.not_probed or "no request sent")
    if isinstance(limit, Unknown):
        return limit
    if head.first_byte is not None:
        return head.first_byte > limit
    if head.outcome is not HttpOutcome.TIMEOUT:
        return False  # closed, reset or refused before the read timeout: PK616's 502, not a 504
    if head.waited >= limit:
        return True
    if head.wait_limit:
        return Unknown(f"not checked: no answer after {seconds(head.waited)} s, OriginReadTimeout is {limit} s; "
                       f"raise {head.wait_limit} to {head.needed_bound} to check")
    return Unknown(f"not checked: no answer after {seconds(head.waited)} s, OriginReadTimeout is {limit} s")


def first_byte_words(name: LiveName) -> str:
    """When the first byte of the `HEAD` answer came, or how long none came, in words."""
    head = name.head
    if head is None:
        return ""
    if head.first_byte is not None:
        return f"first byte {seconds(head.first_byte)} s after the request"
    return f"no byte of an answer within {seconds(head.waited)} s of the request"


def origin_status_line(name: LiveName) -> str:
    """The status line the origin answered `HEAD /` with."""
    return str(name.head.status_line) if name.head is not None else ""


def websocket_refused(name: LiveName) -> bool | Unknown:
    """Did the upgrade fail at a client: an answer other than 101, none at all, or a 101 without Upgrade,
    Connection or the right Sec-WebSocket-Accept? (false when none was sent)"""
    if name.websocket is None:
        return Unknown(name.not_probed) if name.not_probed else False
    if name.websocket.outcome is HttpOutcome.CUT:
        return Unknown(f"WebSocket upgrade to {name.name}: {name.websocket.detail}")
    if name.websocket.status is None:  # tried: closed, reset, or no answer in time
        return True
    return bool(name.websocket.status != 101 or name.websocket.upgrade_problem)


def websocket_timed_out(name: LiveName) -> bool:
    """The upgrade got no answer within the probe's timeout (CloudFront may wait longer)."""
    return name.websocket is not None and name.websocket.outcome is HttpOutcome.TIMEOUT


def websocket_response(name: LiveName) -> str:
    """What the origin answered the upgrade request with."""
    if name.websocket is None:
        return ""
    ws = name.websocket
    return ws.status_line or ws.detail or "(no response)"


def websocket_problem(name: LiveName) -> str:
    """Why the upgrade fails at a client, in words."""
    ws = name.websocket
    if ws is None:
        return ""
    if ws.status == 101 and ws.upgrade_problem:
        return f"{ws.upgrade_problem}: an RFC 6455 client fails the connection (RFC 6455 §4.1; facts §6 row 3)"
    if ws.status is None:
        return f"no answer: {ws.detail or ws.outcome}"
    return f'"{ws.status_line}", not 101 Switching Protocols'


def websocket_request(name: LiveName) -> str:
    """The upgrade request that was sent."""
    return f"GET {name.websocket.path} (Host: {name.name})" if name.websocket is not None else ""


def _resolve(name: LiveName) -> str:
    endpoint = name.endpoint
    if endpoint is None or not endpoint.address:
        return ""
    return f"--resolve {shlex.quote(f'{name.name}:{endpoint.port}:{endpoint.address}')} "


def curl_command(name: LiveName) -> str:
    """A `curl` command that sends the same HEAD request and times its first byte."""
    endpoint = name.endpoint
    if endpoint is None:
        return ""
    path = name.head.path if name.head is not None else "/"
    return (f"curl -sS -I -w 'first byte after %{{time_starttransfer}} s\\n' {_resolve(name)}"
            f"{endpoint.scheme}://{name.name}:{endpoint.port}{shlex.quote(path)}")


def websocket_command(name: LiveName) -> str:
    """A `curl` command that sends the same WebSocket upgrade request."""
    endpoint = name.endpoint
    if endpoint is None or name.websocket is None:
        return ""
    return (f"curl -sS -i --http1.1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' "
            f"-H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "
            f"{_resolve(name)}{endpoint.scheme}://{name.name}:{endpoint.port}{name.websocket.path}")
