"""Containment of a hostile handler (policykit/edge/sandbox.py): in its own PID and network namespaces where this
machine allows them, it can neither read policykit's environment through /proc nor connect to a listener of this
machine; where it does not (or with POLICYKIT_EDGE_ISOLATION=off), the report says so in one line. Each test runs
both ways (the `isolation` fixture) and asserts what holds in each."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykit.edge import sandbox
from tests.helpers import ROOT, RunCli, Write

SECRET = "policykit-test-secret-7f3a"  # in policykit's own environment: what a handler must not read
NOTICE = "edge handlers ran without PID/network isolation"

READS_PROC = """\
const fs = require("fs");
const SECRET = "SECRET_TEXT";
exports.handler = async (event) => {
  const pids = [String(process.ppid), ...fs.readdirSync("/proc").filter((p) => /^[0-9]+$/.test(p))];
  const seen = pids.filter((pid) => {
    try { return fs.readFileSync("/proc/" + pid + "/environ", "latin1").includes(SECRET); } catch (e) { return false; }
  });
  if (seen.length) throw new Error("read policykit's environment in /proc/" + seen.join(","));
  return event.Records[0].cf.request;
};
""".replace("SECRET_TEXT", SECRET)

RAW_SOCKET = """\
import _socket, os


def handler(event, context):
    port = int(open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "port")).read())
    connection = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)
    connection.settimeout(2)
    connection.connect(("127.0.0.1", port))
    return event["Records"][0]["cf"]["request"]
"""

# libc's socket() and connect() through ctypes: no Python socket object, no audit event of a connection; only the
# network namespace stands in the way
LIBC_CONNECT = """\
import ctypes, os, struct


def handler(event, context):
    port = int(open(os.path.join(os.environ["LAMBDA_TASK_ROOT"], "port")).read())
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.socket(2, 1, 0)
    address = struct.pack("=H", 2) + struct.pack("!H", port) + bytes([127, 0, 0, 1]) + bytes(8)
    if libc.connect(fd, address, len(address)) == 0:
        raise RuntimeError("connected to this machine's listener on port %d" % port)
    return event["Records"][0]["cf"]["request"]
"""


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP listener on 127.0.0.1 that a handler must not reach."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _connections(server: socket.socket) -> int:
    count = 0
    while True:
        try:
            accepted, _ = server.accept()
        except BlockingIOError:
            return count
        accepted.close()
        count += 1


def _policykit(*args: str, mode: str) -> subprocess.CompletedProcess[str]:
    """policykit as a process of its own, whose environment (what /proc/<pid>/environ shows) holds SECRET."""
    env = {**os.environ, "POLICYKIT_TEST_SECRET": SECRET, sandbox.SWITCH: mode}
    return subprocess.run([sys.executable, "-m", "policykit", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_a_handler_cannot_read_policykits_environment_through_proc(write: Write, node: str, isolation: bool) -> None:
    handler = write("proc/index.js", READS_PROC)
    done = _policykit("edge", "run", f"{handler}:handler", "--event", "viewer-request", "--format", "json",
                      mode=os.environ[sandbox.SWITCH])
    ids = [f["policy_id"] for f in json.loads(done.stdout)["findings"]]
    if isolation:
        assert (done.returncode, ids) == (0, []), done.stdout + done.stderr
        assert NOTICE not in done.stderr
    else:
        assert done.stderr.count(NOTICE) == 1, done.stderr


def test_a_raw_socket_reaches_no_listener(write: Write, run_cli: RunCli, listener: socket.socket,
                                          isolation: bool) -> None:
    handler = write("sock/app.py", RAW_SOCKET)
    write("sock/port", str(listener.getsockname()[1]))
    _, out, err = run_cli("edge", "run", f"{handler}:handler", "--event", "viewer-request", "--format", "json")
    findings = json.loads(out)["findings"]
    assert _connections(listener) == 0
    assert [(f["policy_id"], f["evidence"]["reason"]) for f in findings] == [("PK716", "network")]
    assert (NOTICE in err) is not isolation


def test_in_namespaces_even_libc_reaches_no_listener(write: Write, run_cli: RunCli, listener: socket.socket,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The runtime's own checks are bypassed here (ctypes calls libc); what stops it is the network namespace."""
    monkeypatch.setenv(sandbox.SWITCH, "auto")
    if sandbox.isolation().mode != "namespaces":
        pytest.skip(f"this machine does not allow the namespaces ({sandbox.isolation().why_not})")
    handler = write("libc/app.py", LIBC_CONNECT)
    write("libc/port", str(listener.getsockname()[1]))
    code, out, err = run_cli("edge", "run", f"{handler}:handler", "--event", "viewer-request", "--format", "json")
    assert (code, json.loads(out)["findings"]) == (0, []), out + err
    assert _connections(listener) == 0


def test_isolation_required_where_it_is_not_available_runs_nothing(write: Write, run_cli: RunCli,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sandbox.SWITCH, "required")
    monkeypatch.setattr(sandbox, "_probe", lambda: (False, "unshare failed: Operation not permitted"))
    marker = write("req/ran.txt", "")
    marker.unlink()
    handler = write("req/app.py", f"def handler(event, context):\n    open({str(marker)!r}, 'w').write('ran')\n"
                                  "    return event['Records'][0]['cf']['request']\n")
    code, out, _ = run_cli("edge", "run", f"{handler}:handler", "--event", "viewer-request", "--format", "json")
    [finding] = json.loads(out)["findings"]
    assert (code, finding["policy_id"], finding["evidence"]["reason"]) == (0, "PK716", "isolation")
    assert "Operation not permitted" in finding["message"] and not marker.exists()


def test_the_probe_runs_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox._probe.cache_clear()
    calls = []
    real = subprocess.run

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counted)
    monkeypatch.setenv(sandbox.SWITCH, "auto")
    first = sandbox.isolation()
    assert sandbox.isolation() == first and sandbox.isolation() == first
    assert len(calls) <= 1  # none when unshare is not installed
    monkeypatch.setenv(sandbox.SWITCH, "off")
    assert sandbox.isolation().notice == f"{NOTICE} (switched off by {sandbox.SWITCH}=off)"


def test_the_namespaces_end_with_the_handler(write: Write, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the handler started is gone after its timeout, in namespaces too (the process group kill is tested
    without them in tests/edge/test_invoke.py): it appends to a file while alive."""
    import time

    from policykit.edge.events import RequestShape, lambda_event
    from policykit.edge.handlers import parse_handler
    from policykit.edge.invoke import invoke

    monkeypatch.setenv(sandbox.SWITCH, "auto")
    ticks = write("spawn/ticks.txt", "")
    ticker = write("spawn/ticker.py", f"import time\nwhile True:\n    open({str(ticks)!r}, 'a').write('x')\n"
                   "    time.sleep(0.05)\n")
    handler = write("spawn/app.py", "import subprocess, sys, time\n\ndef handler(event, context):\n"
                    f"    subprocess.Popen([sys.executable, {str(ticker)!r}])\n    time.sleep(60)\n")
    outcome = invoke(parse_handler(f"{handler}:handler"), lambda_event("viewer-request", RequestShape()), 1.0)
    assert outcome.outcome == "timeout"
    time.sleep(0.3)
    size = ticks.stat().st_size
    assert size > 0, "the handler's child never ran"
    time.sleep(0.5)
    assert ticks.stat().st_size == size, "a process the handler started outlived it"


def test_a_handler_gets_a_private_home_and_tmp(write: Write, isolation: bool) -> None:
    from policykit.edge.events import RequestShape, lambda_event
    from policykit.edge.handlers import parse_handler
    from policykit.edge.invoke import invoke

    handler = write("home/app.py", "import os, tempfile\n\ndef handler(event, context):\n"
                    "    return {'status': '200', 'body': os.environ['HOME'] + '|' + tempfile.gettempdir() + '|' + "
                    "oct(os.stat(os.environ['HOME']).st_mode & 0o777)}\n")
    outcome = invoke(parse_handler(f"{handler}:handler"), lambda_event("viewer-request", RequestShape()), 5)
    home, tmp, mode = outcome.value["body"].split("|")  # type: ignore[index]
    assert home == tmp and mode == "0o700" and not Path(home).exists()  # removed after the run
