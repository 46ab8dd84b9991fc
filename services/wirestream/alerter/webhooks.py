"""Webhooks: which targets may be called, how a body is signed, and delivery with retries.

A target must be ``http(s)://`` and its host on the allowlist. Every address it resolves to must be
public (``ipaddress``'s ``is_global``, not multicast): loopback, private, link-local (the
169.254.169.254 metadata service), shared and reserved ranges are refused unless they fall in a
network explicitly allowed. The check runs at start-up (rules validation) and again at every
connection, inside the resolver aiohttp uses, so a name that later resolves elsewhere (DNS
rebinding) is still refused.

The signature is ``X-Wirestream-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes>`` with
the configured secret; receivers recompute it over the raw body. ``X-Wirestream-Alert-Id`` carries
the alert id so a receiver can drop a repeat after an ambiguous failure (a timeout after the
receiver had accepted).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

from wirestream.errors import DeliveryError

logger = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SIGNATURE_HEADER = "X-Wirestream-Signature"
ALERT_ID_HEADER = "X-Wirestream-Alert-Id"
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class TargetRefused(DeliveryError):
    """A webhook target is not allowed (host not on the allowlist, or a non-public address)."""


@dataclass(frozen=True)
class Policy:
    """Which hosts and networks may be called."""

    allowlist: tuple[str, ...] = ()
    allow_networks: tuple[Network, ...] = ()

    def host_allowed(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        for entry in self.allowlist:
            if entry.startswith("*.") and host.endswith(entry[1:]) and host != entry[2:]:
                return True
            if host == entry:
                return True
        return False

    def address_allowed(self, address: Address) -> bool:
        if any(address in net for net in self.allow_networks):
            return True
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            return self.address_allowed(address.ipv4_mapped)
        return address.is_global and not address.is_multicast

    def check_address(self, host: str, address: Address) -> None:
        if not self.address_allowed(address):
            raise TargetRefused(
                f"webhook host {host!r} resolves to {address}, a non-public address (loopback, "
                "private, link-local or metadata); allow its network explicitly in "
                "WIRESTREAM_ALERTER_WEBHOOK_ALLOW_NETWORKS if it is really meant"
            )

    def check_url(self, url: str, *, resolve: bool = True) -> None:
        """Raise :class:`TargetRefused` unless ``url`` may be called."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetRefused(f"webhook {url!r} is not an http:// or https:// URL with a host")
        if parts.username or parts.password:
            raise TargetRefused(f"webhook {url!r} carries credentials in the URL; use the secret")
        host = parts.hostname
        if not self.host_allowed(host):
            raise TargetRefused(
                f"webhook host {host!r} is not on the allowlist: add it to "
                "WIRESTREAM_ALERTER_WEBHOOK_ALLOWLIST"
            )
        literal = _literal(host)
        if literal is not None:
            self.check_address(host, literal)
        elif resolve:
            try:
                infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
            except OSError as exc:
                raise TargetRefused(f"webhook host {host!r} does not resolve: {exc}") from exc
            for info in infos:
                self.check_address(host, ipaddress.ip_address(info[4][0]))


def _literal(host: str) -> Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that refuses addresses the policy does not allow (at connect time)."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.inner = ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        for result in results:
            self.policy.check_address(host, ipaddress.ip_address(result["host"]))
        return results

    async def close(self) -> None:
        await self.inner.close()


def sign(body: bytes, secret: str) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, header: str) -> bool:
    """True when ``header`` is the signature of ``body`` (constant-time compare)."""
    return hmac.compare_digest(sign(body, secret), header)


@dataclass(frozen=True)
class DeliveryOptions:
    timeout: float = 5.0
    retries: int = 4
    backoff: float = 0.5
    backoff_max: float = 30.0
    secret: str | None = None


def backoff_delays(options: DeliveryOptions) -> list[float]:
    """The waits before each retry: ``backoff`` doubling, capped at ``backoff_max``."""
    return [min(options.backoff * 2**i, options.backoff_max) for i in range(options.retries)]


def new_session(policy: Policy) -> aiohttp.ClientSession:
    """A client session whose connections go only to addresses the policy allows."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(policy), use_dns_cache=False)
    return aiohttp.ClientSession(connector=connector)


async def deliver(
    session: aiohttp.ClientSession,
    policy: Policy,
    url: str,
    body: bytes,
    alert_id: str,
    options: DeliveryOptions,
    *,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
) -> int:
    """POST ``body`` to ``url`` until a 2xx answer; returns the number of attempts made.

    Retries (after :func:`backoff_delays`) on connection errors, timeouts and 408/425/429/5xx;
    any other answer, a refused target, or running out of retries raises :class:`DeliveryError`.
    """
    policy.check_url(url, resolve=False)
    headers = {"Content-Type": "application/json", ALERT_ID_HEADER: alert_id}
    if options.secret:
        headers[SIGNATURE_HEADER] = sign(body, options.secret)
    timeout = aiohttp.ClientTimeout(total=options.timeout)
    delays: Sequence[float] = backoff_delays(options)
    last_error = "no attempt"
    for attempt in range(1, options.retries + 2):
        try:
            async with session.post(url, data=body, headers=headers, timeout=timeout) as resp:
                if 200 <= resp.status < 300:
                    return attempt
                last_error = f"HTTP {resp.status}"
                if resp.status not in RETRY_STATUSES:
                    raise DeliveryError(f"webhook {url} refused the alert: {last_error}")
        except TargetRefused:
            raise
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, TargetRefused):
                raise exc.os_error from exc
            last_error = f"{type(exc).__name__}: {exc}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            last_error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if attempt <= len(delays):
            logger.info(
                "webhook attempt failed; retrying",
                extra={"url": url, "attempt": attempt, "error": last_error},
            )
            await sleep(delays[attempt - 1])
    raise DeliveryError(
        f"webhook {url} failed after {options.retries + 1} attempts; last error: {last_error}"
    )
