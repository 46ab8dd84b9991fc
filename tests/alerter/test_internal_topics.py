"""The alerter creates faust's internal topics before its worker joins the group."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.alerter.app import create_service, internal_topics, load_checked_rules
from wirestream.alerter.settings import AlerterSettings
from wirestream.streaming.settings import KafkaSettings

ROOT = Path(__file__).resolve().parents[2]


def test_internal_topics_are_the_ones_faust_declares(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIRESTREAM_KAFKA_TOPIC_PREFIX", "t1.")
    settings = AlerterSettings(
        rules_file=ROOT / "deploy" / "alerter" / "rules.yaml", data_dir=tmp_path
    )
    kafka = KafkaSettings.from_env()
    svc = create_service(settings, kafka, load_checked_rules(settings))
    topics = {t.name: t for t in internal_topics(svc, kafka)}
    app_id = svc.app.conf.id
    assert set(topics) == {
        svc.sinks["hits"].get_topic_name(),
        svc.windows.changelog_topic.get_topic_name(),
        svc.suppressed.changelog_topic.get_topic_name(),
    }
    assert f"{app_id}-hits" in topics and app_id.startswith("t1.")
    for name in (f"{app_id}-windows-changelog", f"{app_id}-suppressed-changelog"):
        assert topics[name].topic_configs["cleanup.policy"] == "compact"
    assert {t.num_partitions for t in topics.values()} == {4}
