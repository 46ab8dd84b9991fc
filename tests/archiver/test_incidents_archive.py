"""Incidents in the archive: ``incidents`` is each incident's latest state, ``incident_history``
every state it was published in; ``wirestream archive query`` reads both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.archiver.batches import write_rows
from wirestream.archiver.parquet import Message, decode
from wirestream.archiver.query import connect
from wirestream.archiver.store import ArchiveStore
from wirestream.cli import main as cli_main
from wirestream.core import jsonio
from wirestream.core.incidents import KeyState
from wirestream_contracts.incidents import IncidentMember, MemberCount

TS = 1_721_833_200_000


def member(n: int, killed: int, place: str = "Odesa", lon: float = 30.72) -> IncidentMember:
    return IncidentMember(
        op="add",
        partition_key="UA|ASSAULT",
        article_id=f"a{n}",
        event_id=f"e{n}",
        type="ASSAULT",
        outlet=f"outlet {n}",
        published_at=f"2024-07-24T1{n}:00:00+00:00",
        event_date="2024-07-24",
        place_name=place,
        country="UA",
        lat=46.48,
        lon=lon,
        feature="city",
        actors=["Russia"],
        killed=MemberCount(value=killed, qualifier="exact"),
    )


def test_latest_state_and_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    state = KeyState()
    published = []
    for m in (member(1, 2), member(2, 3), member(3, 1, place="Kharkiv", lon=36.23)):
        published.extend(state.apply(m))
    assert len(published) == 3  # the Odesa incident twice, the Kharkiv one once
    store = ArchiveStore(str(tmp_path / "archive"))
    rows = [
        decode(Message("t.incidents", 0, i, TS + i, jsonio.dumps(r)), "incident")
        for i, r in enumerate(published)
    ]
    assert {r.kind for r in rows} == {"incident"}
    write_rows(store, rows)
    con = connect(store)
    latest = con.execute(
        "SELECT id, json_extract_string(casualties, '$.killed.best') FROM incidents ORDER BY id"
    ).fetchall()
    assert len(latest) == 2
    odesa = published[1].id
    assert (odesa, "3") in latest
    history = con.execute(
        f"SELECT json_extract_string(casualties, '$.killed.best') FROM incident_history "
        f"WHERE id = '{odesa}' ORDER BY _timestamp"
    ).fetchall()
    assert [h[0] for h in history] == ["2", "3"]
    with pytest.raises(SystemExit) as done:
        sql = f"SELECT count(*) AS n FROM incident_history WHERE id = '{odesa}'"
        cli_main(["archive", "query", sql, "--format", "json", "--archive", store.root])
    assert done.value.code == 0
    assert json.loads(capsys.readouterr().out) == {"n": 2}
