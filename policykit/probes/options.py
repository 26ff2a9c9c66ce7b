"""Settings of a live scan. Imported by the CLI, so it imports nothing heavy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Nameserver:
    host: str
    port: int = 53

    def __str__(self) -> str:
        return self.host if self.port == 53 else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class LiveOptions:
    nameservers: tuple[Nameserver, ...] = ()  # empty: the system resolver
    allow_private: bool = False  # probe loopback/private/link-local addresses too
    trust_store: Path | None = None  # PEM roots replacing the Mozilla bundle (certifi)
    timeout: float = 5.0  # seconds, per step (DNS, connect, handshake, request)
    concurrency: int = 16
    expiry_warning_days: int = 30
    progress: bool = False  # a progress line on stderr


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


def build(live: bool, nameservers: list[str] | None, allow_private: bool, trust_store: Path | None,
          timeout: float, concurrency: int, expiry_warning_days: int, progress: bool) -> LiveOptions | None:
    """LiveOptions from the command line (None without --live); UsageError for a bad value."""
    from policykit.errors import UsageError

    if not live:
        return None
    try:
        parsed = tuple(parse_nameserver(n) for n in nameservers or ())
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if timeout <= 0 or concurrency < 1 or expiry_warning_days < 0:
        raise UsageError("--timeout and --concurrency must be positive, --expiry-warning-days not negative")
    if trust_store is not None:
        _check_trust_store(trust_store)
    return LiveOptions(parsed, allow_private, trust_store, timeout, concurrency, expiry_warning_days, progress)


def _check_trust_store(path: Path) -> None:
    from cryptography import x509

    from policykit.errors import UsageError

    try:
        roots = x509.load_pem_x509_certificates(path.read_bytes())
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None
    except ValueError:
        roots = []
    if not roots:
        raise UsageError(f"{path}: --trust-store needs a PEM file of CA certificates")
