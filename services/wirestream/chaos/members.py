"""A synthetic member stream for the incident stage (no Kafka client, no clock).

``happenings`` happenings, each reported by ``reports`` articles of different outlets (one event,
so one member, per article: article ``a<i>-<j>``, event ``e<i>-<j>``, ``i`` the happening). The
happenings take turns over four countries (so four partition keys, ``<country>|ASSAULT``, on the
four partitions of the members topic), a day each per country from 2024-07-01 on, each at its own
place 0.7 degrees further than the last: no two happenings can be one incident, and the pure
clustering makes exactly one incident of each happening that keeps a member. The members come in
an order shuffled by ``seed``: incidents grow, and merge when a report published earlier than
their founder arrives after it. Retractions (``op: "retract"``, for every partition) withdraw
articles; a retraction may arrive before the member it withdraws, which must then stay out.

No Kafka client here; the one import from the stage is ``ALL_KEYS``, the partition key of a
retraction (sent to every partition, as ``route`` does). Used by ``wirestream chaos --stage incidents`` and ``tests/integration/test_incidents_faults.py``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from wirestream.core.incidents import cluster
from wirestream.errors import ConfigurationError
from wirestream.incidents.agents import ALL_KEYS
from wirestream_contracts.incidents import IncidentMember

COUNTRIES = ("UA", "SY", "IQ", "IL")
"""Their keys (``<country>|ASSAULT``) fall on the four partitions of the members topic."""
MAX_HAPPENINGS = 100
"""Latitudes stay below 80 degrees and a country's days within the stage's 30-day horizon."""
FIRST_DAY = date(2024, 7, 1)


def _member(i: int, j: int) -> IncidentMember:
    country = COUNTRIES[i % len(COUNTRIES)]
    day = (FIRST_DAY + timedelta(days=i // len(COUNTRIES))).isoformat()
    return IncidentMember(
        op="add",
        partition_key=f"{country}|ASSAULT",
        article_id=f"a{i:03d}-{j}",
        revision="r1",
        event_id=f"e{i:03d}-{j}",
        type="ASSAULT",
        outlet=f"outlet-{j}",
        published_at=f"{day}T{10 + j}:00:00+00:00",
        event_date=day,
        place_name=f"Place {i}",
        country=country,
        lat=10.0 + i * 0.7,
        lon=20.0 + i * 0.7,
        feature="city",
        actors=["Army"],
    )


def retraction(article_id: str) -> IncidentMember:
    return IncidentMember(
        op="retract", partition_key=ALL_KEYS, article_id=article_id, revision=None
    )


@dataclass(frozen=True)
class MemberStream:
    """``members``: the reports in publishing order (shuffled); ``retracted``: the withdrawn
    article ids; ``order``: members and retractions in publishing order."""

    members: tuple[IncidentMember, ...]
    retracted: tuple[str, ...]
    order: tuple[IncidentMember, ...]

    def happening_of(self, event_id: str) -> int | None:
        """The happening an event reports (``e<i>-<j>`` -> ``i``); None for another id."""
        head = event_id.split("-", 1)[0]
        return int(head[1:]) if head.startswith("e") and head[1:].isdigit() else None

    def standing(self) -> list[IncidentMember]:
        """The members whose article is not retracted."""
        gone = set(self.retracted)
        return [m for m in self.members if m.article_id not in gone]

    def expected(self) -> dict[str, tuple[str, ...]]:
        """What the pure clustering makes of the standing members: incident id -> event ids."""
        return {
            incident: tuple(sorted(m.event_id or "" for m in group))
            for incident, group in cluster(self.standing()).items()
        }


def member_stream(
    seed: int,
    happenings: int = 48,
    reports: int = 4,
    retractions: int | Sequence[str] = 3,
) -> MemberStream:
    """The stream of ``seed``. ``retractions``: how many articles to withdraw (chosen by the seed,
    each retraction placed at a random position in the stream), or the article ids to withdraw
    (then sent after every member, in that order)."""
    if not 1 <= happenings <= MAX_HAPPENINGS:
        raise ConfigurationError(f"--happenings must be between 1 and {MAX_HAPPENINGS}")
    if reports < 1:
        raise ConfigurationError("--reports must be at least 1")
    rng = random.Random(seed)
    members = [_member(i, j) for i in range(happenings) for j in range(reports)]
    rng.shuffle(members)
    if not isinstance(retractions, int):
        retracted = tuple(retractions)
        order = [*members, *(retraction(a) for a in retracted)]
        return MemberStream(tuple(members), retracted, tuple(order))
    if not 0 <= retractions <= len(members):
        raise ConfigurationError(f"--retractions must be between 0 and {len(members)}")
    retracted = tuple(sorted(m.article_id for m in rng.sample(members, retractions)))
    order = list(members)
    for article_id in retracted:
        order.insert(rng.randint(0, len(order)), retraction(article_id))
    return MemberStream(tuple(members), retracted, tuple(order))
