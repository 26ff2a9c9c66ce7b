"""Run the probes over a model, concurrently and bounded, and attach the results as live objects.

Each probe step has its own timeout and runs in a pool thread, so a server that accepts TCP and
then never answers costs one timeout and never holds up the others. Results are cached per
endpoint and per name, so scenario variants of a distribution share one probe.
"""

from __future__ import annotations

import sys
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from policykit.model.cloudfront import Model
from policykit.probes import certs, dns_probe, http_probe, tcp_probe, tls_probe
from policykit.probes.addresses import special_range
from policykit.probes.live_model import LiveName, LiveOrigin
from policykit.probes.options import LiveOptions
from policykit.probes.targets import EndpointPlan, NamePlan, origin_path, plan

_EndpointKey = tuple[str, int, str]
_NameKey = tuple[str, int, str, str, tuple[str, ...] | None, str | None, str]


def probe_model(model: Model, options: LiveOptions) -> None:
    """Probe every endpoint the model declares; set `live_origins` on each distribution."""
    plans = [(dist, plan(dist)) for dist in model.distributions]
    endpoints: dict[_EndpointKey, EndpointPlan] = {}
    names_of: dict[_EndpointKey, dict[_NameKey, tuple[EndpointPlan, NamePlan]]] = {}
    for _, items in plans:
        for item in items:
            if not item.not_probed:
                key = (item.host, item.port, item.scheme)
                endpoints.setdefault(key, item)
                for name in item.names:
                    names_of.setdefault(key, {}).setdefault(_name_key(item, name), (item, name))
    reached: dict[_EndpointKey, LiveOrigin] = {}
    named: dict[_NameKey, LiveName] = {}
    progress = _Progress(options.progress, len(endpoints))
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        # A name's probes start as soon as its endpoint answered TCP: a slow endpoint delays only its own names.
        pending: dict[Future[Any], Any] = {
            pool.submit(_probe_endpoint, item, options): key for key, item in endpoints.items()}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                key, result = pending.pop(future), future.result()
                progress.step()
                if isinstance(result, LiveName):
                    named[key] = result
                    continue
                reached[key] = result
                if result.tcp is not None and result.tcp.status == "open":
                    for name_key, (item, name) in names_of.get(key, {}).items():
                        pending[pool.submit(_probe_name, item, name, result, options)] = name_key
                        progress.total += 1
    progress.done()
    for dist, items in plans:
        dist.live_origins = [_attach(item, reached, named) for item in items]


def _name_key(item: EndpointPlan, name: NamePlan) -> _NameKey:
    return (item.host, item.port, item.scheme, name.name, item.ssl_protocols, name.websocket_path,
            origin_path(item.origin))


def _probe_endpoint(item: EndpointPlan, options: LiveOptions) -> LiveOrigin:
    live = LiveOrigin(origin=item.origin, host=item.host, port=item.port, scheme=item.scheme,
                      nameservers=tuple(str(n) for n in options.nameservers), allow_private=options.allow_private)
    live.dns = dns_probe.resolve(item.host, options.nameservers, options.timeout)
    if not live.dns.addresses:
        live.not_probed = f"{item.host} does not resolve ({live.dns.status})"
        return live
    # Prefer IPv4: CloudFront connects over IPv4 unless the origin is set to IPv6 or dual-stack.
    address = next((a for a in live.dns.addresses if ":" not in a), live.dns.addresses[0])
    blocked = special_range(address)
    if blocked and not options.allow_private:
        live.not_probed = (f"{item.host} resolves to {address}, a {blocked} address: not probed "
                           "(pass --allow-private to probe it)")
        return live
    live.tcp = tcp_probe.connect(address, item.port, options.timeout)
    if live.tcp.status != "open":
        live.not_probed = f"TCP {address}:{item.port}: {live.tcp.status}"
    return live


def _probe_name(item: EndpointPlan, name: NamePlan, endpoint: LiveOrigin, options: LiveOptions) -> LiveName:
    live = LiveName(name=name.name)
    address = endpoint.address
    context = None
    if item.scheme == "https":
        live.tls = tls_probe.probe(address, item.port, name.name, item.ssl_protocols, options.timeout)
        if not live.tls.established:
            live.not_probed = f"no TLS session with {name.name}: {live.tls.status}"
            return live
        live.chain = certs.check_chain(live.tls.chain, name.name, options.trust_store, options.expiry_warning_days)
        context = tls_probe.cloudfront_context(tls_probe.offered_protocols(item.ssl_protocols), None)
        context.set_ciphers(live.tls.cipher + ":@SECLEVEL=0")  # what the CloudFront-like offer agreed on
    prefix = origin_path(item.origin)
    live.head = http_probe.request(address, item.port, name.name, prefix + "/", options.timeout, context, name.name)
    if live.head.status is None and live.head.detail.startswith("no response within"):
        # a server that never answers costs one timeout, not one per request
        live.not_probed = f"HEAD {live.head.path}: {live.head.detail}"
    elif name.websocket_path is not None:
        live.websocket = http_probe.request(address, item.port, name.name, prefix + name.websocket_path,
                                            options.timeout, context, name.name, websocket=True)
    return live


def _attach(item: EndpointPlan, reached: dict[_EndpointKey, LiveOrigin],
            named: dict[_NameKey, LiveName]) -> LiveOrigin:
    """Fresh objects per distribution (they carry its locations), sharing the probe results."""
    origin = item.origin
    found = reached.get((item.host, item.port, item.scheme))
    live = LiveOrigin(origin=origin, host=item.host, port=item.port, scheme=item.scheme,
                      loc=origin.location_of("domain_name"), locs={"domain_name": origin.location_of("domain_name")},
                      resource=origin.resource)
    if found is None:
        live.not_probed = item.not_probed
        return live
    live.dns, live.tcp, live.not_probed, live.nameservers = found.dns, found.tcp, found.not_probed, found.nameservers
    live.allow_private = found.allow_private
    for name in item.names:
        result = named.get(_name_key(item, name))
        entry = LiveName(name=name.name, endpoint=live, loc=name.loc, resource=origin.resource)
        if result is None:
            entry.not_probed = live.not_probed or "not probed"
        else:
            entry.tls, entry.chain, entry.head, entry.websocket, entry.not_probed = (
                result.tls, result.chain, result.head, result.websocket, result.not_probed)
        live.names.append(entry)
    return live


class _Progress:
    """`policykit: live probes 3/50` on stderr, rewritten in place; only when stderr is a terminal."""

    def __init__(self, enabled: bool, total: int) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.total, self.count = total, 0
        self.lock = threading.Lock()

    def step(self) -> None:
        if not self.enabled:
            return
        with self.lock:
            self.count += 1
            sys.stderr.write(f"\rpolicykit: live probes {self.count}/{self.total}\x1b[K")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
