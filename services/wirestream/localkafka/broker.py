"""Start, stop and inspect a single-node KRaft broker (broker + controller in one ``java`` process).

Files in the data directory (``LocalKafkaSettings.data_dir``):

- ``kraft/`` — Kafka's log dirs (topics, offsets, the metadata log); formatted once, kept across
  restarts;
- ``cluster.id`` — the cluster id the storage was formatted with;
- ``server.properties`` — written from ``deploy/kafka/server.properties.template`` at each start;
- ``broker.pid`` — the process id while it runs;
- ``broker.log`` — the broker's standard output and error (Log4j 2 writes to standard output).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import errno
import logging
import os
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import IO

from wirestream.errors import EnvironmentNotReadyError
from wirestream.localkafka.jars import find_tool, resolve_jars
from wirestream.localkafka.settings import ENV_PREFIX, LocalKafkaSettings

log = logging.getLogger(__name__)

MIN_JAVA = 17
LOG_ROTATE_BYTES = 20 * 1024 * 1024
"""``broker.log`` is moved to ``broker.log.1`` at start once it is larger than this."""


@dataclass(frozen=True)
class BrokerStatus:
    """What ``wirestream kafka status`` reports."""

    bootstrap_servers: str
    data_dir: Path
    log_file: Path
    pid: int | None
    ready: bool
    """A metadata round trip succeeded (only checked when the process runs)."""

    @property
    def running(self) -> bool:
        return self.pid is not None


def probe_metadata(bootstrap_servers: str, timeout: float = 5.0) -> list[str] | None:
    """Topic names from one real metadata round trip with aiokafka's admin client, or None.

    Runs on its own event loop in a helper thread, so it may be called from synchronous code and
    from inside a running event loop alike (it blocks the caller for at most ``timeout``).
    """
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.errors import KafkaError

    result: list[list[str] | None] = [None]

    async def round_trip() -> list[str]:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap_servers,
            client_id="wirestream-localkafka-probe",
            request_timeout_ms=max(1000, int(timeout * 1000)),
        )
        try:
            await admin.start()
            return sorted(await admin.list_topics())
        finally:
            await admin.close()

    def target() -> None:
        try:
            result[0] = asyncio.run(asyncio.wait_for(round_trip(), timeout))
        except (KafkaError, OSError, TimeoutError) as exc:
            log.debug("metadata probe of %s failed: %r", bootstrap_servers, exc)

    # aiokafka logs every refused connection at ERROR while the broker is still starting.
    quiet = logging.getLogger("aiokafka")
    previous = quiet.level
    quiet.setLevel(logging.CRITICAL)
    try:
        thread = threading.Thread(target=target, name="kafka-metadata-probe", daemon=True)
        thread.start()
        thread.join(timeout + 5.0)
    finally:
        quiet.setLevel(previous)
    return result[0]


def java_major_version(java: str) -> int:
    """The major version of ``java`` (``java -version`` prints it on standard error)."""
    done = subprocess.run(
        [java, "-version"], capture_output=True, text=True, timeout=60, check=False
    )
    text = done.stderr + done.stdout
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if done.returncode != 0 or match is None:
        raise EnvironmentNotReadyError(
            f"`{java} -version` failed (exit status {done.returncode}): install a Java {MIN_JAVA}+ "
            f"runtime or set {ENV_PREFIX}JAVA to one. It said: {text.strip()[:300]}"
        )
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_392"
        major = int(match.group(2))
    return major


def port_in_use(host: str, port: int) -> bool:
    """True when something listens on ``host:port`` (binding as Kafka does, with SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise EnvironmentNotReadyError(
                f"cannot bind {host}:{port} ({exc.strerror}): set {ENV_PREFIX}HOST to an address "
                "of this machine (default 127.0.0.1)"
            ) from exc
    return False


def new_cluster_id() -> str:
    """A random cluster id in Kafka's format (URL-safe base64 of 16 bytes, no padding)."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not text.startswith("-"):  # Kafka avoids ids that look like command-line options
            return text


def tail(path: Path, lines: int = 40) -> str:
    """The last ``lines`` lines of a text file ('' when it does not exist)."""
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64 * 1024))
            data = handle.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(data.splitlines()[-lines:])


def _how_it_ended(process: subprocess.Popen[bytes] | None) -> str:
    """`` (exit status 1)`` or `` (killed by SIGTERM)`` for the broker process this object
    started; nothing for one it did not start."""
    code = process.poll() if process is not None else None
    if code is None:
        return ""
    if code < 0:
        return f" (killed by {signal.Signals(-code).name})"
    return f" (exit status {code})"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError, IndexError):
        # A zombie has exited; it only waits for its parent to reap it.
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


class LocalBroker:
    """One local broker, identified by its data directory.

    Several :class:`LocalBroker` objects (or processes) may point at the same data directory: the
    pid file is the shared truth. ``start`` and ``stop`` are idempotent.
    """

    def __init__(
        self, settings: LocalKafkaSettings | None = None, *, format_options: Sequence[str] = ()
    ) -> None:
        """``format_options`` are added to ``kafka-storage format`` when the storage is first
        formatted: ``["--add-scram", "SCRAM-SHA-256=[name=alice,password=...]"]`` creates SCRAM
        users (the SASL_SSL integration test's broker)."""
        self.settings = settings or LocalKafkaSettings.from_env()
        self.format_options = tuple(format_options)
        self.data_dir = self.settings.resolved_data_dir()
        self.log_dirs = self.data_dir / "kraft"
        self.config_file = self.data_dir / "server.properties"
        self.pid_file = self.data_dir / "broker.pid"
        self.log_file = self.data_dir / "broker.log"
        self.cluster_id_file = self.data_dir / "cluster.id"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        """Where the broker of this data directory listens.

        While it runs, that is the address in the data directory's ``server.properties`` (it may
        have been started with other ports than the current settings); otherwise the settings'.
        """
        if self.pid_file.exists():
            try:
                text = self.config_file.read_text("utf-8")
            except OSError:
                text = ""
            match = re.search(r"^advertised\.listeners=PLAINTEXT://(\S+?)(?:,|$)", text, re.M)
            if match:
                return match.group(1)
        return self.settings.bootstrap_servers

    # -- state ---------------------------------------------------------------------------------

    def pid(self) -> int | None:
        """The broker's process id when it runs, else None (a stale pid file is removed).

        A broker this object started is known by its process handle; one started by another
        process (``wirestream kafka start``, then ``stop`` in a later command) by the pid file,
        checked against the process's command line."""
        if self._process is not None:
            if self._process.poll() is None:
                return self._process.pid
            self._process = None
        try:
            pid = int(self.pid_file.read_text("ascii").strip())
        except (OSError, ValueError):
            return None
        if _process_alive(pid) and self._is_our_broker(pid):
            return pid
        with contextlib.suppress(OSError):
            self.pid_file.unlink()
        return None

    def _is_our_broker(self, pid: int) -> bool:
        cmdline = Path(f"/proc/{pid}/cmdline")
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return not Path("/proc/self").exists()  # no procfs (macOS): trust the pid file
        return b"kafka.Kafka" in args and str(self.config_file).encode() in args

    def status(self, *, probe_timeout: float = 5.0) -> BrokerStatus:
        pid = self.pid()
        ready = (
            pid is not None and probe_metadata(self.bootstrap_servers, probe_timeout) is not None
        )
        return BrokerStatus(self.bootstrap_servers, self.data_dir, self.log_file, pid, ready)

    # -- start -----------------------------------------------------------------------------------

    def check_java(self) -> str:
        java = find_tool(
            self.settings.java,
            f"{ENV_PREFIX}JAVA",
            f"Apache Kafka 4 needs a Java {MIN_JAVA}+ runtime: install one (Debian/Ubuntu: "
            "apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17), or use an "
            "existing broker by setting KAFKA_BOOTSTRAP_SERVERS",
        )
        major = java_major_version(java)
        if major < MIN_JAVA:
            raise EnvironmentNotReadyError(
                f"{java} is Java {major}; Apache Kafka 4 needs Java {MIN_JAVA} or newer: install "
                f"it and put it first on PATH, or set {ENV_PREFIX}JAVA to its java executable"
            )
        return java

    def check_ports(self) -> None:
        host = self.settings.host
        for port, option, var in (
            (self.settings.port, "--port", "PORT"),
            (self.settings.controller_port, "--controller-port", "CONTROLLER_PORT"),
        ):
            if port_in_use(host, port):
                raise EnvironmentNotReadyError(
                    f"port {port} on {host} is already in use (another Kafka broker? see "
                    f"`ss -ltnp 'sport = :{port}'`): stop that process, or choose another port "
                    f"with {option} or {ENV_PREFIX}{var}"
                )

    def write_config(self) -> None:
        deploy = self.settings.resolved_deploy_dir()
        template = Template((deploy / "server.properties.template").read_text("utf-8"))
        text = template.substitute(
            host=self.settings.host,
            port=self.settings.port,
            controller_port=self.settings.controller_port,
            log_dirs=str(self.log_dirs),
        )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(text, "utf-8")

    def _java_command(self, java: str, libs: Path, main: str, *args: str) -> list[str]:
        deploy = self.settings.resolved_deploy_dir()
        heap = self.settings.heap
        return [
            java,
            f"-Xmx{heap}",
            f"-Xms{heap}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={deploy / 'log4j2.properties'}",
            f"-Dwirestream.kafka.log.level={self.settings.log_level.upper()}",
            "-cp",
            f"{libs}{os.sep}*",
            main,
            *args,
        ]

    def format_storage(self, java: str, libs: Path) -> None:
        """Format the KRaft log dirs once; a formatted data dir is left as it is."""
        if (self.log_dirs / "meta.properties").is_file():
            return
        if self.cluster_id_file.is_file():
            cluster_id = self.cluster_id_file.read_text("ascii").strip()
        else:
            cluster_id = new_cluster_id()
            self.cluster_id_file.write_text(cluster_id + "\n", "ascii")
        command = self._java_command(
            java,
            libs,
            "kafka.tools.StorageTool",
            "format",
            "--ignore-formatted",
            "-t",
            cluster_id,
            "-c",
            str(self.config_file),
            *self.format_options,
        )
        done = subprocess.run(
            command, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            said = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
            raise EnvironmentNotReadyError(
                f"formatting Kafka storage in {self.log_dirs} failed (exit status "
                f"{done.returncode}). Remove {self.data_dir} to start afresh. It said:\n{said}"
            )

    def _open_log(self) -> IO[bytes]:
        with contextlib.suppress(OSError):
            if self.log_file.stat().st_size > LOG_ROTATE_BYTES:
                self.log_file.replace(self.log_file.with_name(self.log_file.name + ".1"))
        handle = self.log_file.open("ab")
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        handle.write(f"\n==== wirestream kafka start {stamp} ====\n".encode())
        handle.flush()
        return handle

    def start(self, *, wait: bool = True) -> BrokerStatus:
        """Start the broker (resolving jars and formatting storage first when needed).

        Returns once a metadata round trip succeeds (``wait``), within ``start_timeout``.
        Raises :class:`EnvironmentNotReadyError` for no Java, no Maven, a port in use, or a broker
        that did not become ready (with the tail of ``broker.log``).
        """
        if self.pid() is not None:
            log.info("the local broker already runs (pid %s)", self.pid())
            if wait:
                self.wait_ready()
            return self.status()
        java = self.check_java()
        self.check_ports()
        libs = resolve_jars(self.settings)
        self.write_config()
        self.format_storage(java, libs)
        command = self._java_command(java, libs, "kafka.Kafka", str(self.config_file))
        with self._open_log() as output:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,  # not killed by a terminal's Ctrl-C meant for the CLI
            )
        self.pid_file.write_text(f"{self._process.pid}\n", "ascii")
        log.info(
            "started the local broker (pid %s) on %s, data in %s",
            self._process.pid,
            self.bootstrap_servers,
            self.data_dir,
        )
        if wait:
            try:
                self.wait_ready()
            except EnvironmentNotReadyError:
                self.stop()
                raise
        return self.status()

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until a metadata round trip succeeds; raise with the log's tail otherwise."""
        limit = self.settings.start_timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        while True:
            process = self._process
            if self.pid() is None:
                raise EnvironmentNotReadyError(
                    f"the local Kafka broker exited during start-up{_how_it_ended(process)}; see "
                    f"{self.log_file}. Its last lines:\n{tail(self.log_file)}"
                )
            remaining = deadline - time.monotonic()
            if probe_metadata(self.bootstrap_servers, max(1.0, min(5.0, remaining))) is not None:
                return
            if time.monotonic() >= deadline:
                raise EnvironmentNotReadyError(
                    f"the local Kafka broker on {self.bootstrap_servers} did not answer a metadata "
                    f"request within {limit:.0f} s (raise {ENV_PREFIX}START_TIMEOUT on a slow "
                    f"machine); see {self.log_file}. Its last lines:\n{tail(self.log_file)}"
                )
            time.sleep(0.25)

    # -- stop ------------------------------------------------------------------------------------

    def stop(self, timeout: float | None = None) -> bool:
        """SIGTERM (controlled shutdown), wait up to ``stop_timeout``, then SIGKILL.

        Returns False when no broker was running. The data directory is kept.
        """
        pid = self.pid()
        if pid is None:
            return False
        limit = self.settings.stop_timeout if timeout is None else timeout
        os.kill(pid, signal.SIGTERM)
        if not self._wait_exit(pid, limit):
            log.warning(
                "the local broker (pid %s) did not stop within %.0f s of SIGTERM; killing it",
                pid,
                limit,
            )
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self._wait_exit(pid, 10.0)
        with contextlib.suppress(OSError):
            self.pid_file.unlink()
        self._process = None
        log.info("stopped the local broker (pid %s)", pid)
        return True

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        process = self._process if self._process is not None and self._process.pid == pid else None
        if process is not None:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _process_alive(pid):
                return True
            time.sleep(0.1)
        return not _process_alive(pid)

    def restart(self) -> BrokerStatus:
        """Stop (SIGTERM) and start again on the same data directory and ports."""
        self.stop()
        return self.start()
