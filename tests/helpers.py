"""What the tests share besides fixtures (tests/conftest.py) and inputs (tests/templates.py): the repository's
paths, the types of the common fixtures, and small functions several areas use."""

from __future__ import annotations

import functools
import json
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
POLICIES = ROOT / "policies"
# The team's shared material (corpus, SARIF schema, references) sits beside the checkout, as in CI.
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
requires_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared (corpus, schemas, references) is not beside this checkout")

# The fixtures of tests/conftest.py: `run_cli(*args) -> (exit code, stdout, stderr)`, `write(name, text) -> path`.
RunCli = Callable[..., tuple[int, str, str]]
Write = Callable[[str, str], Path]


def line_of(path: Path, needle: str, after: str = "") -> int:
    """The first line holding `needle` (after the first line holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


REPORT_SCHEMA = ROOT / "policykit" / "reporters" / "report_schema.json"


@functools.cache
def _report_validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = json.loads(REPORT_SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_report(document: Mapping[str, object]) -> None:
    """Fail unless `document` is a JSON report as policykit/reporters/report_schema.json describes it (every
    error listed, each with where it is). tests/conftest.py applies it to every JSON report a test produces."""
    errors = sorted(_report_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        lines = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:20]]
        raise AssertionError("the JSON report does not match policykit/reporters/report_schema.json:\n"
                             + "\n".join(lines))


# -- what reaches the network ---------------------------------------------------------------------------------------

class SocketSpy:
    """Every connection and datagram the code under test tries, as (what, address): those to an address in
    `allowed` go through, every other one is refused (OSError) before it leaves the machine."""

    def __init__(self, allowed: tuple[tuple[str, int], ...] = ()) -> None:
        self.allowed = allowed
        self.attempts: list[tuple[str, object]] = []

    def to(self, address: tuple[str, int]) -> list[str]:
        """What was tried toward `address`."""
        return [what for what, where in self.attempts if isinstance(where, tuple) and tuple(where[:2]) == address]


@contextmanager
def spied_sockets(allowed: tuple[tuple[str, int], ...] = ()) -> Iterator[SocketSpy]:
    """Within: every `connect`, `connect_ex`, `sendto` and `sendmsg` of any socket is recorded, and refused unless
    its address is allowed (no test reaches anything else; the refusal is what the code under test meets)."""
    spy = SocketSpy(allowed)
    originals = {name: getattr(socket.socket, name) for name in ("connect", "connect_ex", "sendto", "sendmsg")}

    def spying(name: str) -> Callable[..., object]:
        def method(self: socket.socket, *args: object) -> object:
            where = args[0] if name.startswith("connect") else args[-1] if name == "sendto" else \
                (args[3] if len(args) > 3 else self.getpeername())
            spy.attempts.append((name, where))
            if not (isinstance(where, tuple) and tuple(where[:2]) in allowed):
                raise OSError(f"refused by the test: {name} to {where}")
            return originals[name](self, *args)
        return method

    try:
        for name in originals:
            setattr(socket.socket, name, spying(name))
        yield spy
    finally:
        for name, original in originals.items():
            setattr(socket.socket, name, original)


class LoopbackListener:
    """A TCP listener on a loopback address that records what each connection sends (and answers an HTTP request
    with 200), or a UDP one that records each datagram: what a probe sent there, if anything."""

    def __init__(self, host: str = "127.0.0.1", udp: bool = False) -> None:
        self.received: list[bytes] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if udp else socket.SOCK_STREAM)
        self.sock.bind((host, 0))
        self.address: tuple[str, int] = self.sock.getsockname()[:2]
        self.sock.settimeout(0.2)
        if not udp:
            self.sock.listen(8)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._datagrams if udp else self._connections, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self.address[1]

    def _datagrams(self) -> None:
        while not self._stop.is_set():
            with suppress(OSError):
                self.received.append(self.sock.recv(65536))

    def _connections(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.sock.accept()
            except OSError:
                continue
            with connection, suppress(OSError):
                connection.settimeout(2)
                data = connection.recv(65536)
                self.received.append(data)
                if data.startswith((b"HEAD", b"GET")):
                    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()
def user_repository(root: Path, config: str) -> Path:
    """A repository laid out as the README describes, at `root`: `cfn/web.yaml` (PK101 unless Proto=http-only),
    the user's policy ACME001 in `policies/` with a fail fixture that is a broken template and a pass fixture, and
    `config` as its `.policykit.yaml`; a `.git` directory marks its root (as policykit finds it). Returns `root`."""
    from tests.templates import READ_TIMEOUT_POLICY, SLOW_FIXTURE, WEB_WITH_PROTO

    files = {
        ".policykit.yaml": config,
        "cfn/web.yaml": WEB_WITH_PROTO,
        "policies/ACME001-read-timeout.yaml": READ_TIMEOUT_POLICY,
        "policies/ACME001-read-timeout/tests/fail/slow.yaml": SLOW_FIXTURE,
        "policies/ACME001-read-timeout/tests/pass/fast.yaml": WEB_WITH_PROTO,
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / ".git").mkdir(exist_ok=True)
    return root
