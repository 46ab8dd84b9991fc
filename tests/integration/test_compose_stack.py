"""End to end: the compose stack built and run for real under podman (``make compose-check``).

docker-compose.yml plus docker-compose.no-registry.yml (which replaces only what an image registry
would have supplied: the Python base image, Kafka's image, MinIO's images). The test builds the
images, brings the stack up in the compose file's dependency order, waits for every health check,
publishes the seed article from the host, reads its entity/quote/event records from the host,
finds it in the archive with ``wirestream archive query``, receives a signed alert on a webhook
receiver on the host, restarts the extractor with an article published while it is down and sees
that article's records too, then ``down -v``. Every step's wall-clock time is printed.

Where podman cannot run, the test fails (it does not skip) and says what to install.
``WIRESTREAM_COMPOSE_KEEP=1`` leaves the stack running after the test for a look around.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from fixtures.compose import (
    INSTALL_HINT,
    ROOT,
    ComposeError,
    Stack,
    Timings,
    missing_host_tools,
    podman_compose_path,
    podman_env,
    run,
    start_order,
)
from wirestream.testkit.net import quiet_port
from wirestream.testkit.waiting import wait_until
from wirestream.testkit.webhooks import WebhookReceiver

pytestmark = [pytest.mark.compose, pytest.mark.timeout(3000)]

PROJECT = os.environ.get("WIRESTREAM_COMPOSE_PROJECT", "wirestream-e2e")
SEED = ROOT / "tests" / "data" / "seed_article.json"
KINDS = ("entity", "quote", "event")
TOPIC_OF = {"entity": "entities", "quote": "quotes", "event": "events"}
WIRESTREAM = str(Path(sys.executable).parent / "wirestream")
WEBHOOK_RULE = "watched-speaker"
"""The sample rule the seed article fires (a Dmitry Peskov quote); the test gives it a webhook."""


def expected_counts(article: Path, env: dict[str, str]) -> Counter[str]:
    """Records per kind that the same code extracts from the article offline."""
    done = run([WIRESTREAM, "extract", str(article)], env=env, timeout=300)
    kinds = Counter(json.loads(line)["kind"] for line in done.stdout.splitlines() if line.strip())
    return Counter({k: kinds[k] for k in KINDS})


def read_records(kind: str, env: dict[str, str], *, total: int, idle: float) -> Counter[str]:
    """Records of ``kind`` per article id, read from the host with ``wirestream tail``: from the
    beginning until the topic has given ``total`` records or ``idle`` seconds passed without one."""
    command = [WIRESTREAM, "tail", TOPIC_OF[kind], "--json", "--from-beginning"]
    done = run(
        [*command, "--max", str(total), "--timeout", str(idle)],
        env=env,
        timeout=idle + 120,
    )
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return Counter(json.loads(line)["article_id"] for line in lines)


def archive_counts(article_id: str, env: dict[str, str]) -> dict[str, int] | None:
    """Rows of the article in the archive per view, via ``wirestream archive query`` (None while
    the archive has no file of some kind yet)."""
    views = {"article": "articles", "entity": "entities", "quote": "quotes", "event": "events"}
    sql = "SELECT " + ", ".join(
        f"(SELECT count(*) FROM {view} WHERE article_id = '{article_id}') AS {kind}"
        for kind, view in views.items()
    )
    done = run(
        [WIRESTREAM, "archive", "query", "--format", "json", sql], env=env, timeout=120, check=False
    )
    if done.returncode != 0:
        return None
    row: dict[str, int] = json.loads(done.stdout.splitlines()[0])
    return row


def webhook_rules(path: Path, url: str) -> Path:
    """The sample rules with a webhook on :data:`WEBHOOK_RULE` (written beside ``path``)."""
    rules = yaml.safe_load((ROOT / "deploy" / "alerter" / "rules.yaml").read_text("utf-8"))
    for rule in rules["rules"]:
        if rule["name"] == WEBHOOK_RULE:
            rule["webhooks"] = [url]
    path.write_text(yaml.safe_dump(rules, sort_keys=False), "utf-8")
    path.chmod(0o644)
    return path


def alerts_received(receiver: WebhookReceiver) -> list[dict[str, Any]]:
    """The alerts the receiver accepted (signature verified), parsed."""
    return [json.loads(hit.body) for hit in receiver.received]


def test_compose_stack_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problems = missing_host_tools()
    if problems:
        pytest.fail(f"cannot run the compose stack here: {'; '.join(problems)}. {INSTALL_HINT}")
    compose_bin = podman_compose_path()
    assert compose_bin is not None

    ports = {
        "WIRESTREAM_COMPOSE_KAFKA_PORT": quiet_port(),
        "WIRESTREAM_COMPOSE_EXTRACTOR_PORT": quiet_port(),
        "WIRESTREAM_COMPOSE_WEB_PORT": quiet_port(),
        "WIRESTREAM_COMPOSE_MINIO_PORT": quiet_port(),
        "WIRESTREAM_COMPOSE_MINIO_CONSOLE_PORT": quiet_port(),
    }
    env = podman_env({k: str(v) for k, v in ports.items()})
    # Only the compose files' defaults and this test's settings: nothing from the caller's shell.
    for key in list(env):
        if key.startswith(("WIRESTREAM_ALERTER_", "WIRESTREAM_KAFKA_", "MINIO_", "ARCHIVE_")):
            del env[key]
    stack = Stack(project=PROJECT, env=env, compose_bin=compose_bin)
    host = dict(
        env,
        WIRESTREAM_KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{ports['WIRESTREAM_COMPOSE_KAFKA_PORT']}",
        WIRESTREAM_ARCHIVER_ARCHIVE_URL="s3://wirestream-archive/records",
        WIRESTREAM_ARCHIVER_S3_ENDPOINT=f"http://127.0.0.1:{ports['WIRESTREAM_COMPOSE_MINIO_PORT']}",
        WIRESTREAM_ARCHIVER_S3_ACCESS_KEY="wirestream",
        WIRESTREAM_ARCHIVER_S3_SECRET_KEY="wirestream-dev-only",
        WIRESTREAM_ARCHIVER_S3_REGION="us-east-1",
    )
    timings = Timings()
    notes: list[str] = []
    receiver: WebhookReceiver | None = None
    services: list[str] = []
    passed = False
    try:
        with timings.step("base images (debootstrap; python 3.11, JRE 17)"):
            run([str(ROOT / "deploy/images/build-base.sh")], env=env, timeout=1800)
        with timings.step("kafka image (Maven jars on the JRE image)"):
            run([str(ROOT / "deploy/kafka/image/build-image.sh")], env=env, timeout=1200)
        config = stack.config()
        with timings.step("build: deploy/Dockerfile + S3 image (podman-compose build)"):
            # One service per image: the Wirestream services share wirestream:local.
            for service in ("extractor", "minio"):
                stack.build(service, config["services"][service]["image"], timeout=1800)
        services = sorted(config["services"])
        for image in sorted({svc["image"] for svc in config["services"].values()}):
            out = stack.podman("image", "inspect", "--format", "{{.Size}} {{.Config.User}}", image)
            size, _, user = out.stdout.strip().partition(" ")
            notes.append(f"image {image}: {int(size) / 1e6:.0f} MB, user {user or 'root'}")
        runs_as = stack.podman(
            "image", "inspect", "--format", "{{.Config.User}}", "wirestream:local"
        )
        assert runs_as.stdout.strip() == "wirestream", (
            f"wirestream:local runs as {runs_as.stdout!r}"
        )
        healthcheck = stack.podman(
            "image", "inspect", "--format", "{{json .Config.Healthcheck}}", "wirestream:local"
        ).stdout
        assert "healthcheck.py" in healthcheck, f"no HEALTHCHECK in wirestream:local: {healthcheck}"

        with timings.step("down -v (leftovers of an earlier run)"):
            stack.down()
        counts = expected_counts(SEED, host)
        assert all(counts[k] > 0 for k in KINDS), f"the seed article gives {counts}"

        stages = [[name for name, _ in stage] for stage in start_order(config)]
        for number, stage in enumerate(start_order(config), 1):
            names = [name for name, _ in stage]
            with timings.step(f"up -d stage {number}: {', '.join(names)}"):
                if number > 1 and receiver is None and "alerter" in names:
                    gateway = stack.gateway()
                    secret = secrets.token_hex(16)
                    receiver = WebhookReceiver(host=gateway, secret=secret)
                    port = receiver.start()
                    url = f"http://host.containers.internal:{port}/alerts"
                    rules = webhook_rules(tmp_path / "rules.yaml", url)
                    stack.env.update(
                        WIRESTREAM_COMPOSE_ALERTER_RULES=str(rules),
                        WIRESTREAM_ALERTER_WEBHOOK_ALLOWLIST="host.containers.internal",
                        WIRESTREAM_ALERTER_WEBHOOK_ALLOW_NETWORKS=f"{gateway}/32",
                        WIRESTREAM_ALERTER_WEBHOOK_SECRET=secret,
                    )
                stack.compose("up", "-d", "--no-deps", *names, timeout=600)
            for name, condition in stage:
                with timings.step(f"  {name}: {condition.removeprefix('service_')}"):
                    stack.wait_for(name, condition, timeout=360)
        assert receiver is not None, "no alerter service in the compose file"
        with timings.step("the image's own HEALTHCHECK in each worker"):
            for name in ("extractor", "archiver", "alerter", "copies", "incidents", "web"):
                stack.podman("exec", stack.container(name), "python", "/app/deploy/healthcheck.py")

        seed = json.loads(SEED.read_text("utf-8"))
        with timings.step("publish the seed article from the host"):
            run([WIRESTREAM, "publish", "--no-progress", str(SEED)], env=host, timeout=120)
        with timings.step("read its entity/quote/event records from the host"):
            for kind in KINDS:
                got = read_records(kind, host, total=counts[kind], idle=300)
                assert got == {seed["id"]: counts[kind]}, f"{kind}: {got}, {counts[kind]} expected"
        notes.append(f"seed article records: {dict(counts)}")

        with timings.step("the alert reaches the webhook receiver on the host"):
            wait_until(
                f"a signed {WEBHOOK_RULE} alert on the webhook receiver",
                lambda: any(a.get("rule") == WEBHOOK_RULE for a in alerts_received(receiver)),
                420,
                interval=2.0,
            )
        assert receiver.bad_signatures == 0
        alert = next(a for a in alerts_received(receiver) if a.get("rule") == WEBHOOK_RULE)
        assert seed["id"] in alert["article_ids"], alert
        notes.append(f"webhook alert: {json.dumps(alert)[:200]}")

        with timings.step("the article in the archive (wirestream archive query)"):
            want = {"article": 1, **{k: counts[k] for k in KINDS}}
            rows = wait_until(
                f"{want} rows of {seed['id']} in the archive",
                lambda: (c := archive_counts(seed["id"], host)) is not None and c == want and c,
                300,
                interval=5.0,
            )
        notes.append(f"archive rows: {rows}")

        after = dict(seed, id=f"{seed['id']}-after-restart")
        after_file = tmp_path / "after-restart.json"
        after_file.write_text(json.dumps(after), "utf-8")
        with timings.step("restart the extractor, an article published while it is down"):
            stack.compose("stop", "extractor", timeout=180)
            run([WIRESTREAM, "publish", "--no-progress", str(after_file)], env=host, timeout=120)
            stack.compose("start", "extractor", timeout=180)
            stack.wait_healthy("extractor", timeout=360)
        with timings.step("its records after the restart (nothing lost)"):
            for kind in KINDS:
                want_both = {seed["id"]: counts[kind], after["id"]: counts[kind]}
                got = read_records(kind, host, total=2 * counts[kind], idle=300)
                assert got == want_both, f"{kind}: {got}, {want_both} expected"
        with timings.step("no record twice (each topic read to its end)"):
            for kind in KINDS:
                want_both = {seed["id"]: counts[kind], after["id"]: counts[kind]}
                got = read_records(kind, host, total=2 * counts[kind] + 1, idle=5)
                assert got == want_both, f"{kind}: {got}, {want_both} expected"

        if os.environ.get("WIRESTREAM_COMPOSE_KEEP") != "1":
            with timings.step("down -v (stopped in reverse start order)"):
                stack.down(reversed(stages))
            left = stack.podman(
                "ps", "-a", "-q", "--filter", f"label=io.podman.compose.project={PROJECT}"
            ).stdout.split()
            assert not left, f"containers left after down -v: {left}"
        passed = True
    except (ComposeError, AssertionError, subprocess.SubprocessError) as exc:
        report = stack.diagnostics(services) if services else ""
        raise AssertionError(f"{exc}\n{report}") from exc
    finally:
        if receiver is not None:
            receiver.stop()
        with capsys.disabled():
            print("\n" + timings.table(f"compose end-to-end ({PROJECT}), seconds per step:"))
            for note in notes:
                print(f"  {note}")
        if not passed and os.environ.get("WIRESTREAM_COMPOSE_KEEP") != "1":
            try:
                stack.down()
            except ComposeError as exc:
                print(f"down -v after the failure failed too: {exc}", file=sys.stderr)
