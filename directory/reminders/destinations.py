"""Where a webhook may send: public addresses only, checked when saved and again when sent.

An agency's webhook is an address the worker calls on its behalf, so it must not reach what
only the worker can reach: loopback, private and shared networks, link-local (the cloud
metadata services at 169.254.169.254 and fd00:ec2::254), unique-local, multicast and
reserved ranges. The check runs on every address the name resolves to, when the address is
saved and again at each send, and the send connects to the very address it checked
(`PinnedTransport`), so a name that resolves elsewhere later (DNS rebinding) gains nothing.
A bureau's own receivers on its intranet are let through by `WEBHOOK_ALLOW`.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

import httpx

from directory.settings import Settings

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
Resolver = Callable[[str, int], Awaitable[list[Address]]]

_NAT64 = ip_network("64:ff9b::/96")  # IPv4 addresses written as IPv6 by a NAT64 gateway


class NotAllowed(Exception):
    """The address may not be called; the message says why, Chinese first."""


class Unresolvable(Exception):
    """The host name resolves to no address (now)."""


@dataclass(frozen=True, slots=True)
class Policy:
    https_only: bool
    networks: tuple[Network, ...] = ()  # allowed although not public
    hosts: frozenset[str] = frozenset()  # names allowed whatever they resolve to

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        networks, hosts = [], set()
        for item in settings.webhook_allow_list:
            try:
                networks.append(ip_network(item, strict=False))
            except ValueError:
                hosts.add(item.lower().rstrip("."))
        return cls(settings.webhook_https_required, tuple(networks), frozenset(hosts))


def _embedded(address: Address) -> Address | None:
    """The IPv4 address inside an IPv6 one (mapped, NAT64, 6to4), which is what gets reached."""
    if isinstance(address, IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    """A globally routable unicast address (and so is any IPv4 address it carries)."""
    inner = _embedded(address)
    if inner is not None and not is_public(inner):
        return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
        or (isinstance(address, IPv6Address) and address.is_site_local)
    )


def _permitted(address: Address, host: str, policy: Policy) -> bool:
    if host in policy.hosts or is_public(address):
        return True
    return any(address.version == n.version and address in n for n in policy.networks)


async def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (a literal address is itself)."""
    try:
        return [ip_address(host)]
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(host) from exc
    # The scope of a link-local IPv6 answer (fe80::1%eth0) is dropped: it is refused anyway.
    addresses = [ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    if not addresses:
        raise Unresolvable(host)
    return addresses


@dataclass(frozen=True, slots=True)
class Target:
    host: str
    port: int


def target(url: str, policy: Policy) -> Target:
    """The host and port of a webhook address whose form is allowed; raises `NotAllowed`."""
    parts = urlsplit(url)
    allowed = ("https",) if policy.https_only else ("http", "https")
    if parts.scheme not in allowed:
        raise NotAllowed(
            "网址须以 https:// 开头（the address must start with https://）"
            if policy.https_only
            else "网址须以 http:// 或 https:// 开头（the address must be http or https）"
        )
    if parts.username is not None or parts.password is not None:
        raise NotAllowed("网址不能含用户名或密码（the address may not carry a user or password）")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise NotAllowed("端口无效（the port is not valid）") from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise NotAllowed("网址缺少主机名（the address has no host）")
    return Target(host, port)


async def checked_address(url: str, policy: Policy, resolver: Resolver = resolve) -> Address:
    """The address to connect to for `url`: every address its name resolves to must be
    allowed, else `NotAllowed`; `Unresolvable` when the name resolves to nothing."""
    where = target(url, policy)
    addresses = await resolver(where.host, where.port)
    refused = [a for a in addresses if not _permitted(a, where.host, policy)]
    if refused:
        raise NotAllowed(
            "地址不允许：网址须指向公网地址，不能指向本机、内网或保留地址"
            "（address not allowed: it must be public, not loopback, private or reserved）"
        )
    return addresses[0]


class PinnedTransport(httpx.AsyncBaseTransport):
    """Checks the address of every request and connects to exactly that address, keeping the
    name in the Host header and for TLS (SNI and the certificate check)."""

    def __init__(
        self, policy: Policy, resolver: Resolver = resolve, verify: ssl.SSLContext | None = None
    ) -> None:
        self.policy = policy
        self.resolver = resolver
        self._inner = httpx.AsyncHTTPTransport(verify=verify or True, trust_env=False, retries=0)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        address = await checked_address(str(request.url), self.policy, self.resolver)
        host = request.url.host
        request.url = request.url.copy_with(host=str(address))  # Host header was set already
        request.extensions = {**request.extensions, "sni_hostname": host}
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()
