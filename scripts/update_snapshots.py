"""Regenerate tests/snapshots/corpus.json: the policy ids each corpus file yields.

Usage: python3 scripts/update_snapshots.py   (from the repository root)

For every file of ../shared/corpus/{cfn,tf-hcl,tf-json,tf-plan} the snapshot records the
sorted, distinct `PKnnn:severity` of its decided (not `unknown`), unsuppressed findings, and
`scan-error` when the file could not be read. tests/corpus/test_snapshot.py compares a fresh
scan with it; review the diff (and tests/snapshots/JUDGEMENT.md) before committing a new one.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SNAPSHOT = ROOT / "tests" / "snapshots" / "corpus.json"
KINDS = ("cfn", "tf-hcl", "tf-json", "tf-plan")


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    return sorted(p for kind in KINDS if (corpus / kind).is_dir() for p in (corpus / kind).iterdir() if p.is_file())


def summarize(path: Path) -> list[str]:
    """Distinct `PKnnn:severity` of the decided findings of one file, sorted."""
    sys.path.insert(0, str(ROOT))
    from policykit.api import scan
    from policykit.policy.loader import load_policies

    policies = load_policies(())
    if path.name.endswith(".tf"):
        # A Terraform module is a directory: scan each corpus .tf file as a module of its own.
        with tempfile.TemporaryDirectory() as module:
            shutil.copy(path, Path(module) / path.name)
            result = scan([Path(module)], policies=policies)
    else:
        result = scan([path], policies=policies)
    found = {f"{f.policy_id}:{f.severity.value}" for f in result.findings if not f.unknown and not f.suppressed}
    if result.errors:
        found.add("scan-error")
    return sorted(found)


def snapshot(corpus: Path = CORPUS) -> dict[str, list[str]]:
    return {str(path.relative_to(corpus)): summarize(path) for path in corpus_files(corpus)}


def main() -> int:
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS.relative_to(ROOT.parent)}", file=sys.stderr)
        return 2
    data = snapshot()
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}: {len(data)} files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
