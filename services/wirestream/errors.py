"""One exception tree for the whole project.

Every error Wirestream raises on purpose derives from :class:`WirestreamError`. Messages say what
went wrong *and* what to do about it, because they end up in dead letters, logs and terminals.
"""

from __future__ import annotations


class WirestreamError(Exception):
    """Base of every error Wirestream raises on purpose."""


class ConfigurationError(WirestreamError):
    """A setting is missing or invalid; the message names the environment variable to set."""


class EnvironmentNotReadyError(WirestreamError):
    """A tool the command needs (Java, Maven, a free port, a broker) is not there."""


class InputError(WirestreamError):
    """An input cannot be turned into an article.

    ``stage`` says where it failed (``decode``, ``validate``); ``location`` where the input came
    from (``file.jsonl:12`` or ``topic[partition]@offset``), when known.
    """

    def __init__(self, message: str, *, stage: str = "validate", location: str | None = None):
        super().__init__(message)
        self.stage = stage
        self.location = location

    def __str__(self) -> str:
        text = super().__str__()
        return f"{self.location}: {text}" if self.location else text


class LexiconError(WirestreamError):
    """A rules or lexicon data file is malformed; the message names the file and line."""


class RulesError(WirestreamError):
    """An alerter rules file is invalid; the message names the line and field."""


class DeliveryError(WirestreamError):
    """A webhook or sink could not accept a record after its retries."""


class TruncatedDeadLetterError(WirestreamError):
    """A dead letter holds only a prefix of its original; the message says where the whole one is."""
