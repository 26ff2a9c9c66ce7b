"""Deployed distributions: `aws cloudfront get-distribution-config` / `get-distribution` JSON, recognised by
content, read into the same model with positions (policykit/cfn/deployed.py); static policies work on it, and
`--live` does (tests/live/test_deployed.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from policykit import api
from tests.helpers import EXAMPLES, line_of
from tests.templates import deployed_distribution

DEPLOYED = EXAMPLES / "deployed"


def _decided(result: api.ScanResult) -> list[tuple[str, int]]:
    return sorted((f.policy_id, f.location.line) for f in result.findings if not f.unknown)


def test_get_distribution_config_misconfigurations_at_their_lines() -> None:
    path = DEPLOYED / "get-distribution-config.json"
    result = api.scan([path])
    assert not result.errors and result.files == (str(path),)
    assert _decided(result) == sorted([
        ("PK101", line_of(path, '"OriginProtocolPolicy": "https-only"', "example-site.s3-website")),
        ("PK201", line_of(path, '"DomainName": "api-alb-1234567890.us-east-1.elb.amazonaws.com"')),
        ("PK207", line_of(path, '"DomainName": "legacy.example.com"')),
        ("PK204", line_of(path, '"OriginSslProtocols"', '"DomainName": "legacy.example.com"')),
    ])
    # get-distribution-config prints no Id: the file's name stands for the distribution
    assert {f.distribution for f in result.findings} == {"get-distribution-config"}


def test_get_distribution_is_read_with_its_id_and_unknown_certificate_names() -> None:
    path = DEPLOYED / "get-distribution.json"
    result = api.scan([path])
    assert {f.distribution for f in result.findings} == {"E1A2B3C4D5E6F7"}
    assert ("PK204", line_of(path, '"OriginSslProtocols"', '"DomainName": "app.example.com"')) in _decided(result)
    assert ("PK201", line_of(path, '"DomainName": "api-alb-1234567890.us-east-1.elb.amazonaws.com"')) \
        in _decided(result)
    # the viewer certificate's names are not in the file: said as unknown, never an error
    unknown = [f for f in result.findings if f.policy_id == "PK301"]
    assert len(unknown) == 2 and all(f.unknown and "not declared here" in f.message for f in unknown)
    assert [f.location.line for f in unknown] == [line_of(path, '"www.example.com"'), line_of(path, '"ws.example.com"')]


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
    doc = deployed_distribution([{"id": "api", "domain": "api-1.us-east-1.elb.amazonaws.com", "port": 443}])
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


@pytest.mark.parametrize(("document", "command"), [
    ({"ETag": "E1", "StreamingDistributionConfig": {"Enabled": True}}, "get-streaming-distribution-config"),
    ({"StreamingDistribution": {"Id": "EDFDVBD6EXAMPLE", "StreamingDistributionConfig": {}}},
     "get-streaming-distribution"),
    ({"ETag": "E1", "DistributionTenant": {"Id": "dt_1", "Domains": [{"Domain": "a.example.com"}]}},
     "get-distribution-tenant"),
])
def test_other_cloudfront_documents_are_said_not_read(tmp_path: Path, document: dict[str, Any],
                                                     command: str) -> None:
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    result = api.scan([path])
    notes = [f for f in result.findings if f.policy_id == "PK010"]
    key = next(k for k in document if k != "ETag")
    assert len(notes) == 1 and command in notes[0].message and notes[0].location.line == line_of(path, key)
    assert not result.skipped and not result.errors


def test_deployed_modern_settings_are_read(tmp_path: Path) -> None:
    """What the file has of a VPC origin (its timeouts), a response completion timeout, Origin Shield and gRPC."""
    document = deployed_distribution([{"id": "app", "domain": "app.example.com", "port": 443}])
    config = document["DistributionConfig"]
    config["HttpVersion"] = "http1.1"
    app = config["Origins"]["Items"][0]
    app["ResponseCompletionTimeout"] = 10
    app["OriginShield"] = {"Enabled": True}
    config["Origins"]["Items"].append({"Id": "private", "DomainName": "internal-app.us-east-1.elb.amazonaws.com",
                                       "OriginPath": "", "VpcOriginConfig": {"VpcOriginId": "vo_1",
                                                                             "OriginReadTimeout": 150}})
    config["DefaultCacheBehavior"]["GrpcConfig"] = {"Enabled": True}
    path = tmp_path / "deployed.json"
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    found = {(f.policy_id, f.subject) for f in api.scan([path]).findings if not f.unknown}
    assert found >= {("PK109", "ResponseCompletionTimeout of origin 'app'"), ("PK111", "origin 'app'"),
                     ("PK109", "OriginReadTimeout of origin 'private'"), ("PK505", "default cache behavior")}
