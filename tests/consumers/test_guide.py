"""docs/CONSUMERS.md stays true to the code: every topic with its model, key and compatibility,
every header, and the README links it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream_contracts import headers
from wirestream_contracts.topics import ALL_TOPICS, TopicSpec

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "CONSUMERS.md").read_text("utf-8")


@pytest.mark.parametrize("topic", ALL_TOPICS, ids=lambda t: t.key)
def test_every_topic_is_in_the_guide(topic: TopicSpec) -> None:
    rows = [line for line in GUIDE.splitlines() if line.startswith(f"| `{topic.name()}` |")]
    assert len(rows) == 1, f"no row for {topic.name()} in docs/CONSUMERS.md"
    cells = [c.strip() for c in rows[0].strip("|").split("|")]
    assert cells[1].startswith(f"{topic.value.__name__} v{topic.schema_version}")
    assert cells[2] == topic.message_key
    assert cells[3] == str(topic.partitions)
    assert cells[4].startswith(topic.config()["cleanup.policy"] + ",")
    assert cells[4].endswith(f" {topic.retention_ms // (24 * 3600 * 1000)} d")
    assert cells[5] == topic.compatibility


def test_every_header_is_in_the_guide() -> None:
    for name in (*headers.OWN, *headers.TRACE_CONTEXT):
        assert f"`{name}`" in GUIDE, name
    assert f"{headers.MAX_CARRIED_BYTES // 1024} KiB" in GUIDE


def test_the_readme_links_the_guide_and_lists_the_topics() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "docs/CONSUMERS.md" in readme
    assert "schemas/asyncapi.yaml" in readme
    for topic in ALL_TOPICS:
        assert f"`{topic.name()}`" in readme, topic.name()
