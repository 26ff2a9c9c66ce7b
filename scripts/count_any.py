"""Count the uses of `typing.Any` in the package: `ast.Name`/`ast.Attribute` nodes named `Any` outside import
statements (the measure of the renovation issue). `python scripts/count_any.py [DIR] [--by-folder]`."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from pathlib import Path


def count_any(source: str) -> int:
    """Uses of `Any` in one module's source (annotations, casts, aliases); the import itself does not count."""
    return sum(1 for node in ast.walk(ast.parse(source))
               if (isinstance(node, ast.Name) and node.id == "Any")
               or (isinstance(node, ast.Attribute) and node.attr == "Any"))


def count_tree(root: Path) -> Counter[str]:
    """Per module (its path relative to `root`)."""
    return Counter({str(path.relative_to(root)): count_any(path.read_text(encoding="utf-8"))
                    for path in sorted(root.rglob("*.py"))})


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    root = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "policykit"
    counts = count_tree(root)
    if "--by-folder" in argv:
        folders: Counter[str] = Counter()
        for name, count in counts.items():
            folders[name.split("/")[0] if "/" in name else "(top)"] += count
        for folder, count in folders.most_common():
            print(f"{count:5}  {folder}")
    print(f"{sum(counts.values())} Any in {root.name}/")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
