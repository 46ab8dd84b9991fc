"""Webhooks: which targets may be called, how a body is signed, and delivery with retries.

A target must be ``http(s)://`` and its host on the allowlist. Every address it resolves to must be
public (``ipaddress``'s ``is_global``, not multicast): loopback, private, link-local (the
169.254.169.254 metadata service), shared and reserved ranges are refused unless they fall in a
network explicitly allowed. The check runs at start-up (rules validation) and again at every
connection, inside the resolver aiohttp uses, so a name that later resolves elsewhere (DNS
rebinding) is still refused.

Redirects: a ``307`` or ``308`` (which keep the method and body) is followed, at most
:data:`MAX_REDIRECTS` times, only when its ``Location`` passes the same checks (scheme, no
credentials, allowlist, addresses - the resolver checks each hop's addresses as it connects); any
other redirect (``301``/``302``/``303``, which would turn the POST into a GET) is reported, not
followed. A refused hop is never sent the alert.

URLs in logs, errors and dead letters are redacted by :func:`redact_url` to scheme, host, port
and path: no user name, password, query string (tokens) or fragment appears anywhere.

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
import re
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

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
FOLLOWED_REDIRECTS = frozenset({307, 308})
"""Redirects that keep the POST and its body: followed when the target passes the checks."""
REFUSED_REDIRECTS = frozenset({300, 301, 302, 303, 305})
MAX_REDIRECTS = 5

_URL = re.compile(r"""[A-Za-z][A-Za-z0-9+.-]*://[^\s'"<>]+""")


def redact_url(url: str) -> str:
    """``url`` as scheme, host, port and path only: ``https://u:p@h/x?token=1`` -> ``https://h/x``."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<unparsable URL>"
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return f"{parts.scheme}://{netloc}{parts.path}" if parts.scheme else "<URL without a scheme>"


def redact_text(text: str) -> str:
    """``text`` with every URL in it redacted (an exception's message that quotes one)."""
    return _URL.sub(lambda match: redact_url(match.group(0)), text)


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
        shown = redact_url(url)
        try:
            parts = urlsplit(url)
            host = parts.hostname
            port = parts.port
        except ValueError:
            raise TargetRefused(f"webhook {shown!r} is not a valid URL") from None
        if parts.scheme not in ("http", "https") or not host:
            raise TargetRefused(f"webhook {shown!r} is not an http:// or https:// URL with a host")
        if parts.username or parts.password:
            raise TargetRefused(
                f"webhook {shown!r} carries credentials in the URL (not shown): remove them and "
                "authenticate with WIRESTREAM_ALERTER_WEBHOOK_SECRET's signature instead"
            )
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
                infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
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
    follows 307/308 redirects whose targets pass the policy (module docstring); any other answer,
    a refused target or redirect, or running out of retries raises :class:`DeliveryError`. Every
    message names the URL redacted (:func:`redact_url`).
    """
    policy.check_url(url, resolve=False)
    headers = {"Content-Type": "application/json", ALERT_ID_HEADER: alert_id}
    if options.secret:
        headers[SIGNATURE_HEADER] = sign(body, options.secret)
    timeout = aiohttp.ClientTimeout(total=options.timeout)
    delays: Sequence[float] = backoff_delays(options)
    shown = redact_url(url)
    last_error = "no attempt"
    for attempt in range(1, options.retries + 2):
        try:
            status = await _post(session, policy, url, body, headers, timeout)
            if 200 <= status < 300:
                return attempt
            last_error = f"HTTP {status}"
            if status not in RETRY_STATUSES:
                raise DeliveryError(f"webhook {shown} refused the alert: {last_error}")
        except TargetRefused:
            raise
        except aiohttp.ClientConnectorError as exc:
            if isinstance(exc.os_error, TargetRefused):
                raise exc.os_error from None
            last_error = redact_text(f"{type(exc).__name__}: {exc}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            last_error = redact_text(text)
        if attempt <= len(delays):
            logger.info(
                "webhook attempt failed; retrying",
                extra={"url": shown, "attempt": attempt, "error": last_error},
            )
            await sleep(delays[attempt - 1])
    raise DeliveryError(
        f"webhook {shown} failed after {options.retries + 1} attempts; last error: {last_error}"
    )


async def _post(
    session: aiohttp.ClientSession,
    policy: Policy,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: aiohttp.ClientTimeout,
) -> int:
    """One delivery attempt: POST, following allowed 307/308 redirects; the final status."""
    target = url
    for _hop in range(MAX_REDIRECTS + 1):
        async with session.post(
            target, data=body, headers=headers, timeout=timeout, allow_redirects=False
        ) as resp:
            status = resp.status
            location = resp.headers.get("Location")
        if status not in FOLLOWED_REDIRECTS and status not in REFUSED_REDIRECTS:
            return status
        if not location:
            raise DeliveryError(
                f"webhook {redact_url(target)} answered HTTP {status} without a Location"
            )
        following = urljoin(target, location)
        if status in REFUSED_REDIRECTS:
            raise DeliveryError(
                f"webhook {redact_url(target)} redirects (HTTP {status}) to "
                f"{redact_url(following)}; such a redirect would turn the POST into a GET and is "
                "not followed: put the new URL in the rules file"
            )
        try:
            policy.check_url(following, resolve=False)
        except TargetRefused as exc:
            raise TargetRefused(
                f"webhook {redact_url(target)} redirected (HTTP {status}) to a refused target: "
                f"{exc}"
            ) from None
        logger.info(
            "webhook redirected",
            extra={"from": redact_url(target), "to": redact_url(following), "status": status},
        )
        target = following
    raise DeliveryError(
        f"webhook {redact_url(url)} redirected more than {MAX_REDIRECTS} times; not delivered"
    )
