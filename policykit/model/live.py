"""The objects a live scan adds beside the model: one per origin endpoint, one per origin x name CloudFront sends.

They point at the model's origins and hold what the probes saw (policykit/core/results.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from policykit.model.base import DeclaredObject

if TYPE_CHECKING:  # annotations only: a scan without --live never builds these objects
    from policykit.core.results import ChainResult, DnsResult, HttpResult, TcpResult, TlsResult
    from policykit.model.cloudfront import Origin


@dataclass(eq=False, repr=False)
class LiveName(DeclaredObject):
    """One name CloudFront sends to an origin endpoint: SNI and Host for HTTPS, Host for HTTP."""

    kind = "live_name"
    name: str = ""
    endpoint: LiveOrigin | None = field(default=None, repr=False)
    tls: TlsResult | None = None
    chain: ChainResult | None = None
    head: HttpResult | None = None
    websocket: HttpResult | None = None  # None: no behavior serves WebSocket for this name
    not_probed: str = ""  # why nothing was sent, when nothing was
    requests_not_sent: str = ""  # why no HTTP request was sent after the handshake (an invalid OriginPath)

    @property
    def label(self) -> str:
        where = f"{self.endpoint.host}:{self.endpoint.port}" if self.endpoint else "?"
        return f"'{self.name}' at {where}"

    @property
    def origin(self) -> Origin | None:
        return self.endpoint.origin if self.endpoint else None


@dataclass(eq=False, repr=False)
class LiveOrigin(DeclaredObject):
    """An origin endpoint as CloudFront connects to it: domain, port, protocol."""

    kind = "live_origin"
    origin: Origin | None = field(default=None, repr=False)
    host: str = ""
    port: int = 0
    scheme: str = ""  # https | http
    dns: DnsResult | None = None
    tcp: TcpResult | None = None
    names: list[LiveName] = field(default_factory=list)
    not_probed: str = ""
    nameservers: tuple[str, ...] = ()  # for the dig command
    allow_private: bool = False  # --allow-private: private answers are intended (tests, internal origins)
    trust_store: str = ""  # --trust-store, for the openssl command

    @property
    def label(self) -> str:
        origin_id = getattr(self.origin, "id", "?")
        return f"origin '{origin_id}' ({self.scheme}://{self.host}:{self.port})"

    @property
    def address(self) -> str:
        return self.tcp.address if self.tcp else (self.dns.addresses[0] if self.dns and self.dns.addresses else "")
