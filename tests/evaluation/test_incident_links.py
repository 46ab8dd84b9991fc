"""The evaluation's incident link file: which predicted incidents join several articles, with
each article's gold and the criteria that linked their members."""

from __future__ import annotations

from fixtures.incidents import member
from wirestream.core.incidents import cluster
from wirestream.evaluation.incidents import incident_links


def test_links_name_the_articles_their_gold_and_why_they_were_joined() -> None:
    members = [
        member("e1", "a1", killed=None),
        member("e2", "a2", killed=None),  # the same city, day and actor: linked
        member("e3", "a3", place_name="Kharkiv", lat=49.99, lon=36.23),  # alone
    ]
    gold = {"a1": ("2024-07-24", "Odesa"), "a2": ("2024-07-24", "port"), "a3": ("own", "a3")}
    texts = {"a1": "one text", "a2": "another text", "a3": "a third"}
    [row] = incident_links(cluster(members), gold, texts)
    assert [a["id"] for a in row["articles"]] == ["a1", "a2"]
    assert row["articles"][0]["gold"] == ("2024-07-24", "Odesa")
    assert not row["gold_agrees"] and row["distinct_texts"] == 2
    [link] = row["links"]
    assert sorted(link["articles"]) == ["a1", "a2"] and link["places"] == ["Odesa", "Odesa"]
    assert link["reasons"]["linked"] and link["reasons"]["place"] == "coarse"
    assert link["reasons"]["shared_names"] == ["russia"]


def test_members_of_one_article_alone_make_no_row() -> None:
    members = [member("e1", "a1", killed=None), member("e2", "a1", killed=None)]
    assert incident_links(cluster(members), {"a1": ("own", "a1")}, {"a1": "text"}) == []
