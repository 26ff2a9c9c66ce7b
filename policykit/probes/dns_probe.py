"""DNS: A/AAAA and the CNAME chain of an origin domain, with dnspython."""

from __future__ import annotations

from policykit.core.results import DnsResult, DnsStatus
from policykit.probes import addresses as guard
from policykit.probes.addresses import is_ip_literal, special_range
from policykit.probes.deadlines import Step
from policykit.probes.options import Nameserver


def _answered(host: str, status: DnsStatus, addresses: tuple[str, ...], cnames: tuple[str, ...] = ()) -> DnsResult:
    private = bool(addresses) and all(special_range(a) for a in addresses)
    return DnsResult(host, status, addresses, cnames, private_only=private)


def resolve(host: str, nameservers: tuple[Nameserver, ...], step: Step, *, allow_private: bool) -> DnsResult:
    """A and AAAA of `host` (validated by the caller), both within the one step's deadline; asked of the given
    nameservers only when the address guard lets them through (the command line refuses them first)."""
    if is_ip_literal(host):
        return _answered(host, DnsStatus.IP_LITERAL, (host,))
    for nameserver in nameservers:
        try:
            guard.check_nameserver(nameserver.host, allow_private)
        except guard.AddressRefused as exc:
            return DnsResult(host, DnsStatus.ERROR, detail=f"not asked: the resolver {nameserver}: {exc}")
    import dns.exception
    import dns.nameserver
    import dns.rdatatype
    import dns.resolver

    try:
        resolver = dns.resolver.Resolver(configure=not nameservers)
    except dns.resolver.NoResolverConfiguration as exc:
        return DnsResult(host, DnsStatus.ERROR, detail=f"no system resolver configured ({exc}); use --nameserver")
    if nameservers:
        resolver.nameservers = [dns.nameserver.Do53Nameserver(ns.host, ns.port) for ns in nameservers]
    resolver.timeout = step.seconds
    silent = f"no answer from the resolver {step.timeout_words()}"
    addresses: list[str] = []
    cnames: list[str] = []
    statuses: list[tuple[DnsStatus, str]] = []
    for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
        resolver.lifetime = step.remaining()
        if resolver.lifetime <= 0:
            statuses.append((DnsStatus.TIMEOUT, silent))
            break
        try:
            answer = resolver.resolve(host, rdtype, search=False)
        except dns.resolver.NXDOMAIN:
            return DnsResult(host, DnsStatus.NXDOMAIN, detail=f"{host}: NXDOMAIN (the name does not exist)")
        except dns.resolver.NoAnswer:
            statuses.append((DnsStatus.NO_ANSWER, f"no {dns.rdatatype.to_text(rdtype)} record"))
            continue
        except dns.resolver.NoNameservers as exc:
            statuses.append((DnsStatus.SERVFAIL, f"SERVFAIL: {exc}"))
            continue
        except dns.exception.Timeout:
            statuses.append((DnsStatus.TIMEOUT, silent))
            continue
        except dns.exception.DNSException as exc:
            statuses.append((DnsStatus.ERROR, str(exc)))
            continue
        chain = answer.response.resolve_chaining()
        for rrset in chain.cnames:
            cnames.extend(str(r.target).rstrip(".") for r in rrset if str(r.target).rstrip(".") not in cnames)
        addresses.extend(r.to_text() for r in answer if r.rdtype == rdtype)
    if addresses:
        return _answered(host, DnsStatus.OK, tuple(addresses), tuple(cnames))
    # Nothing answered: SERVFAIL or a timeout says more than "no AAAA record"
    for wanted in (DnsStatus.SERVFAIL, DnsStatus.TIMEOUT, DnsStatus.ERROR, DnsStatus.NO_ANSWER):
        for status, detail in statuses:
            if status == wanted:
                return DnsResult(host, status, (), tuple(cnames), detail)
    return DnsResult(host, DnsStatus.NO_ANSWER, (), tuple(cnames), "no A or AAAA record")
