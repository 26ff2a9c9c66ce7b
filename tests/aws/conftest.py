"""The AWS tests run against a local AWS API on loopback: moto's server mode (started here on a free port of
127.0.0.1, reset before each test) with AWS_ENDPOINT_URL pointing at it, fake credentials, no configuration
file of this machine read, and a stub with recorded responses for what moto does not serve. Every test runs
under a socket spy: a connection, datagram or name lookup for anything but loopback is refused and fails it."""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.aws.helpers import Account, SocketSpy, Stub


def _needs(module: str) -> None:
    pytest.importorskip(module, reason=f"{module} is not installed (the test extra has it)")


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    _needs("boto3")
    _needs("moto.server")
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's request log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def spy() -> Iterator[SocketSpy]:
    """Nothing leaves loopback: what the spy refused fails the test (a test that provokes it clears it)."""
    with SocketSpy().watching() as watching:
        yield watching
    assert watching.refused == [], f"left loopback: {watching.refused}"


@pytest.fixture
def aws(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Account:
    """A fresh local account: moto reset, the environment pointing at it and at nothing of this machine."""
    request = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
    import os

    for name in list(os.environ):
        if name.startswith(("AWS_", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")) or name.lower() in (
                "http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name)
    empty = tmp_path / "aws-empty-config"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(empty))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")  # moto answers at once; a retried error only slows a test down
    import boto3

    return Account(client=boto3.session.Session().client)


@pytest.fixture
def stub(aws: Account, moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stub]:
    """The stub, answering for every service (what it has no recorded reply for goes on to moto)."""
    server = Stub(moto_url)
    for service in ("CLOUDFRONT", "LAMBDA", "ELASTIC_LOAD_BALANCING_V2", "ELASTIC_LOAD_BALANCING", "EC2", "ACM",
                    "IAM"):
        monkeypatch.setenv(f"AWS_ENDPOINT_URL_{service}", server.url)
    yield server
    server.stop()
