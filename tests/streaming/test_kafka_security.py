"""KafkaSettings' TLS and SASL options, and secrets kept out of every dump, error and --help."""

from __future__ import annotations

import logging
import ssl
import subprocess
import sys
from pathlib import Path

import faust
import pytest

from wirestream.alerter.settings import AlerterSettings
from wirestream.archiver.settings import ArchiverSettings
from wirestream.errors import ConfigurationError
from wirestream.extractor.settings import ExtractorSettings
from wirestream.streaming.connection import check_connection, split_address
from wirestream.streaming.faustapp import build_app
from wirestream.streaming.settings import KafkaSettings

PASSWORD = "pw-ab12-never-shown"
CA = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KAFKA_BOOTSTRAP_SERVERS",):
        monkeypatch.delenv(name, raising=False)


def sasl_ssl(monkeypatch: pytest.MonkeyPatch, **extra: str) -> KafkaSettings:
    env = {
        "WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS": "broker-1.example.com:9092",
        "WIRESTREAM_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "WIRESTREAM_KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
        "WIRESTREAM_KAFKA_SASL_USERNAME": "svc-wirestream",
        "WIRESTREAM_KAFKA_SASL_PASSWORD": PASSWORD,
        **extra,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return KafkaSettings.from_env()


def test_plaintext_by_default() -> None:
    kafka = KafkaSettings()
    assert kafka.client_options() == {
        "bootstrap_servers": "127.0.0.1:9092",
        "security_protocol": "PLAINTEXT",
    }
    assert kafka.faust_options() == {}


def test_sasl_ssl_options_for_aiokafka_and_faust(monkeypatch: pytest.MonkeyPatch) -> None:
    kafka = sasl_ssl(monkeypatch)
    options = kafka.client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "svc-wirestream"
    assert options["sasl_plain_password"] == PASSWORD
    context = options["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    faust_options = kafka.faust_options()
    credentials = faust_options["broker_credentials"]
    assert isinstance(credentials, faust.SASLCredentials)
    assert (
        credentials.protocol.value == "SASL_SSL" and credentials.mechanism.value == "SCRAM-SHA-512"
    )
    assert PASSWORD not in repr(credentials)
    app = build_app("security-test", kafka)
    assert isinstance(app.conf.broker_credentials, faust.SASLCredentials)
    assert app.conf.web_enabled is False


def test_ssl_only_with_a_ca_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_KAFKA_SECURITY_PROTOCOL", "SSL")
    monkeypatch.setenv("WIRESTREAM_KAFKA_SSL_CAFILE", str(CA))
    monkeypatch.setenv("WIRESTREAM_KAFKA_SSL_CHECK_HOSTNAME", "false")
    kafka = KafkaSettings.from_env()
    options = kafka.client_options()
    assert options["security_protocol"] == "SSL" and "sasl_mechanism" not in options
    assert options["ssl_context"].check_hostname is False
    assert isinstance(kafka.faust_options()["broker_credentials"], faust.SSLCredentials)


def test_the_password_never_shows(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    kafka = sasl_ssl(monkeypatch)
    caplog.set_level(logging.DEBUG)
    logging.getLogger("test").info("settings %s %r", kafka, kafka, extra={"k": kafka.describe()})
    dumps = [str(kafka), repr(kafka), kafka.model_dump_json(), str(kafka.model_dump()), caplog.text]
    for text in dumps:
        assert PASSWORD not in text
    assert "svc-wirestream" in kafka.describe() and "SCRAM-SHA-512" in kafka.describe()
    assert kafka.environment()["WIRESTREAM_KAFKA_SASL_PASSWORD"] == PASSWORD  # for children only


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"WIRESTREAM_KAFKA_SASL_PASSWORD": ""}, "WIRESTREAM_KAFKA_SASL_PASSWORD"),
        ({"WIRESTREAM_KAFKA_SASL_MECHANISM": "GSSAPI"}, "WIRESTREAM_KAFKA_SASL_MECHANISM"),
        ({"WIRESTREAM_KAFKA_SECURITY_PROTOCOL": "TLS"}, "WIRESTREAM_KAFKA_SECURITY_PROTOCOL"),
        ({"WIRESTREAM_KAFKA_SSL_CAFILE": "/nonexistent/ca.pem"}, "WIRESTREAM_KAFKA_SSL_CAFILE"),
    ],
)
def test_bad_settings_name_the_variable_not_the_secret(
    monkeypatch: pytest.MonkeyPatch, extra: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigurationError, match=named) as caught:
        sasl_ssl(monkeypatch, **extra)
    assert PASSWORD not in str(caught.value)


def test_an_unreadable_ca_file_names_the_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate")
    kafka = sasl_ssl(monkeypatch, WIRESTREAM_KAFKA_SSL_CAFILE=str(bad))
    with pytest.raises(ConfigurationError, match="WIRESTREAM_KAFKA_SSL_CAFILE"):
        kafka.client_options()


async def test_an_unreachable_broker_is_not_a_configuration_error() -> None:
    kafka = KafkaSettings(bootstrap_servers="127.0.0.1:1")
    assert await check_connection(kafka, timeout=2.0) is False


def test_split_address() -> None:
    assert split_address("h.example:9093") == ("h.example", 9093)
    assert split_address("[::1]:9092") == ("::1", 9092)
    assert split_address("h.example") == ("h.example", 9092)


def test_secrets_of_every_service_are_secret_types(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_ARCHIVER_S3_SECRET_KEY", PASSWORD)
    monkeypatch.setenv("WIRESTREAM_ALERTER_WEBHOOK_SECRET", PASSWORD)
    for settings in (ArchiverSettings.from_env(), AlerterSettings.from_env()):
        for text in (str(settings), repr(settings), settings.model_dump_json()):
            assert PASSWORD not in text


def test_web_views_bind_loopback_by_default() -> None:
    assert ExtractorSettings().web_bind == "127.0.0.1"
    assert ArchiverSettings().web_bind == "127.0.0.1"
    assert AlerterSettings().web_bind == "127.0.0.1"


def test_help_lists_the_security_variables_and_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {"WIRESTREAM_KAFKA_SASL_PASSWORD": PASSWORD, "PATH": "/usr/bin:/bin"}
    for command in ("publish", "tail", "topics", "demo", "worker"):
        done = subprocess.run(
            [sys.executable, "-m", "wirestream.cli", command, "--help"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        assert "WIRESTREAM_KAFKA_SECURITY_PROTOCOL" in done.stdout, command
        assert "WIRESTREAM_KAFKA_SASL_PASSWORD" in done.stdout, command
        assert PASSWORD not in done.stdout + done.stderr
