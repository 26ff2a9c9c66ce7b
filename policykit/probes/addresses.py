"""Which addresses a live scan may reach, and the one place probes open connections.

Every probe connects through `open_connection`, which refuses an address `special_range` names
unless --allow-private was given: nothing else in policykit opens a socket to an origin.
"""

from __future__ import annotations

import ipaddress
import socket

# IPv6 forms that carry an IPv4 address inside: the IPv4 address decides where the packets go.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))  # RFC 6052, RFC 8215
_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible form (RFC 4291 2.5.5.1)
_TRANSLATED = ipaddress.ip_network("::ffff:0:0:0/96")  # SIIT IPv4-translated (RFC 2765)


class AddressRefused(Exception):
    """A connection to an address the live scan may not reach was asked for."""


def embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """(form, IPv4 address) for an IPv6 address that embeds one: mapped, 6to4, Teredo, NAT64, ..."""
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip.teredo is not None:
        return "Teredo", ip.teredo[1]  # the client's address: where the tunnel ends
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in net for net in _NAT64):
        return "NAT64", low32
    if ip in _TRANSLATED:
        return "IPv4-translated", low32
    if ip in _COMPATIBLE and int(ip) > 1:
        return "IPv4-compatible", low32
    return None


def special_range(address: str) -> str:
    """Why CloudFront (and, without --allow-private, policykit) cannot reach it; "" for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = embedded_ipv4(ip)
        if embedded is not None:
            form, inner = embedded
            kind = special_range(str(inner))
            return f"{kind or 'special-purpose'} ({form}, embedding {inner})"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:  # includes 169.254.169.254, the instance metadata service
        return "link-local"
    if ip.is_private:
        return "private"
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return "special-purpose"
    return ""


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_allowed(address: str, allow_private: bool) -> None:
    """AddressRefused unless the address is public, or private addresses are allowed."""
    blocked = special_range(address)
    if blocked == "not an IP":
        raise AddressRefused(f"{address!r} is not an IP address")
    if blocked and not allow_private:
        raise AddressRefused(f"{address} is a {blocked} address (pass --allow-private to probe it)")


def check_nameserver(host: str, allow_private: bool) -> None:
    """AddressRefused for a DNS server the run may not ask: the guard of the origins' addresses, applied before
    any query is sent (the system resolver is the machine's own choice, and exempt)."""
    blocked = special_range(host)
    if blocked == "not an IP":
        raise AddressRefused(f"{host!r} is not an IP address (a DNS server is named by its address)")
    if blocked and not allow_private:
        raise AddressRefused(f"{host} is a {blocked} address (pass --allow-private to use a DNS server there)")


def open_connection(address: str, port: int, timeout: float, allow_private: bool) -> socket.socket:
    """A TCP connection to a checked address (no name resolution here: the address is one DNS gave)."""
    check_allowed(address, allow_private)
    if not 0 < port < 65536:
        raise AddressRefused(f"port {port} is out of range")
    return socket.create_connection((address, port), timeout=max(timeout, 0.001))
