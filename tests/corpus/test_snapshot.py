"""The corpus scan matches tests/snapshots/corpus.json (regenerate: python3 scripts/update_snapshots.py).

A change here is either a fixed false positive/negative (update the snapshot and
tests/snapshots/JUDGEMENT.md) or a regression.
"""

from __future__ import annotations

import importlib.util
import json
from types import ModuleType

import pytest

from tests.helpers import CORPUS, ROOT

SNAPSHOT = ROOT / "tests" / "snapshots" / "corpus.json"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_snapshots", ROOT / "scripts" / "update_snapshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not present")
def test_corpus_scan_matches_snapshot() -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    actual = _script().snapshot(CORPUS)
    changed = {name: {"snapshot": expected.get(name), "now": ids}
               for name, ids in actual.items() if expected.get(name) != ids}
    gone = sorted(set(expected) - set(actual))
    assert not changed and not gone, f"corpus findings changed: {json.dumps(changed, indent=1)}; gone: {gone}"


def test_snapshot_records_every_kind_of_input() -> None:
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    kinds = {name.split("/", 1)[0] for name in data}
    assert {"cfn", "tf-hcl", "tf-json", "tf-plan"} <= kinds
    assert all(ids == sorted(ids) for ids in data.values())


def test_every_error_in_the_snapshot_is_judged() -> None:
    """Each (file, policy) error pair of the snapshot is named in JUDGEMENT.md."""
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    judgement = (ROOT / "tests" / "snapshots" / "JUDGEMENT.md").read_text(encoding="utf-8")
    missing = [f"{name} {entry}" for name, ids in data.items() for entry in ids
               if entry.endswith(":error") and not _judged(judgement, name, entry.split(":")[0])]
    assert not missing, "errors without a judgement: " + "; ".join(missing)


def _judged(judgement: str, name: str, policy_id: str) -> bool:
    return any(name in line and policy_id in line for line in judgement.splitlines())
