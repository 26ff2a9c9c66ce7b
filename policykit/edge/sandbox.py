"""What a handler's child process is started in: its own user, PID, mount and network namespaces where this machine
lets an unprivileged process make them (`unshare -Urnpm --fork --mount-proc`), probed once per run.

In them the handler sees only its own processes in /proc (not policykit's environment in /proc/<ppid>/environ) and
has no network but a loopback that is down: nothing to connect to, not even a listener of this machine. Where they
cannot be made (GitHub's ubuntu-24.04 runners restrict unprivileged user namespaces with AppArmor; Docker's default
seccomp profile refuses `unshare`), the handler runs without them and the report says so in one line; the child's
own bounds (a minimal environment, its process group, the timeout, memory and output caps, network calls refused
inside the runtime) still hold, but they stop a broken handler, not a hostile one.

`POLICYKIT_EDGE_ISOLATION` (the caller's environment, never the scanned repository) chooses: `auto` (the default:
namespaces when they work), `required` (no handler runs without them: each is "could not run here", reason
isolation) or `off` (never: the path the tests take to check what happens where namespaces are refused).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from typing import Literal

from policykit.core.record import record

SWITCH = "POLICYKIT_EDGE_ISOLATION"
Mode = Literal["namespaces", "none"]
Wanted = Literal["auto", "required", "off"]
# user (mapped to root inside: needed to mount), PID, mount (for a /proc of its own) and network namespaces
UNSHARE = ("-Urnpm", "--fork", "--mount-proc", "--kill-child")
PROBE_TIMEOUT = 10.0  # seconds: a probe that hangs is a refusal


@record
class Isolation:
    """How handlers run on this machine: in namespaces, or without them (and why)."""

    mode: Mode
    wanted: Wanted = "auto"
    why_not: str = ""  # what refused the namespaces, when mode is "none"

    @property
    def refused(self) -> bool:
        """Isolation was required and is not available: no handler runs."""
        return self.wanted == "required" and self.mode == "none"

    @property
    def notice(self) -> str:
        """The one line a report carries when handlers ran (or would have run) without isolation ("" when not)."""
        if self.mode == "namespaces":
            return ""
        if self.refused:
            return (f"edge handlers were not run: {SWITCH}=required and this machine does not allow PID/network "
                    f"isolation ({self.why_not})")
        return f"edge handlers ran without PID/network isolation ({self.why_not})"


def wanted() -> Wanted:
    value = os.environ.get(SWITCH, "auto").strip().lower()
    return value if value in ("required", "off") else "auto"  # type: ignore[return-value]


def isolation() -> Isolation:
    """This run's isolation: the switch read each time, the namespaces probed once."""
    choice = wanted()
    if choice == "off":
        return Isolation("none", choice, f"switched off by {SWITCH}=off")
    works, why_not = _probe()
    return Isolation("namespaces" if works else "none", choice, why_not)


@functools.cache
def _probe() -> tuple[bool, str]:
    """Can this process start a child in new user, PID, mount and network namespaces? (once per run)"""
    unshare = shutil.which("unshare")
    if unshare is None:
        return False, "unshare (util-linux) is not installed"
    try:
        done = subprocess.run([unshare, *UNSHARE, "true"], capture_output=True, timeout=PROBE_TIMEOUT,
                              env={"PATH": "/usr/bin:/bin"}, cwd="/")
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"unshare could not be started: {exc}"
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return False, "unshare failed: " + (said[-1] if said else f"exit status {done.returncode}")
    return True, ""


def wrap(command: list[str], how: Isolation) -> list[str]:
    """The command as started: inside the namespaces when they are in use."""
    if how.mode != "namespaces":
        return command
    unshare = shutil.which("unshare") or "unshare"
    return [unshare, *UNSHARE, *command]
