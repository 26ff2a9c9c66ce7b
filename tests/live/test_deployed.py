"""Deployed distributions: `aws cloudfront get-distribution-config` / `get-distribution` JSON, recognised by
content, read into the same model with positions; static policies and `--live` work on it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from policykit import api
from tests.live.live_servers import Pki

ROOT = Path(__file__).resolve().parents[2]
DEPLOYED = ROOT / "examples" / "deployed"


def _line(path: Path, needle: str, after: str = "") -> int:
    """The first line holding `needle` (after the first line holding `after`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if needle in lines[i]) + 1


def _decided(result: api.ScanResult) -> list[tuple[str, int]]:
    return sorted((f.policy_id, f.location.line) for f in result.findings if not f.unknown)


def test_get_distribution_config_misconfigurations_at_their_lines() -> None:
    path = DEPLOYED / "get-distribution-config.json"
    result = api.scan([path])
    assert not result.errors and result.files == (str(path),)
    assert _decided(result) == sorted([
        ("PK101", _line(path, '"OriginProtocolPolicy": "https-only"', "example-site.s3-website")),
        ("PK201", _line(path, '"DomainName": "api-alb-1234567890.us-east-1.elb.amazonaws.com"')),
        ("PK207", _line(path, '"DomainName": "legacy.example.com"')),
        ("PK204", _line(path, '"OriginSslProtocols"', '"DomainName": "legacy.example.com"')),
    ])
    # get-distribution-config prints no Id: the file's name stands for the distribution
    assert {f.distribution for f in result.findings} == {"get-distribution-config"}


def test_get_distribution_is_read_with_its_id_and_unknown_certificate_names() -> None:
    path = DEPLOYED / "get-distribution.json"
    result = api.scan([path])
    assert {f.distribution for f in result.findings} == {"E1A2B3C4D5E6F7"}
    assert ("PK204", _line(path, '"OriginSslProtocols"', '"DomainName": "app.example.com"')) in _decided(result)
    assert ("PK201", _line(path, '"DomainName": "api-alb-1234567890.us-east-1.elb.amazonaws.com"')) in _decided(result)
    # the viewer certificate's names are not in the file: said as unknown, never an error
    unknown = [f for f in result.findings if f.policy_id == "PK301"]
    assert len(unknown) == 2 and all(f.unknown and "not declared here" in f.message for f in unknown)
    assert [f.location.line for f in unknown] == [_line(path, '"www.example.com"'), _line(path, '"ws.example.com"')]


def test_recognised_by_content_whatever_the_name_and_in_a_walk(tmp_path: Path) -> None:
    shutil.copy(DEPLOYED / "get-distribution-config.json", tmp_path / "d.json")
    (tmp_path / "other.json").write_text('{"ETag": "X", "Something": {}}', encoding="utf-8")
    result = api.scan([tmp_path])
    assert result.files == (str(tmp_path / "d.json"),)
    assert {f.policy_id for f in result.findings if not f.unknown} == {"PK101", "PK201", "PK204", "PK207"}
    assert {f.distribution for f in result.findings} == {"d"}


def test_the_cli_reads_it_like_a_template(run_cli: Any) -> None:
    code, out, _ = run_cli("scan", str(DEPLOYED / "get-distribution-config.json"), "--format", "json")
    assert code == 1
    summary = json.loads(out)["summary"]
    assert summary["distributions"] == 1 and summary["skipped"] == 0


def _deployed(origins: list[dict[str, Any]], aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    items = [{"Id": o["id"], "DomainName": o["domain"], "OriginPath": "", "CustomHeaders": {"Quantity": 0},
              "CustomOriginConfig": {"HTTPPort": 80, "HTTPSPort": o["port"], "OriginProtocolPolicy": "https-only",
                                     "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]}}}
             for o in origins]
    behavior = {"TargetOriginId": origins[0]["id"], "ViewerProtocolPolicy": "redirect-to-https",
                "AllowedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"],
                                   "CachedMethods": {"Quantity": 2, "Items": ["HEAD", "GET"]}},
                "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"}
    if aliases:
        behavior["OriginRequestPolicyId"] = "216adef6-5c7f-47e4-b989-5492eafa07d3"  # AllViewer: Host forwarded
    return {"ETag": "E1", "DistributionConfig": {
        "CallerReference": "t", "Enabled": True, "Aliases": {"Quantity": len(aliases), "Items": list(aliases)},
        "Origins": {"Quantity": len(items), "Items": items}, "DefaultCacheBehavior": behavior,
        "ViewerCertificate": {"CloudFrontDefaultCertificate": False, "SSLSupportMethod": "sni-only",
                              "ACMCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                              "MinimumProtocolVersion": "TLSv1.2_2021"}}}


def test_live_probes_a_deployed_distribution(tmp_path: Path, run_cli: Any, serve: Any, pki: Pki,
                                            dns_server: Any) -> None:
    complete = pki.context(pki.leaf("www.example.test"), (pki.intermediate,))
    incomplete = pki.context(pki.leaf("ws.example.test"), ())
    server = serve(pki.context(pki.leaf("origin.test"), (pki.intermediate,)),
                   sni={"www.example.test": complete, "ws.example.test": incomplete}, behavior="ws")
    dns = dns_server({"origin.test": "127.0.0.1"})
    path = tmp_path / "d.json"
    path.write_text(json.dumps(_deployed([{"id": "app", "domain": "origin.test", "port": server.port}],
                                         ("www.example.test", "ws.example.test")), indent=2), encoding="utf-8")
    code, out, err = run_cli("scan", str(path), "--live", "--allow-private", "--nameserver", dns.address,
                             "--trust-store", str(pki.trust_store), "--format", "json")
    assert code == 1, err
    findings = [f for f in json.loads(out)["findings"] if f["policy_id"].startswith("PK6") and not f["unknown"]]
    assert {"www.example.test", "ws.example.test"} <= set(server.handshakes)
    assert len(findings) == 1, [(f["policy_id"], f["message"]) for f in findings]
    (finding,) = findings
    assert finding["policy_id"] == "PK608" and "SNI ws.example.test" in finding["message"]
    assert finding["line"] == _line(path, '"ws.example.test"')  # at the alias, in the JSON file


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


def _origin_request_policy(ident: str, headers: list[str]) -> dict[str, Any]:
    """What `aws cloudfront get-origin-request-policy --id ID` prints."""
    return {"ETag": "E2", "OriginRequestPolicy": {"Id": ident, "LastModifiedTime": "2024-01-01T00:00:00Z",
            "OriginRequestPolicyConfig": {
                "Name": "custom", "HeadersConfig": {"HeaderBehavior": "whitelist",
                                                    "Headers": {"Quantity": len(headers), "Items": headers}},
                "CookiesConfig": {"CookieBehavior": "none"}, "QueryStringsConfig": {"QueryStringBehavior": "all"}}}}


@pytest.mark.parametrize(("headers", "fired"), [(["Host", "Origin"], False), (["Origin"], True), (None, None)])
def test_custom_policy_beside_the_file_is_resolved(tmp_path: Path, headers: list[str] | None,
                                                   fired: bool | None) -> None:
    """HTTPS to a load balancer's name: PK201 unless the custom origin request policy forwards Host.
    With the policy's `get-origin-request-policy` output beside the file it is decided; without, unknown."""
    doc = _deployed([{"id": "api", "domain": "api-1.us-east-1.elb.amazonaws.com", "port": 443}])
    doc["DistributionConfig"]["DefaultCacheBehavior"]["OriginRequestPolicyId"] = "c0ffee00-1111-2222-3333-444455556666"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc, indent=2), encoding="utf-8")
    if headers is not None:
        (tmp_path / "orp.json").write_text(json.dumps(_origin_request_policy(
            "c0ffee00-1111-2222-3333-444455556666", headers), indent=2), encoding="utf-8")
    result = api.scan([tmp_path])
    pk201 = [f for f in result.findings if f.policy_id == "PK201"]
    if fired is None:
        assert pk201 and all(f.unknown for f in pk201)
    else:
        assert bool([f for f in pk201 if not f.unknown]) is fired
        assert not [f for f in pk201 if f.unknown]
    assert result.files == (str(path),)  # the policy file is read beside it, not scanned as an input
