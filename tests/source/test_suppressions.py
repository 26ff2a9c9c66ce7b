"""Suppression directives written in the source (policykit/source/suppressions.py): Terraform comments and their
resource blocks, collected while the loaders read each file once; the filter stage reads nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policykit.api import ScanOptions, scan
from policykit.core.location import Location
from policykit.filters.suppressions import apply
from policykit.findings import Finding, ScanResult
from policykit.source.suppressions import resource_blocks, terraform_suppressions
from tests.helpers import Write
from tests.templates import BROKEN, TF_MODULE, TF_SUPPRESSED, with_resource_metadata

CFN_IGNORE = """\
      policykit:
        ignore:
          - id: PK101
            reason: S3 moves behind OAC next sprint
"""
TF_IGNORE = "# policykit:ignore PK101 website endpoint until the move"


def _known(result: ScanResult, policy_id: str) -> list[Finding]:
    return [f for f in result.findings if f.policy_id == policy_id and not f.unknown]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How often each file's content is read (read_bytes and read_text are how policykit reads)."""
    counts: Counter[str] = Counter()
    read_bytes, read_text = Path.read_bytes, Path.read_text

    def counting_bytes(self: Path) -> bytes:
        counts[self.name] += 1
        return read_bytes(self)

    def counting_text(self: Path, *args: Any, **kwargs: Any) -> str:
        counts[self.name] += 1
        return read_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", counting_bytes)
    monkeypatch.setattr(Path, "read_text", counting_text)
    yield counts


def test_a_template_is_read_once_and_its_suppression_applies(write: Write, reads: Counter[str]) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, CFN_IGNORE))
    result = scan([path])
    assert [f.suppressed for f in _known(result, "PK101")] == ["S3 moves behind OAC next sprint"]
    assert reads["site.yaml"] == 1
    assert [s.policy_id for s in result.suppressions] == ["PK101"]


def test_a_terraform_module_is_read_once_and_its_suppression_applies(write: Write, reads: Counter[str]) -> None:
    pytest.importorskip("hcl2")
    path = write("infra/main.tf", TF_MODULE.replace("IGNORE", TF_IGNORE))
    write("infra/other.tf", 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n')
    result = scan([path.parent])
    assert not result.errors
    assert [f.suppressed for f in _known(result, "PK101")] == ["website endpoint until the move"]
    assert (reads["main.tf"], reads["other.tf"]) == (1, 1)


def test_apply_needs_no_file(write: Write) -> None:
    """The suppressions travel on the result: removing the files before filtering changes nothing."""
    path = write("site.yaml", with_resource_metadata(BROKEN, CFN_IGNORE))
    result = scan([path], ScanOptions(suppressions=False))
    assert not result.suppressions and not _known(result, "PK101")[0].suppressed
    result = scan([path])
    path.unlink()
    again = ScanResult(findings=[f for f in result.findings if f.policy_id == "PK101"])
    again = apply(again, suppressions=result.suppressions)
    assert _known(again, "PK101")[0].suppressed


def test_an_invalid_terraform_suppression_is_an_error_and_the_findings_stay(write: Write) -> None:
    pytest.importorskip("hcl2")
    path = write("infra/main.tf", TF_MODULE.replace("IGNORE", "# policykit:ignore PK101"))
    result = scan([path.parent])
    [error] = result.errors
    assert (Path(error.file).name, error.line) == ("main.tf", 13) and "needs a reason" in error.message
    assert [f.suppressed for f in _known(result, "PK101")] == [""]


def test_an_invalid_template_suppression_is_an_error_and_the_findings_stay(write: Write) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, CFN_IGNORE.replace(
        "            reason: S3 moves behind OAC next sprint\n", "")))
    result = scan([path])
    [error] = result.errors
    assert error.file == str(path) and "needs a reason" in error.message
    assert [f.suppressed for f in _known(result, "PK101")] == [""]


def test_without_suppressions_invalid_ones_are_not_errors(write: Write) -> None:
    path = write("site.yaml", with_resource_metadata(BROKEN, "      policykit: {ignore: [PK101]}\n"))
    assert scan([path]).errors
    assert not scan([path], ScanOptions(suppressions=False)).errors


def test_a_called_module_suppression_does_not_count(write: Write) -> None:
    """Only the root module's comments are read (as before): a child's own note is not the caller's."""
    pytest.importorskip("hcl2")
    write("infra/edge/main.tf", TF_MODULE.replace("IGNORE", "# policykit:ignore PK101"))  # invalid, unread
    root = write("infra/main.tf", 'module "edge" {\n  source = "./edge"\n}\n')
    result = scan([root.parent])
    assert not result.errors and not result.suppressions
    assert [f.suppressed for f in _known(result, "PK101")] == [""]


def test_resource_block_ranges() -> None:
    assert resource_blocks(TF_SUPPRESSED) == [("aws_cloudfront_distribution.cdn", 1, 7), ("aws_lb.api", 10, 12)]


def test_terraform_comment_parser() -> None:
    first, second = terraform_suppressions(TF_SUPPRESSED, "infra/main.tf")
    assert (first.policy_id, first.resource, first.expires) == ("PK101", "aws_cloudfront_distribution.cdn",
                                                                datetime.date(2999, 12, 31))
    assert first.reason == "website endpoint, fixed in the next release"
    assert first.location == Location("infra/main.tf", 3, 3)
    assert (second.policy_id, second.resource, second.scope) == ("PK201", "", "infra")


def test_terraform_comment_without_reason_is_an_error() -> None:
    from policykit.core.errors import InputError

    with pytest.raises(InputError, match="needs a reason") as caught:
        terraform_suppressions('resource "a" "b" {\n  # policykit:ignore PK101\n}\n', "main.tf")
    assert caught.value.line == 2
