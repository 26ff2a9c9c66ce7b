"""Terraform input: HCL positions, resolution (vars, locals, references, functions), modules, plan JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from policykit.api import ScanOptions, scan
from policykit.core.values import Partial, Unknown
from policykit.facts.origins import endpoint_kind
from policykit.model.cloudfront import Distribution, Model
from policykit.terraform import read_input
from policykit.terraform.evaluate import evaluate_text, traverse
from tests.helpers import RunCli, Write

DIST = """
resource "aws_cloudfront_distribution" "cdn" {{
  enabled = true
{body}
  restrictions {{
    geo_restriction {{
      restriction_type = "none"
    }}
  }}
  viewer_certificate {{
    cloudfront_default_certificate = true
  }}
}}
"""


def origin(domain: str, policy: str = '"https-only"', origin_id: str = "app") -> str:
    return f"""
  origin {{
    origin_id   = "{origin_id}"
    domain_name = {domain}
    custom_origin_config {{
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = {policy}
      origin_ssl_protocols   = ["TLSv1.2"]
    }}
  }}"""


BEHAVIOR = """
  default_cache_behavior {
    target_origin_id       = "app"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }"""


def models(path: Path, **options: Any) -> list[Model]:
    from policykit.api import Input

    files = tuple(sorted(path.glob("*.tf")))
    scan_options = ScanOptions(**options)
    found = read_input(Input(path, "terraform", files), scan_options.tf_vars, scan_options.tf_var_files)
    assert found is not None
    return found[0]


def only_distribution(path: Path, **options: Any) -> Distribution:
    dists = [d for m in models(path, **options) for d in m.distributions]
    assert len(dists) == 1
    return dists[0]


def ids(path: Path, **options: Any) -> set[str]:
    result = scan([path], ScanOptions(**options))
    assert not result.errors, result.errors
    return {f.policy_id for f in result.findings if not f.unknown}


class _Scope:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def reference(self, root: str, path: list[Any]) -> Any:
        return traverse(self.values.get(root, Unknown(f"{root} unknown")), path)


def test_expressions_evaluate_to_values_or_unknown() -> None:
    scope = _Scope({"var": {"env": "prod", "on": True, "n": 2, "names": ["a", "b"]}, "local": {}})
    assert evaluate_text("plain", scope) == "plain"
    assert evaluate_text("${var.env}", scope) == "prod"
    assert evaluate_text("${var.n}", scope) == 2
    assert evaluate_text("www.${var.env}.example.com", scope) == "www.prod.example.com"
    assert evaluate_text('${var.on ? "https-only" : "http-only"}', scope) == "https-only"
    assert evaluate_text('${var.env == "prod" && var.on}', scope) is True
    assert evaluate_text('${format("%s-%d", var.env, 3)}', scope) == "prod-3"
    assert evaluate_text('${join(",", var.names)}', scope) == "a,b"
    assert evaluate_text('${lower("ABC")}', scope) == "abc"
    assert evaluate_text('${coalesce("", "x")}', scope) == "x"
    assert evaluate_text('${lookup({a = 1}, "b", 7)}', scope) == 7
    assert evaluate_text('${try(var.missing.deep, "fallback")}', scope) == "fallback"
    assert evaluate_text("$${literal}", scope) == "${literal}"
    unknown_condition = evaluate_text('${data.x.y.z ? "a" : "b"}', scope)
    assert isinstance(unknown_condition, Unknown)
    assert isinstance(evaluate_text("${sha256(var.env)}", scope), Unknown)
    assert evaluate_text("${[for x in var.names : upper(x)]}", scope) == ["A", "B"]
    partial = evaluate_text("${data.a.b.c}.example.com", scope)
    assert isinstance(partial, Partial) and partial.parts[-1] == ".example.com"
    assert evaluate_text("${var.names[*]}", scope) == ["a", "b"]
    assert isinstance(evaluate_text("${(((}", scope), Unknown)  # never an exception


def test_attribute_positions_are_line_and_column(write: Write) -> None:
    main = write("m/main.tf", DIST.format(body=origin("aws_lb.app.dns_name") + BEHAVIOR)
                 + 'resource "aws_lb" "app" {\n  internal = false\n}\n')
    dist = only_distribution(main.parent)
    origin_ = dist.origins[0]
    text = main.read_text().splitlines()
    line = origin_.locs["domain_name"].line
    assert "domain_name" in text[line - 1]
    assert text[line - 1].index("domain_name") + 1 == origin_.locs["domain_name"].column
    assert dist.loc.line == next(i for i, t in enumerate(text, 1) if t.startswith('resource "aws_cloudfront'))
    assert "origin_protocol_policy" in text[origin_.locs["protocol_policy"].line - 1]


def test_resource_references_link_and_take_aws_shapes(write: Write) -> None:
    main = write("m/main.tf", DIST.format(body=origin("aws_lb.app.dns_name") + BEHAVIOR) + """
resource "aws_lb" "app" {
  internal        = true
  security_groups = [aws_security_group.lb.id]
}
resource "aws_security_group" "lb" {
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.origin.arn
}
resource "aws_acm_certificate" "origin" {
  domain_name = "origin.example.com"
}
""")
    dist = only_distribution(main.parent)
    origin_ = dist.origins[0]
    assert origin_.target_ref is not None and origin_.target_ref.resource == "aws_lb.app"
    assert endpoint_kind(origin_) == "elb"
    balancer = origin_.target
    assert balancer.scheme == "internal" and balancer.listeners[0].port == 443
    assert balancer.security_groups[0].ingress[0].cidr == "10.0.0.0/8"
    assert balancer.listeners[0].certificates[0].domain_name == "origin.example.com"


def test_s3_website_and_rest_shapes(write: Write) -> None:
    body = (origin("aws_s3_bucket.site.website_endpoint", origin_id="site")
            + origin("aws_s3_bucket.site.bucket_regional_domain_name", origin_id="rest") + BEHAVIOR)
    main = write("m/main.tf", DIST.format(body=body) + 'resource "aws_s3_bucket" "site" {}\n')
    dist = only_distribution(main.parent)
    assert [endpoint_kind(o) for o in dist.origins] == ["s3-website", "s3"]


def test_variables_from_defaults_var_files_and_command_line(write: Write, tmp_path: Path) -> None:
    main = write("m/main.tf", 'variable "policy" {\n  default = "http-only"\n}\n'
                 'variable "domain" {}\n'
                 'locals {\n  host = "${var.domain}.s3-website-us-east-1.amazonaws.com"\n}\n'
                 + DIST.format(body=origin("local.host", "var.policy") + BEHAVIOR))
    dist = only_distribution(main.parent)
    assert dist.origins[0].protocol_policy == "http-only"
    assert isinstance(dist.origins[0].domain_name, Partial)
    assert endpoint_kind(dist.origins[0]) == "s3-website"
    assert "PK101" not in ids(main.parent)
    assert "PK101" in ids(main.parent, tf_vars={"policy": "https-only"})
    var_file = write("prod.tfvars", 'policy = "https-only"\ndomain = "site"\n')
    dist = only_distribution(main.parent, tf_var_files=(var_file,))
    assert dist.origins[0].domain_name == "site.s3-website-us-east-1.amazonaws.com"
    json_file = write("prod.tfvars.json", json.dumps({"policy": "match-viewer"}))
    assert only_distribution(main.parent, tf_var_files=(json_file,)).origins[0].protocol_policy == "match-viewer"
    write("m/terraform.tfvars", 'policy = "https-only"\n')
    assert only_distribution(main.parent).origins[0].protocol_policy == "https-only"
    assert only_distribution(main.parent, tf_vars={"policy": "http-only"}).origins[0].protocol_policy == "http-only"


def test_unknown_values_never_give_error_findings(write: Write) -> None:
    main = write("m/main.tf", 'variable "policy" {}\nvariable "domain" {}\n'
                 + DIST.format(body=origin("var.domain", "var.policy") + BEHAVIOR))
    result = scan([main.parent], ScanOptions())
    assert not result.errors
    assert [f for f in result.findings if not f.unknown and f.severity.value == "error"] == []


def test_lambda_edge_arn_kinds(write: Write) -> None:
    associations = "".join(f"""
    lambda_function_association {{
      event_type = "{event}"
      lambda_arn = {arn}
    }}""" for event, arn in (("viewer-request", "aws_lambda_function.published.qualified_arn"),
                             ("origin-request", "aws_lambda_function.plain.arn"),
                             ("origin-response", "aws_lambda_alias.live.arn"),
                             ("viewer-response", "aws_lambda_function.plain.qualified_arn")))
    behavior = BEHAVIOR.replace('cached_methods         = ["GET", "HEAD"]',
                                'cached_methods         = ["GET", "HEAD"]' + associations)
    main = write("m/main.tf", DIST.format(body=origin('"origin.example.com"') + behavior) + """
resource "aws_lambda_function" "published" {
  publish = true
  runtime = "nodejs20.x"
}
resource "aws_lambda_function" "plain" {
  runtime = "nodejs20.x"
  environment {
    variables = { A = "1" }
  }
}
resource "aws_lambda_alias" "live" {
  function_name = aws_lambda_function.published.function_name
}
""")
    dist = only_distribution(main.parent)
    kinds = [a.arn_source for a in dist.default_behavior.lambda_associations]  # type: ignore[union-attr]
    assert kinds == ["version", "unqualified", "alias", "latest"]
    assert dist.default_behavior.lambda_associations[1].function.has_environment is True  # type: ignore[union-attr]


def test_managed_policy_data_source_and_declared_policies(write: Write) -> None:
    policies = ("origin_request_policy_id = data.aws_cloudfront_origin_request_policy.all.id\n"
                "    cache_policy_id = aws_cloudfront_cache_policy.mine.id\n    allowed_methods")
    behavior = BEHAVIOR.replace("allowed_methods", policies)
    main = write("m/main.tf", DIST.format(body=origin("aws_lb.app.dns_name") + behavior) + """
resource "aws_lb" "app" {}
data "aws_cloudfront_origin_request_policy" "all" {
  name = "Managed-AllViewer"
}
resource "aws_cloudfront_cache_policy" "mine" {
  name = "mine"
  parameters_in_cache_key_and_forwarded_to_origin {
    headers_config {
      header_behavior = "whitelist"
      headers {
        items = ["Host"]
      }
    }
  }
}
""")
    behavior_ = only_distribution(main.parent).default_behavior
    assert behavior_ is not None
    assert behavior_.origin_request_policy_id == "216adef6-5c7f-47e4-b989-5492eafa07d3"
    assert behavior_.cache_policy is not None and behavior_.cache_policy.headers.headers == ["Host"]
    assert "PK201" not in ids(main.parent)  # Host is forwarded


def test_dynamic_blocks_and_count(write: Write) -> None:
    main = write("m/main.tf", """
variable "origins" {
  default = { app = "app.example.com", api = "api.example.com" }
}
variable "extra" {}
resource "aws_cloudfront_distribution" "cdn" {
  count   = 2
  enabled = true
  dynamic "origin" {
    for_each = var.origins
    content {
      origin_id   = origin.key
      domain_name = origin.value
      custom_origin_config {
        http_port              = 80
        https_port             = 443
        origin_protocol_policy = "https-only"
        origin_ssl_protocols   = ["TLSv1.2"]
      }
    }
  }
  dynamic "ordered_cache_behavior" {
    for_each = var.extra
    content {
      path_pattern     = ordered_cache_behavior.value
      target_origin_id = "nowhere"
    }
  }
  default_cache_behavior {
    target_origin_id       = "api"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}
""")
    dists = [d for m in models(main.parent) for d in m.distributions]
    assert [d.resource for d in dists] == ["aws_cloudfront_distribution.cdn[0]", "aws_cloudfront_distribution.cdn[1]"]
    assert sorted(o.id for o in dists[0].origins) == ["api", "app"]
    assert dists[0].ordered_behaviors.more is not None and dists[0].ordered_behaviors == []
    assert "PK501" not in ids(main.parent)


def test_unknown_dynamic_origins_do_not_make_pk501(write: Write) -> None:
    main = write("m/main.tf", 'variable "origins" {}\n' + DIST.format(body="""
  dynamic "origin" {
    for_each = var.origins
    content {
      origin_id   = origin.key
      domain_name = origin.value
    }
  }""" + BEHAVIOR))
    dist = only_distribution(main.parent)
    assert dist.origins.more is not None
    assert "PK501" not in ids(main.parent)


def test_local_modules_are_followed_remote_ones_noted(write: Write) -> None:
    write("root/modules/cdn/main.tf", 'variable "policy" {}\nvariable "bucket" {}\n'
          + DIST.format(body=origin('"${var.bucket}.s3-website-us-east-1.amazonaws.com"', "var.policy") + BEHAVIOR))
    main = write("root/main.tf", """
module "cdn" {
  source = "./modules/cdn"
  policy = "https-only"
  bucket = "site"
}
module "remote" {
  source  = "terraform-aws-modules/cloudfront/aws"
  version = "3.0.0"
}
""")
    result = scan([main.parent], ScanOptions())
    assert not result.errors
    fired = [f for f in result.findings if f.policy_id == "PK101" and not f.unknown]
    assert fired and fired[0].resource == "module.cdn.aws_cloudfront_distribution.cdn"
    assert fired[0].location.file.endswith("modules/cdn/main.tf")
    notes = [f for f in result.findings if "module.remote" in f.message]
    # a visible info finding, not an `unknown` one hidden behind --show-unknown
    assert notes and not notes[0].unknown and notes[0].severity.value == "info"
    assert notes[0].policy_id == "PK005" and notes[0].location.line == 7


def test_websocket_tag_fills_websocket_paths(write: Write) -> None:
    main = write("m/main.tf", DIST.format(body=origin('"origin.example.com"') + BEHAVIOR
                                          + '\n  tags = { "policykit:websocket" = "/ws/*, /socket.io/*" }'))
    assert only_distribution(main.parent).websocket_paths == ["/ws/*", "/socket.io/*"]


def test_wrong_types_are_problems_not_crashes(write: Write) -> None:
    main = write("m/main.tf", DIST.format(body='  aliases = "www.example.com"\n  origin = "nope"\n' + BEHAVIOR))
    result = scan([main.parent], ScanOptions())
    assert not result.errors
    assert any(f.policy_id == "PK002" for f in result.findings)


def test_unreadable_hcl_is_one_line_with_position_and_the_rest_is_scanned(
        write: Write, run_cli: RunCli, tmp_path: Path) -> None:
    write("bad/main.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n')
    write("good/main.tf", DIST.format(body=origin('"site.s3-website-us-east-1.amazonaws.com"') + BEHAVIOR))
    code, out, err = run_cli("scan", str(tmp_path))
    assert code == 2
    assert "Traceback" not in err + out
    line = next(line for line in (err + out).splitlines() if "bad" in line and "main.tf" in line)
    assert "main.tf:2:" in line and "HCL" in line
    assert "PK101" in out


def test_directory_with_cloudformation_and_terraform_scans_both(write: Write, tmp_path: Path) -> None:
    write("mixed/main.tf", DIST.format(body=origin('"site.s3-website-us-east-1.amazonaws.com"') + BEHAVIOR))
    write("mixed/template.yaml", """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Cdn:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: app
            DomainName: site.s3-website-us-east-1.amazonaws.com
            CustomOriginConfig: {OriginProtocolPolicy: https-only}
        DefaultCacheBehavior: {TargetOriginId: app, ViewerProtocolPolicy: redirect-to-https}
""")
    result = scan([tmp_path / "mixed"], ScanOptions())
    files = {Path(f.location.file).name for f in result.findings if f.policy_id == "PK101"}
    assert files == {"main.tf", "template.yaml"}


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
    hcl = write("m/main.tf", DIST.format(body=origin('"site.s3-website-us-east-1.amazonaws.com"') + BEHAVIOR))
    assert all("location" not in dict(f.evidence) for f in scan([hcl.parent], ScanOptions()).findings)


def test_other_json_is_not_terraform(write: Write) -> None:
    path = write("package.json", '{"name": "x", "version": "1.0.0"}')
    result = scan([path], ScanOptions())
    assert not result.errors and not result.distributions


def test_hcl2_is_not_imported_for_cloudformation_only() -> None:
    code = ("import sys\nfrom pathlib import Path\nfrom policykit.api import scan\n"
            "scan([Path('policies/PK101-s3-website-over-https/tests/fail/terraform-website-https.cfn.yaml')])\n"
            "assert 'hcl2' not in sys.modules and 'lark' not in sys.modules, 'hcl2 imported'\n")
    from tests.helpers import ROOT

    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_provider_region_of_certificate_and_function(write: Write) -> None:
    main = write("m/main.tf", """
provider "aws" {
  region = "eu-west-1"
}
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}
resource "aws_acm_certificate" "edge" {
  provider    = aws.us_east_1
  domain_name = "www.example.com"
}
resource "aws_lambda_function" "regional" {
  runtime = "nodejs20.x"
}
""")
    model = models(main.parent)[0]
    assert model.resources["aws_acm_certificate.edge"].region == "us-east-1"
    assert model.resources["aws_lambda_function.regional"].region == "eu-west-1"


def test_names_declared_twice_are_unknown_not_guessed(write: Write) -> None:
    """Unrelated files in one directory (test data, copies) must not lend each other values."""
    write("m/a.tf", 'locals {\n  origin = "a"\n}\n')
    write("m/b.tf", 'locals {\n  origin = "b"\n}\n')
    main = write("m/main.tf", DIST.format(body=origin('"origin.example.com"', origin_id="a")
                                          + BEHAVIOR.replace('"app"', "local.origin")))
    dist = only_distribution(main.parent)
    assert isinstance(dist.default_behavior.target_origin_id, Unknown)  # type: ignore[union-attr]
    assert "PK501" not in ids(main.parent)


def test_json_syntax_blocks_dynamic_and_interpolation(write: Write) -> None:
    config = {
        "variable": {"sites": {"default": ["a", "b"]}},
        "resource": {"aws_cloudfront_distribution": {"cdn": {
            "enabled": True,
            "dynamic": {"origin": {"for_each": "${var.sites}", "content": {
                "origin_id": "${origin.value}",
                "domain_name": "${origin.value}.s3-website-us-east-1.amazonaws.com",
                "custom_origin_config": {"origin_protocol_policy": "https-only",
                                         "http_port": 80, "https_port": 443}}}},
            "default_cache_behavior": {"target_origin_id": "a", "viewer_protocol_policy": "redirect-to-https"},
        }}},
    }
    path = write("main.tf.json", json.dumps(config, indent=2))
    result = scan([path], ScanOptions())
    assert not result.errors
    fired = [f for f in result.findings if f.policy_id == "PK101" and not f.unknown]
    assert {f.subject for f in fired} == {"origin 'a'", "origin 'b'"}
    assert all(f.location.file == str(path) and f.location.line > 1 for f in fired)
