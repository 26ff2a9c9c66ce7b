"""The `openssl s_client` command the report prints and policykit's verdict agree, or the finding says why they
differ: each command run as printed (skipped where `openssl` is missing) against the same loopback origin."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from tests.live.helpers import Findings, LiveRun
from tests.live.live_servers import Issued, Pki, issue
from tests.live.profile_servers import resigned
from tests.templates import cfn_with_origins

ORIGIN = "origin.test"
TLS_ERRORS = {"PK603", "PK604", "PK605", "PK606", "PK607", "PK608", "PK609", "PK610", "PK614", "PK615", "PK618"}
pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command on this machine")


def _openssl_accepts(command: str) -> bool:
    """Did the printed command complete the handshake and verify the chain and the name (return code 0)?"""
    run = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=30, check=False)
    code = re.search(r"Verify return code: (\d+)", run.stdout)
    handshake = "Cipher is (NONE)" not in run.stdout and "New, (NONE)" not in run.stdout
    return run.returncode == 0 and handshake and code is not None and code.group(1) == "0"


def _verdict(live: LiveRun, serve: Any, pki: Pki, dns_server: Any, leaf: Issued, chain: tuple[Issued, ...],
             **context: Any) -> tuple[Findings, bool]:
    server = serve(pki.context(leaf, chain, **context))
    dns = dns_server({ORIGIN: "127.0.0.1"})
    _, findings, _ = live(cfn_with_origins([{"id": "app", "domain": ORIGIN, "port": server.port}]), dns)
    command = findings.of_name(ORIGIN)["commands"]["openssl"]
    return findings, _openssl_accepts(command)


def _agree(findings: Findings, accepted: bool) -> None:
    errors = [f for f in findings if not f["unknown"] and f["severity"] == "error" and f["policy_id"] in TLS_ERRORS]
    if accepted == (not errors):
        return
    # they differ: the finding must say why
    assert errors and all(f["evidence"].get("openssl", "(none)") != "(none)" for f in errors), (accepted, errors)


@pytest.mark.parametrize("case", ["good", "cn-only", "ca-without-key-usage", "name-mismatch", "ed25519", "p521",
                                  "wrong-order", "md5"])
def test_the_printed_command_agrees_or_the_finding_says_why(case: str, live: LiveRun, serve: Any, pki: Pki,
                                                           rsa_ca: Issued, dns_server: Any) -> None:
    chain: tuple[Issued, ...] = (pki.intermediate,)
    context: dict[str, Any] = {}
    if case == "good":
        leaf = pki.leaf(ORIGIN)
    elif case == "cn-only":
        leaf = issue(ORIGIN, pki.intermediate, cn_only=True)
    elif case == "ca-without-key-usage":
        bare = issue("Bare Intermediate CA", pki.root, ca=True, key_usage=False)
        leaf, chain = issue(ORIGIN, bare, sans=(ORIGIN,)), (bare,)
    elif case == "name-mismatch":
        leaf = pki.leaf("other.test")
    elif case == "ed25519":
        leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=ed25519.Ed25519PrivateKey.generate())
    elif case == "p521":
        leaf = issue(ORIGIN, pki.intermediate, sans=(ORIGIN,), key=ec.generate_private_key(ec.SECP521R1()))
    elif case == "wrong-order":
        leaf, chain = pki.leaf(ORIGIN), (pki.root, pki.intermediate)
    else:
        leaf, chain = resigned(issue(ORIGIN, rsa_ca, sans=(ORIGIN,)), rsa_ca, "md5"), (rsa_ca,)
        context = {"ciphers": "DEFAULT:@SECLEVEL=0"}
    findings, accepted = _verdict(live, serve, pki, dns_server, leaf, chain, **context)
    _agree(findings, accepted)
    expected = {"good": True, "cn-only": True, "ca-without-key-usage": True, "name-mismatch": False,
                "ed25519": False, "p521": False}
    if case in expected:  # the cases where CloudFront's rule and OpenSSL's are the same
        assert accepted is expected[case], case
