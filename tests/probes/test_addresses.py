"""Which addresses a live scan may reach (policykit/probes/addresses.py): special ranges, also embedded in IPv6 forms,
are refused before any socket exists unless private addresses are allowed."""

from __future__ import annotations

import pytest

from policykit.probes.addresses import special_range


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.2", "loopback"), ("10.1.2.3", "private"), ("192.168.0.1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"), ("100.64.0.1", "special-purpose"),
    ("0.0.0.0", "private"), ("93.184.216.34", ""), ("2606:4700::1", ""),
])
def test_special_ranges(address: str, kind: str) -> None:
    assert special_range(address) == kind


@pytest.mark.parametrize(("address", "words"), [
    ("2002:a9fe:a9fe::1", "link-local (6to4, embedding 169.254.169.254)"),
    ("2002:0a00:0001::1", "private (6to4, embedding 10.0.0.1)"),
    ("64:ff9b::a9fe:a9fe", "link-local (NAT64, embedding 169.254.169.254)"),
    ("64:ff9b:1::7f00:1", "loopback (NAT64, embedding 127.0.0.1)"),
    ("::ffff:169.254.169.254", "link-local (IPv4-mapped, embedding 169.254.169.254)"),
    ("::ffff:0:7f00:1", "loopback (IPv4-translated, embedding 127.0.0.1)"),
    ("::a9fe:a9fe", "link-local (IPv4-compatible, embedding 169.254.169.254)"),
    ("2001:0:4136:e378:8000:63bf:5601:fefe", "link-local (Teredo, embedding 169.254.1.1)"),
])
def test_embedded_ipv4_forms_are_refused_without_sending(address: str, words: str) -> None:
    from policykit.probes.addresses import AddressRefused, check_allowed, open_connection

    assert special_range(address) == words
    with pytest.raises(AddressRefused, match="pass --allow-private"):
        check_allowed(address, allow_private=False)
    with pytest.raises(AddressRefused):  # the one place probes connect refuses before any socket exists
        open_connection(address, 443, 1.0, allow_private=False)


@pytest.mark.parametrize(("address", "kind"), [
    ("::1", "loopback"), ("fd00::1", "private"), ("ff02::1", "special-purpose"), ("224.0.0.1", "special-purpose"),
    ("::", "private"), ("240.0.0.1", "private"), ("192.0.2.1", "private"), ("fe80::1%eth0", "link-local"),
    ("not-an-address", "not an IP"), ("2001:db8::1", "private"),
    ("::1:0:0:1", "special-purpose"),  # not IPv4-compatible: more than the low 32 bits are set
    ("64:ff9b::808:808", "special-purpose (NAT64, embedding 8.8.8.8)"),  # public inside, yet a translator's form
])
def test_more_special_ranges(address: str, kind: str) -> None:
    assert special_range(address) == kind


def test_what_is_allowed_and_what_is_refused_in_words() -> None:
    from policykit.probes.addresses import AddressRefused, check_allowed, is_ip_literal

    check_allowed("93.184.216.34", allow_private=False)  # public: allowed
    check_allowed("10.0.0.1", allow_private=True)  # private, allowed by --allow-private
    refused = r"^10\.0\.0\.1 is a private address \(pass --allow-private to probe it\)$"
    with pytest.raises(AddressRefused, match=refused):
        check_allowed("10.0.0.1", allow_private=False)
    with pytest.raises(AddressRefused, match=r"^'example\.com' is not an IP address$"):
        check_allowed("example.com", allow_private=True)  # never a name, whatever is allowed
    assert is_ip_literal("10.0.0.1") and is_ip_literal("::1") and not is_ip_literal("example.com")


def test_ipv4_compatible_forms_start_at_two() -> None:
    assert special_range("::2") == "private (IPv4-compatible, embedding 0.0.0.2)"
    assert special_range("::1") == "loopback"  # ::1 is IPv6's loopback, not 0.0.0.1


def test_open_connection_reaches_an_allowed_address_with_its_timeout() -> None:
    import socket

    from policykit.probes.addresses import AddressRefused, open_connection

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with open_connection("127.0.0.1", port, 2.5, allow_private=True) as conn:
            assert conn.getpeername() == ("127.0.0.1", port) and conn.gettimeout() == 2.5
        with open_connection("127.0.0.1", port, 0.0, allow_private=True) as conn:
            assert conn.gettimeout() == 0.001  # never 0, which would make the socket non-blocking
    for port in (0, 65536):
        with pytest.raises(AddressRefused, match=rf"^port {port} is out of range$"):
            open_connection("127.0.0.1", port, 1.0, allow_private=True)
    for port in (1, 65535):  # in range: connected to, and refused by the closed port
        with pytest.raises(ConnectionRefusedError):
            open_connection("127.0.0.1", port, 1.0, allow_private=True)


def test_a_zone_after_the_address_is_not_part_of_it() -> None:
    assert special_range("169.254.169.254%eth0") == "link-local"
    assert special_range("10.0.0.1%a%b") == "private"  # everything from the first `%` on
