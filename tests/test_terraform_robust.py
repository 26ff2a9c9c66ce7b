"""Terraform inputs that crashed, hung or ate memory: each is findings or one input error with a location.

Every case is the minimal input of a crash or bomb seen in the wild or by fuzzing (issue 14); each
runs through the CLI, so an internal error (exit 3) or a traceback fails the test.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.core.limits import DEFAULTS, applied
from policykit.source.dupkeys import DuplicateKey
from tests.helpers import RunCli, Write

DISTRIBUTION = """
resource "aws_cloudfront_distribution" "cdn" {{
  enabled = true
  comment = {comment}
  origin {{
    origin_id   = "app"
    domain_name = "app.example.com"
  }}
}}
"""


def _one_error(run_cli: RunCli, path: Path, *pieces: str) -> str:
    """The scan gives exactly one input error, on one line, naming the file, a line, and `pieces`."""
    code, out, err = run_cli("scan", str(path), "--format", "json")
    assert code == 2, out + err
    assert "Traceback" not in out + err and "internal error" not in out + err
    errors = json.loads(out)["errors"]
    assert len(errors) == 1, errors
    error = errors[0]
    assert error["line"] > 0, error
    assert "\n" not in error["message"]
    for piece in pieces:
        assert piece in error["message"], error
    return f"{error['file']}:{error['line']}: {error['message']}"


def _scans(run_cli: RunCli, path: Path) -> dict[str, object]:
    code, out, err = run_cli("scan", str(path), "--format", "json")
    assert code in (0, 1), out + err
    assert "Traceback" not in out + err
    report: dict[str, object] = json.loads(out)
    assert not report["errors"], report["errors"]
    return report


@pytest.mark.parametrize("comment", [
    'format("%s-sg", var.name)',  # var.name has no value: TypeError 'Unknown' is not subscriptable
    'join("-", [var.name, "x"])',
    'element([], 0)',
    'format("%s.%s", "x")',  # too few arguments
    'format("%999999999s", "x")',  # a width that would build a gigabyte
    '"x" * 400000000',  # Terraform has no string repetition: 3.9 GB before the type check
    "1e308 * 1e308",
    "99999999999999999999999999 * 99999999999999999999999999 * 99999999999999999999999999",
    "1 % 0",
    'lookup({}, "missing")',
    "one([1, 2])",
    'var.name[*].id',
    '[for x in var.name : x]',
    '{for k, v in {a = 1} : "same" => v}',
])
def test_expressions_that_crashed_are_unknown_or_values(write: Write, run_cli: RunCli, comment: str) -> None:
    main = write("m/main.tf", 'variable "name" {}\n' + DISTRIBUTION.format(comment=comment))
    _scans(run_cli, main.parent)


def test_format_with_an_unknown_argument_keeps_the_known_text(write: Write) -> None:
    from tests.test_terraform import only_distribution

    main = write("m/main.tf", 'variable "name" {}\n' + DISTRIBUTION.replace(
        '"app.example.com"', 'format("%s.example.com", var.name)').format(comment='"c"'))
    domain = only_distribution(main.parent).origins[0].domain_name
    assert str(domain) == "${var.name}.example.com"


def test_a_data_source_referring_to_itself_is_a_cycle_named_in_the_error(write: Write, run_cli: RunCli) -> None:
    main = write("m/main.tf", """
data "aws_cloudfront_cache_policy" "p" {
  name = data.aws_cloudfront_cache_policy.p.id
}
resource "aws_cloudfront_distribution" "cdn" {
  enabled = true
  default_cache_behavior {
    cache_policy_id = data.aws_cloudfront_cache_policy.p.id
  }
}
""")
    policy = "data.aws_cloudfront_cache_policy.p"
    _one_error(run_cli, main.parent, "cycle", f"{policy} -> {policy}")


@pytest.mark.parametrize("text, named", [
    ('locals {\n  a = local.b\n  b = local.a\n}\n', "local.a -> local.b -> local.a"),
    ('variable "v" {\n  default = var.v\n}\n', "var.v -> var.v"),
])
def test_cycles_of_locals_and_variables_are_named(write: Write, run_cli: RunCli, text: str, named: str) -> None:
    main = write("m/main.tf", text + DISTRIBUTION.format(comment="local.a" if "local" in text else "var.v"))
    assert named in _one_error(run_cli, main.parent, "cycle")


def test_forty_doubling_locals_stop_at_the_string_bound(write: Write, run_cli: RunCli) -> None:
    lines = ['  l0 = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"'] + [f'  l{i} = "${{local.l{i - 1}}}${{local.l{i - 1}}}"'
                                                          for i in range(1, 41)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n" + DISTRIBUTION.format(comment="local.l40"))
    assert len(main.read_bytes()) < 2000
    started = time.monotonic()
    message = _one_error(run_cli, main.parent, "bytes of strings", "the terraform_string_bytes limit")
    assert time.monotonic() - started < 30
    assert f"{DEFAULTS.terraform_string_bytes:,}" in message


def test_forty_doubling_lists_stop_at_the_list_bound(write: Write, run_cli: RunCli) -> None:
    lines = ['  l0 = ["x", "y"]'] + [f"  l{i} = concat(local.l{i - 1}, local.l{i - 1})" for i in range(1, 41)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n"
                 + DISTRIBUTION.format(comment="length(local.l40)"))
    _one_error(run_cli, main.parent, "items", "the terraform_items limit")


def test_nested_lists_doubling_stop_at_the_list_bound(write: Write, run_cli: RunCli) -> None:
    # shared, not copied: a small value in memory, 2^40 items to anything that walks it
    lines = ['  l0 = ["x"]'] + [f"  l{i} = [local.l{i - 1}, local.l{i - 1}]" for i in range(1, 41)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n"
                 + DISTRIBUTION.format(comment="length(flatten(local.l40))"))
    _one_error(run_cli, main.parent, "the terraform_items limit")


def test_a_long_chain_of_locals_stops_at_the_depth_bound(write: Write, run_cli: RunCli) -> None:
    lines = ['  l0 = "x"'] + [f"  l{i} = local.l{i - 1}" for i in range(1, 400)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n" + DISTRIBUTION.format(comment="local.l399"))
    _one_error(run_cli, main.parent, "deeper than", "bound on evaluation depth")


def test_a_chain_within_the_depth_bound_resolves(write: Write) -> None:
    from tests.test_terraform import only_distribution

    lines = ['  l0 = "x.example.com"'] + [f"  l{i} = local.l{i - 1}" for i in range(1, 50)]
    main = write("m/main.tf", "locals {\n" + "\n".join(lines) + "\n}\n"
                 + DISTRIBUTION.replace('"app.example.com"', "local.l49").format(comment='"c"'))
    assert only_distribution(main.parent).origins[0].domain_name == "x.example.com"


def test_many_steps_stop_at_the_step_bound(write: Write, run_cli: RunCli) -> None:
    ten = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"
    nested = f"[for j in {ten} : [for l in {ten} : [for m in {ten} : m]]]"  # 10,000 iterations
    main = write("m/main.tf", DISTRIBUTION.format(comment=nested))
    with applied({"terraform_steps": 5_000}):  # the scan's own (empty) changes start from these
        _one_error(run_cli, main.parent, "steps", "the terraform_steps limit")


def test_huge_integers_in_hcl_json_syntax_and_tfvars_json(write: Write, run_cli: RunCli) -> None:
    digits = "1" * 5000
    hcl = write("h/main.tf", DISTRIBUTION.format(comment=digits))
    assert "main.tf:4: " in _one_error(run_cli, hcl.parent, "5000 digits", "4300")
    tf_json = write("j/main.tf.json", '{"locals": {"a": ' + digits + '}, "resource": {}}')
    _one_error(run_cli, tf_json, "5000 digits", "4300")
    write("v/main.tf", 'variable "name" {}\n' + DISTRIBUTION.format(comment="var.name"))
    tfvars = write("v/x.auto.tfvars.json", '{\n  "name": ' + digits + "\n}")
    assert "x.auto.tfvars.json:2: " in _one_error(run_cli, tfvars.parent, "5000 digits")


@pytest.mark.parametrize("name, text", [
    ("main.tf", 'resource "aws_cloudfront_distribution" "cdn" {\n  origin = "x"\n  origin {\n  }\n}\n'),
    ("main.tf", 'resource "aws_cloudfront_distribution" "cdn" {\n  origin {\n  }\n  origin = "x"\n}\n'),
    ("terraform.tfvars", 'name = "a"\nname {\n}\n'),
])
def test_an_argument_and_a_block_of_the_same_name(write: Write, run_cli: RunCli, name: str, text: str) -> None:
    path = write(f"d/{name}", text)
    if name != "main.tf":
        write("d/main.tf", 'variable "name" {}\n')
    message = _one_error(run_cli, path.parent, "invalid HCL", "an argument")
    assert "line" in message


def test_a_heredoc_closing_marker_with_trailing_spaces_is_accepted(write: Write, run_cli: RunCli) -> None:
    main = write("m/main.tf", 'resource "aws_iam_policy" "p" {\n  policy = <<POLICY\n{}\nPOLICY  \n}\n'
                 'resource "aws_iam_policy" "q" {\n  policy = <<-EOT\n    {}\n    EOT\t\n}\n'
                 + DISTRIBUTION.format(comment='"c"'))
    report = _scans(run_cli, main.parent)
    assert report["summary"]["distributions"] == 1  # type: ignore[index]


def test_an_unterminated_heredoc_is_one_line(write: Write, run_cli: RunCli) -> None:
    main = write("m/main.tf", 'resource "aws_iam_policy" "p" {\n  policy = <<POLICY\n{}\nNOT\n}\n')
    _one_error(run_cli, main.parent, "invalid HCL")


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
    _scans(run_cli, path)


def test_files_with_module_blocks_are_parsed_once(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykit.terraform import hcl

    write("root/main.tf", 'module "cdn" {\n  source = "./cdn"\n}\n')
    write("root/cdn/main.tf", DISTRIBUTION.format(comment='"c"'))
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
