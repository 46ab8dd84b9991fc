"""Stand-ins for faust topics in agent tests (``test_context()`` has no broker to send to)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RecordingTopic:
    """Records what an agent sends: ``sent`` as ``(key, value)`` pairs, ``headers`` per send."""

    sent: list[tuple[bytes | None, bytes]] = field(default_factory=list)
    headers: list[list[tuple[str, bytes]]] = field(default_factory=list)

    async def send(
        self, *, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]] | None = None
    ) -> None:
        self.sent.append((key, value))
        self.headers.append(list(headers or []))
