"""Sports reports: places named as clubs are organisations; countries, players and places stay."""

from __future__ import annotations

from wirestream.core.contracts import Article, EntityRecord
from wirestream.core.extraction import Extractor


def entities(extractor: Extractor, body: str) -> dict[str, str]:
    result = extractor.extract(Article(id="s", body=body, language="en"))
    return {e.name: e.type for e in result.entities}


def typed(records: list[EntityRecord]) -> dict[str, str]:
    return {e.name: e.type for e in records}


def test_county_sides_in_a_cricket_report(extractor: Extractor) -> None:
    body = (
        "CRICKET - LEICESTERSHIRE WIN BY AN INNINGS\n\n"
        "Leicestershire beat Somerset by an innings and 39 runs on Friday at Grace Road in "
        "Leicester. Surrey captain Chris Lewis said his side would recover.\n\n"
        "Scores: Somerset 83 and 174, Leicestershire 296."
    )
    types = entities(extractor, body)
    assert types.get("Leicestershire") == "ORGANIZATION"
    assert types.get("Somerset") == "ORGANIZATION"
    assert types.get("Chris Lewis") == "PERSON"


def test_results_lines_with_unknown_clubs(extractor: Extractor) -> None:
    body = (
        "SOCCER - SOUTH KOREAN PRO-SOCCER RESULTS\n\n"
        "Results of games played on Thursday.\n"
        "Pohang 3 Ulsan 2\nPuchon 2 Chonbuk 1"
    )
    types = entities(extractor, body)
    assert types.get("Puchon") == "ORGANIZATION"
    assert "SOCCER" not in types  # the slug is no entity


def test_national_sides_and_players_keep_their_types(extractor: Extractor) -> None:
    body = (
        "TENNIS - RESULTS AT THE U.S. OPEN\n\n"
        "Romania beat Lithuania 3-0 in Bucharest on Friday.\n"
        "Guy Forget ( France ) beat Felix Mantilla ( Spain ) 6-2 6-4 6-4"
    )
    types = entities(extractor, body)
    assert types.get("Romania") == "LOCATION"
    assert types.get("Guy Forget") == "PERSON"


def test_not_a_sports_report(extractor: Extractor) -> None:
    # the same syntax in news keeps the place a place
    body = "Officials in Leicester said 3 roads were closed. Leicester 2 miles north was flooded."
    assert entities(extractor, body).get("Leicester") in (None, "LOCATION")
