"""`scan --live` of a deployed distribution (`aws cloudfront get-distribution-config` JSON) against loopback servers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import EXAMPLES, line_of
from tests.live.live_servers import Pki
from tests.templates import deployed_distribution

DEPLOYED = EXAMPLES / "deployed"


def test_live_probes_a_deployed_distribution(tmp_path: Path, run_cli: Any, serve: Any, pki: Pki,
                                            dns_server: Any) -> None:
    complete = pki.context(pki.leaf("www.example.test"), (pki.intermediate,))
    incomplete = pki.context(pki.leaf("ws.example.test"), ())
    server = serve(pki.context(pki.leaf("origin.test"), (pki.intermediate,)),
                   sni={"www.example.test": complete, "ws.example.test": incomplete}, behavior="ws")
    dns = dns_server({"origin.test": "127.0.0.1"})
    path = tmp_path / "d.json"
    path.write_text(json.dumps(deployed_distribution([{"id": "app", "domain": "origin.test", "port": server.port}],
                                         ("www.example.test", "ws.example.test")), indent=2), encoding="utf-8")
    code, out, err = run_cli("scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
                             "--trust-store", str(pki.trust_store), "--format", "json")
    assert code == 1, err
    findings = [f for f in json.loads(out)["findings"] if f["policy_id"].startswith("PK6") and not f["unknown"]]
    assert {"www.example.test", "ws.example.test"} <= set(server.handshakes)
    assert len(findings) == 1, [(f["policy_id"], f["message"]) for f in findings]
    (finding,) = findings
    assert finding["policy_id"] == "PK608" and "SNI ws.example.test" in finding["message"]
    assert finding["line"] == line_of(path, '"ws.example.test"')  # at the alias, in the JSON file


@pytest.mark.parametrize("name", ["get-distribution-config.json", "get-distribution.json"])
def test_live_probes_the_example_origins(name: str, run_cli: Any, dns_server: Any) -> None:
    """The examples' public names are resolved by a loopback DNS server that knows none of them:
    every origin is tried (PK601), and nothing leaves the machine."""
    dns = dns_server({})
    code, out, _ = run_cli("scan", str(DEPLOYED / name), "--live", "--nameserver", dns.address, "--format", "json")
    assert code == 1
    data = json.loads(out)
    origins = {o["Id"] for o in _config(DEPLOYED / name)["Origins"]["Items"]}
    tried = {f["subject"].split("'")[1] for f in data["findings"] if f["policy_id"] == "PK601" and not f["unknown"]}
    assert tried == origins


def _config(path: Path) -> dict[str, Any]:
    root = json.loads(path.read_text(encoding="utf-8"))
    config: dict[str, Any] = root["Distribution"]["DistributionConfig"] if "Distribution" in root else root[
        "DistributionConfig"]
    return config
