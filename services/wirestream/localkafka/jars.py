"""Resolve the broker's jars with Maven into a cache directory, once per Kafka version and pom."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from wirestream.errors import EnvironmentNotReadyError
from wirestream.localkafka.settings import ENV_PREFIX, LocalKafkaSettings

log = logging.getLogger(__name__)

MARKER = ".resolved"
"""File in the libs folder whose content identifies the pom and version it was resolved from."""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def libs_dir(settings: LocalKafkaSettings) -> Path:
    """``<cache_dir>/kafka-<version>/libs``."""
    return settings.resolved_cache_dir() / f"kafka-{settings.kafka_version}" / "libs"


def _fingerprint(pom: Path, version: str) -> str:
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:16]
    return f"kafka={version} pom-sha256={digest}\n"


def is_resolved(settings: LocalKafkaSettings) -> bool:
    """True when the cache holds the jars for this version and this pom."""
    marker = libs_dir(settings) / MARKER
    pom = settings.resolved_deploy_dir() / "pom.xml"
    try:
        return marker.read_text("utf-8") == _fingerprint(pom, settings.kafka_version)
    except OSError:
        return False


def find_tool(name: str, setting: str, what: str) -> str:
    """Absolute path of an executable, or an error that says how to get it."""
    path = shutil.which(name)
    if path is None:
        raise EnvironmentNotReadyError(
            f"`{name}` was not found (set {setting} if it is installed off PATH). {what}."
        )
    return path


def resolve_jars(settings: LocalKafkaSettings, *, timeout: float = 900.0) -> Path:
    """Return the folder of the broker's jars, running Maven first when the cache lacks them.

    Maven downloads into ``~/.m2`` as usual (reused across clones), then copies the runtime
    dependencies of ``deploy/kafka/pom.xml`` into a temporary folder that is renamed into place,
    so concurrent callers (two test sessions) never see a half-filled cache.
    """
    target = libs_dir(settings)
    if is_resolved(settings):
        return target
    deploy = settings.resolved_deploy_dir()
    pom = deploy / "pom.xml"
    mvn = find_tool(
        settings.mvn,
        f"{ENV_PREFIX}MVN",
        "Maven is needed once to download Apache Kafka's jars from Maven Central into "
        f"{target}: install Maven 3.6+ (Debian/Ubuntu: apt-get install maven; macOS: brew "
        "install maven), or use an existing broker by setting KAFKA_BOOTSTRAP_SERVERS",
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="libs-", dir=target.parent))
    log.info("resolving Apache Kafka %s jars with Maven into %s", settings.kafka_version, target)
    _run_maven(mvn, pom, settings.kafka_version, staging, timeout)
    (staging / MARKER).write_text(_fingerprint(pom, settings.kafka_version), "utf-8")
    _move_into_place(staging, target)
    if not is_resolved(settings):
        raise EnvironmentNotReadyError(
            f"the jar cache {target} is incomplete after resolving: remove it and retry"
        )
    return target


def _run_maven(mvn: str, pom: Path, kafka_version: str, staging: Path, timeout: float) -> None:
    """Copy the runtime dependencies of ``pom`` into ``staging`` (removed again on failure)."""
    command = [
        mvn,
        "-q",
        "-B",
        "-ntp",
        "-Dstyle.color=never",
        "-f",
        str(pom),
        f"-Dkafka.version={kafka_version}",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise EnvironmentNotReadyError(
            f"Maven did not finish resolving the Kafka jars within {timeout:.0f} s: check access "
            "to Maven Central (or a mirror in ~/.m2/settings.xml) and retry"
        ) from exc
    if done.returncode != 0 or not any(staging.glob("kafka_2.13-*.jar")):
        shutil.rmtree(staging, ignore_errors=True)
        output = _ANSI.sub("", (done.stdout + done.stderr)).strip().splitlines()
        tail = "\n".join(output[-25:])
        raise EnvironmentNotReadyError(
            f"Maven could not resolve org.apache.kafka:kafka_2.13:{kafka_version} "
            f"(exit status {done.returncode}; command: {' '.join(command)}). Check access to "
            "Maven Central (or a mirror in ~/.m2/settings.xml) and that the version exists "
            f"({ENV_PREFIX}KAFKA_VERSION). Maven said:\n{tail}"
        )


def _move_into_place(staging: Path, target: Path) -> None:
    """Rename the complete ``staging`` folder to ``target`` (replacing a stale one)."""
    if target.exists():
        # Stale (other pom) or filled meanwhile by a concurrent caller: replace it.
        old = target.with_name(f"{target.name}.old-{os.getpid()}")
        try:
            target.rename(old)
        except OSError:
            old = target
        shutil.rmtree(old, ignore_errors=True)
    try:
        staging.rename(target)
    except OSError:
        # A concurrent caller renamed its own complete folder into place first.
        shutil.rmtree(staging, ignore_errors=True)
