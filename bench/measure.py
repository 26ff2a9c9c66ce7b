"""Run a command and measure it: wall time, peak RSS (of the largest process it waited for), exit code,
and whether it finished within a time bound. Shared by bench/linear.py and bench/peers.py."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system CPU of the command (steadier than wall time on a loaded machine)
    peak_rss_mb: float
    code: int  # exit code; -N when killed by signal N
    timed_out: bool
    stderr_tail: str  # last lines of stderr, for reports of crashes
    stdout: str = ""  # what it printed, when asked to keep it

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def run(command: Sequence[str], timeout: float, cwd: str | None = None, keep_stdout: bool = False) -> Run:
    """Run `command` once (stdout discarded unless kept, stderr kept to a file), killing its process group at
    `timeout`. Output goes to files, not pipes, so the measuring process does no work while the command runs."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(list(command), stdout=out if keep_stdout else subprocess.DEVNULL, stderr=err,
                                cwd=cwd, start_new_session=True)
        timed_out = False
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
        err.seek(0)
        tail = "\n".join(err.read().decode("utf-8", "replace").strip().splitlines()[-3:])
        out.seek(0)
        printed = out.read().decode("utf-8", "replace") if keep_stdout else ""
    # ru_maxrss is in KiB on Linux: the command's own peak (a peer's worker processes are not added). It counts the
    # pages the command shared with this process between fork and exec too: keep this process small.
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, timed_out, tail,
               printed)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")
