"""The start-up every service shares: common settings, flags over variables, the group id."""

from __future__ import annotations

import logging

import pytest

from wirestream.alerter.settings import AlerterSettings
from wirestream.archiver.settings import ArchiverSettings
from wirestream.copies.settings import CopiesSettings
from wirestream.errors import ConfigurationError
from wirestream.extractor.settings import ExtractorSettings
from wirestream.incidents.settings import IncidentSettings
from wirestream.streaming.service import ServiceSettings, Startup
from wirestream.web.settings import WebSettings

SERVICES: list[type[ServiceSettings]] = [
    ExtractorSettings,
    CopiesSettings,
    ArchiverSettings,
    AlerterSettings,
    IncidentSettings,
    WebSettings,
]


@pytest.mark.parametrize("settings_class", SERVICES)
def test_every_service_has_the_common_fields_under_its_prefix(
    settings_class: type[ServiceSettings], monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = settings_class.env_prefix()
    monkeypatch.setenv(f"{prefix}LOG_LEVEL", "WARNING")
    monkeypatch.setenv(f"{prefix}WEB_BIND", "0.0.0.0")
    monkeypatch.setenv(f"{prefix}PROVISION_TOPICS", "false")
    monkeypatch.setenv(f"{prefix}GROUP_ID", "g1")
    settings = settings_class.from_env()
    assert (settings.log_level, settings.web_bind, settings.provision_topics) == (
        "WARNING",
        "0.0.0.0",
        False,
    )
    assert settings.group_id == "g1"  # type: ignore[attr-defined]


@pytest.mark.parametrize("settings_class", [ExtractorSettings, CopiesSettings])
def test_the_old_app_id_variable_still_names_the_group(
    settings_class: type[ServiceSettings], monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = settings_class.env_prefix()
    monkeypatch.setenv(f"{prefix}APP_ID", "old-name")
    monkeypatch.setenv("GROUP_ID", "not-this")  # unprefixed variables are never read
    assert settings_class.from_env().group_id == "old-name"  # type: ignore[attr-defined]
    monkeypatch.setenv(f"{prefix}GROUP_ID", "new-name")
    assert settings_class.from_env().group_id == "new-name"  # type: ignore[attr-defined]
    assert settings_class.from_env(group_id="code").group_id == "code"  # type: ignore[attr-defined]


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_ARCHIVER_LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigurationError, match="WIRESTREAM_ARCHIVER_LOG_LEVEL"):
        ArchiverSettings.from_env()
    monkeypatch.setenv("WIRESTREAM_COPIES_APP_ID", "")
    with pytest.raises(ConfigurationError, match="set WIRESTREAM_COPIES_GROUP_ID:"):
        CopiesSettings.from_env()


def test_flags_override_their_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_ARCHIVER_WEB_PORT", "7001")
    monkeypatch.setenv("WIRESTREAM_ARCHIVER_LOG_LEVEL", "ERROR")
    startup = Startup("archiver", ArchiverSettings, topics=lambda settings: [])
    assert startup.begin([]).settings.web_port == 7001
    assert logging.getLogger().level == logging.ERROR
    started = startup.begin(["--web-port", "7002", "--log-level", "debug"])
    assert (started.settings.web_port, started.settings.log_level) == (7002, "DEBUG")
    assert logging.getLogger().level == logging.DEBUG
    help_text = startup.parser().format_help()
    assert "WIRESTREAM_ARCHIVER_WEB_PORT (default 6067)" in help_text
    assert "WIRESTREAM_ARCHIVER_LOG_LEVEL" in help_text
