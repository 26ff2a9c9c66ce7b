"""HCL files to marked blocks (policykit/terraform/hcl.py): attributes and list items at their line and column,
one-line errors with a position for what python-hcl2 or Terraform refuses, each file parsed once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.source.dupkeys import DuplicateKey
from policykit.terraform.hcl import load_hcl
from tests.helpers import RunCli, Write
from tests.templates import TF_COMMENTED, TF_WEBSITE_OVER_HTTPS, tf_default_behavior, tf_distribution, tf_origin
from tests.terraform.helpers import finding_lines, one_input_error, only_distribution, scans_without_errors


def test_attribute_positions_are_line_and_column(write: Write) -> None:
    main = write("m/main.tf", tf_distribution(tf_origin("aws_lb.app.dns_name") + tf_default_behavior())
                 + 'resource "aws_lb" "app" {\n  internal = false\n}\n')
    dist = only_distribution(main.parent)
    origin_ = dist.origins[0]
    text = main.read_text().splitlines()
    line = origin_.locs["domain_name"].line
    assert "domain_name" in text[line - 1]
    assert text[line - 1].index("domain_name") + 1 == origin_.locs["domain_name"].column
    assert dist.loc.line == next(i for i, t in enumerate(text, 1) if t.startswith('resource "aws_cloudfront'))
    assert "origin_protocol_policy" in text[origin_.locs["protocol_policy"].line - 1]


def test_unreadable_hcl_is_one_line_with_position_and_the_rest_is_scanned(
        write: Write, run_cli: RunCli, tmp_path: Path) -> None:
    write("bad/main.tf", 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n')
    write("good/main.tf", TF_WEBSITE_OVER_HTTPS)
    code, out, err = run_cli("scan", str(tmp_path))
    assert code == 2
    assert "Traceback" not in err + out
    line = next(line for line in (err + out).splitlines() if "bad" in line and "main.tf" in line)
    assert "main.tf:2:" in line and "HCL" in line
    assert "PK101" in out


def test_items_of_a_multi_line_list_are_at_their_own_lines(write: Write) -> None:
    # The line break after `[` used to count as the first item: each item took the previous line.
    path = write("m/main.tf", 'resource "x" "y" {\n  aliases = [\n    "www.example.com",  # first\n'
                              '    "ws.example.com",\n  ]\n  one_line = ["a", "b"]\n}\n')
    body = load_hcl(path)[0].body
    assert [mark.line for mark in body["aliases"].marks] == [3, 4]
    assert [(mark.line, mark.column) for mark in body["one_line"].marks] == [(6, 15), (6, 20)]


def test_alias_finding_points_at_the_alias_line(write: Write) -> None:
    path = write("cdn/main.tf", """
resource "aws_acm_certificate" "origin" {
  domain_name = "www.example.com"
}

resource "aws_lb" "app" {
  subnets = ["subnet-1"]
}

resource "aws_lb_listener" "app" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = aws_acm_certificate.origin.arn
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  aliases = [
    "www.example.com",
    "ws.example.com",
  ]
  origin {
    origin_id   = "app"
    domain_name = aws_lb.app.dns_name
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }
  default_cache_behavior {
    target_origin_id         = "app"
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["GET", "HEAD"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    origin_request_policy_id = "216adef6-5c7f-47e4-b989-5492eafa07d3"
  }
}
""")
    assert finding_lines(path.parent, "PK202") == [21]


def test_huge_integers_in_hcl_json_syntax_and_tfvars_json(write: Write, run_cli: RunCli) -> None:
    digits = "1" * 5000
    hcl = write("h/main.tf", TF_COMMENTED.format(comment=digits))
    assert "main.tf:4: " in one_input_error(run_cli, hcl.parent, "5000 digits", "4300")
    tf_json = write("j/main.tf.json", '{"locals": {"a": ' + digits + '}, "resource": {}}')
    one_input_error(run_cli, tf_json, "5000 digits", "4300")
    write("v/main.tf", 'variable "name" {}\n' + TF_COMMENTED.format(comment="var.name"))
    tfvars = write("v/x.auto.tfvars.json", '{\n  "name": ' + digits + "\n}")
    assert "x.auto.tfvars.json:2: " in one_input_error(run_cli, tfvars.parent, "5000 digits")


@pytest.mark.parametrize("name, text", [
    ("main.tf", 'resource "aws_cloudfront_distribution" "cdn" {\n  origin = "x"\n  origin {\n  }\n}\n'),
    ("main.tf", 'resource "aws_cloudfront_distribution" "cdn" {\n  origin {\n  }\n  origin = "x"\n}\n'),
    ("terraform.tfvars", 'name = "a"\nname {\n}\n'),
])
def test_an_argument_and_a_block_of_the_same_name(write: Write, run_cli: RunCli, name: str, text: str) -> None:
    path = write(f"d/{name}", text)
    if name != "main.tf":
        write("d/main.tf", 'variable "name" {}\n')
    message = one_input_error(run_cli, path.parent, "invalid HCL", "an argument")
    assert "line" in message


def test_a_heredoc_closing_marker_with_trailing_spaces_is_accepted(write: Write, run_cli: RunCli) -> None:
    main = write("m/main.tf", 'resource "aws_iam_policy" "p" {\n  policy = <<POLICY\n{}\nPOLICY  \n}\n'
                 'resource "aws_iam_policy" "q" {\n  policy = <<-EOT\n    {}\n    EOT\t\n}\n'
                 + TF_COMMENTED.format(comment='"c"'))
    report = scans_without_errors(run_cli, main.parent)
    assert report["summary"]["distributions"] == 1  # type: ignore[index]


def test_an_unterminated_heredoc_is_one_line(write: Write, run_cli: RunCli) -> None:
    main = write("m/main.tf", 'resource "aws_iam_policy" "p" {\n  policy = <<POLICY\n{}\nNOT\n}\n')
    one_input_error(run_cli, main.parent, "invalid HCL")


def test_files_with_module_blocks_are_parsed_once(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykit.terraform import hcl

    write("root/main.tf", 'module "cdn" {\n  source = "./cdn"\n}\n')
    write("root/cdn/main.tf", TF_COMMENTED.format(comment='"c"'))
    write("root/other/main.tf", 'module "x" {\n  source = "../cdn"\n}\n')
    parsed: list[str] = []
    original = hcl.parse_hcl_with_duplicates

    def counting(text: str, file: str) -> tuple[list[hcl.Block], list[DuplicateKey]]:
        parsed.append(Path(file).parent.name + "/" + Path(file).name)
        return original(text, file)

    monkeypatch.setattr(hcl, "parse_hcl_with_duplicates", counting)
    result = scan([write("root/main.tf", 'module "cdn" {\n  source = "./cdn"\n}\n').parent], ScanOptions())
    assert not result.errors
    assert sorted(parsed) == ["cdn/main.tf", "other/main.tf", "root/main.tf"]


def test_a_number_over_the_digit_bound_is_found_in_linear_time(write: Write, run_cli: RunCli) -> None:
    """300 numbers of 4,300 digits (the bound) before one of 5,000: the error names the long one at once; looked
    for from every digit of every run, it took half a minute for this 1.3 MB file."""
    numbers = "".join(f"  n{index} = {'1' * 4300}\n" for index in range(300))
    path = write("m/main.tf", "locals {\n" + numbers + "}\n" + TF_COMMENTED.format(comment="2" * 5000))
    started = time.perf_counter()
    assert "main.tf:306: " in one_input_error(run_cli, path.parent, "5000 digits", "4300")
    assert time.perf_counter() - started < 10
