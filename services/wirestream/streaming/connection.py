"""The start-up connection check: TLS and SASL problems fail fast, naming the setting to fix.

aiokafka reports a refused TLS certificate or SASL login only as "Unable to bootstrap" and its
clients (and faust's) then retry for ever: a service with a wrong password would wait silently.
:func:`check_connection` opens one connection to a bootstrap server exactly as every client will
(:meth:`KafkaSettings.client_options`) and turns what went wrong into a
:class:`~wirestream.errors.ConfigurationError` that names the ``WIRESTREAM_KAFKA_*`` variable:

- a certificate signed by an authority the client does not trust -> ``..._SSL_CAFILE``;
- a certificate for another host name -> ``..._SSL_CHECK_HOSTNAME`` / the bootstrap address;
- another TLS failure, or a handshake that does not complete within ``connect_timeout`` (a TLS
  client on a plaintext listener, or the reverse) -> ``..._SECURITY_PROTOCOL``;
- a refused login -> ``..._SASL_USERNAME`` / ``..._SASL_PASSWORD`` / ``..._SASL_MECHANISM``;
- a mechanism the broker does not offer -> ``..._SASL_MECHANISM`` (with the ones it offers).

A broker that does not accept TCP connections at all is not a configuration error (it may be
starting): :func:`check_connection` returns False and the caller waits or reports as before.
Every service calls it once before its first client; every command before its work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from typing import Any

from aiokafka import errors as kafka_errors
from aiokafka.conn import create_conn
from tenacity import AsyncRetrying, retry_if_not_exception_type, stop_after_delay, wait_fixed

from wirestream.errors import ConfigurationError, EnvironmentNotReadyError
from wirestream.streaming.settings import ENV_PREFIX, KafkaSettings

logger = logging.getLogger(__name__)

RETRY_DELAY = 0.5
"""Seconds between attempts when a reachable broker closed the connection mid-handshake."""


def split_address(address: str) -> tuple[str, int]:
    """``"host:port"`` (or ``"[v6]:port"``) -> (host, port); the port defaults to 9092."""
    address = address.strip()
    host, sep, port = address.rpartition(":")
    if not sep or "]" in port:
        return address.strip("[]"), 9092
    return host.strip("[]"), int(port)


async def _tcp_reachable(host: str, port: int, timeout: float) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (OSError, TimeoutError):
        return False
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    return True


def _diagnose(kafka: KafkaSettings, address: str, exc: BaseException) -> ConfigurationError | None:
    """The configuration error ``exc`` shows, or None when it may be transient."""
    where = f"the broker at {address}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or str(exc)
        if "hostname" in reason.lower() or "ip address mismatch" in reason.lower():
            return ConfigurationError(
                f"{where} presented a TLS certificate for another host name ({reason}): use the "
                f"name in its certificate in {ENV_PREFIX}BOOTSTRAP_SERVERS, or set "
                f"{ENV_PREFIX}SSL_CHECK_HOSTNAME=false"
            )
        return ConfigurationError(
            f"{where} presented a TLS certificate this client does not trust ({reason}): set "
            f"{ENV_PREFIX}SSL_CAFILE to the PEM file of the certificate authority that signed it"
        )
    if isinstance(exc, ssl.SSLError):
        return ConfigurationError(
            f"the TLS handshake with {where} failed ({exc.__class__.__name__}: {exc}): check "
            f"{ENV_PREFIX}SECURITY_PROTOCOL (is {kafka.security_protocol} the listener's "
            f"protocol?) and {ENV_PREFIX}SSL_CERTFILE / {ENV_PREFIX}SSL_KEYFILE"
        )
    if isinstance(exc, kafka_errors.UnsupportedSaslMechanismError):
        return ConfigurationError(
            f"{where} does not offer SASL mechanism {kafka.sasl_mechanism} ({exc}): set "
            f"{ENV_PREFIX}SASL_MECHANISM to one it offers"
        )
    if isinstance(
        exc,
        kafka_errors.SaslAuthenticationFailed
        | kafka_errors.AuthenticationFailedError
        | kafka_errors.IllegalSaslStateError,
    ):
        return ConfigurationError(
            f"{where} refused the SASL {kafka.sasl_mechanism} login of user "
            f"{kafka.sasl_username!r} ({exc.__class__.__name__}): check {ENV_PREFIX}SASL_USERNAME, "
            f"{ENV_PREFIX}SASL_PASSWORD and {ENV_PREFIX}SASL_MECHANISM"
        )
    return None


async def _handshake_with_retries(
    kafka: KafkaSettings,
    host: str,
    port: int,
    address: str,
    limit: float,
    options: dict[str, Any],
) -> None:
    """Open one connection (TLS and SASL included), retrying failures that name no setting
    every :data:`RETRY_DELAY` seconds for ``limit`` seconds; a handshake that times out is not
    retried. Raises the diagnosed :class:`ConfigurationError`, or the last failure."""
    deadline = time.monotonic() + limit

    async def attempt_once() -> None:
        remaining = max(0.001, deadline - time.monotonic())
        try:
            conn = await asyncio.wait_for(
                create_conn(
                    host,
                    port,
                    client_id="wirestream-connection-check",
                    request_timeout_ms=int(remaining * 1000),
                    **options,
                ),
                remaining,
            )
        except TimeoutError:
            raise
        except Exception as exc:
            found = _diagnose(kafka, address, exc)
            if found is not None:
                raise found from None
            logger.debug("connection check of %s: %r", address, exc)
            raise
        conn.close()

    retrying = AsyncRetrying(
        retry=retry_if_not_exception_type((TimeoutError, ConfigurationError)),
        stop=stop_after_delay(limit),
        wait=wait_fixed(RETRY_DELAY),
        reraise=True,
    )
    async for attempt in retrying:
        with attempt:
            await attempt_once()


async def check_connection(kafka: KafkaSettings, *, timeout: float | None = None) -> bool:
    """Connect (TLS and SASL included) to the first bootstrap server that accepts TCP.

    Returns True once a connection completed its handshakes, False when no bootstrap server
    accepts TCP connections. Raises :class:`ConfigurationError` naming the setting when TLS or
    SASL fail, or when a reachable broker completes no handshake within ``timeout`` (default
    ``kafka.connect_timeout``)."""
    limit = kafka.connect_timeout if timeout is None else timeout
    options = kafka.client_options()
    options.pop("bootstrap_servers")
    addresses = [a for a in kafka.bootstrap_servers.split(",") if a.strip()]
    for address in addresses:
        host, port = split_address(address)
        if not await _tcp_reachable(host, port, min(limit, 5.0)):
            continue
        try:
            await _handshake_with_retries(kafka, host, port, address.strip(), limit, options)
            return True
        except ConfigurationError:
            raise
        except Exception as exc:  # noqa: BLE001 - the last undiagnosed failure, reported here
            what = f"{exc.__class__.__name__}: {exc}"
            raise ConfigurationError(
                f"the broker at {address.strip()} accepts connections but completed no "
                f"{kafka.security_protocol} handshake within {limit:.0f}s ({what}): check "
                f"{ENV_PREFIX}SECURITY_PROTOCOL against the listener's protocol (a TLS listener "
                f"needs SSL or SASL_SSL), and for SASL {ENV_PREFIX}SASL_MECHANISM"
            ) from None
    return False


def require_connection(kafka: KafkaSettings, *, timeout: float | None = None) -> bool:
    """:func:`check_connection` from synchronous code (service and command entry points)."""
    return asyncio.run(check_connection(kafka, timeout=timeout))


async def start_client(client: Any, kafka: KafkaSettings) -> None:
    """Start an aiokafka producer or consumer of a command; no broker: it is stopped again and
    :class:`~wirestream.errors.EnvironmentNotReadyError` says how to start one."""
    try:
        await client.start()
    except kafka_errors.KafkaConnectionError as exc:
        await client.stop()
        raise EnvironmentNotReadyError(
            f"no broker at {kafka.bootstrap_servers} ({exc}): start one with 'wirestream kafka "
            "start' or set WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS"
        ) from exc
