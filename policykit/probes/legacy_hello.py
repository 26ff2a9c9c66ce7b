"""The part of CloudFront's offer this machine's TLS library cannot make: SSLv3, DES-CBC3-SHA, RC4-MD5.

Today's OpenSSL builds refuse to offer them, so when every handshake policykit can make fails, one ClientHello
written by hand offers what is left of CloudFront's offer and reads only the first answer: a ServerHello choosing
one of them means the origin speaks only what CloudFront offers and policykit cannot check ("not checked here",
never an error); an alert leaves the verdict as it was. Nothing more is sent: no key exchange, no request.
"""

from __future__ import annotations

import os
import socket
import ssl
import struct
from functools import cache

from policykit.core.origin_tls import cipher_ids, cloudfront_ciphers
from policykit.core.record import record
from policykit.probes.addresses import open_connection
from policykit.probes.deadlines import Step

WIRE_VERSIONS = {"SSLv3": 0x0300, "TLSv1": 0x0301, "TLSv1.1": 0x0302, "TLSv1.2": 0x0303}
_NAMES = {v: k for k, v in WIRE_VERSIONS.items()}
_GROUPS = (0x0017, 0x001D, 0x0018)  # secp256r1, x25519, secp384r1: CloudFront's curves
_SIGALGS = (0x0401, 0x0501, 0x0601, 0x0301, 0x0403, 0x0503, 0x0603, 0x0303, 0x0201, 0x0203)


@cache
def unofferable_ciphers() -> tuple[str, ...]:
    """CloudFront's suites this machine's OpenSSL cannot put in a ClientHello, even at security level 0."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    out = []
    for cipher in cloudfront_ciphers():
        try:
            context.set_ciphers(cipher + ":@SECLEVEL=0")
        except ssl.SSLError:
            out.append(cipher)
    return tuple(out)


@record
class LegacyAnswer:
    version: str = ""  # what the ServerHello chose
    cipher: str = ""
    detail: str = ""  # an alert, a closed connection, or no answer in time


def hello(versions: tuple[str, ...], ciphers: tuple[str, ...], sni: str) -> bytes:
    """A ClientHello offering `ciphers` up to the highest of `versions`, with CloudFront's curves and schemes."""
    ids = cipher_ids()
    top = max(WIRE_VERSIONS[v] for v in versions)
    suites = b"".join(struct.pack("!H", ids[c]) for c in ciphers)
    extensions = b""
    if top > WIRE_VERSIONS["SSLv3"]:
        name = sni.encode("ascii")
        server_name = struct.pack("!HBH", len(name) + 3, 0, len(name)) + name
        groups = b"".join(struct.pack("!H", g) for g in _GROUPS)
        sigalgs = b"".join(struct.pack("!H", s) for s in _SIGALGS)
        extensions = (_extension(0x0000, server_name) + _extension(0x000A, struct.pack("!H", len(groups)) + groups)
                      + _extension(0x000B, b"\x01\x00") + _extension(0xFF01, b"\x00"))
        if top >= WIRE_VERSIONS["TLSv1.2"]:
            extensions += _extension(0x000D, struct.pack("!H", len(sigalgs)) + sigalgs)
        extensions = struct.pack("!H", len(extensions)) + extensions
    body = (struct.pack("!H", top) + os.urandom(32) + b"\x00" + struct.pack("!H", len(suites)) + suites
            + b"\x01\x00" + extensions)
    message = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16" + struct.pack("!HH", min(top, WIRE_VERSIONS["TLSv1"]), len(message)) + message


def _extension(kind: int, data: bytes) -> bytes:
    return struct.pack("!HH", kind, len(data)) + data


def ask(address: str, port: int, sni: str, versions: tuple[str, ...], ciphers: tuple[str, ...], step: Step,
        allow_private: bool) -> LegacyAnswer:
    """Send the hand-made ClientHello; what the origin chose, or why nothing was chosen."""
    try:
        with open_connection(address, port, step.remaining(), allow_private) as sock:
            sock.settimeout(max(step.remaining(), 0.001))
            sock.sendall(hello(versions, ciphers, sni))
            head = _read(sock, 5, step)
            if head[0] == 0x15:
                return LegacyAnswer(detail="the origin answered with a TLS alert")
            if head[0] != 0x16:
                return LegacyAnswer(detail="the origin answered with something that is not TLS")
            length = struct.unpack("!H", head[3:5])[0]
            record_body = _read(sock, min(length, 4 + 2 + 32 + 1 + 32 + 2), step)
    except (OSError, ValueError) as exc:
        return LegacyAnswer(detail=f"no ServerHello ({exc})")
    if record_body[0] != 0x02 or len(record_body) < 39:
        return LegacyAnswer(detail="the origin's first handshake message is not a ServerHello")
    version = struct.unpack("!H", record_body[4:6])[0]
    session = record_body[38]
    at = 39 + session
    if len(record_body) < at + 2:
        return LegacyAnswer(detail="a ServerHello too short to read")
    chosen = struct.unpack("!H", record_body[at:at + 2])[0]
    names = {number: name for name, number in cipher_ids().items()}
    return LegacyAnswer(_NAMES.get(version, f"0x{version:04x}"), names.get(chosen, f"0x{chosen:04x}"))


def _read(sock: socket.socket, count: int, step: Step) -> bytes:
    data = b""
    while len(data) < count:
        remaining = step.remaining()
        if remaining <= 0:
            raise TimeoutError("no answer in time")
        sock.settimeout(remaining)
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ValueError("the origin closed the connection")
        data += chunk
    return data
