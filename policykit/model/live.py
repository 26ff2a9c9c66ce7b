"""The objects a live scan adds beside the model: one per origin endpoint, one per origin x name CloudFront sends.

They point at the model's origins and hold what the probes saw (policykit/core/results.py): frozen values, built
once from what the probe steps returned (policykit/probes/runner.py), the names first and their endpoint from
them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from policykit.model.base import ResultObject, adopt

if TYPE_CHECKING:  # annotations only: a scan without --live never builds these objects
    from policykit.core.results import ChainResult, DnsResult, HttpResult, TcpResult, TlsResult
    from policykit.model.cloudfront import Origin

# How CloudFront connects to an endpoint; "" when that is only known at deployment (the endpoint is not probed)
Scheme = Literal["https", "http", ""]


@dataclass(frozen=True, eq=False, repr=False)
class LiveName(ResultObject):
    """One name CloudFront sends to an origin endpoint: SNI and Host for HTTPS, Host for HTTP."""

    kind = "live_name"
    name: str = ""
    endpoint: LiveOrigin | None = field(default=None, repr=False)  # set by the endpoint built from this name
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


@dataclass(frozen=True, eq=False, repr=False)
class LiveOrigin(ResultObject):
    """An origin endpoint as CloudFront connects to it: domain, port, protocol."""

    kind = "live_origin"
    origin: Origin | None = field(default=None, repr=False)
    host: str = ""
    port: int = 0
    scheme: Scheme = ""
    dns: DnsResult | None = None
    tcp: TcpResult | None = None
    names: tuple[LiveName, ...] = ()
    not_probed: str = ""
    nameservers: tuple[str, ...] = ()  # for the dig command
    allow_private: bool = False  # --allow-private: private answers are intended (tests, internal origins)
    trust_store: str = ""  # --trust-store, for the openssl command

    def __post_init__(self) -> None:
        adopt(self, self.names, "endpoint")

    @property
    def label(self) -> str:
        origin_id = getattr(self.origin, "id", "?")
        return f"origin '{origin_id}' ({self.scheme}://{self.host}:{self.port})"

    @property
    def address(self) -> str:
        return self.tcp.address if self.tcp else (self.dns.addresses[0] if self.dns and self.dns.addresses else "")
