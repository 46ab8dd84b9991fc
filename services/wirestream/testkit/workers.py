"""``wirestream worker <service>`` as real processes, for integration tests, benchmarks, the demo
and the chaos harness.

:class:`WorkerProcess` runs one worker (its JSON logs to a file, its web port its own) and knows
its ``/health`` and ``/ready`` pages, its peak memory and how to stop it (SIGTERM, then SIGKILL) or
kill it. :func:`start_workers` starts several in one consumer group and waits until all are ready.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wirestream.errors import EnvironmentNotReadyError
from wirestream.streaming.settings import KafkaSettings
from wirestream.testkit.net import free_port

STARTUP_TIMEOUT = 240.0
"""Seconds a worker gets to answer ``/ready`` by default: room for two of faust's 90 s broker
request timeouts on a loaded machine, so a slow start costs start-up time, not the timeout of what
a test then checks."""


def log_excerpt(path: Path) -> str:
    """The head (start-up) and the tail of a log, for failure messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return text if len(text) <= 9000 else f"{text[:3000]}\n[...]\n{text[-6000:]}"


@dataclass
class WorkerProcess:
    """One worker subprocess: ``wirestream worker <service> --web-port <web_port> [args]``."""

    web_port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None
    service: str = "extractor"
    args: Sequence[str] = ()
    cwd: Path | None = None
    started_at: float = field(default=0.0)

    def start(self) -> WorkerProcess:
        log = self.log_path.open("ab")
        command = [sys.executable, "-m", "wirestream.cli", "worker", self.service]
        self.process = subprocess.Popen(
            [*command, "--web-port", str(self.web_port), *self.args],
            env=self.env,
            cwd=self.cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started_at = time.monotonic()
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """The head and tail of the worker's log (for failure messages)."""
        return log_excerpt(self.log_path)

    def get(self, path: str, timeout: float = 2.0) -> tuple[int, bytes]:
        """GET ``path`` on the worker's web port: (status, body); status 0 when unreachable."""
        url = f"http://127.0.0.1:{self.web_port}{path}"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as exc:
            return int(exc.code), bytes(exc.read())
        except (urllib.error.URLError, OSError):
            return 0, b""

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Until ``/ready`` answers 200; raises, with the log, when the process exits or time
        runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise EnvironmentNotReadyError(
                    f"{self.service} worker exited ({self.process and self.process.returncode}); "
                    f"its log ({self.log_path}):\n{self.log()}"
                )
            if self.get("/ready")[0] == 200:
                return
            time.sleep(0.25)
        raise EnvironmentNotReadyError(
            f"{self.service} worker not ready in {timeout:.0f}s; its log ({self.log_path}):\n"
            f"{self.log()}"
        )

    def peak_rss_bytes(self) -> int | None:
        """Peak resident memory so far (Linux ``VmHWM``); None when unknown or exited."""
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            return None
        return None

    def signal(self, signum: int) -> None:
        if self.alive():
            assert self.process is not None
            self.process.send_signal(signum)

    def stop(self, timeout: float = 30.0) -> int | None:
        """SIGTERM, wait, then SIGKILL if it does not exit in ``timeout`` seconds; the exit code."""
        if self.process is None:
            return None
        self.signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait(10)

    def dump_tasks(self, timeout: float = 5.0) -> bool:
        """SIGUSR1 (faust workers log what each asyncio task waits on,
        :mod:`wirestream.streaming.taskdump`) and wait until the dump is in the log; False when
        the worker is gone or did not write it in ``timeout`` seconds."""
        marker = "task dump (SIGUSR1)"
        before = self.log_path.read_text(errors="replace").count(marker)
        if not self.alive():
            return False
        self.signal(signal.SIGUSR1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.log_path.read_text(errors="replace").count(marker) > before:
                return True
            time.sleep(0.1)
        return False

    def kill(self) -> None:
        """SIGKILL: no shutdown at all."""
        if self.process is not None and self.alive():
            self.process.kill()
            self.process.wait(10)


def worker_env(
    kafka: KafkaSettings,
    *,
    app_id: str | None = None,
    service: str = "extractor",
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a worker for ``kafka`` (every ``WIRESTREAM_KAFKA_*``), bound to
    127.0.0.1, in consumer group ``app_id`` when given (every service's ``GROUP_ID`` setting)."""
    env = dict(os.environ)
    env.update(kafka.environment())
    prefix = f"WIRESTREAM_{service.upper()}_"
    env.update({prefix + "WEB_BIND": "127.0.0.1", "PYTHONUNBUFFERED": "1"})
    if app_id is not None:
        env[prefix + "GROUP_ID"] = app_id
    env.update(extra or {})
    return env


def start_workers(
    count: int,
    kafka: KafkaSettings,
    *,
    app_id: str,
    work_dir: Path,
    service: str = "extractor",
    extra_env: Mapping[str, str] | None = None,
    ready_timeout: float = 180.0,
    wait: bool = True,
) -> list[WorkerProcess]:
    """Start ``count`` workers of ``service`` in one consumer group and (``wait``) until all are
    ready. Logs go to ``work_dir/<service>-<i>.log`` (``worker-<i>.log`` for the extractor)."""
    workers = []
    work_dir.mkdir(parents=True, exist_ok=True)
    env = worker_env(kafka, app_id=app_id, service=service, extra=extra_env)
    stem = "worker" if service == "extractor" else service
    for index in range(count):
        log = work_dir / f"{stem}-{index}.log"
        workers.append(WorkerProcess(free_port(), env, log, service=service).start())
    if wait:
        wait_all_ready(workers, timeout=ready_timeout)
    return workers


def wait_all_ready(workers: Sequence[WorkerProcess], timeout: float = 180.0) -> None:
    """Until every worker answers ``/ready`` at the same time (after the group has settled)."""
    deadline = time.monotonic() + timeout
    while True:
        for worker in workers:
            worker.wait_ready(max(1.0, deadline - time.monotonic()))
        if all(worker.get("/ready")[0] == 200 for worker in workers):
            return
        if time.monotonic() > deadline:
            raise EnvironmentNotReadyError("workers did not all become ready")
