"""Entity mentions: spaCy's entities (trimmed), names of the lists spaCy missed, agencies and
photographers of photo credits, "Ukraine's Air Force", and the sides of a sports report (step 1 of
:mod:`.resolve`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from wirestream.core.contracts import EntityType
from wirestream.core.extraction.cleaning import CleanText, normalise_typography
from wirestream.core.extraction.entities import teams
from wirestream.core.extraction.entities.lexicon import Lexicon

_LABELS: dict[str, EntityType] = {
    "PERSON": "PERSON",
    "ORG": "ORGANIZATION",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "NORP": "GROUP",
}
SPACE = re.compile(r"\s+")
_LEADING = re.compile(r"^(?:the|The|THE)\s+|^[^\w\"]+")
_TRAILING = re.compile(r"(?:'s|'S|')$|[^\w.]+$|(?<![A-Z])\.$")
NAME_WORD = re.compile(r"[A-Z][\w.'-]*")
_CREDIT_PART = re.compile(r"\s*(?:/|\bvia\b|\bfor\b|\(|\)|:|\bby\b)\s*")
_MAX_NGRAM = 4


@dataclass
class Mention:
    """A stretch of text that names an entity, with its label and where it came from."""

    start: int
    end: int
    surface: str
    label: EntityType | None
    source: str  # ner | lexicon | credit | propagated | team
    multiword_person: bool = False


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    for _ in range(3):
        chunk = text[start:end]
        lead = _LEADING.match(chunk)
        if lead and lead.end() < len(chunk):
            start += lead.end()
        chunk = text[start:end]
        trail = _TRAILING.search(chunk)
        if trail and trail.start() > 0:
            end = start + trail.start()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def collect_mentions(
    doc: Doc, text: str, lex: Lexicon
) -> tuple[list[Mention], bytearray, list[int]]:
    """spaCy's mentions, then gazetteer names spaCy missed; also which tokens are covered and the
    uncovered candidate tokens (capitalised proper nouns no list knows)."""
    covered = bytearray(len(doc))
    mentions = _ner_mentions(doc, text, lex, covered)
    candidates = _lexicon_mentions(doc, text, lex, covered, mentions)
    return mentions, covered, candidates


def _ner_mentions(doc: Doc, text: str, lex: Lexicon, covered: bytearray) -> list[Mention]:
    """spaCy's entities of the kinds kept, trimmed; nationality adjectives left out."""
    mentions: list[Mention] = []
    for ent in doc.ents:
        label = _LABELS.get(ent.label_)
        if label is None:
            continue
        for i in range(ent.start, ent.end):
            covered[i] = 1
        start, end = _trim(text, ent.start_char, ent.end_char)
        if end <= start:
            continue
        surface = SPACE.sub(" ", text[start:end])
        demonym = lex.demonyms.get(surface)
        if label == "GROUP" or demonym is not None:
            last = ent[-1]
            if last.pos_ == "ADJ" or last.dep_ in ("amod", "compound") or not surface[:1].isupper():
                continue  # "Russian troops": affiliation evidence, not an entity
            label = "GROUP"
        if label == "PERSON" and lex.place(lex.canonical(surface)) is not None:
            label = "LOCATION"  # "in Porto Alegre": a gazetteer place's full name is no person
        mentions.append(
            Mention(
                start,
                end,
                surface,
                label,
                "ner",
                multiword_person=label == "PERSON" and " " in surface,
            )
        )
    return mentions


def _lexicon_mentions(
    doc: Doc, text: str, lex: Lexicon, covered: bytearray, mentions: list[Mention]
) -> list[int]:
    """Add the names of the lists (longest first, up to four words) among capitalised tokens
    spaCy left uncovered; return the uncovered proper nouns no list knows."""
    candidates: list[int] = []
    n = len(doc)
    i = 0
    while i < n:
        tok = doc[i]
        if covered[i] or not (tok.is_title or (tok.is_upper and len(tok) > 1)):
            i += 1
            continue
        matched = 0
        if tok.lower_ in lex.first_words:
            for size in range(min(_MAX_NGRAM, n - i), 1, -1):
                if any(covered[i : i + size]):
                    continue
                last = doc[i + size - 1]
                surface = text[tok.idx : last.idx + len(last)]
                label = _lexicon_type(lex, surface)
                if label is not None:
                    mentions.append(
                        Mention(tok.idx, last.idx + len(last), surface, label, "lexicon")
                    )
                    matched = size
                    break
        if not matched and tok.pos_ == "PROPN":
            label = _lexicon_type(lex, tok.text)
            if label is not None:
                mentions.append(Mention(tok.idx, tok.idx + len(tok), tok.text, label, "lexicon"))
                matched = 1
            else:
                candidates.append(i)
        if matched:
            for j in range(i, i + matched):
                covered[j] = 1
            i += matched
        else:
            i += 1
    return candidates


def _lexicon_type(lex: Lexicon, surface: str) -> EntityType | None:
    name = lex.canonical(surface)
    if lex.org(name) is not None:
        return "ORGANIZATION"
    if lex.place(name) is not None:
        return "LOCATION"
    return None


def credit_mentions(body: str, clean: CleanText, lex: Lexicon) -> list[Mention]:
    """Agencies (ORGANIZATION) and photographers (PERSON) named in photo credits."""
    out: list[Mention] = []
    for noise in clean.noise:
        if noise.reason != "credit":
            continue
        span = noise.span
        pos = span.start
        for part in _CREDIT_PART.split(normalise_typography(span.text)):
            offset = body.find(part, pos, span.end) if part else -1
            if offset < 0:
                continue
            pos = offset + len(part)
            words = part.split()
            if words and words[0] in lex.words.photo_words:
                skip = len(words[0]) + (len(part) - len(part.lstrip())) + 1
                offset, part, words = offset + skip, part[skip:].strip(), words[1:]
            if not part:
                continue
            name = lex.canonical(part)
            org = lex.org(name) or lex.org(part)
            if org is not None or part in ("AP Photo", "AP"):
                end = offset + len(part)
                if part.endswith(" Photo"):
                    end -= len(" Photo")
                out.append(Mention(offset, end, body[offset:end], "ORGANIZATION", "credit"))
            elif 2 <= len(words) <= 4 and all(NAME_WORD.fullmatch(w) for w in words):
                out.append(Mention(offset, offset + len(part), part, "PERSON", "credit", True))
    return out


def join_possessive_orgs(mentions: list[Mention], text: str, lex: Lexicon) -> list[Mention]:
    """ "Ukraine" + "'s" + "Air Force" → also the organisation "Ukraine's Air Force"."""
    mentions.sort(key=lambda m: (m.start, -m.end))
    starts = {m.start: m for m in mentions}
    out = list(mentions)
    for m in mentions:
        if m.label != "LOCATION" or text[m.end : m.end + 3] != "'s ":
            continue
        place = lex.place(lex.canonical(m.surface))
        if place is None or place.feature != "country":
            continue
        head_start = m.end + 3
        following = starts.get(head_start)
        for head in lex.org_heads:
            if text.startswith(head, head_start):
                end = head_start + len(head)
                if following is not None and following.end <= end:
                    out.remove(following)
                out.append(Mention(m.start, end, text[m.start : end], "ORGANIZATION", "lexicon"))
                break
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def sports_sides(
    doc: Doc,
    text: str,
    mentions: list[Mention],
    candidates: list[int],
    covered: bytearray,
    lex: Lexicon,
) -> list[Mention]:
    """Mentions of sides in a sports report marked ``team`` (:mod:`.teams`), plus the
    unlabelled names with a score after them; players spaCy typed otherwise made PERSON; no
    mention over the story's slug (its first word, the sport)."""
    slug_end = doc[0].idx + len(doc[0])
    mentions = [m for m in mentions if m.start >= slug_end]  # "SOCCER - ...": the story's slug
    split: list[Mention] = []
    for m in mentions:
        parts = teams.split_at_scores(doc, m.start, m.end) if m.source == "ner" else []
        split.extend(Mention(s, e, text[s:e], "ORGANIZATION", "team") for s, e in parts)
        if not parts:
            split.append(m)
    mentions = split
    for m in mentions:
        if m.label in ("ORGANIZATION", "LOCATION") and teams.is_player(text, m.start, m.end, lex):
            m.label, m.multiword_person = "PERSON", " " in m.surface.strip()
        elif m.label != "GROUP" and teams.is_side(doc, m.start, m.end, m.label, lex):
            m.source = "team"
    for lo, hi in teams.unlabelled_sides(doc, candidates):
        start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
        mentions.append(Mention(start, end, text[start:end], "ORGANIZATION", "team"))
        for i in range(lo, hi):
            covered[i] = 1
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions
