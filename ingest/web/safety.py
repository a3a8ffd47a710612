"""Which URLs may be fetched: http(s) only, and no internal addresses unless allowed.

A URL from a sources file or the app could point at the machine itself, the
local network or a cloud metadata service (server-side request forgery). Every
address a host name resolves to is checked, before the first request and again
for every redirect; the address actually connected to is checked once more
before anything is sent (``guard``, against DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Iterable[str]]

# Cloud metadata endpoints that are not caught by the ranges below on every platform.
METADATA_ADDRESSES = frozenset(
    {
        ipaddress.ip_address("169.254.169.254"),
        ipaddress.ip_address("169.254.170.2"),
        ipaddress.ip_address("100.100.100.200"),
        ipaddress.ip_address("fd00:ec2::254"),
    }
)


class UnsafeURLError(ValueError):
    """A URL that must not be fetched; str() says why."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def address_problem(address: str) -> str | None:
    """Why an IP address is off limits ('loopback', 'private', ...), or None if it is public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for attr, label in (
        ("is_loopback", "loopback"),
        ("is_unspecified", "unspecified"),
        ("is_link_local", "link-local"),
        ("is_private", "private"),
        ("is_multicast", "multicast"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, attr):
            return label
    if not ip.is_global:
        return "not globally routable"
    return None


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver = system_resolver) -> None:
    """Raise UnsafeURLError unless `url` is http(s) and (unless allowed) resolves only to public addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURLError(f"refused {url}: only http and https are fetched")
    host = parts.hostname
    if not host:
        raise UnsafeURLError(f"refused {url}: no host")
    if parts.username or parts.password:
        raise UnsafeURLError(f"refused {url}: credentials in URLs are not sent")
    if allow_private:
        return
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeURLError(f"refused {url}: bad port") from None
    try:
        addresses = list(resolver(host, port))
    except (OSError, UnicodeError) as exc:
        raise UnsafeURLError(f"cannot resolve {host}: {exc}") from None
    if not addresses:
        raise UnsafeURLError(f"cannot resolve {host}")
    for address in addresses:
        problem = address_problem(address)
        if problem:
            raise UnsafeURLError(
                f"refused {url}: {host} resolves to {address}, {problem} "
                "(mark the source allow_private = true to fetch it anyway)"
            )
