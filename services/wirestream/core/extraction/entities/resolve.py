"""Resolve spaCy's entity mentions into one record per real-world thing.

On top of spaCy's NER (``doc`` is spaCy's analysis of ``CleanText.text``, the same length as the
body, so offsets carry over):

1. **Mentions**: spaCy's PERSON/ORG/GPE/LOC/FAC/NORP spans, trimmed ("the", possessive "'s",
   stray punctuation); names from the gazetteer and organisation list that spaCy missed (proper
   nouns only); agencies and photographers named in photo credits (cleaning blanks credits, so they
   are read back from the body here); "Ukraine's Air Force" joined into one organisation.
2. **Merging**: canonical names from ``aliases.tsv`` (Zelensky/Zelenskiy → Zelenskyy, Kiev →
   Kyiv), all-caps forms merged with their usual casing, and a person's surname merged into the full
   name ("Zelenskyy", "Zelenskyy's" → Volodymyr Zelenskyy). Other occurrences of a resolved name
   that spaCy missed are added.
3. **Type**: voted across mentions; organisations and curated places (countries, capitals, cities
   of a million, ``places.tsv``) override the vote; nationality words that are nouns become GROUP,
   as adjectives ("Russian troops") they are only affiliation evidence.
4. **Roles, country, geo, salience**: titles before the name ("Ukraine's Foreign Minister") or in
   apposition ("Dmitry Peskov, press secretary for Russian President Vladimir Putin"); country from
   the gazetteer, the organisation list, an affiliation the text states, or the person a role is
   held for; geo from the gazetteer (curated table first, then the most populous GeoNames city).

Entity ids are ``record_id("entity", article_id, revision, type, name[, gazetteer_id])``; entities are
sorted by first body mention. Entity names found in the title get ``field="title"`` mentions.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc

from wirestream.core.contracts import EntityRecord, EntityType, Geo, Role, Span
from wirestream.core.extraction.cleaning import CleanText, normalise_typography
from wirestream.core.extraction.entities import teams
from wirestream.core.extraction.entities.index import EntityIndex
from wirestream.core.extraction.entities.lexicon import Lexicon, Place, lexicon
from wirestream.core.extraction.entities.mentions import (
    NAME_WORD,
    SPACE,
    Mention,
    collect_mentions,
    credit_mentions,
    join_possessive_orgs,
    sports_sides,
)
from wirestream.core.extraction.spans import body_span, title_span
from wirestream.core.ids import record_id


@dataclass
class _Cluster:
    key: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    forced: EntityType | None = None
    place: Place | None = None
    country: str | None = None
    roles: list[Role] = field(default_factory=list)
    type: EntityType = "ORGANIZATION"
    role_of_entity: list[_Cluster] = field(default_factory=list)


@cache
def _appos_pattern() -> re.Pattern[str]:
    titles = lexicon().titles.pattern
    return re.compile(
        r"\s*,\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|its\s+)?"
        r"(?P<pre>(?:[A-Z][\w.-]*(?:'s)?\s+){0,3}?)"
        rf"(?<![\w-]){titles}(?![\w-])"
        r"(?P<rest>\s+(?:for|of|to|at|with|in)\s+[^,;\n]{1,80}?)?\s*(?=[,;.\n]|$)"
    )


@cache
def _premod_pattern() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){lexicon().titles.pattern}\s*,?\s*$")


def resolve_entities(
    doc: Doc, body: str, clean: CleanText, article_id: str, *, revision: str
) -> EntityIndex:
    """Mentions → clusters → typed, located, role-bearing :class:`EntityRecord` values.

    ``revision`` is the article's content revision (:attr:`Article.revision`), part of every id.
    """
    lex = lexicon()
    text = clean.text
    mentions, covered, candidates = collect_mentions(doc, text, lex)
    mentions.extend(credit_mentions(body, clean, lex))
    mentions = join_possessive_orgs(mentions, text, lex)
    if teams.is_sports_report(doc, lex):
        mentions = sports_sides(doc, text, mentions, candidates, covered, lex)
    clusters = _cluster(mentions, lex)
    _propagate(doc, text, candidates, covered, clusters)
    for cluster in clusters:
        _type_and_place(cluster, lex)
    clusters = [c for c in clusters if c.mentions]
    by_mention = sorted(
        ((m.start, m.end, c) for c in clusters for m in c.mentions), key=lambda t: (t[0], t[1])
    )
    for cluster in clusters:
        if cluster.type == "PERSON":
            _roles(cluster, text, body, lex, by_mention)
        elif cluster.type == "ORGANIZATION" and _person_like(cluster.name, lex):
            # spaCy often calls "Olaf Scholz" ORG; a title before or after the name settles it
            country = cluster.country
            cluster.country = None
            _roles(cluster, text, body, lex, by_mention)
            if cluster.roles:
                cluster.type = "PERSON"
            else:
                cluster.country = country
    for _ in range(2):  # a role held for someone gives that someone's country (Peskov → Putin)
        for cluster in clusters:
            if cluster.country is None:
                for other in cluster.role_of_entity:
                    if other.country:
                        cluster.country = other.country
                        break
    return EntityIndex(_records(clusters, body, clean, article_id, revision))


def _person_like(name: str, lex: Lexicon) -> bool:
    """Two or three capitalised words, none of them an organisation or country word."""
    words = name.split(" ")
    return (
        2 <= len(words) <= 3
        and lex.org(name) is None
        and all(NAME_WORD.fullmatch(w) and not w.isupper() for w in words)
        and not any(
            w in lex.demonyms or w in lex.places or w.lower() in lex.words.org_words for w in words
        )
    )


def _key(name: str) -> str:
    return name.casefold()


def _cluster(mentions: list[Mention], lex: Lexicon) -> list[_Cluster]:
    clusters: dict[str, _Cluster] = {}
    order: list[_Cluster] = []
    for m in mentions:
        name = lex.canonical(m.surface)
        place = None if m.multiword_person or m.label == "GROUP" else lex.place(name)
        key = f"place:{place.gazetteer_id}" if place is not None else _key(name)
        cluster = clusters.get(key)
        if cluster is None:
            cluster = _Cluster(key=key, name=place.name if place else name, place=place)
            clusters[key] = cluster
            order.append(cluster)
        elif cluster.name.isupper() and not name.isupper():
            cluster.name = name
        cluster.mentions.append(m)
    # surnames: "Zelenskyy" (whatever spaCy called it) joins "Volodymyr Zelenskyy"
    surnames: dict[str, _Cluster] = {}
    for cluster in order:
        if any(m.multiword_person for m in cluster.mentions):
            surnames.setdefault(_key(cluster.name.split(" ")[-1]), cluster)
    for cluster in order:
        if " " in cluster.name or not cluster.mentions:
            continue
        person = surnames.get(cluster.key)
        if person is None or person is cluster:
            continue
        lexical = lex.org(cluster.name) or lex.place(cluster.name)
        if lexical and not any(m.label == "PERSON" for m in cluster.mentions):
            continue
        person.mentions.extend(cluster.mentions)
        cluster.mentions = []
    return [c for c in order if c.mentions]


def _propagate(
    doc: Doc, text: str, candidates: list[int], covered: bytearray, clusters: list[_Cluster]
) -> None:
    """Add occurrences spaCy missed of names already resolved in this article (proper nouns)."""
    if not candidates:
        return
    surfaces: dict[str, _Cluster] = {}
    for cluster in clusters:
        if cluster.type == "GROUP" or all(m.label == "GROUP" for m in cluster.mentions):
            continue
        for m in cluster.mentions:
            surfaces.setdefault(m.surface, cluster)
        if any(m.multiword_person for m in cluster.mentions):
            surfaces.setdefault(cluster.name.split(" ")[-1], cluster)
    for i in candidates:
        if covered[i]:
            continue
        tok = doc[i]
        hit = surfaces.get(tok.text)
        if hit is not None:
            label = hit.mentions[0].label
            hit.mentions.append(Mention(tok.idx, tok.idx + len(tok), tok.text, label, "propagated"))
            covered[i] = 1
    for cluster in clusters:
        cluster.mentions.sort(key=lambda m: (m.start, m.end))


def _type_and_place(cluster: _Cluster, lex: Lexicon) -> None:
    name = cluster.name
    org = lex.org(name)
    place = cluster.place or (lex.place(name) if org is None else None)
    votes: Counter[EntityType] = Counter()
    for m in cluster.mentions:
        if m.label is not None:
            votes[m.label] += 2 if m.multiword_person or m.source == "credit" else 1
    has_person_name = any(m.multiword_person for m in cluster.mentions)
    side = any(m.source == "team" for m in cluster.mentions) and not has_person_name
    if side and not teams.is_nation(name, lex):
        cluster.type = "ORGANIZATION"  # "Leicestershire beat Somerset": a club, not the county
        cluster.country = place.country if place is not None else None
        cluster.place = None
        return
    if org is not None and not has_person_name:
        cluster.type = "ORGANIZATION"
        cluster.country = org.country
        cluster.name = org.name
    elif place is not None and not has_person_name:
        cluster.type = "LOCATION"
        cluster.place = place
    elif votes:
        top = max(votes.values())
        first = next(
            m.label for m in cluster.mentions if m.label is not None and votes[m.label] == top
        )
        cluster.type = first
    if cluster.type == "GROUP":
        demonym = lex.demonyms.get(name)
        if demonym is not None:
            cluster.country = demonym.country
            cluster.name = demonym.group
    elif cluster.type == "LOCATION":
        if cluster.place is None:
            cluster.place = lex.city(name)
        if cluster.place is not None:
            cluster.country = cluster.place.country
    elif cluster.type == "ORGANIZATION" and cluster.country is None:
        cluster.country = _org_country(name, lex)


def _org_country(name: str, lex: Lexicon) -> str | None:
    """ "Russian Ministry of Defence" → RU, "Ukraine's Air Force" → UA, "Bank of Japan" → JP."""
    words = name.replace("'s ", " ").split(" ")
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            chunk = " ".join(words[i : i + size])
            demonym = lex.demonyms.get(chunk)
            if demonym is not None and demonym.country:
                return demonym.country
            place = lex.places.get(lex.canonical(chunk))
            if place is not None and place.feature == "country":
                return place.country
    return None


def _affiliation(prefix: str, lex: Lexicon) -> tuple[str | None, str | None]:
    """(country, of) from the words before a title: "Russian", "Ukraine's", "the Kremlin's"."""
    words = prefix.split()[-3:]
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        chunk = " ".join(words[-size:])
        possessive = chunk.endswith("'s")
        chunk = chunk.removesuffix("'s")
        demonym = lex.demonyms.get(chunk)
        if demonym is not None and demonym.country and not possessive:
            return demonym.country, None
        canonical = lex.canonical(chunk)
        org = lex.org(canonical)
        if org is not None and possessive:
            return org.country, org.name
        place = lex.place(canonical)
        if place is not None and place.feature == "country":
            return place.country, None
    return None, None


def _roles(
    cluster: _Cluster,
    text: str,
    body: str,
    lex: Lexicon,
    by_mention: list[tuple[int, int, _Cluster]],
) -> None:
    seen: set[tuple[str, str | None]] = set()
    premod = _premod_pattern()
    appos = _appos_pattern()
    for m in cluster.mentions:
        if m.source == "credit":
            continue
        left_start = max(0, m.start - 80)
        left = text[left_start : m.start]
        cut = max(left.rfind(c) for c in '.!?\n"')
        if cut >= 0:
            left_start += cut + 1
            left = left[cut + 1 :]
        found = premod.search(left)
        if found:
            t0, t1 = left_start + found.start("title"), left_start + found.end("title")
            country, of = _affiliation(left[: found.start("title")], lex)
            _add_role(cluster, body, t0, t1, of, country, seen, None)
        right = text[m.end : m.end + 200]
        found = appos.match(right)
        if found:
            t0, t1 = m.end + found.start("title"), m.end + found.end("title")
            country, of = _affiliation(found.group("pre"), lex)
            of_cluster: _Cluster | None = None
            if found.group("rest"):
                r0, r1 = m.end + found.start("rest"), m.end + found.end("rest")
                for s, e, other in by_mention:
                    if s >= r0 and e <= r1 and other is not cluster and other.type != "GROUP":
                        of_cluster = other
                        break
            if of_cluster is not None:
                of = of_cluster.name
                if (of_cluster.type == "LOCATION" and country is None) or (
                    of_cluster.type == "ORGANIZATION" and country is None
                ):
                    country = of_cluster.country
            _add_role(cluster, body, t0, t1, of, country, seen, of_cluster)


def _add_role(
    cluster: _Cluster,
    body: str,
    start: int,
    end: int,
    of: str | None,
    country: str | None,
    seen: set[tuple[str, str | None]],
    of_cluster: _Cluster | None,
) -> None:
    span = body_span(body, start, end)
    title = SPACE.sub(" ", span.text)
    key = (title.casefold(), of)
    if country and cluster.country is None:
        cluster.country = country
    if of_cluster is not None and of_cluster.type == "PERSON":
        cluster.role_of_entity.append(of_cluster)
    if key in seen:
        return
    seen.add(key)
    cluster.roles.append(Role(title=title, span=span, of=of))


def _records(
    clusters: list[_Cluster], body: str, clean: CleanText, article_id: str, revision: str
) -> list[EntityRecord]:
    total = sum(len(c.mentions) for c in clusters) or 1
    top = max((len(c.mentions) for c in clusters), default=1)
    length = max(len(body), 1)
    title = normalise_typography(clean.title) if clean.title else ""
    records: list[EntityRecord] = []
    seen_ids: set[str] = set()
    for c in clusters:
        spans: list[Span] = []
        starts: set[tuple[int, int]] = set()
        for m in sorted(c.mentions, key=lambda m: (m.start, m.end)):
            span = body_span(body, m.start, m.end)
            if span.end > span.start and (span.start, span.end) not in starts:
                starts.add((span.start, span.end))
                spans.append(span)
        if not spans:
            continue
        surfaces = sorted({s.text for s in spans} | {m.surface for m in c.mentions})
        title_spans = _title_mentions(title, clean.title or "", surfaces) if title else []
        aliases = sorted({SPACE.sub(" ", s) for s in surfaces} - {c.name})
        geo = (
            Geo(
                lat=c.place.lat,
                lon=c.place.lon,
                gazetteer_id=c.place.gazetteer_id,
                feature=c.place.feature,
            )
            if c.place is not None and c.type == "LOCATION"
            else None
        )
        first = spans[0].start / length
        salience = (
            0.5 * len(spans) / top + 0.3 * (1.0 - first) + 0.2 * (1.0 if title_spans else 0.0)
        ) * min(1.0, 0.5 + len(spans) / total * 5)
        parts: list[object] = [c.type, c.name, *([geo.gazetteer_id] if geo else [])]
        rid = record_id("entity", article_id, revision, *parts)
        if rid in seen_ids:
            rid = record_id("entity", article_id, revision, *parts, spans[0].start)
        seen_ids.add(rid)
        records.append(
            EntityRecord(
                id=rid,
                article_id=article_id,
                revision=revision,
                name=c.name,
                type=c.type,
                mentions=[*title_spans, *spans],
                aliases=aliases,
                roles=c.roles,
                country=c.country,
                geo=geo,
                salience=round(min(1.0, max(0.0, salience)), 4),
            )
        )
    records.sort(key=lambda r: (_first_body(r), r.name))
    return records


def _first_body(record: EntityRecord) -> int:
    return min(m.start for m in record.mentions if m.field == "body")


def _title_mentions(title: str, original: str, surfaces: list[str]) -> list[Span]:
    """Spans of ``original`` where a surface occurs in ``title`` (its normalised form)."""
    out: list[Span] = []
    for surface in sorted(surfaces, key=len, reverse=True):
        at = title.find(surface)
        while at >= 0 and surface:
            end = at + len(surface)
            bounded = (at == 0 or not title[at - 1].isalnum()) and (
                end == len(title) or not title[end].isalnum()
            )
            if bounded and not any(s.start < end and at < s.end for s in out):
                out.append(title_span(original, at, end))
            at = title.find(surface, end)
    out.sort(key=lambda s: s.start)
    return out
