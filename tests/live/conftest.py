"""Fixtures for the --live tests: a PKI, server factories that clean up, a template writer, a runner."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.helpers import RunCli, Write
from tests.live.helpers import Findings, LiveRun
from tests.live.live_servers import DnsServer, Issued, Pki, Server, issue


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return Pki.create(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def rsa_8192() -> rsa.RSAPrivateKey:
    """An RSA key over CloudFront's 4096-bit maximum: slow to make, so made once per session."""
    return rsa.generate_private_key(65537, 8192)


@pytest.fixture(scope="session")
def rsa_ca(pki: Pki) -> Issued:
    """An RSA intermediate under the trusted test root, to sign with RSA-PKCS1 (SHA-1, MD5)."""
    return issue("Test RSA Intermediate CA", pki.root, ca=True, key=rsa.generate_private_key(65537, 2048))


@pytest.fixture
def serve() -> Iterator[Callable[..., Server]]:
    started: list[Server] = []

    def start(*args: Any, **kwargs: Any) -> Server:
        server = Server(*args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def dns_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[dict[str, str]], DnsServer]]:
    """A DNS server on 127.0.0.1 that stands for a public resolver: the nameserver guard (which refuses a loopback
    resolver without --allow-private, policykit/probes/addresses.py) lets the tests' own servers through, so a test
    can probe without --allow-private and see private origins refused. Nothing else is let through."""
    from policykit.probes import addresses

    started: list[DnsServer] = []
    guard = addresses.check_nameserver

    def tests_own(host: str, allow_private: bool) -> None:
        if not any(host == server.address.rsplit(":", 1)[0] for server in started):
            guard(host, allow_private)

    monkeypatch.setattr(addresses, "check_nameserver", tests_own)

    def start(records: dict[str, str]) -> DnsServer:
        server = DnsServer(records)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def live(run_cli: RunCli, write: Write,
         pki: Pki) -> LiveRun:
    """Write the template, run `policykit scan --live --format json ...`; (exit code, findings and what was
    seen, stderr)."""

    def run(text: str, dns: DnsServer | None, *extra: str,
            private: bool = True) -> tuple[int, Findings, str]:
        path = write("template.yaml", text)
        args = ["scan", str(path), "--live", "--format", "json", "--trust-store", str(pki.trust_store),
                *(["--nameserver", dns.address] if dns else []), *(["--allow-private"] if private else []), *extra]
        code, out, err = run_cli(*args)
        assert code in (0, 1), (code, out, err)
        return code, Findings(json.loads(out)), err

    return run
