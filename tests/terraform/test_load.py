"""A Terraform module read into the model (policykit/terraform/load.py): references link resources and take AWS
shapes, Lambda@Edge ARN kinds, managed policies, dynamic blocks and count, wrong types, JSON syntax; what cannot
be known is unknown, never an error and never dropped."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.facts.origins import endpoint_kind
from tests.helpers import Write
from tests.templates import (
    TF_WEBSITE_OVER_HTTPS,
    cfn_distribution,
    cfn_template,
    tf_default_behavior,
    tf_distribution,
    tf_origin,
)
from tests.terraform.helpers import ids, models, only_distribution


def test_resource_references_link_and_take_aws_shapes(write: Write) -> None:
    main = write("m/main.tf", tf_distribution(tf_origin("aws_lb.app.dns_name") + tf_default_behavior()) + """
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
    body = (tf_origin("aws_s3_bucket.site.website_endpoint", origin_id="site")
            + tf_origin("aws_s3_bucket.site.bucket_regional_domain_name", origin_id="rest") + tf_default_behavior())
    main = write("m/main.tf", tf_distribution(body) + 'resource "aws_s3_bucket" "site" {}\n')
    dist = only_distribution(main.parent)
    assert [endpoint_kind(o) for o in dist.origins] == ["s3-website", "s3"]
    # the website's Region piece also stands for the separator before it (`-` or `.` by Region): shown as either
    assert str(dist.origins[0].domain_name) == "${aws_s3_bucket.site}.s3-website(-|.)${region}.amazonaws.com"


def test_unknown_values_never_give_error_findings(write: Write) -> None:
    main = write("m/main.tf", 'variable "policy" {}\nvariable "domain" {}\n'
                 + tf_distribution(tf_origin("var.domain", "var.policy") + tf_default_behavior()))
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
    behavior = tf_default_behavior().replace('cached_methods         = ["GET", "HEAD"]',
                                'cached_methods         = ["GET", "HEAD"]' + associations)
    main = write("m/main.tf", tf_distribution(tf_origin('"origin.example.com"') + behavior) + """
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
    behavior = tf_default_behavior().replace("allowed_methods", policies)
    main = write("m/main.tf", tf_distribution(tf_origin("aws_lb.app.dns_name") + behavior) + """
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
    main = write("m/main.tf", 'variable "origins" {}\n' + tf_distribution("""
  dynamic "origin" {
    for_each = var.origins
    content {
      origin_id   = origin.key
      domain_name = origin.value
    }
  }""" + tf_default_behavior()))
    dist = only_distribution(main.parent)
    assert dist.origins.more is not None
    assert "PK501" not in ids(main.parent)


def test_websocket_tag_fills_websocket_paths(write: Write) -> None:
    main = write("m/main.tf", tf_distribution(tf_origin('"origin.example.com"') + tf_default_behavior()
                                          + '\n  tags = { "policykit:websocket" = "/ws/*, /socket.io/*" }'))
    assert only_distribution(main.parent).websocket_paths == ["/ws/*", "/socket.io/*"]


def test_wrong_types_are_problems_not_crashes(write: Write) -> None:
    main = write("m/main.tf", tf_distribution('  aliases = "www.example.com"\n  origin = "nope"\n'
                                              + tf_default_behavior()))
    result = scan([main.parent], ScanOptions())
    assert not result.errors
    assert any(f.policy_id == "PK002" for f in result.findings)


def test_directory_with_cloudformation_and_terraform_scans_both(write: Write, tmp_path: Path) -> None:
    write("mixed/main.tf", TF_WEBSITE_OVER_HTTPS)
    write("mixed/template.yaml", cfn_template(cfn_distribution("Cdn", "site.s3-website-us-east-1.amazonaws.com",
                                                               cache_policy=None)))
    result = scan([tmp_path / "mixed"], ScanOptions())
    files = {Path(f.location.file).name for f in result.findings if f.policy_id == "PK101"}
    assert files == {"main.tf", "template.yaml"}


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


def test_function_url_origin_is_checked_not_unknown(write: Write) -> None:
    path = write("url/main.tf", """
resource "aws_lambda_function_url" "app" {
  function_name      = "app"
  authorization_type = "NONE"
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  origin {
    origin_id   = "raw"
    domain_name = aws_lambda_function_url.app.function_url
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  origin {
    origin_id   = "host"
    domain_name = split("/", aws_lambda_function_url.app.function_url)[2]
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id       = "raw"
    viewer_protocol_policy = "redirect-to-https"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
  }
}
""")
    result = scan([path.parent], ScanOptions())
    pk103 = [(f.location.line, f.unknown) for f in result.findings if f.policy_id == "PK103"]
    assert pk103 == [(11, False)]  # the raw URL fires; the host taken out of it is a DNS name


def test_count_over_known_values_and_unknown_dynamic_blocks_are_not_dropped(write: Write) -> None:
    main = write("m/main.tf", """
variable "behaviors" {}
locals {
  regions = ["a", "b", "c"]
}
resource "aws_cloudfront_distribution" "cdn" {
  count   = length(local.regions)
  enabled = true
""" + tf_origin('"${local.regions[count.index]}.example.com"') + """
  dynamic "ordered_cache_behavior" {
    for_each = var.behaviors[*]
    content {
      path_pattern     = ordered_cache_behavior.value.path
      target_origin_id = "app"
    }
  }
""" + tf_default_behavior() + "\n}\n")
    dists = [d for m in models(main.parent) for d in m.distributions]
    assert [d.origins[0].domain_name for d in dists] == ["a.example.com", "b.example.com", "c.example.com"]
    more = dists[0].ordered_behaviors.more
    assert more is not None and "var.behaviors[*]" in more.reason


def test_cloudfront_like_resources_not_read_are_said(write: Write) -> None:
    module = write("tf/main.tf", 'resource "aws_lightsail_distribution" "site" {\n  name = "site"\n'
                   '  bundle_id = "small_1_0"\n}\n')
    result = scan([module.parent])
    notes = [f for f in result.findings if f.policy_id == "PK010"]
    assert [(n.resource, n.location.line, n.severity.value) for n in notes] == [
        ("aws_lightsail_distribution.site", 1, "info")]


# Terraform's order for a root module's variables, each later source winning: the default, terraform.tfvars,
# terraform.tfvars.json, *.auto.tfvars(.json) by file name, each --var-file in order, each --var.
def test_every_pair_of_variable_sources_takes_the_later_one(write: Write, tmp_path: Path) -> None:
    from policykit.terraform.load import variable_values

    sources = [
        ("m/terraform.tfvars", 'v = "tfvars"\n'),
        ("m/terraform.tfvars.json", '{"v": "tfvars.json"}'),
        ("m/a.auto.tfvars", 'v = "a.auto"\n'),
        ("m/b.auto.tfvars.json", '{"v": "b.auto.json"}'),
        ("m/c.auto.tfvars", 'v = "c.auto"\n'),
        ("first.tfvars", 'v = "first var-file"\n'),
        ("second.tfvars.json", '{"v": "second var-file"}'),
    ]
    for low in range(len(sources)):
        for high in range(low + 1, len(sources) + 1):
            case = tmp_path / f"case{low}-{high}"
            paths = [write(f"{case.name}/{name}", text) for name, text in (sources[low], *sources[high:high + 1])]
            var_files = tuple(p for p in paths if p.parent != case / "m")
            cli = {"v": "--var"} if high == len(sources) else {}
            expected = "--var" if cli else sources[high][1].split('"')[-2]
            found = variable_values(case / "m", var_files, cli)
            assert found["v"] == expected, (sources[low][0], expected)


def test_auto_loaded_files_are_read_in_the_order_of_their_names_whatever_their_syntax(write: Write) -> None:
    from policykit.terraform.load import variable_values

    write("m/b.auto.tfvars", 'v = "b"\n')
    write("m/a.auto.tfvars.json", '{"v": "a"}')
    assert variable_values(write("m/main.tf", "").parent, (), {})["v"] == "b"
    write("m/c.auto.tfvars.json", '{"v": "c"}')
    assert variable_values(write("m/main.tf", "").parent, (), {})["v"] == "c"


def test_a_var_file_wins_over_the_auto_loaded_terraform_tfvars(write: Write) -> None:
    # terraform.tfvars says http-only; the deploy's --var-file says https-only to an S3 website endpoint: PK101
    main = write("m/main.tf", 'variable "policy" {}\n'
                 + tf_distribution(tf_origin('"site.s3-website-us-east-1.amazonaws.com"', "var.policy")
                                   + tf_default_behavior()))
    write("m/terraform.tfvars", 'policy = "http-only"\n')
    prod = write("prod.tfvars", 'policy = "https-only"\n')
    assert "PK101" not in ids(main.parent)
    assert "PK101" in ids(main.parent, tf_var_files=(prod,))
    assert "PK101" not in ids(main.parent, tf_var_files=(prod,), tf_vars={"policy": "http-only"})


@pytest.mark.parametrize(("name", "text"), [
    ("terraform.tfvars", 'v = "read"\n'),
    ("terraform.tfvars.json", '{"v": "read"}'),
    ("a.auto.tfvars", 'v = "read"\n'),
    ("a.auto.tfvars.json", '{"v": "read"}'),
])
def test_each_auto_loaded_variables_file_is_read_alone(write: Write, name: str, text: str) -> None:
    from policykit.terraform.load import variable_values

    directory = write(f"m/{name}", text).parent
    write("m/other.tfvars", 'v = "only with --var-file"\n')
    assert variable_values(directory, (), {}) == {"v": "read"}


def test_a_bad_variables_file_is_one_input_error_naming_it(write: Write, tmp_path: Path) -> None:
    from policykit.core.errors import InputError
    from policykit.terraform.load import read_var_file

    def error(path: Path) -> tuple[str, str, int, int]:
        with pytest.raises(InputError) as caught:
            read_var_file(path)
        return caught.value.file, caught.value.message, caught.value.line, caught.value.column

    missing = tmp_path / "missing.tfvars"
    assert error(missing) == (str(missing), "cannot read the variables file: No such file or directory", 0, 0)
    latin = tmp_path / "latin.tfvars"
    latin.write_bytes(b'v = "caf\xe9"\n')
    assert error(latin) == (str(latin), "the variables file is not UTF-8 text", 0, 0)
    listed = write("list.tfvars.json", "[1]")
    assert error(listed) == (str(listed), "a .tfvars.json file must hold an object", 1, 1)
    bad_json = write("bad.tfvars.json", "{")
    assert error(bad_json)[0] == str(bad_json)
    bad_hcl = write("bad.tfvars", "v = \n")
    assert error(bad_hcl)[0] == str(bad_hcl)
    with_bom = tmp_path / "bom.tfvars"
    with_bom.write_bytes(b'\xef\xbb\xbfv = "x"\n')  # an editor's byte order mark is not text
    assert read_var_file(with_bom) == {"v": "x"}


def test_keys_written_twice_in_a_variables_file_are_gathered_by_file(write: Write) -> None:
    from policykit.terraform.load import variable_values

    json_file = write("m/a.auto.tfvars.json", '{"v": "1", "v": "2"}')
    hcl_file = write("m/terraform.tfvars", 'w = "1"\nw = "2"\n')
    duplicates: dict[str, list[object]] = {}
    assert variable_values(json_file.parent, (), {}, duplicates) == {"v": "2", "w": "2"}  # type: ignore[arg-type]
    assert len(duplicates[str(json_file)]) == 1 and len(duplicates[str(hcl_file)]) == 1
