"""Standard input as one scan input (policykit/source/stdin.py, `scan -`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.helpers import RunCli
from tests.source.helpers import BROKEN, scanned_files


def test_stdin_is_read_as_given(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from policykit.source import files

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.read_bytes())))
    monkeypatch.setattr(files, "_STREAMS", {})
    files_scanned, _ = scanned_files(run_cli, Path("-"))
    assert files_scanned == {"-": 1}


def test_terraform_on_stdin_is_recognised_by_its_content(run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """HCL piped without --stdin-filename is Terraform, not a file skipped as 'not a template' (a silent pass)."""
    import io

    from tests.helpers import EXAMPLES

    hcl = (EXAMPLES / "terraform" / "broken-origins" / "main.tf").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(hcl)))
    files_scanned, err = scanned_files(run_cli, Path("-"))
    assert files_scanned == {"-": 1}, err


@pytest.mark.parametrize(("text", "hcl"), [
    ('resource "aws_cloudfront_distribution" "cdn" {\n}\n', True),
    ('# comment\nterraform {\n  required_version = ">= 1.5"\n}\n', True),
    ('  module "cdn" {\n    source = "./cdn"\n  }\n', True),
    ("Resources:\n  resource: x\n", False),
    ('description: resource "x" is documented here\n', False),
    ('{"resource": {}}', False),
])
def test_what_counts_as_hcl(text: str, hcl: bool) -> None:
    from policykit.source.detect import looks_like_hcl

    assert looks_like_hcl(text) is hcl
