"""What kind of input a file is (policykit/source/detect.py): binary bytes named .json are not ours and are skipped;
what claims to be Terraform is still read, and bad bytes in it are an error; what the Serverless Framework reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykit.api import ScanOptions, scan
from policykit.source.detect import looks_like_serverless
from tests.helpers import RunCli


def test_binary_json_named_on_the_command_line_is_skipped(tmp_path: Path, run_cli: RunCli) -> None:
    binary = tmp_path / "logo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00{\"resource\": 1}")
    code, out, err = run_cli("scan", str(binary))
    assert code == 0, out + err
    assert "UTF-8" not in out + err
    result = scan([binary], ScanOptions())
    assert not result.errors and result.skipped == (str(binary),)


def test_bad_bytes_in_what_claims_to_be_terraform_are_still_an_error(tmp_path: Path, run_cli: RunCli) -> None:
    tf_json = tmp_path / "main.tf.json"
    tf_json.write_bytes(b'{"resource": "\xff"}')
    plan = tmp_path / "plan.json"
    plan.write_bytes(json.dumps({"format_version": "1.2", "terraform_version": "1.9.0",
                                 "planned_values": "X"}).encode().replace(b"X", b"\xff"))
    for path in (tf_json, plan):
        code, out, err = run_cli("scan", str(path))
        assert code == 2
        assert f"{path}:1:" in out + err and "UTF-8" in out + err
        assert "Traceback" not in out + err


@pytest.mark.parametrize(("text", "serverless"), [
    ("service: shop\nprovider: {name: aws}\n", True),
    ('{\n  "service": "shop",\n  "provider": {"name": "aws"}\n}\n', True),
    ("Resources:\n  A:\n    Properties: {Name: '${self:service}-a'}\n", True),
    ("x: ${opt:stage}\n", True),
    ("x: ${ssm(us-east-1, raw):/p}\n", True),
    ("x: ${file(./a.yml):b}\n", True),
    # CloudFormation's own `${...}`, GitHub's, shell's: not the framework's
    ("x: !Sub 'arn:${AWS::Partition}:s3:::${Bucket}/${Bucket.Arn}'\n", False),
    ("run: echo ${{ github.sha }} ${HOME}\n", False),
    ("service: shop\n", False),
])
def test_what_the_serverless_framework_would_read(text: str, serverless: bool) -> None:
    assert looks_like_serverless(text) is serverless

