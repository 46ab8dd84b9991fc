"""Story versions: ordering, supersession, kills and replays (pure decisions)."""

from __future__ import annotations

from wirestream.core.stories import (
    Message,
    Tag,
    decide,
    effective_version,
    is_kill,
    wire_version,
)
from wirestream_contracts.state import StoryState


def message(
    article_id: str, version: int, ts: float, ids: tuple[str, ...], **kw: object
) -> Message:
    fields: dict[str, object] = {
        "story_id": "story-1",
        "article_id": article_id,
        "revision": f"rev-{article_id}-{version}",
        "version": version,
        "published": None,
        "timestamp": ts,
        "killed": False,
        "record_ids": ids,
    }
    fields.update(kw)
    return Message(**fields)  # type: ignore[arg-type]


def run(messages: list[Message]) -> tuple[list[str], StoryState | None, list[object]]:
    """Decide a sequence; returns the actions, the final state and every retraction/tombstone."""
    state: StoryState | None = None
    actions: list[str] = []
    sent: list[object] = []
    for m in messages:
        decision = decide(state, m)
        actions.append(decision.action)
        sent.extend(r.model_dump() for r in decision.retractions)
        sent.extend(("tombstone", t) for t in decision.tombstones)
        state = decision.state or state
    return actions, state, sent


def test_wire_tags_give_the_version_and_kill() -> None:
    assert wire_version([Tag("refile"), Tag("update", 2)]) == 3
    assert wire_version([Tag("update")]) == 2
    assert wire_version([Tag("correction")]) is None
    assert effective_version(None, [Tag("update", 1)]) == 2
    assert effective_version(5, [Tag("update", 1)]) == 5
    assert effective_version(None, []) == 1
    assert is_kill(None, [Tag("kill")])
    assert is_kill("withdrawn", [])
    assert is_kill("killed", [])
    assert not is_kill("usable", [Tag("update", 3)])


def test_a_newer_version_retracts_what_it_no_longer_produces() -> None:
    v1 = message("a1", 1, 100.0, ("art-1", "ev-1", "ev-2"))
    v2 = message("a1", 2, 200.0, ("art-2", "ev-1"))  # same article id, drops ev-2
    first = decide(None, v1)
    assert first.action == "publish" and not first.retractions and first.state is not None
    second = decide(first.state, v2)
    assert second.action == "publish"
    assert [r.record_ids for r in second.retractions] == [["art-1", "ev-2"]]
    retraction = second.retractions[0]
    assert retraction.reason == "superseded" and retraction.superseded_by == "a1"
    assert retraction.revision == "rev-a1-1" and retraction.retracted_at == "1970-01-01T00:03:20Z"
    assert second.tombstones == []  # same article id: the new article record replaces it
    assert second.state is not None and second.state.record_ids == ["art-2", "ev-1"]


def test_a_new_article_id_for_the_story_tombstones_the_old_one() -> None:
    v1 = message("a1", 1, 100.0, ("art-1",))
    v2 = message("a2", 2, 200.0, ("art-2",))
    actions, state, sent = run([v1, v2])
    assert actions == ["publish", "publish"]
    assert ("tombstone", "a1") in sent
    assert state is not None and state.article_id == "a2"


def test_an_older_version_after_a_newer_changes_nothing() -> None:
    v1 = message("a1", 1, 100.0, ("art-1",))
    v3 = message("a3", 3, 200.0, ("art-3",))
    v2_late = message("a2", 2, 300.0, ("art-2",))  # arrives last, but is older
    actions, state, sent = run([v1, v3, v2_late])
    assert actions == ["publish", "publish", "stale"]
    assert state is not None and state.article_id == "a3"
    assert len([s for s in sent if isinstance(s, dict)]) == 1  # only v1 was retracted


def test_without_versions_published_at_then_arrival_orders() -> None:
    early = message("a1", 1, 300.0, ("x",), published=1000.0)
    late = message("a2", 1, 200.0, ("y",), published=2000.0)
    assert run([late, early])[0] == ["publish", "stale"]
    assert run([early, late])[0] == ["publish", "publish"]
    # Neither has published_at: the Kafka timestamp decides.
    assert run([message("a1", 1, 1.0, ()), message("a2", 1, 2.0, ())])[0] == ["publish"] * 2


def test_the_same_message_again_is_an_idempotent_replay() -> None:
    v1 = message("a1", 1, 100.0, ("art-1", "ev-1"))
    actions, _, sent = run([v1, v1])
    assert actions == ["publish", "publish"] and sent == []


def test_a_kill_retracts_everything_and_is_final() -> None:
    v1 = message("a1", 1, 100.0, ("art-1", "ev-1"))
    v2 = message("a2", 2, 200.0, ("art-2", "ev-9"))
    kill = message("k1", 1, 300.0, ("art-k",), killed=True)  # version 1, still kills v2
    v3 = message("a3", 3, 400.0, ("art-3",))
    actions, state, sent = run([v1, v2, kill, v3])
    assert actions == ["publish", "publish", "kill", "stale"]
    killed = [s for s in sent if isinstance(s, dict) and s["reason"] == "killed"]
    assert [k["record_ids"] for k in killed] == [["art-2", "ev-9"]]
    assert ("tombstone", "a2") in sent
    assert state is not None and state.killed and state.record_ids == []


def test_a_kill_of_an_unknown_story_retracts_the_named_article() -> None:
    kill = message("a1", 1, 300.0, (), killed=True)
    decision = decide(None, kill)
    assert decision.action == "kill"
    [retraction] = decision.retractions
    assert retraction.revision is None and retraction.record_ids == []
    assert decision.tombstones == ["a1"]


def test_decisions_are_deterministic() -> None:
    seq = [
        message("a1", 1, 100.0, ("1", "2")),
        message("a2", 2, 150.0, ("3",)),
        message("a1", 1, 160.0, ("1",)),
        message("k", 1, 170.0, (), killed=True),
    ]
    assert run(seq) == run(seq)
