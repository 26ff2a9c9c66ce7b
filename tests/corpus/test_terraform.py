"""Acceptance over the shared corpus: every Terraform file scans, every distribution is counted."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers import CORPUS, RunCli

_DISTRIBUTION = re.compile(r'^\s*resource\s+"aws_cloudfront_distribution"\s+"', re.MULTILINE)
KINDS = ("tf-hcl", "tf-json", "tf-plan")

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not present")


def _scan(run_cli: RunCli, path: Path) -> dict[str, object]:
    code, out, err = run_cli("scan", str(path), "--format", "json")
    assert "Traceback" not in out + err
    assert code in (0, 1), err
    report: dict[str, object] = json.loads(out)
    return report


@pytest.mark.parametrize("kind", KINDS)
def test_corpus_scans_without_errors(run_cli: RunCli, kind: str) -> None:
    report = _scan(run_cli, CORPUS / kind)
    assert report["errors"] == []


def test_every_hcl_distribution_block_is_counted(run_cli: RunCli) -> None:
    report = _scan(run_cli, CORPUS / "tf-hcl")
    counted = report["summary"]["distributions_by_file"]  # type: ignore[index]
    checked = 0
    for path in sorted((CORPUS / "tf-hcl").glob("*.tf")):
        declared = len(_DISTRIBUTION.findall(path.read_text(encoding="utf-8")))
        if declared:
            checked += 1
            assert counted.get(str(path), 0) == declared, path.name
    assert checked >= 20


def test_json_syntax_and_plans_count_their_distributions(run_cli: RunCli) -> None:
    for kind in ("tf-json", "tf-plan"):
        report = _scan(run_cli, CORPUS / kind)
        counted = report["summary"]["distributions_by_file"]  # type: ignore[index]
        for path in sorted((CORPUS / kind).glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if kind == "tf-json":
                declared = len(data.get("resource", {}).get("aws_cloudfront_distribution", {}))
            else:
                declared = sum(1 for r in data["planned_values"]["root_module"].get("resources", [])
                               if r["type"] == "aws_cloudfront_distribution")
            assert counted.get(str(path), 0) == declared, path.name
