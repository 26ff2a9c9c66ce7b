"""Run the probes over a model, concurrently and bounded; their results become live objects beside the model.

One pool task per origin endpoint (DNS, TCP, then every name it is sent: TLS with its retries,
the chain, HEAD, the upgrade), under three bounds: each step has --timeout as a deadline, the
endpoint has --origin-timeout for everything, the run has --run-timeout. A server that accepts
TCP and never answers costs one step and holds up nothing else. Results are shared per endpoint
and name, so scenario variants of a distribution share one probe. An unexpected exception in one
endpoint's probes is a PK007 finding for that origin; the others still run.
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from policykit.core.builtins import INTERNAL_ERROR
from policykit.core.results import HttpOutcome, TcpStatus, TlsStatus
from policykit.findings import Finding, Observed, builtin_finding
from policykit.model.cloudfront import Distribution, Model
from policykit.model.live import LiveName, LiveOrigin
from policykit.probes import certs, dns_probe, http_probe, tcp_probe, tls_probe
from policykit.probes.addresses import special_range
from policykit.probes.deadlines import BoundReached, Deadlines
from policykit.probes.observed import observations
from policykit.probes.options import LiveOptions
from policykit.probes.targets import EndpointPlan, NamePlan, origin_path, origin_path_problem, plan

_EndpointKey = tuple[str, int, str]
_NameKey = tuple[str, int, str, str, tuple[str, ...] | None, str | None, str]


@dataclass
class ProbeReport:
    """What a live run found: the live objects of each distribution (the engine's subjects), internal errors,
    and what was seen."""

    live_origins: dict[Distribution, tuple[LiveOrigin, ...]] = field(default_factory=dict)
    internal_errors: list[Finding] = field(default_factory=list)
    observed: list[Observed] = field(default_factory=list)


@dataclass
class _Probed:
    endpoint: LiveOrigin
    names: dict[_NameKey, LiveName] = field(default_factory=dict)
    failure: str = ""  # an unexpected exception, in one line


def probe_model(model: Model, options: LiveOptions, run_at: float | None = None) -> ProbeReport:
    """Probe every endpoint the model declares; the live objects of each distribution are in the report."""
    return probe_plans([(dist, plan(dist)) for dist in model.distributions], options, run_at)


def probe_plans(plans: list[tuple[Distribution, list[EndpointPlan]]], options: LiveOptions,
                run_at: float | None = None) -> ProbeReport:
    """Probe the planned endpoints (a template's, or `policykit probe`'s one target)."""
    run_at = time.monotonic() + options.run_timeout if run_at is None else run_at
    certs.load_roots(options.trust_store)  # once, here: never inside a pool thread's warning filter
    endpoints: dict[_EndpointKey, EndpointPlan] = {}
    names_of: dict[_EndpointKey, dict[_NameKey, tuple[EndpointPlan, NamePlan]]] = {}
    for _, items in plans:
        for item in items:
            if not item.not_probed:
                key = (item.host, item.port, item.scheme)
                endpoints.setdefault(key, item)
                for name in item.names:
                    if not name.invalid:
                        names_of.setdefault(key, {}).setdefault(_name_key(item, name), (item, name))
    probed: dict[_EndpointKey, _Probed] = {}
    progress = options.progress
    if progress is not None:
        progress.started([_shown(key) for key in endpoints])
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        pending: dict[Future[_Probed], _EndpointKey] = {
            pool.submit(_guarded, item, list(names_of.get(key, {}).items()), options, run_at): key
            for key, item in endpoints.items()}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                key = pending.pop(future)
                probed[key] = future.result()
                if progress is not None:
                    progress.finished(_shown(key))
    if progress is not None:
        progress.done()
    report = ProbeReport()
    for dist, items in plans:
        live = tuple(_attach(item, probed) for item in items)
        report.live_origins[dist] = live
        for item in items:
            found = probed.get((item.host, item.port, item.scheme))
            if found is not None and found.failure:
                report.internal_errors.append(_internal_error(item, found.failure, dist.resource))
        report.observed.extend(observations(dist, live))
    return report


def _shown(key: _EndpointKey) -> str:
    host, port, scheme = key
    return f"{scheme}://{host}:{port}"


def _internal_error(item: EndpointPlan, failure: str, distribution: str) -> Finding:
    origin = item.origin
    return builtin_finding(INTERNAL_ERROR,
                   message=(f"internal error while probing {origin.label} ({item.scheme}://{item.host}:{item.port}): "
                            f"{failure} (the other origins were probed; please report this)"),
                   location=origin.location_of("domain_name"), resource=origin.resource or distribution,
                   distribution=distribution, subject=origin.label)


def _name_key(item: EndpointPlan, name: NamePlan) -> _NameKey:
    return (item.host, item.port, item.scheme, name.name, item.ssl_protocols, name.websocket_path,
            origin_path(item.origin))


def _guarded(item: EndpointPlan, names: list[tuple[_NameKey, tuple[EndpointPlan, NamePlan]]],
             options: LiveOptions, run_at: float) -> _Probed:
    """The endpoint's probes; whatever goes wrong inside is this endpoint's result, never the run's."""
    deadlines = Deadlines.start(options.timeout, options.origin_timeout, run_at, options.run_timeout)
    result = _Probed(LiveOrigin(origin=item.origin, host=item.host, port=item.port, scheme=item.scheme,
                                nameservers=tuple(str(n) for n in options.nameservers),
                                allow_private=options.allow_private,
                                trust_store=str(options.trust_store) if options.trust_store else ""))
    try:
        _probe_endpoint(item, result.endpoint, options, deadlines)
        if result.endpoint.tcp is not None and result.endpoint.tcp.status is TcpStatus.OPEN:
            for key, (name_item, name) in names:
                result.names[key] = _probe_name(name_item, name, result.endpoint, options, deadlines)
    except BoundReached as exc:
        result.endpoint.not_probed = result.endpoint.not_probed or f"not probed: {exc} was reached"
    except Exception as exc:  # a bug: one line for the user, this endpoint only
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {frame.name}:{frame.lineno}" if frame else ""
        result.failure = f"{type(exc).__name__}: {exc}{where}"
        result.endpoint.not_probed = f"not probed: internal error ({type(exc).__name__})"
    return result


def _probe_endpoint(item: EndpointPlan, live: LiveOrigin, options: LiveOptions, deadlines: Deadlines) -> None:
    live.dns = dns_probe.resolve(item.host, options.nameservers, deadlines.step())
    if not live.dns.addresses:
        live.not_probed = f"{item.host} does not resolve ({live.dns.status})"
        return
    # Prefer IPv4: CloudFront connects over IPv4 unless the origin is set to IPv6 or dual-stack.
    address = next((a for a in live.dns.addresses if ":" not in a), live.dns.addresses[0])
    blocked = special_range(address)
    if blocked and not options.allow_private:
        live.not_probed = (f"{item.host} resolves to {address}, a {blocked} address: not probed "
                           "(pass --allow-private to probe it)")
        return
    live.tcp = tcp_probe.connect(address, item.port, deadlines.step(), options.allow_private)
    if live.tcp.status is not TcpStatus.OPEN:
        live.not_probed = f"TCP {address}:{item.port}: {live.tcp.status}"


def _probe_name(item: EndpointPlan, name: NamePlan, endpoint: LiveOrigin, options: LiveOptions,
                deadlines: Deadlines) -> LiveName:
    live = LiveName(name=name.name)
    try:
        _probe_name_steps(item, name, endpoint, options, deadlines, live)
    except BoundReached as exc:
        live.not_probed = live.not_probed or f"not probed further: {exc} was reached"
    return live


def _probe_name_steps(item: EndpointPlan, name: NamePlan, endpoint: LiveOrigin, options: LiveOptions,
                      deadlines: Deadlines, live: LiveName) -> None:
    address, private = endpoint.address, options.allow_private
    context = None
    if item.scheme == "https":
        live.tls = tls_probe.probe(address, item.port, name.name, item.ssl_protocols, deadlines, private)
        if live.tls.status is not TlsStatus.OK:
            live.not_probed = f"no TLS session with {name.name}: {live.tls.status}"
            return
        live.chain = certs.check_chain(live.tls.chain, name.name, options.trust_store, options.expiry_warning_days)
        context = tls_probe.cloudfront_context(tls_probe.offered_protocols(item.ssl_protocols), None)
        context.set_ciphers(live.tls.cipher + ":@SECLEVEL=0")  # what the CloudFront-like offer agreed on
    refused = origin_path_problem(item.origin)
    if refused:
        live.requests_not_sent = refused
        return
    prefix = origin_path(item.origin)
    live.head = http_probe.request(address, item.port, name.name, prefix + item.head_path, deadlines.step(), private,
                                   context)
    if live.head.outcome in (HttpOutcome.TIMEOUT, HttpOutcome.CUT):
        # a server that never answers costs one timeout, not one per request
        return
    if name.websocket_path is not None:
        live.websocket = http_probe.request(address, item.port, name.name, prefix + name.websocket_path,
                                            deadlines.step(), private, context, websocket=True)


def _attach(item: EndpointPlan, probed: dict[_EndpointKey, _Probed]) -> LiveOrigin:
    """Fresh objects per distribution (they carry its locations), sharing the probe results."""
    origin = item.origin
    found = probed.get((item.host, item.port, item.scheme))
    live = LiveOrigin(origin=origin, host=item.host, port=item.port, scheme=item.scheme,
                      loc=origin.location_of("domain_name"), locs={"domain_name": origin.location_of("domain_name")},
                      resource=origin.resource)
    if found is None:
        live.not_probed = item.not_probed
        return live
    source = found.endpoint
    live.dns, live.tcp, live.not_probed = source.dns, source.tcp, source.not_probed
    live.nameservers = source.nameservers
    live.allow_private, live.trust_store = source.allow_private, source.trust_store
    for name in item.names:
        result = found.names.get(_name_key(item, name))
        entry = LiveName(name=name.name, endpoint=live, loc=name.loc, resource=origin.resource)
        if name.invalid:
            entry.not_probed = f"never sent: {name.invalid} (PK307)"
        elif result is None:
            entry.not_probed = live.not_probed or "not probed"
        else:
            entry.tls, entry.chain, entry.head, entry.websocket, entry.not_probed = (
                result.tls, result.chain, result.head, result.websocket, result.not_probed)
            entry.requests_not_sent = result.requests_not_sent
        live.names.append(entry)
    return live
