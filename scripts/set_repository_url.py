"""Set the repository URL: `python scripts/set_repository_url.py https://github.com/ORG/REPO`.

The URL's one home is `[project.urls] Repository` in pyproject.toml; the README, the CI examples,
action.yml and .pre-commit-hooks.yaml show it to users, so this rewrites every copy from the
current value (tests/test_distribution.py checks that they agree).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COPIES = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "action.yml", "examples/ci/github-actions.yml",
          "examples/ci/gitlab-ci.yml", "RELEASING.md")


def current() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^Repository = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("pyproject.toml has no [project.urls] Repository")
    return match.group(1)


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", argv[0]):
        print("usage: set_repository_url.py https://github.com/ORG/REPO", file=sys.stderr)
        return 2
    old, new = current(), argv[0]
    old_slug, new_slug = old.removeprefix("https://github.com/"), new.removeprefix("https://github.com/")
    for name in COPIES:
        path = ROOT / name
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace(old, new).replace(f"uses: {old_slug}@", f"uses: {new_slug}@"),
                            encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
