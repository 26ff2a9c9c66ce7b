"""Plans (`terraform show -json`, policykit/terraform/plan.py) read into the model: unknowns and references,
findings that say their line is the plan's, shapes that are wrong are never a crash."""

from __future__ import annotations

import json

import pytest

from policykit.api import ScanOptions, scan
from tests.helpers import RunCli, Write
from tests.templates import TF_WEBSITE_OVER_HTTPS
from tests.terraform.helpers import scans_without_errors


def test_plan_json_unknowns_and_references(write: Write) -> None:
    plan = {
        "format_version": "1.2", "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_lb.app", "mode": "managed", "type": "aws_lb", "name": "app",
             "values": {"internal": False}},
            {"address": "aws_cloudfront_distribution.cdn", "mode": "managed",
             "type": "aws_cloudfront_distribution", "name": "cdn", "values": {
                 "enabled": True, "aliases": None,
                 "origin": [{"origin_id": "app", "domain_name": None, "custom_origin_config": [
                     {"origin_protocol_policy": "https-only", "http_port": 80, "https_port": 443,
                      "origin_ssl_protocols": ["TLSv1.2"]}]}],
                 "default_cache_behavior": [{"target_origin_id": "app", "viewer_protocol_policy": "allow-all",
                                             "allowed_methods": ["GET", "HEAD"]}],
                 "ordered_cache_behavior": []}}]}},
        "resource_changes": [{"address": "aws_cloudfront_distribution.cdn", "change": {
            "after_unknown": {"origin": [{"domain_name": True}]}}}],
        "configuration": {"root_module": {"resources": [{"address": "aws_cloudfront_distribution.cdn",
            "expressions": {"origin": [{"domain_name": {"references": ["aws_lb.app.dns_name", "aws_lb.app"]}}]}}]}},
    }
    path = write("plan.json", json.dumps(plan, indent=2))
    result = scan([path], ScanOptions())
    assert not result.errors
    assert result.distributions == {str(path): 1}
    pk201 = [f for f in result.findings if f.policy_id == "PK201" and not f.unknown]
    assert pk201 and pk201[0].location.file == str(path) and pk201[0].location.line > 1


def test_plan_findings_say_their_line_is_in_the_plan_json(write: Write, run_cli: RunCli) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {
        "resources": [{"address": "aws_cloudfront_distribution.cdn", "mode": "managed",
                       "type": "aws_cloudfront_distribution", "name": "cdn", "values": {
                           "enabled": True, "origin": [{"origin_id": "app", "domain_name": "app.example.com"}],
                           "default_cache_behavior": [{"target_origin_id": "gone",
                                                       "viewer_protocol_policy": "https-only"}]}}]}}}
    path = write("plan.json", json.dumps(plan, indent=2))
    pk501 = [f for f in scan([path], ScanOptions()).findings if f.policy_id == "PK501"]
    assert pk501 and dict(pk501[0].evidence)["location"].startswith("a line of the plan JSON")
    assert "aws_cloudfront_distribution.cdn" in dict(pk501[0].evidence)["location"]
    code, out, _ = run_cli("scan", str(path))
    assert code == 1
    assert "    location: a line of the plan JSON, not of a .tf file: plans carry no source positions" in out
    code, out, _ = run_cli("scan", "--format", "json", str(path))
    decoded = json.loads(out)["findings"]
    assert all("plan JSON" in f["evidence"]["location"] for f in decoded) and decoded
    # HCL findings are in the .tf file: no such note
    hcl = write("m/main.tf", TF_WEBSITE_OVER_HTTPS)
    assert all("location" not in dict(f.evidence) for f in scan([hcl.parent], ScanOptions()).findings)


@pytest.mark.parametrize("plan", [
    {"resource_changes": 1},
    {"resource_changes": [1, "x", {"change": 1}]},
    {"planned_values": {"root_module": {"resources": 1, "child_modules": "x"}}},
    {"planned_values": {"root_module": {"resources": [{"address": "aws_cloudfront_distribution.d",
                                                       "type": "aws_cloudfront_distribution", "mode": "managed",
                                                       "values": {"enabled": True, "origin": [
                                                           {"domain_name": "a.example.com", "origin_id": "a"}]}}]}},
     "resource_changes": [{"address": "aws_cloudfront_distribution.d", "change": {"after_unknown": True}}]},
    {"configuration": {"root_module": {"resources": 5, "module_calls": [1]}}, "planned_values": {}},
])
def test_plan_json_of_the_wrong_shapes(write: Write, run_cli: RunCli, plan: dict[str, object]) -> None:
    path = write("p/plan.json", json.dumps({"format_version": "1.2", "terraform_version": "1.9.0",
                                            "planned_values": {}, **plan}))
    scans_without_errors(run_cli, path)


def test_plan_cloudfront_like_resources_not_read_are_said(write: Write) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {
        "resources": [{"address": "aws_lightsail_distribution.site", "mode": "managed",
                       "type": "aws_lightsail_distribution", "name": "site", "values": {"name": "site"}}]}}}
    result = scan([write("plan.json", json.dumps(plan, indent=2))], ScanOptions())
    assert [(f.policy_id, f.resource) for f in result.findings] == [("PK010", "aws_lightsail_distribution.site")]
