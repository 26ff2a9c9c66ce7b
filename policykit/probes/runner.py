"""Run the probes over a model, concurrently and bounded; their results become live objects beside the model.

One pool task per origin endpoint (DNS, TCP, then every name it is sent: TLS with its retries,
the chain, HEAD, the upgrade), under three bounds: each step has --timeout as a deadline, the
endpoint has --origin-timeout for everything, the run has --run-timeout. A server that accepts
TCP and never answers costs one step and holds up nothing else. Results are shared per endpoint
and name, so scenario variants of a distribution share one probe. An unexpected exception in one
endpoint's probes is a PK007 finding for that origin; the others still run.
"""

from __future__ import annotations

import dataclasses
import math
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from policykit.core.builtins import INTERNAL_ERROR
from policykit.core.record import record
from policykit.core.results import (
    ChainResult,
    DnsResult,
    HttpOutcome,
    HttpResult,
    TcpResult,
    TcpStatus,
    TlsResult,
    TlsStatus,
)
from policykit.findings import Finding, Observed, builtin_finding
from policykit.model.cloudfront import Distribution, Model
from policykit.model.live import LiveName, LiveOrigin
from policykit.probes import certs, dns_probe, http_probe, tcp_probe, tls_probe, verify
from policykit.probes.addresses import special_range
from policykit.probes.deadlines import BoundReached, Deadlines
from policykit.probes.observed import observations
from policykit.probes.options import LiveOptions
from policykit.probes.targets import EndpointPlan, NamePlan, origin_path, origin_path_problem, plan

_EndpointKey = tuple[str, int, str]
_NameKey = tuple[str, int, str, str, tuple[str, ...] | None, str | None, str]
# Seconds the first byte is awaited past the read timeout: an answer that comes just after it is seen and timed
READ_TIMEOUT_MARGIN = 5


@record
class ProbeReport:
    """What a live run found: the live objects of each distribution (the engine's subjects), internal errors,
    and what was seen."""

    live_origins: dict[Distribution, tuple[LiveOrigin, ...]] = field(default_factory=dict)
    internal_errors: tuple[Finding, ...] = ()
    observed: tuple[Observed, ...] = ()


@record
class _NameSteps:
    """What the steps of one name returned (shared by the distributions that send it)."""

    tls: TlsResult | None = None
    chain: ChainResult | None = None
    head: HttpResult | None = None
    websocket: HttpResult | None = None
    not_probed: str = ""  # why nothing (more) was sent
    requests_not_sent: str = ""


@dataclass
class _Probed:
    """What the steps of one endpoint returned so far (a bound or a bug may stop them midway), shared by the
    distributions that declare it: private to the run, read once to build the live objects."""

    dns: DnsResult | None = None
    tcp: TcpResult | None = None
    not_probed: str = ""
    names: dict[_NameKey, _NameSteps] = field(default_factory=dict)
    failure: str = ""  # an unexpected exception, in one line


def probe_model(model: Model, options: LiveOptions, run_at: float | None = None) -> ProbeReport:
    """Probe every endpoint the model declares; the live objects of each distribution are in the report."""
    return probe_plans([(dist, plan(dist)) for dist in model.distributions], options, run_at)


def probe_plans(plans: list[tuple[Distribution, list[EndpointPlan]]], options: LiveOptions,
                run_at: float | None = None) -> ProbeReport:
    """Probe the planned endpoints (a template's, or `policykit probe`'s one target)."""
    run_at = time.monotonic() + options.run_timeout if run_at is None else run_at
    verify.anchors(options.trust_store)  # the roots, once, here: never inside a pool thread's warning filter
    endpoints: dict[_EndpointKey, EndpointPlan] = {}
    names_of: dict[_EndpointKey, dict[_NameKey, tuple[EndpointPlan, NamePlan]]] = {}
    waits: dict[_NameKey, int] = {}  # the longest known read timeout of the origins sending each name
    for _, items in plans:
        for item in items:
            if not item.not_probed:
                key: _EndpointKey = (item.host, item.port, item.scheme)
                endpoints.setdefault(key, item)
                for name in item.names:
                    if not name.invalid:
                        name_key = _name_key(item, name)
                        names_of.setdefault(key, {}).setdefault(name_key, (item, name))
                        if item.read_timeout is not None:
                            waits[name_key] = max(waits.get(name_key, 0), item.read_timeout)
    probed: dict[_EndpointKey, _Probed] = {}
    progress = options.progress
    if progress is not None:
        progress.started([_shown(key) for key in endpoints])
    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        pending: dict[Future[_Probed], _EndpointKey] = {
            pool.submit(_guarded, item, list(names_of.get(key, {}).items()), options, run_at, waits): key
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
    live_origins: dict[Distribution, tuple[LiveOrigin, ...]] = {}
    internal_errors: list[Finding] = []
    observed: list[Observed] = []
    for dist, items in plans:
        live = live_origins[dist] = tuple(_attach(item, probed, options) for item in items)
        for item in items:
            found = probed.get((item.host, item.port, item.scheme))
            if found is not None and found.failure:
                internal_errors.append(_internal_error(item, found.failure, dist.resource))
        observed.extend(observations(dist, live))
    return ProbeReport(live_origins, tuple(internal_errors), tuple(observed))


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
             options: LiveOptions, run_at: float, waits: dict[_NameKey, int]) -> _Probed:
    """The endpoint's probes; whatever goes wrong inside is this endpoint's result, never the run's."""
    deadlines = Deadlines.start(options.timeout, options.origin_timeout, run_at, options.run_timeout)
    result = _Probed()
    try:
        _probe_endpoint(item, names, options, deadlines, result, waits)
    except BoundReached as exc:
        result.not_probed = result.not_probed or f"not probed: {exc} was reached"
    except Exception as exc:  # a bug: one line for the user, this endpoint only
        frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
        where = f" at {frame.name}:{frame.lineno}" if frame else ""
        result.failure = f"{type(exc).__name__}: {exc}{where}"
        result.not_probed = f"not probed: internal error ({type(exc).__name__})"
    return result


def _probe_endpoint(item: EndpointPlan, names: list[tuple[_NameKey, tuple[EndpointPlan, NamePlan]]],
                    options: LiveOptions, deadlines: Deadlines, seen: _Probed,
                    waits: dict[_NameKey, int] | None = None) -> None:
    """DNS, TCP, then each name; each step's result is kept as it comes."""
    seen.dns = dns_probe.resolve(item.host, options.nameservers, deadlines.step(), allow_private=options.allow_private)
    address, seen.not_probed = _address(item, seen.dns, options)
    if not address:
        return
    seen.tcp = tcp_probe.connect(address, item.port, deadlines.step(), options.allow_private)
    if seen.tcp.status is not TcpStatus.OPEN:
        seen.not_probed = f"TCP {address}:{item.port}: {seen.tcp.status}"
        return
    for key, (name_item, name) in names:
        seen.names[key] = _probe_name(name_item, name, seen.tcp.address, options, deadlines,
                                      (waits or {}).get(key))


def _address(item: EndpointPlan, dns: DnsResult, options: LiveOptions) -> tuple[str, str]:
    """(the address to connect to, "") or ("", why it is not probed)."""
    if not dns.addresses:
        return "", f"{item.host} does not resolve ({dns.status})"
    # Prefer IPv4: CloudFront connects over IPv4 unless the origin is set to IPv6 or dual-stack.
    address = next((a for a in dns.addresses if ":" not in a), dns.addresses[0])
    blocked = special_range(address)
    if blocked and not options.allow_private:
        return "", (f"{item.host} resolves to {address}, a {blocked} address: not probed "
                    "(pass --allow-private to probe it)")
    return address, ""


def _probe_name(item: EndpointPlan, name: NamePlan, address: str, options: LiveOptions,
                deadlines: Deadlines, read_timeout: int | None = None) -> _NameSteps:
    """The name's steps in order (TLS, the chain, HEAD, the upgrade); a bound reached midway keeps what the
    earlier steps saw."""
    private = options.allow_private
    tls: TlsResult | None = None
    chain: ChainResult | None = None
    head: HttpResult | None = None
    context = None
    try:
        if item.scheme == "https":
            tls = tls_probe.probe(address, item.port, name.name, item.ssl_protocols, deadlines, private)
            if tls.status is TlsStatus.NO_COMMON_CIPHER and tls.chain:
                # the key the origin presents to a broader offer may be why CloudFront's fails (ECDSA on P-521)
                chain = verify.presented(tls.chain, name.name)
            if tls.status is not TlsStatus.OK:
                return _NameSteps(tls, chain, not_probed=f"no TLS session with {name.name}: {tls.status}")
            chain = verify.check_chain(tls.chain, name.name, options.trust_store, options.expiry_warning_days)
            context = tls_probe.session_context(tls)  # what the CloudFront-like offer agreed on
        refused = origin_path_problem(item.origin)
        if refused:
            return _NameSteps(tls, chain, requests_not_sent=refused)
        prefix = origin_path(item.origin)
        step = deadlines.step()
        answer_by, limit, needed = _answer_wait(deadlines, read_timeout)
        head = http_probe.request(address, item.port, name.name, prefix + item.head_path, step, private, context,
                                  answer_by=answer_by)
        if limit:
            head = dataclasses.replace(head, wait_limit=limit, needed_bound=needed)
        # a server that never answers costs one timeout, not one per request
        if head.outcome in (HttpOutcome.TIMEOUT, HttpOutcome.CUT) or name.websocket_path is None:
            return _NameSteps(tls, chain, head)
        websocket = http_probe.request(address, item.port, name.name, prefix + name.websocket_path,
                                       deadlines.step(), private, context, websocket=True)
        return _NameSteps(tls, chain, head, websocket)
    except BoundReached as exc:
        return _NameSteps(tls, chain, head, not_probed=f"not probed further: {exc} was reached")


def _answer_wait(deadlines: Deadlines, read_timeout: int | None) -> tuple[float | None, str, int]:
    """How long the HEAD's first byte is awaited: up to the read timeout and a margin, when the larger bounds
    leave that much time (else the step's own deadline, and the option, and its value, that would let it).
    Returns (the moment to wait until or None for the step's, the option, the value it needs)."""
    if read_timeout is None:
        return None, "", 0
    now = time.monotonic()
    bound_at, option = deadlines.bound()
    if bound_at - now >= read_timeout + 1:  # a second for the connection and the handshake before the request
        return min(now + read_timeout + READ_TIMEOUT_MARGIN, bound_at), "", 0
    spent = deadlines.spent()
    extra = math.ceil(spent) if spent > READ_TIMEOUT_MARGIN - 1 else 0
    return None, option, read_timeout + READ_TIMEOUT_MARGIN + extra


def _attach(item: EndpointPlan, probed: dict[_EndpointKey, _Probed], options: LiveOptions) -> LiveOrigin:
    """Fresh objects per distribution (they carry its locations), sharing the probe results: the names first,
    then their endpoint from them."""
    origin = item.origin
    where = origin.location_of("domain_name")
    found = probed.get((item.host, item.port, item.scheme))
    if found is None:
        return LiveOrigin(origin=origin, host=item.host, port=item.port, scheme=item.scheme,
                          not_probed=item.not_probed, loc=where, locs={"domain_name": where},
                          resource=origin.resource)
    names: list[LiveName] = []
    for name in item.names:
        steps = found.names.get(_name_key(item, name))
        if name.invalid:
            steps = _NameSteps(not_probed=f"never sent: {name.invalid} (PK307)")
        elif steps is None:
            steps = _NameSteps(not_probed=found.not_probed or "not probed")
        names.append(LiveName(name=name.name, tls=steps.tls, chain=steps.chain, head=steps.head,
                              websocket=steps.websocket, not_probed=steps.not_probed,
                              requests_not_sent=steps.requests_not_sent, loc=name.loc, resource=origin.resource))
    return LiveOrigin(origin=origin, host=item.host, port=item.port, scheme=item.scheme, dns=found.dns,
                      tcp=found.tcp, names=tuple(names), not_probed=found.not_probed,
                      nameservers=tuple(str(n) for n in options.nameservers), allow_private=options.allow_private,
                      trust_store=str(certs.trust_store_path(options.trust_store)),
                      loc=where, locs={"domain_name": where}, resource=origin.resource)
