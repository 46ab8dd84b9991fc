"""The live view's settings: defaults, the environment, and errors naming the variable."""

from __future__ import annotations

import pytest

from wirestream.errors import ConfigurationError
from wirestream.web.settings import WebSettings


def test_defaults_bind_loopback_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WIRESTREAM_WEB_WEB_BIND", "WIRESTREAM_WEB_TOKEN", "WIRESTREAM_WEB_BACKLOG"):
        monkeypatch.delenv(name, raising=False)
    settings = WebSettings.from_env()
    assert settings.web_bind == "127.0.0.1" and settings.web_port == 6069
    assert settings.token is None and settings.backlog == 500


def test_the_token_is_a_secret_and_empty_means_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_WEB_TOKEN", "hunter2")
    settings = WebSettings.from_env()
    assert settings.token is not None and settings.token.get_secret_value() == "hunter2"
    assert "hunter2" not in str(settings) and "hunter2" not in repr(settings)
    monkeypatch.setenv("WIRESTREAM_WEB_TOKEN", "")
    assert WebSettings.from_env().token is None


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRESTREAM_WEB_BACKLOG", "0")
    with pytest.raises(ConfigurationError, match="WIRESTREAM_WEB_BACKLOG"):
        WebSettings.from_env()
