"""JSON to marked nodes (policykit/source/json_loader.py): every value keeps its 1-based line and column; errors
and what Python cannot carry (huge numbers, lone surrogates) are input errors with a position."""

from __future__ import annotations

import json

import pytest

from policykit.core.errors import InputError
from policykit.core.nodes import Mark, path_mark
from policykit.source.json_loader import load_json
from tests.helpers import RunCli, Write
from tests.source.helpers import one_error_beside_a_broken_example


def test_json_marks() -> None:
    text = '{\n  "Resources": {\n    "D": {"Type": "AWS::CloudFront::Distribution",\n' \
           '          "Properties": {"Ports": [80, 443], "Name": "a\\"b", "On": true, "N": null, "F": -1.5e2}}\n  }\n}'
    root = load_json(text, "t.json")
    resource = root["Resources"]["D"]
    assert root.key_marks["Resources"] == Mark(2, 3)
    assert root.value_marks["Resources"] == Mark(2, 16)
    assert resource.value_marks["Type"] == Mark(3, 19)
    props = resource["Properties"]
    assert props == {"Ports": [80, 443], "Name": 'a"b', "On": True, "N": None, "F": -150.0}
    assert props["Ports"].marks == [Mark(4, 36), Mark(4, 40)]
    assert props.value_marks["Name"] == Mark(4, 54)
    assert props.value_marks["F"] == Mark(4, 90)
    assert path_mark(root, ("Resources", "D", "Properties", "Ports", 1)) == Mark(4, 40)
    assert path_mark(root, ("Resources", "D", "Nope")) == Mark(3, 10)


def test_json_unicode_and_escapes_keep_columns() -> None:
    root = load_json('{"a": "caf\u00e9", "b": "\\u00e9x", "c": 1}', "t.json")
    assert root == {"a": "caf\u00e9", "b": "\u00e9x", "c": 1}
    assert root.value_marks["c"] == Mark(1, 36)  # columns count characters of the source, escapes included


@pytest.mark.parametrize(("text", "line", "column"), [
    ('{\n  "a": 1,\n  "b": }', 3, 8),
    ('{"a": 1}\n{"b": 2}', 2, 1),
    ("", 1, 1),
])
def test_json_errors_have_positions(text: str, line: int, column: int) -> None:
    with pytest.raises(InputError) as caught:
        load_json(text, "t.json")
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith(f"t.json:{line}:{column}: invalid JSON")


@pytest.mark.parametrize(("name", "text", "line", "message"), [
    ("huge-int.json", '{"AWSTemplateFormatVersion": "2010-09-09",\n "Resources": {"A": {"Type": "AWS::S3::Bucket",'
     ' "Properties": {"N": ' + "9" * 5000 + "}}}}", 2, "more than the 4300 digits policykit reads"),
    ("surrogate.json", '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {\n "D": {"Type": '
     '"AWS::CloudFront::Distribution", "Properties": {"DistributionConfig": {"Origins": [\n'
     '  {"Id": "o", "DomainName": "\\ud800.example.com"}]}}}}}', 3, "lone surrogate \\ud800"),
    ("main.tf.json", '{"resource": {"aws_s3_bucket": {"b": {\n"bucket": ' + "1" * 4301 + "}}}}", 2,
     "more than the 4300 digits policykit reads"),
])
def test_json_numbers_and_surrogates_python_cannot_carry(run_cli: RunCli, write: Write, name: str, text: str,
                                                           line: int, message: str) -> None:
    error = one_error_beside_a_broken_example(run_cli, write(name, text))
    assert message in str(error["message"])
    assert error["line"] == line


def test_a_surrogate_in_a_plan_is_not_a_crash(run_cli: RunCli, write: Write) -> None:
    # Broken JSON that is not named .tf.json is skipped as not ours, or reported; never exit 3.
    path = write("plan.json", '{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {\n'
                 '"root_module": {"resources": [{"address": "\\udfff"}]}}}')
    code, out, err = run_cli("scan", "--format", "json", str(path))
    assert code in (0, 2), err
    out.encode("utf-8")


def test_huge_integer_in_auto_tfvars_json(run_cli: RunCli, write: Write) -> None:
    write("mod/main.tf", 'variable "n" {}\nresource "aws_s3_bucket" "b" { bucket = "x" }\n')
    tfvars = write("mod/x.auto.tfvars.json", '{"n":\n ' + "7" * 5000 + "}")
    code, out, err = run_cli("scan", "--format", "json", str(tfvars.parent))
    assert code == 2, (out, err)
    [error] = json.loads(out)["errors"]
    assert error["file"] == str(tfvars)
    assert "more than the 4300 digits policykit reads" in error["message"]


def test_json_unit_bounds() -> None:
    assert load_json('["\\ud83d\\ude00"]', "f.json") == ["\U0001f600"]  # a pair is one character
    assert load_json('[' + "9" * 4300 + "]", "f.json") == [int("9" * 4300)]
    with pytest.raises(InputError, match=r"f\.json:1:2: invalid JSON: lone surrogate \\udc00"):
        load_json('["\\udc00"]', "f.json")
