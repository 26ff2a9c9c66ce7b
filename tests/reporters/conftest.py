"""Fixtures of the reporter tests: inputs that give every kind of result at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, RunCli, Write
from tests.templates import BROKEN, SECOND_S3_ORIGIN

CFN = EXAMPLES / "cloudformation"


NOT_A_TEMPLATE = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"


INVALID = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [\n"


@pytest.fixture
def mixed(write: Write) -> list[Path]:
    """The broken examples, a file that is not a template, and one that cannot be read."""
    return [CFN / "broken-origins.yaml", CFN / "broken-viewer-and-edge.yaml",
            write("k8s/configmap.yaml", NOT_A_TEMPLATE), write("bad/invalid.yaml", INVALID)]


@pytest.fixture
def site_with_a_new_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: RunCli) -> Path:
    """The working directory holds site.yaml (tests.templates.BROKEN) and b.json, a baseline of its PK101 on origin
    'site'; then a second origin adds a new PK101 on origin 'second'."""
    monkeypatch.chdir(tmp_path)  # fingerprints are relative to the working directory
    (tmp_path / "site.yaml").write_text(BROKEN, encoding="utf-8")
    run_cli("scan", "site.yaml", "--write-baseline", "b.json")
    added = BROKEN.replace("        DefaultCacheBehavior:", SECOND_S3_ORIGIN + "        DefaultCacheBehavior:")
    (tmp_path / "site.yaml").write_text(added, encoding="utf-8")
    return tmp_path
