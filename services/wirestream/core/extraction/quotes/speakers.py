"""Who speaks: the subject of a cue, resolved to an entity or a named group.

Resolution, for a cue's subject token:

- a name (or a phrase whose head is an entity mention: "the Kremlin", "Moscow", "Ukraine's Foreign
  Minister Dmytro Kuleba") → that entity; the span is the mention;
- a pronoun ("he", "she") → the previous speaker when it was a person, else the nearest person named
  before it; "it" → the previous non-person speaker, else the nearest organisation or place in a
  subject before it; "they" → the previous group or organisation speaker; the span is the pronoun;
- a bare surname or first name the entity stage left alone ("Price said") → the nearest person
  named before it with that name;
- a definite description ("the minister", "the spokesman") → the nearest person before it whose
  roles mention the noun, else the previous person speaker; "the company", "the ministry" → the
  nearest organisation before it; any other definite description ("the laid-back Cambridge
  resident") → whoever spoke last;
- a group ("Regional authorities", "The authorities in Kyiv") → that entity when its head is one,
  else a speaker without ``entity_id`` named by the phrase (without its leading article).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from wirestream.core.contracts import EntityRecord, Span, Speaker
from wirestream.core.extraction.entities import EntityIndex
from wirestream.core.extraction.quotes.lexicon import QuoteLexicon
from wirestream.core.extraction.spans import body_span

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_INHERIT = frozenset({"conj", "advcl", "xcomp", "ccomp", "relcl", "acl", "pcomp", "prep"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
_PHRASE_STOP = frozenset({"relcl", "acl", "punct", "advcl", "cc", "conj", "appos"})


@dataclass(frozen=True)
class Resolved:
    """A speaker with what later pronouns need to know about it."""

    speaker: Speaker
    person: bool
    at: int
    """Offset where the speaker was written (or resolved), for recency."""


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, inherited from the verbs it hangs on ("..., saying ..."), else None."""
    token = verb
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
        if subjects:  # the nearest, when a parse glued a sub-head's noun on as a second subject
            return min(subjects, key=lambda c: abs(c.i - verb.i))
        if token.dep_ == "relcl" and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return None
        if token.dep_ not in _INHERIT or token.head is token:
            return None
        token = token.head
    return None


class SpeakerResolver:
    """Resolves speakers in text order, remembering who spoke last."""

    def __init__(self, doc: Doc, body: str, entities: EntityIndex, lexicon: QuoteLexicon) -> None:
        self.doc = doc
        self.body = body
        self.entities = entities
        self.lexicon = lexicon
        self.last: Resolved | None = None
        persons: list[tuple[int, int, EntityRecord, bool]] = []
        others: list[tuple[int, int, EntityRecord, bool]] = []
        for entity in entities.entities:
            for mention in entity.mentions:
                if mention.field != "body":
                    continue
                row = (mention.start, mention.end, entity, self._is_subject(mention.start))
                (persons if entity.type == "PERSON" else others).append(row)
        persons.sort(key=lambda r: r[0])
        others.sort(key=lambda r: r[0])
        self._persons = persons
        self._person_starts = [r[0] for r in persons]
        self._others = others
        self._other_starts = [r[0] for r in others]

    def _is_subject(self, start: int) -> bool:
        span = self.doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None or not len(span):
            return False
        token = span[0]
        while token.dep_ in ("compound", "flat", "amod") and token.head is not token:
            token = token.head
        return token.dep_ in _SUBJECTS

    def remember(self, resolved: Resolved | None) -> None:
        if resolved is not None:
            self.last = resolved

    def resolve(self, subject: Token) -> Resolved | None:
        """The speaker written as ``subject`` (the head token of the subject phrase)."""
        lower = subject.lower_
        pronoun = self.lexicon.pronouns.get(lower)
        if pronoun is not None and subject.pos_ == "PRON":
            return self._pronoun(subject, pronoun)
        named = self._named(subject) or self._surname(subject)
        if named is not None:
            return named
        lemma = subject.lemma_.lower()
        kind = self.lexicon.speaker_nouns.get(lower) or self.lexicon.speaker_nouns.get(lemma)
        phrase = self._phrase(subject)
        first = phrase[0].lower_ if len(phrase) else ""
        if (
            kind == "person"
            and first not in self.lexicon.words.indefinite_determiners
            and subject.tag_ != "NNS"
        ):
            found = self._described(subject)
            if found is not None:
                return found
        if kind == "organisation" and first in ("the", "its") and subject.tag_ != "NNS":
            found = self._organisation(subject)
            if found is not None:
                return found
        if subject.pos_ in ("PRON", "DET", "PUNCT", "SPACE"):
            return None
        if kind is None and first == "the" and subject.tag_ == "NN":
            # "the laid-back Cambridge resident said": a definite description of whoever spoke last
            last = self.last
            if last is not None and subject.idx - last.at < 3000:
                span = body_span(self.body, *self._phrase_bounds(subject))
                return Resolved(
                    last.speaker.model_copy(update={"span": span}), last.person, subject.idx
                )
        person = (kind == "person" and subject.tag_ != "NNS") or (
            kind is None and subject.pos_ == "PROPN"  # a name the entity stage did not catch
        )
        return self._group(subject, phrase, person=person)

    def _speaker(self, entity: EntityRecord, span: Span) -> Speaker:
        return Speaker(name=entity.name, entity_id=entity.id, span=span)

    def _named(self, subject: Token) -> Resolved | None:
        candidates = [subject, *(c for c in subject.children if c.dep_ in ("appos", "compound"))]
        for token in candidates:
            entity = self.entities.at(token.idx, token.idx + len(token.text))
            if entity is None:
                continue
            if token is not subject and entity.type != "PERSON":
                continue
            mention = next(
                (
                    m
                    for m, e in self.entities.mentions_between(token.idx, token.idx + len(token))
                    if e.id == entity.id
                ),
                None,
            )
            span = mention or body_span(self.body, token.idx, token.idx + len(token))
            return Resolved(self._speaker(entity, span), entity.type == "PERSON", token.idx)
        return None

    def _surname(self, subject: Token) -> Resolved | None:
        """A bare surname or first name ("Price said", "Jordan said") of a person named in full
        before it: the nearest such person, surnames first."""
        if subject.pos_ not in ("PROPN", "NOUN") or not subject.is_title:
            return None  # the tagger often calls a surname after a quote a common noun
        end = bisect.bisect_left(self._person_starts, subject.idx)
        for last_word in (True, False):
            for i in range(end - 1, -1, -1):
                entity = self._persons[i][2]
                words = entity.name.split()
                hit = words[-1] == subject.text if last_word else subject.text in words[:-1]
                if hit or (last_word and subject.text in entity.aliases):
                    span = body_span(self.body, subject.idx, subject.idx + len(subject))
                    return Resolved(self._speaker(entity, span), True, subject.idx)
        return None

    def _pronoun(self, subject: Token, kind: str) -> Resolved | None:
        span = body_span(self.body, subject.idx, subject.idx + len(subject))
        at = subject.idx
        last = self.last
        if kind == "first":
            return None
        if kind == "person":
            if last is not None and last.person and at - last.at < 3000:
                return Resolved(last.speaker.model_copy(update={"span": span}), True, at)
            row = self._nearest(self._persons, self._person_starts, at)
            if row is not None:
                return Resolved(self._speaker(row[2], span), True, at)
            if last is not None and at - last.at < 3000:
                return Resolved(last.speaker.model_copy(update={"span": span}), True, at)
            return None
        if kind == "thing":
            sentence_start = subject.sent.start_char
            i = bisect.bisect_left(self._other_starts, at) - 1
            while i >= 0 and self._others[i][0] >= sentence_start:
                if self._others[i][2].type == "ORGANIZATION":
                    return Resolved(self._speaker(self._others[i][2], span), False, at)
                i -= 1
        if last is not None and not last.person and at - last.at < 1500:
            return Resolved(last.speaker.model_copy(update={"span": span}), False, at)
        row = self._nearest(self._others, self._other_starts, at, subject_only=True)
        speaks = ("ORGANIZATION", "LOCATION") if kind == "thing" else ("ORGANIZATION", "GROUP")
        if row is not None and row[2].type in speaks:
            return Resolved(self._speaker(row[2], span), False, at)
        return None

    def _nearest(
        self,
        rows: list[tuple[int, int, EntityRecord, bool]],
        starts: list[int],
        at: int,
        *,
        subject_only: bool = False,
    ) -> tuple[int, int, EntityRecord, bool] | None:
        i = bisect.bisect_left(starts, at) - 1
        fallback = None
        while i >= 0 and at - rows[i][0] < 2000:
            if rows[i][3]:
                return rows[i]
            if fallback is None:
                fallback = rows[i]
            i -= 1
        return None if subject_only else fallback

    def _described(self, subject: Token) -> Resolved | None:
        span = body_span(self.body, *self._phrase_bounds(subject))
        noun = subject.lower_
        at = subject.idx
        i = bisect.bisect_left(self._person_starts, at) - 1
        while i >= 0 and at - self._persons[i][0] < 3000:
            entity = self._persons[i][2]
            if any(noun in role.title.lower() for role in entity.roles):
                return Resolved(self._speaker(entity, span), True, at)
            i -= 1
        last = self.last
        if last is not None and last.person and at - last.at < 3000:
            return Resolved(last.speaker.model_copy(update={"span": span}), True, at)
        return None

    def _organisation(self, subject: Token) -> Resolved | None:
        """ "The company said": the organisation named last before it (in a subject first)."""
        span = body_span(self.body, *self._phrase_bounds(subject))
        row = self._nearest(self._others, self._other_starts, subject.idx)
        if row is None or row[2].type != "ORGANIZATION":
            return None
        return Resolved(self._speaker(row[2], span), False, subject.idx)

    def _phrase(self, subject: Token) -> list[Token]:
        lo, hi = subject.i, subject.i
        for child in subject.lefts:
            if child.dep_ not in _PHRASE_STOP:
                lo = min(lo, child.left_edge.i)
        for child in subject.rights:
            if child.dep_ == "prep":
                keep = child.lower_ in ("in", "of", "for", "from", "at")
            else:
                keep = child.dep_ not in _PHRASE_STOP
            if keep:
                hi = max(hi, child.right_edge.i)
        return [self.doc[i] for i in range(lo, hi + 1)]

    def _phrase_bounds(self, subject: Token) -> tuple[int, int]:
        phrase = self._phrase(subject)
        return phrase[0].idx, phrase[-1].idx + len(phrase[-1])

    def _group(self, subject: Token, phrase: list[Token], *, person: bool) -> Resolved:
        start, end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
        span = body_span(self.body, start, end)
        words = list(phrase)
        while words and words[0].lower_ in self.lexicon.words.determiners:
            words = words[1:]
        name = " ".join("".join(t.text_with_ws for t in words).split()) or span.text
        return Resolved(Speaker(name=name, entity_id=None, span=span), person, subject.idx)
