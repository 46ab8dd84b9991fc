"""Sides in sports reports: a place's name used as a club is an ORGANIZATION.

In "Leicestershire beat Somerset by an innings", "Surrey captain Chris Lewis" or a results line
("Pohang 3 Ulsan 2"), the place names are clubs. The rules (data: ``lexicons/entities/sports.tsv``):

- only in a **sports report**: the text's first word is a sport ("SOCCER - ...", "CRICKET - ...");
- a mention is a **side** when its syntax says so: subject or object of a side's verb ("beat",
  "drew", "lost"), object of a side's preposition ("lost to", "drew with", "v"), modifier of a
  side's noun ("Surrey captain", "Newcastle team mate"), or conjoined with one of these;
- or, unless spaCy called it a person (batsmen and bowlers have figures too), when a **score**
  follows it ("Warwickshire 195", "NEW YORK 74 59");
- players whom spaCy types otherwise are people: "P. Simmons 4-38", "Guy Forget ( France )";
- capitalised words spaCy left unlabelled (no entity type at all, so no month or number) with a
  score after them in a sports report are sides too ("Puchon 2 Chonbuk 1").

Countries (and the home nations of ``sports.tsv`` ``nation``) stay LOCATION: national sides are named by their country, as CoNLL-2003 annotates them,
and the country is what a reader looks them up by.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from wirestream.core.extraction.doctext import doc_text
from wirestream.core.extraction.entities.lexicon import Lexicon

_SCORE = re.compile(r"\d+(?:[-/]\d+)?")
_DATE_AFTER = re.compile(r"\s*\d{4}-\d\d-\d\d")
"""A dateline's date ("LONDON 1996-08-30") is no score."""
_INITIAL = re.compile(r"[A-Z]\.\s?\S")
_ARGS = frozenset({"nsubj", "nsubjpass", "dobj"})


def is_sports_report(doc: Doc, lex: Lexicon) -> bool:
    """Whether the text starts with a sport word followed by a dash within three tokens."""
    sports = lex.sports.get("sport", frozenset())
    words = [t for t in doc[:6] if not t.is_space]
    if not words or words[0].lower_ not in sports:
        return False
    return any(t.text in ("-", "--", "—", "–") for t in words[1:4])


def _score_after(doc: Doc, end: int) -> bool:
    if end >= len(doc) or not _SCORE.fullmatch(doc[end].text):
        return False
    return not _DATE_AFTER.match(doc_text(doc), doc[end - 1].idx + len(doc[end - 1]))


def _first_conjunct(token: Token) -> Token:
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token


def _by_syntax(span: SpacySpan, lex: Lexicon) -> bool:
    verbs = lex.sports.get("team_verb", frozenset())
    preps = lex.sports.get("team_prep", frozenset())
    nouns = lex.sports.get("team_noun", frozenset())
    if span.start > 0 and span.doc[span.start - 1].lower_ in ("v", "v.", "vs", "vs."):
        return True
    root = _first_conjunct(span.root)
    head = root.head
    if root.dep_ in _ARGS and head.lemma_.lower() in verbs:
        return True
    if root.dep_ == "pobj" and head.lower_ in preps and head.head.lemma_.lower() in verbs:
        return True
    if root.dep_ in ("compound", "poss", "nmod"):
        return head.lemma_.lower() in nouns or head.head.lemma_.lower() in nouns
    return False


def is_side(doc: Doc, start: int, end: int, label: str | None, lex: Lexicon) -> bool:
    """Whether the mention at characters ``[start, end)`` names a side (module rules)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    if _by_syntax(span, lex):
        return True
    if label == "PERSON" or _INITIAL.match(span.text):
        return False  # "Dharmasena 9-0-49-1", "P. Simmons 4-38": a player's figures
    return _score_after(doc, span.end)


def unlabelled_sides(doc: Doc, candidates: list[int]) -> list[tuple[int, int]]:
    """Token ranges of runs of capitalised words spaCy left unlabelled with a score after them."""
    out: list[tuple[int, int]] = []
    wanted = {i for i in candidates if not doc[i].ent_type_ and len(doc[i]) > 1}
    i = 0
    while i < len(doc):
        if i not in wanted:
            i += 1
            continue
        j = i
        while j + 1 in wanted and j + 1 - i < 3:
            j += 1
        if _score_after(doc, j + 1):
            out.append((i, j + 1))
        i = j + 1
    return out


def is_nation(name: str, lex: Lexicon) -> bool:
    """Whether a side's name is a country's (or a home nation's): its side stays LOCATION."""
    if name.lower() in lex.sports.get("nation", frozenset()):
        return True
    for form in (name, " ".join(w[:1] + w[1:].lower() for w in name.split(" "))):
        place = lex.place(lex.canonical(form))
        if place is not None and place.feature == "country":
            return True
    return False


_COUNTRY_AFTER = re.compile(r"\s*\(\s*([A-Z][\w.' -]{1,30}?)\s*\)")


def is_player(text: str, start: int, end: int, lex: Lexicon) -> bool:
    """Whether a name spaCy typed otherwise is a player: initials and a surname ("P. Simmons
    4-38"), or two or three capitalised words followed by a country in brackets ("Guy Forget
    ( France )"), in a sports report's results."""
    surface = text[start:end]
    if _INITIAL.match(surface) and " " not in surface.strip().rstrip("."):
        return True  # "T.O'Gorman"
    if _INITIAL.match(surface) and len(surface.split()) == 2:
        return True
    words = surface.split()
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() and not w.isupper() for w in words):
        return False
    after = _COUNTRY_AFTER.match(text, end)
    return after is not None and is_nation(after.group(1), lex)


def split_at_scores(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Character ranges of the names in a mention that runs over scores ("Pohang 3 Ulsan 2
    Puchon": three sides), each followed by a score; [] when the mention holds no score."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not any(_SCORE.fullmatch(t.text) for t in span):
        return []
    out: list[tuple[int, int]] = []
    run: list[Token] = []
    for token in [*span, None]:
        if token is not None and not _SCORE.fullmatch(token.text) and not token.is_space:
            if token.is_alpha or token.text in (".", "'", "-"):
                run.append(token)
            continue
        if (run and run[0].is_title) or (run and run[0].is_upper):
            out.append((run[0].idx, run[-1].idx + len(run[-1])))
        run = []
    return out
