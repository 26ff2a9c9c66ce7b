"""Certificates and servers that CloudFront's origin profile (policykit/core/origin_tls.py) judges, for the live
tests: signatures today's `cryptography` refuses to make (SHA-1, MD5), and an origin that speaks only a suite
today's OpenSSL refuses to offer (RC4-MD5), on 127.0.0.1 only."""

from __future__ import annotations

import select
import socket
import struct
import threading
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.live.live_servers import Issued

# sha256WithRSAEncryption and the older algorithms of the same arc, as DER OIDs of the same length
_SHA256_RSA = bytes.fromhex("06092a864886f70d01010b")
_RSA_WITH = {"sha1": (bytes.fromhex("06092a864886f70d010105"), hashes.SHA1()),
             "md5": (bytes.fromhex("06092a864886f70d010104"), hashes.MD5())}


def _length(size: int) -> bytes:
    if size < 0x80:
        return bytes([size])
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def resigned(issued: Issued, issuer: Issued, digest: str) -> Issued:
    """`issued` signed again by the RSA `issuer` with SHA-1 or MD5 (which cryptography's builder no longer does):
    the algorithm identifiers rewritten in place (same length), the to-be-signed part signed by hand."""
    assert isinstance(issuer.key, rsa.RSAPrivateKey), "an RSA issuer signs with RSA-PKCS1"
    oid, algorithm = _RSA_WITH[digest]
    tbs = issued.cert.tbs_certificate_bytes
    assert tbs.count(_SHA256_RSA) == 1, "issued by an RSA issuer with SHA-256"
    tbs = tbs.replace(_SHA256_RSA, oid)
    signature = issuer.key.sign(tbs, padding.PKCS1v15(), algorithm)
    identifier = b"\x30" + _length(len(oid) + 2) + oid + b"\x05\x00"
    bits = b"\x03" + _length(len(signature) + 1) + b"\x00" + signature
    body = tbs + identifier + bits
    return Issued(x509.load_der_x509_certificate(b"\x30" + _length(len(body)) + body), issued.key)


@dataclass
class LegacyServer:
    """An origin that speaks only RC4-MD5 (as old appliances do): a ServerHello choosing it to a ClientHello that
    offers it, a handshake_failure alert to any other. It goes no further: nothing past the ServerHello is
    needed to tell what it chose. `hellos` holds the suites each ClientHello offered."""

    hellos: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                ready, _, _ = select.select([self.listener], [], [], 0.1)
                if not ready:
                    continue
                conn, _ = self.listener.accept()
            except (OSError, ValueError):
                return
            with conn:
                conn.settimeout(5)
                try:
                    self._answer(conn)
                except OSError:
                    continue

    def _answer(self, conn: socket.socket) -> None:
        data = b""
        while len(data) < 5 or len(data) < 5 + struct.unpack("!H", data[3:5])[0]:
            chunk = conn.recv(4096)
            if not chunk:
                return
            data += chunk
        hello = data[5:]
        at = 4 + 2 + 32
        at += 1 + hello[at]  # session id
        count = struct.unpack("!H", hello[at:at + 2])[0]
        suites = [struct.unpack("!H", hello[at + 2 + i:at + 4 + i])[0] for i in range(0, count, 2)]
        self.hellos.append(suites)
        if 0x0004 not in suites:
            conn.sendall(b"\x15\x03\x03\x00\x02\x02\x28")  # fatal handshake_failure
            return
        body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x04" + b"\x00"
        message = b"\x02" + struct.pack("!I", len(body))[1:] + body
        conn.sendall(b"\x16\x03\x03" + struct.pack("!H", len(message)) + message)

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
