"""Glob patterns over paths relative to one directory (policykit/source/globs.py): the configuration's `files:`
and `exclude:`, `--exclude`. A path is matched by where it is, however it was spelt."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykit.source.globs import Exclusions, Globs, matches, normal


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("cfn/web.yaml", "cfn/web.yaml", True),
    ("cfn/web.yaml", "other/cfn/web.yaml", False),  # a pattern with a / is anchored at the directory
    ("cfn/*.yaml", "cfn/web.yaml", True),
    ("web.yaml", "cfn/web.yaml", True),  # without a /: the name, at any depth
    ("*.generated.yaml", "a/b/x.generated.yaml", True),
    ("policies", "policies/ACME001-x/tests/fail/bad.yaml", True),  # a directory covers what is under it
    ("fixtures", "src/fixtures/bad.yaml", True),  # a name without /: a directory at any depth too
    ("stacks/prod", "stacks/prod/web.yaml", True),
    ("stacks/prod", "stacks/production/web.yaml", False),
    ("**/fixtures", "fixtures/x.yaml", True),  # **/ also matches nothing
    ("**/fixtures", "a/b/fixtures/x.yaml", True),
    ("terraform/prod", "terraform/prod", True),  # a module directory itself
])
def test_what_a_pattern_matches(pattern: str, path: str, expected: bool) -> None:
    assert matches(normal(pattern), path, Path(path).name) is expected


def test_patterns_are_written_loosely() -> None:
    assert normal("./policies/") == "policies"
    assert normal("cfn\\web.yaml") == "cfn/web.yaml"


def test_a_path_matches_by_where_it_is_not_how_it_is_spelt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cfn").mkdir()
    (tmp_path / "cfn" / "web.yaml").write_text("x: 1\n", encoding="utf-8")
    globs = Globs.at(tmp_path, ["cfn/web.yaml"])
    monkeypatch.chdir(tmp_path / "cfn")
    for spelling in (Path("web.yaml"), Path("../cfn/./web.yaml"), tmp_path / "cfn" / "web.yaml"):
        assert globs.matching(spelling) == "cfn/web.yaml", spelling
    monkeypatch.chdir(tmp_path)
    assert globs.matching(Path("cfn/web.yaml")) == "cfn/web.yaml"
    assert globs.matching(Path("web.yaml")) is None  # not there: a file of the same name elsewhere


def test_outside_the_directory_only_names_match(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    outside = tmp_path / "elsewhere" / "web.yaml"
    assert Globs.at(tmp_path / "repo", ["web.yaml"]).matching(outside) == "web.yaml"
    assert Globs.at(tmp_path / "repo", ["elsewhere/web.yaml"]).matching(outside) is None


def test_own_files_exclude_themselves_and_what_is_under_them(tmp_path: Path) -> None:
    own = Exclusions.of(own=[tmp_path / "policies", tmp_path / ".policykit.yaml"])
    assert own.excluded(tmp_path / "policies" / "ACME001-x" / "tests" / "fail" / "bad.yaml")
    assert own.excluded(tmp_path / ".policykit.yaml")
    assert not own.excluded(tmp_path / "cfn" / "web.yaml")
    assert not Exclusions()
