"""Unpacking a function's zip (policykit/edge/unzip.py), bounded: no paths outside it, no bombs, no links (a
refused zip in a scan is a note at the association: tests/edge/test_scan.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from policykit.edge.unzip import UnzipError, unpack
from tests.edge.helpers import zip_of


@pytest.mark.parametrize(("entries", "text"), [
    ({"../evil.py": b"x"}, "outside its directory"),
    ({"/etc/evil.py": b"x"}, "outside its directory"),
    ({"a/../../evil.py": b"x"}, "outside its directory"),
])
def test_zip_paths_outside_are_refused(tmp_path: Path, entries: dict[str, bytes], text: str) -> None:
    with pytest.raises(UnzipError, match=text):
        unpack(zip_of(tmp_path / "x.zip", entries), tmp_path / "out")
    assert not (tmp_path / "evil.py").exists()


def test_zip_bomb_and_entry_count_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from policykit.edge import unzip

    monkeypatch.setattr(unzip, "MAX_BYTES", 1024 * 1024)
    with pytest.raises(UnzipError, match="more than 1 MB"):
        unpack(zip_of(tmp_path / "bomb.zip", {"a.txt": b"\0" * (2 * 1024 * 1024)}), tmp_path / "out")
    monkeypatch.setattr(unzip, "MAX_FILES", 3)
    with pytest.raises(UnzipError, match="at most 3"):
        unpack(zip_of(tmp_path / "many.zip", {f"{i}.txt": b"x" for i in range(5)}), tmp_path / "out2")


def test_zip_symlink_is_refused(tmp_path: Path) -> None:
    info = zipfile.ZipInfo("link.py")
    info.external_attr = (0o120777 << 16)
    with zipfile.ZipFile(tmp_path / "l.zip", "w") as bundle:
        bundle.writestr(info, "/etc/passwd")
    with pytest.raises(UnzipError, match="symbolic link"):
        unpack(tmp_path / "l.zip", tmp_path / "out")


def test_zip_depth_is_bounded_with_its_own_message(tmp_path: Path) -> None:
    from policykit.edge.unzip import MAX_DEPTH

    deep = "/".join(["d"] * (MAX_DEPTH + 1)) + "/x.py"
    with pytest.raises(UnzipError, match=f"an entry {MAX_DEPTH + 1} directories deep .*at most {MAX_DEPTH} levels"):
        unpack(zip_of(tmp_path / "deep.zip", {deep: b"x"}), tmp_path / "out")
    unpack(zip_of(tmp_path / "ok.zip", {"/".join(["d"] * (MAX_DEPTH - 1)) + "/x.py": b"x"}), tmp_path / "out2")
