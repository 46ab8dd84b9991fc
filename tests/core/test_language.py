"""Language: Latin-script text that is not confidently another language is extracted as English."""

from __future__ import annotations

from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor
from wirestream.core.extraction.language import detect

RESULTS = (
    "SOCCER - DUTCH FIRST DIVISION RESULTS\n"
    "AMSTERDAM 1996-08-25\n"
    "Ajax Amsterdam 2 Feyenoord Rotterdam 1\n"
    "PSV Eindhoven 3 Vitesse Arnhem 0\n"
    "NAC Breda 1 De Graafschap Doetinchem 1"
)
FRENCH = (
    "Le gouvernement a annoncé mardi une nouvelle réforme des retraites. Selon le ministre, "
    "les syndicats seront reçus cette semaine pour une dernière consultation avec le Premier "
    "ministre, qui ne veut pas reculer."
)
SPANISH_TABLE = "La Liga: Real Madrid 2 Las Palmas 1, Deportivo La Coruna 0 Celta de Vigo 0"


def test_results_table_is_assumed_english_and_extracted(extractor: Extractor) -> None:
    assert detect(RESULTS).tag == "en" and detect(RESULTS).assumed
    record = extractor.extract(Article(id="results", body=RESULTS)).article
    assert record.language == "en"
    assert record.language_detected and record.language_assumed and record.extracted
    assert "language_assumed" in record.model_dump()


def test_french_article_is_skipped(extractor: Extractor) -> None:
    result = extractor.extract(Article(id="fr", body=FRENCH))
    assert result.article.language == "fr"
    assert not result.article.extracted and not result.article.language_assumed
    assert result.entities == [] and result.events == []


def test_place_names_with_foreign_articles_are_not_a_language() -> None:
    # one French word three times is not French: a Spanish standings line stays extracted
    assert detect(SPANISH_TABLE).tag == "en"


def test_english_and_given_languages_are_not_assumed(extractor: Extractor) -> None:
    body = "The minister said the talks would resume in March, officials said on Tuesday."
    record = extractor.extract(Article(id="en", body=body)).article
    assert record.language == "en" and not record.language_assumed
    assert "language_assumed" not in record.model_dump()  # absent when false: messages unchanged
    given = extractor.extract(Article(id="given", body=RESULTS, language="de")).article
    assert given.language == "de" and not given.extracted and not given.language_assumed


def test_other_scripts_and_empty_text_stay_undetermined() -> None:
    assert detect("Москва заявила во вторник о новых санкциях").tag == "und"
    assert detect("12 34 56").tag == "und"
