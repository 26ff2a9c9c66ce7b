"""The wheel carries the catalog and the data a scan needs (policies become package data)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None,
    reason="hatchling (the build backend) is not importable; building offline needs it: pip install hatchling",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the backend installed here is used and nothing is downloaded.
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "--no-index", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    [built] = list(Path(out).glob("*.whl"))
    return zipfile.ZipFile(built)


def test_wheel_contains_catalog_schema_and_data(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert any(n.startswith("policykit/policies/PK101-") and n.endswith(".yaml") for n in names)
    assert "policykit/policy/schema.json" in names
    assert "policykit/reporters/report_schema.json" in names  # `policykit schema report` reads it
    assert "policykit/core/data/managed_policies.json" in names
    assert "policykit/py.typed" in names


def test_wheel_catalog_is_the_repository_catalog(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for policy in sorted((ROOT / "policies").glob("PK*.yaml")):
        assert f"policykit/policies/{policy.name}" in names


def test_wheel_declares_the_console_script(wheel: zipfile.ZipFile) -> None:
    [entry_points] = [n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt")]
    assert "policykit = policykit.cli:main" in wheel.read(entry_points).decode()


def test_wheel_distribution_name_is_not_the_unrelated_policykit(wheel: zipfile.ZipFile) -> None:
    """`policykit` on the package index is another project (with the same import package and command)."""
    [metadata] = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    fields = dict(line.split(": ", 1) for line in wheel.read(metadata).decode().splitlines() if ": " in line)
    assert fields["Name"] == "cloudfront-policykit"
    assert fields["Name"].lower().replace("_", "-") != "policykit"
    assert Path(wheel.filename or "").name.startswith("cloudfront_policykit-")
    assert any(n.startswith("policykit/") for n in wheel.namelist())  # the import package keeps its name


def test_wheel_ships_the_catalog_compiled_from_its_yaml(wheel: zipfile.ZipFile) -> None:
    import json

    from policykit.policy.loader import COMPILED_CATALOG, compile_catalog

    shipped = json.loads(wheel.read(f"policykit/policies/{COMPILED_CATALOG}"))
    assert shipped == json.loads(json.dumps(compile_catalog(ROOT / "policies")))
    assert [e["file"] for e in shipped["policies"]] == sorted(p.name for p in (ROOT / "policies").glob("*.yaml"))
