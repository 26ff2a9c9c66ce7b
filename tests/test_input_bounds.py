"""Loader bounds and the directory walk on hostile input (issue 14): each case is the minimal input
that once crashed (exit 3), hung or was refused wrongly, and now gives findings or one input error."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykit.core.errors import InputError
from policykit.core.limits import applied
from policykit.source.json_loader import load_json
from policykit.source.yaml_loader import load_yaml
from tests.helpers import EXAMPLES, RunCli, Write

BROKEN = EXAMPLES / "cloudformation" / "broken-origins.yaml"
HEAD = "AWSTemplateFormatVersion: '2010-09-09'\n"
DISTRIBUTION = """\
  D{i}:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: web
            DomainName: origin{i}.example.com
            CustomOriginConfig: {{OriginProtocolPolicy: https-only}}
        DefaultCacheBehavior:
          TargetOriginId: web
          ViewerProtocolPolicy: redirect-to-https
          CachePolicyId: 658327ea-f89d-4fab-a63d-7e88639e58f6
"""


def _one_error(run_cli: RunCli, path: Path) -> dict[str, object]:
    started = time.monotonic()
    code, out, err = run_cli("scan", "--format", "json", str(path), str(BROKEN))
    assert time.monotonic() - started < 20, "no hang"
    assert code == 2, (out, err)
    document = json.loads(out)
    [error] = document["errors"]
    assert error["file"] == str(path)
    assert {"PK101", "PK201"} <= {f["policy_id"] for f in document["findings"]}, "the other file is scanned"
    assert "Traceback" not in err
    return error  # type: ignore[no-any-return]


def test_alias_to_a_long_string_repeated_is_bounded_by_bytes(run_cli: RunCli, write: Write) -> None:
    # 300 aliases to one 100 KB string: 300 values, but 30 MB of text (31 s before the bound)
    refs = ", ".join(["*big"] * 300)
    path = write("alias-bytes.yaml", HEAD + f"Metadata:\n  Big: &big {'a' * 100_000}\nResources:\n"
                 "  D:\n    Type: AWS::CloudFront::Distribution\n    Properties:\n      DistributionConfig:\n"
                 "        Origins:\n          - Id: o\n"
                 f"            DomainName: !Join ['', [{refs}]]\n")
    error = _one_error(run_cli, path)
    assert "aliases repeat more than 4,194,304 characters of text: the alias_chars limit" in str(error["message"])
    assert error["line"] == 11


def test_node_bound_counts_each_value_once() -> None:
    # [[[[1]]]] has 5 values; counting each once per ancestor made it 15
    with applied({"document_values": 5}):
        assert load_yaml("[[[[1]]]]\n", "f.yaml") == [[[[1]]]]
        with pytest.raises(InputError, match="YAML document has more than 5 values"):
            load_yaml("[[[[1, 2]]]]\n", "f.yaml")
        # through an alias the count is of what the alias expands to
        with pytest.raises(InputError, match="YAML aliases expand to more than 5 values"):
            load_yaml("a: &a [1, 2]\nb: *a\n", "f.yaml")


def test_a_large_template_without_aliases_is_not_refused() -> None:
    # 1,600 distributions: 313,611 nodes were counted as more than 2,000,000 alias values
    text = HEAD + "Resources:\n" + "".join(DISTRIBUTION.format(i=i) for i in range(1600))
    root = load_yaml(text, "big.yaml")
    assert len(root["Resources"]) == 1600


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
    error = _one_error(run_cli, write(name, text))
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


@pytest.fixture
def undecodable_dir(tmp_path: Path) -> Path:
    if sys.platform == "darwin":  # pragma: no cover - APFS refuses names that are not UTF-8
        pytest.skip("the file system requires UTF-8 names")
    directory = tmp_path / "scan"
    directory.mkdir()
    raw = os.fsencode(directory) + b"/bad\xff.yaml"
    with open(raw, "wb") as stream:
        stream.write(BROKEN.read_bytes())
    return directory


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped(run_cli: RunCli, undecodable_dir: Path, fmt: str) -> None:
    code, out, err = run_cli("scan", "--format", fmt, str(undecodable_dir))
    assert code == 1, err
    out.encode("utf-8")  # no surrogate left: every format can be written
    shown = "bad\\\\xff.yaml" if fmt in ("json", "sarif") else "bad\\xff.yaml"
    assert shown in out or (fmt == "sarif" and "bad%5Cxff.yaml" in out)  # a file: URI outside the cwd
    if fmt in ("json", "sarif"):
        text = json.dumps(json.loads(out))
        assert "\\udcff" not in text


def _scanned_files(run_cli: RunCli, *paths: Path) -> tuple[list[str], str]:
    code, out, err = run_cli("scan", "--format", "json", *map(str, paths))
    assert code == 1, err
    document = json.loads(out)
    return document["summary"]["distributions_by_file"], err


def test_a_link_to_a_scanned_directory_is_not_followed(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "t.yaml").write_bytes(BROKEN.read_bytes())
    (tmp_path / "x").symlink_to(".")  # was scanned 41 times
    (tmp_path / "y").symlink_to(".")  # with two links the walk exploded
    (tmp_path / "sub" / "up").symlink_to("..")
    started = time.monotonic()
    files, err = _scanned_files(run_cli, tmp_path)
    assert time.monotonic() - started < 20
    assert list(files) == [str(tmp_path / "sub" / "t.yaml")]
    assert f"{tmp_path / 'x'}: skipped, a link to a directory that is already scanned" in err


def test_a_link_to_another_directory_is_followed_once(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "t.yaml").write_bytes(BROKEN.read_bytes())
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "shared").symlink_to("../shared")
    files, _ = _scanned_files(run_cli, tmp_path / "app")
    assert list(files) == [str(tmp_path / "app" / "shared" / "t.yaml")]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[Path]:
    if not hasattr(os, "mkfifo"):  # pragma: no cover
        pytest.skip("no FIFOs on this platform")
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    yield path


def test_a_fifo_in_a_walked_directory_is_skipped_with_a_note(run_cli: RunCli, tmp_path: Path, fifo: Path) -> None:
    (tmp_path / "t.yaml").write_bytes(BROKEN.read_bytes())
    # Opening the FIFO for reading would block forever: the scan finishing is the proof it was not opened.
    files, err = _scanned_files(run_cli, tmp_path)
    assert list(files) == [str(tmp_path / "t.yaml")]
    assert f"policykit: note: {fifo}: skipped, not a regular file (a FIFO)" in err


def test_a_fifo_named_on_the_command_line_is_read(run_cli: RunCli, fifo: Path) -> None:
    # `policykit scan <(terraform show -json plan)`: the shell names a pipe
    writer = threading.Thread(target=fifo.write_bytes, args=(BROKEN.read_bytes(),), daemon=True)
    writer.start()
    files, _ = _scanned_files(run_cli, fifo)
    writer.join(5)
    assert files == {str(fifo): 1}


def test_a_plan_through_a_pipe_is_read_once_as_json(run_cli: RunCli, fifo: Path) -> None:
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [
        {"address": "aws_cloudfront_distribution.cdn", "mode": "managed", "type": "aws_cloudfront_distribution",
         "name": "cdn", "values": {"enabled": True, "origin": [
             {"origin_id": "s", "domain_name": "b.s3-website-us-east-1.amazonaws.com",
              "custom_origin_config": [{"http_port": 80, "https_port": 443, "origin_protocol_policy": "https-only",
                                        "origin_ssl_protocols": ["TLSv1.2"]}]}],
             "default_cache_behavior": [{"target_origin_id": "s", "viewer_protocol_policy": "redirect-to-https",
                                         "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"]}]}}]}}}
    writer = threading.Thread(target=fifo.write_text, args=(json.dumps(plan),), daemon=True)
    writer.start()
    code, out, err = run_cli("scan", "--format", "json", str(fifo))
    writer.join(5)
    assert code == 1, err
    assert "PK101" in {f["policy_id"] for f in json.loads(out)["findings"]}


def test_stdin_is_read_as_given(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from policykit.source import files

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.read_bytes())))
    monkeypatch.setattr(files, "_STREAMS", {})
    files_scanned, _ = _scanned_files(run_cli, Path("-"))
    assert files_scanned == {"-": 1}
