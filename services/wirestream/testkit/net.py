"""Network helpers for tests and benchmarks."""

from __future__ import annotations

import random
import socket
from pathlib import Path

EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
"""Where Linux says which ports it hands out for outgoing connections and for bind(port 0)."""
QUIET_RANGE = (20000, 32000)
"""Ports :func:`quiet_port` picks from when the ephemeral range cannot be read (Linux default
ephemeral range: 32768-60999)."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on ``host`` right now (another process may still take it before use)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _below_ephemeral() -> tuple[int, int]:
    try:
        low = int(EPHEMERAL_RANGE.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return QUIET_RANGE
    return (max(1024, low - 12000), low - 1) if low > 13024 else QUIET_RANGE


def quiet_port(host: str = "127.0.0.1", attempts: int = 200) -> int:
    """A TCP port free on ``host`` now, chosen *below* the ephemeral range, so the kernel does not
    hand it to some outgoing connection while a test holds it unbound for minutes (a compose
    stack publishes it only after its images are built)."""
    low, high = _below_ephemeral()
    for _ in range(attempts):
        port = random.randint(low, high)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    return free_port(host)
