"""The Scan step of action.yml, run by the Python of policykit's own virtual environment.

It reads the action's inputs from the environment the step sets (never from a command line a shell built, so
nothing a user writes is split on spaces, globbed or expanded by a shell), runs `policykit scan`, writes the text
report to the log and the annotations after it, and tells the next steps the exit code, where the SARIF report
is and whether to upload it.

- PATHS: one path per line (a path may hold spaces), or a JSON list; "." when empty.
- ARGS: more `policykit scan` options, each line split as a shell splits a command line (quotes group words;
  nothing is expanded or globbed), or a JSON list of arguments.
- SARIF: the SARIF report's file, relative to the working directory.
- UPLOAD: "auto" (upload unless the token cannot: a pull request from a fork, a Dependabot run), "true", "false".
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

READ_ONLY_TOKEN = ("a pull request from a fork or a Dependabot run gets a read-only token, which cannot upload to "
                   "code scanning; the findings are in this log and its annotations")


class InputError(Exception):
    """An input of the action that cannot be read: one line, the step fails with exit code 2."""


def words(name: str, text: str, split: bool) -> list[str]:
    """The items of an input: a JSON list of strings, or its lines (each split shell-like when `split`)."""
    text = text.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise InputError(f"{name}: not a JSON list: {exc}") from None
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise InputError(f"{name}: a JSON list must hold strings only")
        return value
    items: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            items.extend(shlex.split(line) if split else [line])
        except ValueError as exc:  # an unclosed quote
            raise InputError(f"{name}: {line!r}: {exc}") from None
    return items


def upload_decision(choice: str, environ: dict[str, str]) -> tuple[bool, str]:
    """(upload the SARIF?, why not, when not). "auto" skips runs whose token cannot write security events."""
    choice = choice.strip().lower()
    if choice in ("false", "no", "0"):
        return False, ""
    if choice in ("true", "yes", "1"):
        return True, ""
    if choice != "auto":
        raise InputError(f"upload-sarif: '{choice}' is not one of auto, true, false")
    if environ.get("GITHUB_ACTOR", "") == "dependabot[bot]":
        return False, READ_ONLY_TOKEN
    if environ.get("GITHUB_EVENT_NAME", "") in ("pull_request", "pull_request_review", "pull_request_review_comment"):
        try:
            event = json.loads(Path(environ.get("GITHUB_EVENT_PATH", "")).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            event = {}
        head = ((event.get("pull_request") or {}).get("head") or {}).get("repo") or {}
        if head.get("full_name") != environ.get("GITHUB_REPOSITORY"):
            return False, READ_ONLY_TOKEN
    return True, ""


def _output(**values: str) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.writelines(f"{key}={value}\n" for key, value in values.items())


def main() -> int:
    try:
        paths = words("paths", os.environ.get("PATHS", ""), split=False) or ["."]
        args = words("args", os.environ.get("ARGS", ""), split=True)
        upload, why_not = upload_decision(os.environ.get("UPLOAD", "auto"), dict(os.environ))
    except InputError as exc:
        print(f"::error title=policykit action::{exc}")
        _output(**{"exit-code": "2", "upload": "false", "sarif": ""})
        return 0  # the Verdict step fails the job with this code, after the outputs are set
    sarif = Path(os.environ.get("SARIF") or "policykit.sarif").resolve()
    with tempfile.TemporaryDirectory(prefix="policykit-", dir=os.environ.get("RUNNER_TEMP") or None) as tmp:
        annotations = Path(tmp) / "annotations.txt"
        command = [sys.executable, "-m", "policykit", "scan", "--output", f"sarif={sarif}",
                   "--output", f"github={annotations}", "--output", "text=-", *args, "--", *paths]
        sys.stdout.flush()
        code = subprocess.run(command, check=False).returncode
        if annotations.is_file():  # the same findings as annotations on the pull request
            sys.stdout.write(annotations.read_text(encoding="utf-8"))
    if why_not:
        print(f"::notice title=policykit::not uploading the SARIF report: {why_not}")
    _output(**{"exit-code": str(code), "upload": "true" if upload and sarif.is_file() else "false",
               "sarif": str(sarif)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
