"""Webhook allow-listing, signing and delivery against a real local HTTP server."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest

from wirestream.alerter.settings import AlerterSettings
from wirestream.alerter.webhooks import (
    ALERT_ID_HEADER,
    SIGNATURE_HEADER,
    DeliveryOptions,
    Policy,
    TargetRefused,
    backoff_delays,
    deliver,
    new_session,
    sign,
    verify,
)
from wirestream.errors import DeliveryError
from wirestream.testkit.webhooks import WebhookReceiver

LOOPBACK = Policy(("127.0.0.1", "localhost"), (ipaddress.ip_network("127.0.0.0/8"),))


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as rec:
        yield rec


async def no_sleep(delay: float) -> None:
    SLEPT.append(delay)


SLEPT: list[float] = []


async def test_fails_twice_then_delivered_once_signed(receiver: WebhookReceiver) -> None:
    receiver.failures = 2
    SLEPT.clear()
    options = DeliveryOptions(retries=4, backoff=0.5, secret="s3cret")
    async with new_session(LOOPBACK) as session:
        attempts = await deliver(
            session, LOOPBACK, receiver.url(), b'{"a":1}', "alr_1", options, sleep=no_sleep
        )
    assert attempts == 3 and receiver.attempts == 3
    assert SLEPT == [0.5, 1.0]
    [hit] = receiver.received
    body, headers = hit.body, hit.headers
    assert body == b'{"a":1}'
    assert headers[ALERT_ID_HEADER] == "alr_1"
    assert verify(body, "s3cret", headers[SIGNATURE_HEADER])
    assert headers["Content-Type"] == "application/json"


async def test_gives_up_after_the_retries(receiver: WebhookReceiver) -> None:
    receiver.failures = 10
    async with new_session(LOOPBACK) as session:
        with pytest.raises(DeliveryError, match="failed after 3 attempts; last error: HTTP 500"):
            await deliver(
                session,
                LOOPBACK,
                receiver.url(),
                b"{}",
                "a",
                DeliveryOptions(retries=2),
                sleep=no_sleep,
            )
    assert receiver.attempts == 3 and not receiver.received


async def test_a_client_error_is_not_retried(receiver: WebhookReceiver) -> None:
    receiver.failures, receiver.failure_status = 1, 400
    async with new_session(LOOPBACK) as session:
        with pytest.raises(DeliveryError, match="refused the alert: HTTP 400"):
            await deliver(
                session, LOOPBACK, receiver.url(), b"{}", "a", DeliveryOptions(), sleep=no_sleep
            )
    assert receiver.attempts == 1


async def test_loopback_is_refused_unless_allowed(receiver: WebhookReceiver) -> None:
    strict = Policy(("127.0.0.1", "localhost"))
    async with new_session(strict) as session:
        with pytest.raises(TargetRefused, match="non-public address"):
            await deliver(
                session, strict, receiver.url(), b"{}", "a", DeliveryOptions(), sleep=no_sleep
            )
        by_name = receiver.url().replace("127.0.0.1", "localhost")
        with pytest.raises(TargetRefused, match="non-public address"):
            await deliver(session, strict, by_name, b"{}", "a", DeliveryOptions(), sleep=no_sleep)
    assert receiver.attempts == 0


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "non-public"),
        ("http://10.0.0.5/hook", "non-public"),
        ("http://[::1]:8080/hook", "non-public"),
        ("http://[::ffff:127.0.0.1]/hook", "non-public"),
        ("http://100.64.0.1/hook", "non-public"),
        ("https://evil.example.com/hook", "not on the allowlist"),
        ("ftp://hooks.example.org/x", "not an http"),
        ("https://user:pw@hooks.example.org/x", "credentials"),
    ],
)
def test_refused_targets(url: str, reason: str) -> None:
    entries = (
        "hooks.example.org",
        "169.254.169.254",
        "10.0.0.5",
        "::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
    )
    with pytest.raises(TargetRefused, match=reason):
        Policy(entries).check_url(url, resolve=False)


def test_allowlist_wildcards_and_explicit_networks() -> None:
    policy = Policy(
        ("*.example.org", "169.254.169.254"), (ipaddress.ip_network("169.254.169.254/32"),)
    )
    assert policy.host_allowed("hooks.example.org") and policy.host_allowed("A.B.EXAMPLE.ORG.")
    assert not policy.host_allowed("example.org") and not policy.host_allowed("badexample.org")
    policy.check_url("http://169.254.169.254/", resolve=False)  # explicitly allowed
    Policy(("93.184.215.14",)).check_url("https://93.184.215.14/hook", resolve=False)


def test_signature_is_hmac_sha256_hex() -> None:
    # RFC 4231 test case 2
    assert sign(b"what do ya want for nothing?", "Jefe") == (
        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )
    assert not verify(b"tampered", "Jefe", sign(b"original", "Jefe"))


def test_backoff_doubles_and_caps() -> None:
    assert backoff_delays(DeliveryOptions(retries=5, backoff=1.0, backoff_max=5.0)) == [
        1,
        2,
        4,
        5,
        5,
    ]


def test_settings_parse_comma_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_ALERTER_WEBHOOK_ALLOWLIST", "Hooks.Example.org, 127.0.0.1")
    monkeypatch.setenv("WIRESTREAM_ALERTER_WEBHOOK_ALLOW_NETWORKS", "127.0.0.0/8,::1/128")
    settings = AlerterSettings.from_env()
    assert settings.webhook_allowlist == ["hooks.example.org", "127.0.0.1"]
    assert [str(n) for n in settings.webhook_allow_networks] == ["127.0.0.0/8", "::1/128"]
    monkeypatch.setenv("WIRESTREAM_ALERTER_WEBHOOK_TIMEOUT", "-1")
    with pytest.raises(Exception, match="WIRESTREAM_ALERTER_WEBHOOK_TIMEOUT"):
        AlerterSettings.from_env()
