"""Settings of a live scan. Imported by the CLI, so it imports nothing heavy."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Protocol

from policykit.core.record import record


@record
class Nameserver:
    """A DNS server the live checks ask instead of the system resolver."""

    host: str
    port: int = 53

    def __str__(self) -> str:
        return self.host if self.port == 53 else f"{self.host}:{self.port}"


# The bounds of a live run, in seconds (README "Live checks" documents them).
DEFAULT_TIMEOUT = 5.0  # one step: a DNS lookup, a connect, a handshake, a request (a deadline, not per read)
DEFAULT_ORIGIN_TIMEOUT = 30.0  # every step and retry of one origin endpoint and all its names
DEFAULT_RUN_TIMEOUT = 300.0  # the whole live run
MAX_SECONDS = 3600.0


class ProbeProgress(Protocol):
    """Told how a live run goes, endpoint by endpoint (`https://host:443`). The command line shows it on a
    terminal (policykit/cli/progress.py); the library tells no one unless the caller gives one."""

    def started(self, endpoints: Sequence[str]) -> None:
        """The endpoints about to be probed."""

    def finished(self, endpoint: str) -> None:
        """One endpoint's probes are done."""

    def done(self) -> None:
        """Every endpoint is done."""


@record
class LiveOptions:
    """How `--live` probes run: time bounds, concurrency, DNS and the addresses allowed."""

    nameservers: tuple[Nameserver, ...] = ()  # empty: the system resolver
    allow_private: bool = False  # probe loopback/private/link-local addresses too
    trust_store: Path | None = None  # PEM roots replacing the Mozilla bundle (certifi)
    timeout: float = DEFAULT_TIMEOUT
    concurrency: int = 16
    expiry_warning_days: int = 30
    progress: ProbeProgress | None = field(default=None, compare=False)  # None: nobody is told
    origin_timeout: float = DEFAULT_ORIGIN_TIMEOUT
    run_timeout: float = DEFAULT_RUN_TIMEOUT


def parse_nameserver(text: str) -> Nameserver:
    """`HOST`, `HOST:PORT` or `[IPv6]:PORT`; ValueError with a readable message otherwise."""
    host, port = text.strip(), "53"
    if host.startswith("["):
        host, _, rest = host[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else "53"
    elif host.count(":") == 1:
        host, port = host.split(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--nameserver {text!r}: expected HOST or HOST:PORT")
    return Nameserver(host, int(port))


def check_seconds(value: float, option: str) -> str:
    """"" for a usable bound; otherwise what is wrong with it (nan, inf, zero, negative, too long)."""
    if not math.isfinite(value) or value <= 0:
        return f"{option} must be a positive number of seconds, not {value:g}"
    if value > MAX_SECONDS:
        return f"{option} {value:g} is over the bound of {MAX_SECONDS:g} s"
    return ""


def build(live: bool, nameservers: list[str] | None, allow_private: bool, trust_store: Path | None,
          timeout: float, concurrency: int, expiry_warning_days: int, progress: ProbeProgress | None = None,
          origin_timeout: float = DEFAULT_ORIGIN_TIMEOUT, run_timeout: float = DEFAULT_RUN_TIMEOUT,
          ) -> LiveOptions | None:
    """LiveOptions from the command line (None without --live); UsageError for a bad value."""
    from policykit.core.errors import UsageError

    if not live:
        return None
    try:
        parsed = tuple(parse_nameserver(n) for n in nameservers or ())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for value, option in ((timeout, "--timeout"), (origin_timeout, "--origin-timeout"),
                          (run_timeout, "--run-timeout")):
        problem = check_seconds(value, option)
        if problem:
            raise UsageError(problem)
    if concurrency < 1 or expiry_warning_days < 0:
        raise UsageError("--concurrency must be positive, --expiry-warning-days not negative")
    if trust_store is not None:
        problem = trust_store_problem(trust_store)
        if problem:
            raise UsageError(f"{trust_store}: {problem}")
    return LiveOptions(parsed, allow_private, trust_store, timeout, concurrency, expiry_warning_days, progress,
                       origin_timeout, run_timeout)


def trust_store_problem(path: Path) -> str:
    """"" when `path` is a readable PEM file of certificates; otherwise why it is not."""
    from policykit.probes.certs import read_roots

    try:
        roots = read_roots(path)
    except OSError as exc:
        return f"cannot read the trust store: {exc.strerror or exc}"
    if not roots:
        return "--trust-store needs a PEM file of CA certificates"
    return ""
