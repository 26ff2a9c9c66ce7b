"""Which interpreter runs a handler: the one of the function's `Runtime` when this machine has it.

`python3.12` in a template means Python 3.12: the `python3.12` on PATH is asked which version it is (a pyenv shim
answers only when a 3.12 is selected, and a wrapper may be anything), once per run, and used only when it says
3.12; its real executable is what the child starts. Without it the handler runs on policykit's own Python, and
code that does not compile there is "could not run here" naming both versions (never a failure of the function).
Node.js handlers run on the `node` on PATH; a major version other than the function's is noted.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys

from policykit.core.record import record

ASK_TIMEOUT = 10.0  # seconds for an interpreter to say its version
_PYTHON = re.compile(r"^python(\d+)\.(\d+)$")
_NODE = re.compile(r"^nodejs(\d+)\.x$")
_ASK = "import sys; print(sys.executable); print('%d.%d' % sys.version_info[:2])"


@record
class Python:
    """The interpreter for a Python handler, and how it relates to the function's runtime."""

    executable: str
    version: str  # what runs the handler, e.g. "3.11"
    wanted: str = ""  # the function's runtime version ("3.12"), "" when not known

    @property
    def matches(self) -> bool:
        return not self.wanted or self.wanted == self.version


def local_python() -> str:
    return f"{sys.version_info[0]}.{sys.version_info[1]}"


def python_for(runtime: str | None) -> Python:
    """The interpreter for a function whose Runtime is `runtime` (`python3.12`; None or another text: this one)."""
    match = _PYTHON.match((runtime or "").strip().lower())
    if match is None:
        return Python(sys.executable, local_python())
    wanted = f"{match.group(1)}.{match.group(2)}"
    if wanted == local_python():
        return Python(sys.executable, wanted, wanted)
    found = _ask(f"python{wanted}", os.environ.get("PATH", ""), os.environ.get("PYENV_VERSION", ""))
    if found is not None and found[1] == wanted:
        return Python(found[0], wanted, wanted)
    return Python(sys.executable, local_python(), wanted)


@functools.cache
def _ask(command: str, path_variable: str, pyenv_version: str) -> tuple[str, str] | None:
    """(real executable, "X.Y") of the interpreter `command` names on PATH; None when there is none that answers.
    Asked once per PATH (and pyenv selection), from `/`, so no `.python-version` of the scanned tree chooses what a
    shim runs."""
    path = shutil.which(command, path=path_variable or None)
    if path is None:
        return None
    try:
        done = subprocess.run([path, "-I", "-c", _ASK], capture_output=True, text=True, timeout=ASK_TIMEOUT, cwd="/")
    except (OSError, subprocess.SubprocessError):
        return None
    lines = done.stdout.split("\n")
    if done.returncode != 0 or len(lines) < 2 or not lines[0].startswith("/"):
        return None
    return lines[0], lines[1].strip()


def python_mismatch(python: Python) -> str:
    """Why a compile error may be this machine's, not the function's ("" when the versions match)."""
    if python.matches:
        return ""
    return (f"the function's runtime is python{python.wanted}, which is not on PATH here (no python{python.wanted} "
            f"that answers as {python.wanted}), and the code does not compile on this machine's Python "
            f"{python.version}")


def node_major() -> int | None:
    """The major version of the `node` on PATH (None when there is none)."""
    found = _node_version()
    return int(found.split(".")[0]) if found else None


@functools.cache
def _node_version() -> str:
    node = shutil.which("node")
    if node is None:
        return ""
    try:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=ASK_TIMEOUT, cwd="/")
    except (OSError, subprocess.SubprocessError):
        return ""
    text = done.stdout.strip().lstrip("v")
    return text if re.match(r"^\d+\.", text) else ""


def node_mismatch(runtime: str | None) -> str:
    """A note when the function's Node.js major version is not the local one ("" when they match or are not known)."""
    match = _NODE.match((runtime or "").strip().lower())
    local = node_major()
    if match is None or local is None or int(match.group(1)) == local:
        return ""
    return f"the function's runtime is nodejs{match.group(1)}.x; it ran here on Node.js {local}"
