"""Real loopback servers for the --live tests: a CA that issues certificates, TLS/HTTP servers, DNS.

Everything listens on 127.0.0.1 on ports the OS picks; nothing leaves the machine.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import select
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

NOW = dt.datetime.now(dt.timezone.utc)
DAY = dt.timedelta(days=1)


@dataclass
class Issued:
    cert: x509.Certificate
    key: CertificateIssuerPrivateKeyTypes

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def issue(common: str, issuer: Issued | None = None, *, ca: bool = False, sans: tuple[str, ...] = (),
          not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
          raw_sans: tuple[bytes, ...] = (), key: CertificateIssuerPrivateKeyTypes | None = None,
          cn_only: bool = False, key_usage: bool = True) -> Issued:
    """A certificate for `common`, signed by `issuer` (self-signed when None), with a P-256 key or `key`.
    `raw_sans`: dNSName values written as given, bytes that cryptography's builder refuses (non-ASCII, as some
    CAs issue); `cn_only`: no subjectAltName, the name in the Common Name only; `key_usage`: a CA's keyUsage."""
    key = key or ec.generate_private_key(ec.SECP256R1())
    signer_key = issuer.key if issuer else key
    issuer_name = issuer.cert.subject if issuer else _name(common)
    issuer_public = issuer.key.public_key() if issuer else key.public_key()
    builder = (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - DAY).not_valid_after(not_after or NOW + 365 * DAY)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_public), critical=False))
    if ca and key_usage:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False),
            critical=True)
    elif ca:
        pass
    elif cn_only:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    elif raw_sans:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        names = b"".join(b"\x82" + bytes([len(raw)]) + raw for raw in raw_sans)  # [2] IA5String, short form
        builder = builder.add_extension(x509.UnrecognizedExtension(
            ExtensionOID.SUBJECT_ALTERNATIVE_NAME, b"\x30" + bytes([len(names)]) + names), critical=False)
    else:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(s) for s in (sans or (common,))]), critical=False)
    digest = None if isinstance(signer_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()
    return Issued(builder.sign(signer_key, digest), key)


@dataclass
class Pki:
    """A public-CA-like hierarchy (root -> intermediate) the tests trust, and a private one they do not."""

    root: Issued
    intermediate: Issued
    private_root: Issued
    directory: Path

    @classmethod
    def create(cls, directory: Path) -> Pki:
        root = issue("Test Root CA", ca=True, not_before=NOW - 30 * DAY, not_after=NOW + 3650 * DAY)
        intermediate = issue("Test Intermediate CA", root, ca=True, not_before=NOW - 30 * DAY,
                             not_after=NOW + 1825 * DAY)
        private_root = issue("Private Corp Root CA", ca=True, not_before=NOW - 30 * DAY,
                             not_after=NOW + 3650 * DAY)
        pki = cls(root, intermediate, private_root, directory)
        (directory / "trust.pem").write_bytes(root.pem())
        return pki

    @property
    def trust_store(self) -> Path:
        return self.directory / "trust.pem"

    def leaf(self, *names: str, **validity: dt.datetime) -> Issued:
        return issue(names[0], self.intermediate, sans=names, **validity)

    def context(self, leaf: Issued, chain: tuple[Issued, ...], *, ciphers: str | None = None,
                versions: tuple[ssl.TLSVersion, ssl.TLSVersion] | None = None,
                also: tuple[Issued, ...] = ()) -> ssl.SSLContext:
        """A server context presenting `leaf` followed by `chain`, exactly in that order (and `also`, certificates
        of other key types the server may choose instead, each followed by `chain`)."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        if ciphers:  # before the certificates: a weak signature needs the lower security level to load
            context.set_ciphers(ciphers)
        for served in (leaf, *also):
            handle, name = tempfile.mkstemp(suffix=".pem", dir=self.directory)
            with open(handle, "wb") as out:
                out.write(served.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
                out.write(served.pem())
                for cert in chain:
                    out.write(cert.pem())
            context.load_cert_chain(name)
        if versions:
            context.minimum_version, context.maximum_version = versions
        return context


# ---- TLS / HTTP servers -------------------------------------------------------------------------

def _accept_key(key: str) -> str:
    digest = hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Server:
    """A TLS (or plain) HTTP server on 127.0.0.1 in threads.

    behavior: ok (200), 502, ws (101 to an upgrade), ws-refuse (400 to an upgrade), ws-no-accept and
    ws-wrong-accept (101 without Sec-WebSocket-Accept, or with one for another key), hang (never answers,
    not even the TLS handshake), dribble (the status line one byte every 0.1 s), slow (the answer `delay`
    seconds after the request). `requests` records every request as received, raw. What happened when is kept
    as an order of events (monotonic clock), so a test asserts what overlapped, not how long a run took:
    `accepted` and, for `hang`, `client_closed` (the client gave up on the connection); `handshake_times`; for
    `dribble`, `dribbled` (the bytes each connection got before the client went away); for `slow`, `events`
    (`request`, `answered`, `client-closed`, in the order they happened).
    """

    context: ssl.SSLContext | None
    behavior: str = "ok"
    sni: dict[str, ssl.SSLContext] = field(default_factory=dict)  # SNI name -> context
    port: int = 0
    handshakes: list[str] = field(default_factory=list)  # SNI names seen
    requests: list[str] = field(default_factory=list)  # raw request heads received
    accepted: list[float] = field(default_factory=list)
    client_closed: list[float] = field(default_factory=list)
    handshake_times: list[float] = field(default_factory=list)
    dribbled: list[int] = field(default_factory=list)
    delay: float = 0.0
    events: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.stopped = threading.Event()
        self.held: list[socket.socket] = []
        if self.context is not None:
            self.context.sni_callback = self._select
        threading.Thread(target=self._serve, daemon=True).start()

    def _select(self, sock: ssl.SSLSocket, name: str | None, _: ssl.SSLContext) -> None:
        self.handshakes.append(name or "")
        self.handshake_times.append(time.monotonic())
        if name in self.sni:
            sock.context = self.sni[name]

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                ready, _, _ = select.select([self.listener], [], [], 0.1)
            except (OSError, ValueError):  # closed by stop() meanwhile
                return
            if not ready:
                continue
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(time.monotonic())
            if self.behavior == "hang":
                self.held.append(conn)  # accepted, then silence
                threading.Thread(target=self._watch, args=(conn,), daemon=True).start()
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _watch(self, conn: socket.socket) -> None:
        """A held connection: note when the client closes it (not when stop() does)."""
        try:
            while conn.recv(4096):
                pass
        except OSError:
            return
        if not self.stopped.is_set():
            self.client_closed.append(time.monotonic())

    def wait_for(self, events: list[object], count: int, seconds: float = 10.0) -> None:
        """Until `events` (one of the lists above) holds `count` entries: threads record them a moment late."""
        deadline = time.monotonic() + seconds
        while len(events) < count and time.monotonic() < deadline:
            time.sleep(0.01)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            stream = self.context.wrap_socket(conn, server_side=True) if self.context else conn
            with stream:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = stream.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                self.requests.append(data.decode("latin-1"))
                response = self._response(data.decode("latin-1")).encode("latin-1")
                if self.behavior == "slow":
                    self._answer_late(stream, response)
                    return
                if self.behavior == "dribble":
                    sent = 0
                    try:
                        for byte in response:
                            if self.stopped.wait(0.1):
                                return
                            stream.sendall(bytes([byte]))
                            sent += 1
                    finally:
                        self.dribbled.append(sent)
                    return
                stream.sendall(response)
        except (OSError, ssl.SSLError):
            return
        finally:
            conn.close()

    def _answer_late(self, stream: socket.socket, response: bytes) -> None:
        """The answer `delay` seconds after the request, then whether the client was still there to read it."""
        self.events.append("request")
        if self.stopped.wait(self.delay):
            return
        stream.sendall(response)
        self.events.append("answered")
        stream.settimeout(5)
        with contextlib.suppress(OSError):
            while stream.recv(4096):
                pass
        self.events.append("client-closed")

    def _response(self, request: str) -> str:
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in request.split("\r\n")[1:] if ":" in line)}
        upgrade = headers.get("upgrade", "").lower() == "websocket"
        if upgrade and self.behavior == "ws":
            return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    f"Sec-WebSocket-Accept: {_accept_key(headers.get('sec-websocket-key', ''))}\r\n\r\n")
        if upgrade and self.behavior in ("ws-no-accept", "ws-wrong-accept"):
            accept = "" if self.behavior == "ws-no-accept" else f"Sec-WebSocket-Accept: {_accept_key('other')}\r\n"
            return f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n{accept}\r\n"
        if upgrade and self.behavior == "ws-refuse":
            return "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        if self.behavior == "502":
            return "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        return "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
        for conn in self.held:
            conn.close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# ---- DNS ----------------------------------------------------------------------------------------

Answer = str  # an IPv4 or IPv6 address, "NXDOMAIN", "SERVFAIL", "DROP" (no answer), or "CNAME target"


class DnsServer:
    """Answers from a table over UDP on 127.0.0.1: an IPv4 answer is an A record, an IPv6 one an
    AAAA record; the other type gets an empty NOERROR answer."""

    def __init__(self, records: dict[str, Answer]) -> None:
        self.records = {k.lower().rstrip("."): v for k, v in records.items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.stopped = threading.Event()
        self.queries: list[tuple[float, str]] = []  # (monotonic time, name) of every query received
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                ready, _, _ = select.select([self.sock], [], [], 0.1)
            except (OSError, ValueError):  # closed by stop() meanwhile
                return
            if not ready:
                continue
            try:
                wire, peer = self.sock.recvfrom(4096)
            except OSError:
                return
            query = dns.message.from_wire(wire)
            self.queries.append((time.monotonic(), query.question[0].name.to_text().rstrip(".").lower()))
            if self.records.get(query.question[0].name.to_text().rstrip(".").lower()) == "DROP":
                continue  # a resolver that never answers
            self.sock.sendto(self._answer(query).to_wire(), peer)

    def _answer(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.RA
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        while True:
            answer = self.records.get(name)
            if answer is None or answer == "NXDOMAIN":
                response.set_rcode(dns.rcode.NXDOMAIN)
                return response
            if answer == "SERVFAIL":
                response.set_rcode(dns.rcode.SERVFAIL)
                return response
            if answer.startswith("CNAME "):
                target = answer.split()[1]
                response.answer.append(dns.rrset.from_text(name + ".", 60, "IN", "CNAME", target + "."))
                name = target.lower()
                continue
            if rdtype == ("AAAA" if ":" in answer else "A"):
                response.answer.append(dns.rrset.from_text(name + ".", 60, "IN", rdtype, answer))
            return response

    def stop(self) -> None:
        self.stopped.set()
        self.sock.close()


Factory = Callable[..., Server]


class FullBacklog:
    """A port whose accept queue is full: the kernel drops new SYNs, so a connect times out (no firewall needed)."""

    def __init__(self) -> None:
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(0)
        self.port = int(self.listener.getsockname()[1])
        self.fillers: list[socket.socket] = []
        for _ in range(2):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", self.port))
            self.fillers.append(filler)

    def stop(self) -> None:
        for filler in self.fillers:
            filler.close()
        self.listener.close()
