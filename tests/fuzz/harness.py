"""The fuzz tests' harness: each example runs the real CLI in a forked child with an address-space limit and an
alarm, so a hang or a memory bomb fails the example instead of the suite (tests/fuzz/test_fuzz.py)."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from policykit.policy.model import Policy
from tests.helpers import validate_report

TIME_BOUND_S = 20  # per example, generous for a loaded 2-core machine; a small input scans in milliseconds
MEMORY_BOUND = 768 * 1024 * 1024  # address space an example may add to the test process
LOG = os.environ.get("POLICYKIT_FUZZ_LOG", "")
CAN_FORK = hasattr(os, "fork") and sys.platform.startswith("linux")


def warm_up() -> None:
    """Import the CLI and the readers, build the HCL parser and parse the catalog once, before the forks:
    each example then costs its own scan only."""
    from policykit.policy import loader

    if getattr(loader.load_policies, "warm", False):
        return
    with tempfile.TemporaryDirectory(prefix="pk-fuzz-warm-") as tmp:
        (Path(tmp) / "main.tf").write_text('resource "aws_s3_bucket" "b" {}\n', encoding="utf-8")
        (Path(tmp) / "t.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", encoding="utf-8")
        (Path(tmp) / "p.json").write_text('{"terraform_version": "1.9.0", "planned_values": {}}', encoding="utf-8")
        _run_cli(["scan", "--no-config", "--format", "json", tmp])
    original = loader.load_policies
    catalog = original()

    def cached(extra_dirs: tuple[Path, ...] = (), validate_builtin: bool = False) -> list[Policy]:
        if tuple(extra_dirs) or validate_builtin:
            return original(extra_dirs, validate_builtin)
        return list(catalog)

    cached.warm = True  # type: ignore[attr-defined]
    cached.original = original  # type: ignore[attr-defined]
    loader.load_policies = cached


def _run_cli(args: list[str]) -> tuple[int, str, str]:
    from policykit.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def _virtual_size() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _spied(args: list[str], cwd: Path | None) -> tuple[int, str, str, list[str]]:
    """The CLI's (exit code, stdout, stderr) run from `cwd`, and every connection or datagram it tried: each is
    refused (tests/helpers.py), so no example reaches the network, and the property can say none was tried."""
    from tests.helpers import spied_sockets

    before = Path.cwd()
    with spied_sockets() as spy:
        try:
            if cwd is not None:
                os.chdir(cwd)
            code, out, err = _run_cli(args)
        finally:
            os.chdir(before)
    return code, out, err, [f"{what} to {where}" for what, where in spy.attempts]


def _bounded(args: list[str], cwd: Path | None = None) -> tuple[int, str, str, list[str]]:
    """The CLI's (exit code, stdout, stderr, connections tried) in a child bounded in time and memory; a child
    killed by the bound returns exit code -signal with the reason on stderr."""
    if not CAN_FORK:  # pragma: no cover - elsewhere the property is checked without the bounds
        return _spied(args, cwd)
    warm_up()
    read_end, write_end = os.pipe()
    gc.freeze()  # the child's collector then leaves the inherited heap alone (no copy-on-write of all of it)
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            import resource

            limit = _virtual_size() + MEMORY_BOUND
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            signal.alarm(TIME_BOUND_S)
            payload = json.dumps(_spied(args, cwd)).encode()
        except BaseException as exc:  # a crash of the harness itself, or MemoryError outside main()
            payload = json.dumps([99, "", f"fuzz child: {type(exc).__name__}: {exc}", []]).encode()
        with os.fdopen(write_end, "wb") as stream:
            stream.write(payload)
        os._exit(0)
    gc.unfreeze()
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        data = stream.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        reason = "time bound exceeded" if signum == signal.SIGALRM else f"killed by signal {signum}"
        return -signum, "", f"fuzz child: {reason} ({TIME_BOUND_S} s, {MEMORY_BOUND >> 20} MiB)", []
    code, out, err, tried = json.loads(data)
    return int(code), str(out), str(err), [str(attempt) for attempt in tried]


def check_scan(files: dict[str, str | bytes], target: str = "") -> None:
    """Write `files` into a fresh directory and scan `target` (the directory itself when empty):
    exit 0/1 with a JSON report, or exit 2 with errors that each name one of the files."""
    with tempfile.TemporaryDirectory(prefix="pk-fuzz-") as tmp:
        root = Path(tmp)
        for name, content in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", errors="surrogatepass")
        scanned = root / target if target else root
        code, out, err, tried = _bounded(["scan", "--no-config", "--format", "json", str(scanned)])
        assert tried == [], tried  # a scan without --live opens no connection
        if LOG:  # a long run's tally: one line per example (POLICYKIT_FUZZ_LOG=FILE)
            with open(LOG, "a", encoding="utf-8") as tally:
                tally.write(f"{os.environ.get('PYTEST_CURRENT_TEST', '?').split(' ')[0]} exit {code}\n")
        assert code in (0, 1, 2), f"exit {code}: {err.strip()}"
        assert "Traceback" not in err, err
        document: dict[str, Any] = json.loads(out)
        validate_report(document)
        written = {str(root / name) for name in files}
        if code == 2:
            assert document["errors"], "exit 2 without an input error"
            for error in document["errors"]:
                assert error["file"] in written, error
                assert error["message"].strip() and "\n" not in error["message"], error
        else:
            assert document["errors"] == []
        for finding in document["findings"]:
            assert finding["policy_id"] != "PK007", finding  # an internal error caught per policy


# -- configurations ---------------------------------------------------------------------------------------------

SECRET = "ghp_FUZZSECRET0123"  # in a YAML file outside the checkout, which no configuration may have read
# Origins at addresses only --allow-private reaches (no name: no DNS lookup, so nothing is asked of any resolver).
GUARDED_ORIGINS = (
    "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Cdn:\n    Type: AWS::CloudFront::Distribution\n"
    "    Properties:\n      DistributionConfig:\n        Enabled: true\n        Origins:\n"
    + "".join(f"          - Id: o{index}\n            DomainName: {address}\n            CustomOriginConfig:\n"
              f"              OriginProtocolPolicy: http-only\n              HTTPPort: {port}\n"
              for index, (address, port) in enumerate((("127.0.0.1", 8080), ("169.254.169.254", 80),
                                                       ("10.0.0.1", 80))))
    + "        DefaultCacheBehavior:\n          TargetOriginId: o0\n          ViewerProtocolPolicy: allow-all\n")
OWN_POLICY = ("id: ACME900\ntitle: Own\nseverity: warning\napplies_to: origin\ncondition:\n  fact: domain_name\n"
              "  exists: true\nmessage: \"{label} is here.\"\n")


def check_config(text: str, name: str = ".policykit.yaml") -> None:
    """Check out a repository whose configuration file (`name`) holds `text` beside a template with guarded
    origins, a policy directory of its own and, outside it, a YAML file holding a secret; `scan --live` there.
    Whatever the file says: exit 0/1 with a JSON report naming the configuration, or exit 2 with one line naming
    it; every stderr line is policykit's, none quotes the secret, none starts a workflow command; and no
    connection or datagram is even tried (the file cannot open the address guard; the origins need no DNS)."""
    with tempfile.TemporaryDirectory(prefix="pk-fuzz-config-") as tmp:
        outside, checkout = Path(tmp) / "outside", Path(tmp) / "checkout"
        (checkout / "mine").mkdir(parents=True)
        outside.mkdir()
        (outside / "ACME901-secret.yaml").write_text(f"{SECRET}\n", encoding="utf-8")
        (checkout / "mine" / "ACME900-own.yaml").write_text(OWN_POLICY, encoding="utf-8")
        (checkout / "t.yaml").write_text(GUARDED_ORIGINS, encoding="utf-8")
        config = checkout / name
        config.write_text(text.replace("{OUTSIDE}", str(outside)), encoding="utf-8", errors="surrogatepass")
        code, out, err, tried = _bounded(["scan", "t.yaml", "--live", "--format", "json", "--timeout", "1"],
                                         cwd=checkout)
        assert code in (0, 1, 2), f"exit {code}: {err.strip()}"
        assert tried == [], tried
        assert "Traceback" not in err and "internal error" not in err, err
        assert SECRET not in out + err
        lines = err.splitlines()
        assert all(line.startswith("policykit: ") for line in lines), err
        assert not [line for line in (out + err).splitlines() if line.lstrip().startswith("::")]
        if out:
            document = json.loads(out)
            assert document["summary"]["config"]["file"] == str(config)
            assert code == (2 if document["errors"] else code)
        else:  # refused before the scan: the configuration (or a policy it names), on one line
            assert code == 2
            errors = [line for line in lines if not line.startswith("policykit: warning: ")]
            assert len(errors) == 1 and (str(config) in errors[0] or str(checkout) in errors[0]), err
