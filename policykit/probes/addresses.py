"""Which addresses a live scan may reach."""

from __future__ import annotations

import ipaddress


def special_range(address: str) -> str:
    """Why CloudFront (and, without --allow-private, policykit) cannot reach it; "" for a public address."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
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
