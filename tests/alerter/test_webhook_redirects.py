"""Webhook redirects pass the same checks as the first URL; URLs are redacted everywhere."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator

import pytest

from wirestream.alerter.webhooks import (
    SIGNATURE_HEADER,
    DeliveryOptions,
    Policy,
    TargetRefused,
    deliver,
    new_session,
    redact_text,
    redact_url,
)
from wirestream.errors import DeliveryError
from wirestream.testkit.webhooks import WebhookReceiver

LOOPBACK_NET = (ipaddress.ip_network("127.0.0.0/8"),)
TOKEN = "tok-9f8e7d"


@pytest.fixture
def server() -> Iterator[WebhookReceiver]:
    """``/final`` accepts (204); ``/loop`` redirects to itself; ``/hook`` answers what a test
    puts in ``answers["/hook"]`` (accepts by default)."""
    with WebhookReceiver(answers={"/loop": (307, "/loop")}) as srv:
        yield srv


async def no_sleep(delay: float) -> None:
    return None


async def _deliver(policy: Policy, url: str) -> int:
    async with new_session(policy) as session:
        return await deliver(
            session, policy, url, b'{"a":1}', "alert-1", DeliveryOptions(secret="k"), sleep=no_sleep
        )


async def test_a_307_within_the_policy_is_followed_with_body_and_signature(
    server: WebhookReceiver,
) -> None:
    server.answers["/hook"] = (307, f"http://127.0.0.1:{server.port}/final?{TOKEN}")
    policy = Policy(("127.0.0.1",), LOOPBACK_NET)
    assert await _deliver(policy, f"http://127.0.0.1:{server.port}/hook") == 1
    [hit] = server.hits["/final"]
    assert hit.body == b'{"a":1}' and hit.headers[SIGNATURE_HEADER].startswith("sha256=")


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://localhost:{port}/final", "not on the allowlist"),  # host not allowlisted
        ("http://127.0.0.2:{port}/final", "non-public address"),  # address not allowed
        ("ftp://127.0.0.1/final", "not an http"),
        ("http://user:hunter2@127.0.0.1:{port}/final", "credentials"),
    ],
)
async def test_a_redirect_to_a_refused_target_is_not_followed(
    server: WebhookReceiver, location: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    server.answers["/hook"] = (307, location.format(port=server.port))
    policy = Policy(("127.0.0.1", "127.0.0.2"), (ipaddress.ip_network("127.0.0.1/32"),))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TargetRefused, match=reason) as caught:
        await _deliver(policy, f"http://127.0.0.1:{server.port}/hook")
    assert "/final" not in server.hits, "the refused hop received the alert"
    assert "hunter2" not in str(caught.value) and "hunter2" not in caplog.text
    assert "delivered" not in caplog.text


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_redirects_that_drop_the_body_are_reported_not_followed(
    server: WebhookReceiver, status: int
) -> None:
    server.answers["/hook"] = (status, "/final")
    policy = Policy(("127.0.0.1",), LOOPBACK_NET)
    with pytest.raises(DeliveryError, match=f"HTTP {status}"):
        await _deliver(policy, f"http://127.0.0.1:{server.port}/hook")
    assert "/final" not in server.hits


async def test_a_redirect_loop_gives_up(server: WebhookReceiver) -> None:
    policy = Policy(("127.0.0.1",), LOOPBACK_NET)
    with pytest.raises(DeliveryError, match="redirected more than"):
        await _deliver(policy, f"http://127.0.0.1:{server.port}/loop")


async def test_tokens_never_reach_errors_or_logs(
    server: WebhookReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    policy = Policy(("127.0.0.1",), LOOPBACK_NET)
    server.answers["/hook"] = (503, None)
    with pytest.raises(DeliveryError) as caught:
        await _deliver(policy, f"http://127.0.0.1:{server.port}/hook?token={TOKEN}#frag")
    assert TOKEN not in str(caught.value) and TOKEN not in caplog.text
    assert f"http://127.0.0.1:{server.port}/hook" in str(caught.value)
    # nothing listens: the connection error quotes the host, never the query
    unused = f"http://127.0.0.1:1/hook?token={TOKEN}"
    with pytest.raises(DeliveryError) as caught:
        await _deliver(policy, unused)
    assert TOKEN not in str(caught.value) and TOKEN not in caplog.text


def test_a_url_with_credentials_is_refused_without_printing_them() -> None:
    with pytest.raises(TargetRefused) as caught:
        Policy(("hooks.example.org",)).check_url(
            "https://alice:s3cr3t-pw@hooks.example.org/x?sig=abc", resolve=False
        )
    message = str(caught.value)
    assert "credentials" in message and "https://hooks.example.org/x" in message
    assert "s3cr3t-pw" not in message and "alice" not in message and "sig=abc" not in message


def test_redaction_keeps_scheme_host_port_and_path() -> None:
    assert redact_url("https://u:p@Hooks.example.org:8443/a/b?token=1#x") == (
        "https://hooks.example.org:8443/a/b"
    )
    assert redact_url("http://[::1]:80/h?x") == "http://[::1]:80/h"
    assert redact_url("http://h:notaport/x") == "<unparsable URL>"
    text = "POST https://u:p@h.example/x?k=v failed; see http://other/y?q=1"
    assert redact_text(text) == "POST https://h.example/x failed; see http://other/y"
