"""Entity resolution on short texts, and entity F1 on CoNLL-2003 dev against raw spaCy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.core.contracts import Article, EntityRecord
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.cleaning import clean
from wirestream.core.extraction.entities import resolve_entities


def _entities(extractor: Extractor, body: str, title: str | None = None) -> dict[str, EntityRecord]:
    result = extractor.extract(Article(body=body, title=title, language="en"))
    for e in result.entities:
        for m in e.mentions:
            assert (title or "" if m.field == "title" else body)[m.start : m.end] == m.text
    return {e.name: e for e in result.entities}


def test_transliterations_merge_to_one_canonical_entity(extractor: Extractor) -> None:
    body = (
        "Ukrainian President Volodymyr Zelensky spoke in Kiev on Monday. Zelenskiy said the "
        "Odessa port was hit. Later Zelenskyy's office said Kharkov was shelled too."
    )
    found = _entities(extractor, body)
    person = found["Volodymyr Zelenskyy"]
    assert person.type == "PERSON" and person.country == "UA"
    assert {m.text for m in person.mentions} >= {"Volodymyr Zelensky", "Zelenskiy", "Zelenskyy"}
    assert found["Kyiv"].aliases == ["Kiev"]
    assert found["Kyiv"].geo is not None and found["Kyiv"].geo.gazetteer_id == "geonames:703448"
    odesa = found["Odesa"]
    assert odesa.country == "UA" and odesa.geo is not None and odesa.geo.lon > 30  # not Texas
    assert found["Kharkiv"].country == "UA"


def test_roles_from_premodifiers_and_appositions(extractor: Extractor) -> None:
    body = (
        "Maria Zakharova, spokeswoman for the Russian Foreign Ministry, said on Tuesday that "
        "Britain's Foreign Secretary David Lammy was wrong. German Chancellor Olaf Scholz agreed."
    )
    found = _entities(extractor, body)
    scholz = found["Olaf Scholz"]
    assert [(r.title, r.of) for r in scholz.roles] == [("Chancellor", None)]
    assert scholz.country == "DE"
    zakharova = found["Maria Zakharova"]
    assert [r.title for r in zakharova.roles] == ["spokeswoman"]
    assert zakharova.country == "RU"


def test_credit_line_forms(extractor: Extractor) -> None:
    body = (
        "Rescuers worked through the night in Dnipro after the strike, officials said.\n"
        "AP Photo/Evgeniy Maloletka\n"
        "The regional governor said nine people were killed."
    )
    found = _entities(extractor, body)
    assert found["AP"].type == "ORGANIZATION" and found["AP"].country == "US"
    assert found["Evgeniy Maloletka"].type == "PERSON"
    assert found["Dnipro"].type == "LOCATION" and found["Dnipro"].country == "UA"


def test_nationality_words(extractor: Extractor) -> None:
    body = "The Russians fired missiles at Ukrainian cities overnight, the Ukrainian army said."
    found = _entities(extractor, body)
    assert found["Russians"].type == "GROUP" and found["Russians"].country == "RU"
    assert "Ukrainian" not in found and "Ukrainians" not in found  # adjectives are not entities


def test_organisations_with_country(extractor: Extractor) -> None:
    body = (
        "The Kremlin said talks were possible. Ukraine's Air Force said it downed 20 drones, "
        "and the Russian Ministry of Defence denied losses, according to Reuters."
    )
    found = _entities(extractor, body)
    assert (found["the Kremlin"].type, found["the Kremlin"].country) == ("ORGANIZATION", "RU")
    assert found["Ukraine's Air Force"].country == "UA"
    assert found["Russian Ministry of Defence"].country == "RU"
    assert (found["Reuters"].type, found["Reuters"].country) == ("ORGANIZATION", "GB")


RAW = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
OURS = {"PERSON": "PER", "ORGANIZATION": "ORG", "LOCATION": "LOC"}


def _f1(pred: set[tuple[str, int, int, str]], gold: set[tuple[str, int, int, str]]) -> float:
    tp = len(pred & gold)
    return 2 * tp / (len(pred) + len(gold)) if pred or gold else 1.0


@pytest.mark.shared_data
def test_conll_dev_f1_beats_raw_spacy(shared_data: Path, extractor: Extractor) -> None:
    """On the first 60 CoNLL-2003 dev documents (PER/ORG/LOC, exact span and type)."""
    lines = (shared_data / "conll2003" / "dev.jsonl").read_text("utf-8").splitlines()[:60]
    docs = [json.loads(line) for line in lines]
    gold = {
        (d["id"], e["start"], e["end"], e["type"])
        for d in docs
        for e in d["entities"]
        if e["type"] != "MISC"
    }
    articles = [Article(id=d["id"], body=d["body"], language="en") for d in docs]
    cleaned = [clean(a) for a in articles]
    raw: set[tuple[str, int, int, str]] = set()
    ours: set[tuple[str, int, int, str]] = set()
    spacy_docs = extractor.nlp.pipe((c.text for c in cleaned), batch_size=8)
    for article, text, doc in zip(articles, cleaned, spacy_docs, strict=True):
        raw |= {
            (article.id, e.start_char, e.end_char, RAW[e.label_])
            for e in doc.ents
            if e.label_ in RAW
        }
        for entity in resolve_entities(
            doc, article.body, text, article.id, revision=article.revision
        ).entities:
            if entity.type in OURS:
                ours |= {
                    (article.id, m.start, m.end, OURS[entity.type])
                    for m in entity.mentions
                    if m.field == "body"
                }
    raw_f1, our_f1 = _f1(raw, gold), _f1(ours, gold)
    print(f"CoNLL dev[:60] entity F1: raw spaCy {raw_f1:.4f}, wirestream {our_f1:.4f}")
    assert our_f1 > raw_f1 + 0.02


def test_index_lookups(extractor: Extractor, seed_article: Article) -> None:
    article = seed_article
    cleaned = clean(article)
    doc = extractor.nlp(cleaned.text)
    index = resolve_entities(doc, article.body, cleaned, article.id, revision=article.revision)
    assert index.find("Zelenskyy's") is index.find("Volodymyr Zelenskyy")
    found = index.find("Kuleba")
    assert found is not None and found.name == "Dmytro Kuleba"
    assert index.find("Kremlin") is index.find("the Kremlin")
    assert index.find("Nobody Atall") is None
    assert [e.name for e in index.with_role("minister")] == ["Dmytro Kuleba", "Wang Yi"]
