"""Candidate quotes of one article: the :class:`Finder` that reads quote marks and reporting verbs
on the parse, and the :class:`Candidate` quotes it proposes (the rules are :mod:`.find`'s)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Token

from wirestream.core.extraction.cleaning import CleanText
from wirestream.core.extraction.entities import EntityIndex
from wirestream.core.extraction.quotes.attribution import attribution_start
from wirestream.core.extraction.quotes.lexicon import QuoteLexicon, QuoteWords, load_lexicon
from wirestream.core.extraction.quotes.marks import Quoted, find_quoted, paragraphs
from wirestream.core.extraction.quotes.speakers import Resolved, subject_of

QuoteType = Literal["direct", "indirect", "mixed"]

MIXED_MIN_QUOTED_WORDS = 3
"""Reported speech carrying at least this many quoted words is *mixed*; fewer are a quoted term."""
MIN_DIRECT_WORDS = 4
"""A quoted stretch with fewer words is a quote only when a cue is attached to it."""
HEADLINE_MAX_WORDS = 20
"""A paragraph of at most this many words without closing punctuation is a headline or sub-head."""
_TRAILER_TOKENS = 16
_END = frozenset(".!?")
_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "dobj"})
_CLAUSE_DEPS = frozenset({"acl", "ccomp", "relcl"})
_INDIRECT_POS = frozenset({"VERB", "AUX", "NOUN"})
"""Parts of speech of an indirect cue: a reporting verb (:meth:`Finder._verb`) or a cue noun."""
_STRIP = " \t\n,;:-."


@dataclass
class Candidate:
    start: int
    end: int
    type: QuoteType
    order: int
    cue: tuple[int, int, str] | None = None  # start, end, lemma
    subject: Token | None = None
    floating: bool = False
    closed: bool = True
    chain: int | None = None
    para: int = 0
    act: int = -1
    """Where the speech act (speaker, cue) starts, for splitting reported speech nested in another."""
    speaker: Resolved | None = field(default=None, repr=False)


class Finder:
    """The candidate quotes of one analysed article (see :mod:`.find` for the rules)."""

    def __init__(self, doc: Doc, body: str, clean: CleanText, entities: EntityIndex) -> None:
        self.doc = doc
        self.body = body
        self.text = clean.text
        self.lex: QuoteLexicon = load_lexicon()
        self.entities = entities
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.tok_starts = [t.idx for t in doc]
        title = (clean.title or "").strip().lower()
        self.headline = [self._is_headline(lo, hi, title) for lo, hi in self.paras]
        self.noise = clean.set_aside()
        quoted = [q for q in find_quoted(self.text) if self._readable(q)]
        self.quoted = quoted
        self.embedded: list[Quoted] = []
        """Quoted stretches inside a sentence with no cue of their own (set by :meth:`direct`)."""
        self.in_quote = [False] * len(doc)
        self.label = [self._is_label(q) for q in quoted]
        for q in quoted:
            for i in self._tokens_in(q.start, q.end):
                self.in_quote[i] = True

    # ---- geometry -------------------------------------------------------------------------

    def para_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, offset) - 1)

    def _tokens_in(self, start: int, end: int) -> range:
        lo = bisect.bisect_left(self.tok_starts, start)
        hi = bisect.bisect_left(self.tok_starts, end)
        return range(lo, hi)

    def _is_headline(self, lo: int, hi: int, title: str) -> bool:
        line = self.text[lo:hi].strip()
        if title and line.lower() == title:
            return True
        bare = line.rstrip("\"' ")
        return bool(bare) and bare[-1] not in ".!?:;," and len(line.split()) <= HEADLINE_MAX_WORDS

    def _readable(self, q: Quoted) -> bool:
        if q.end <= q.start or not self.text[q.start : q.end].strip():
            return False
        if self.headline[self.para_of(q.start)]:
            return False
        i = bisect.bisect_right(self.noise, (q.start, len(self.text))) - 1
        return not (i >= 0 and self.noise[i][1] > q.start)

    def _is_label(self, q: Quoted) -> bool:
        before = self.text[max(0, q.open_at - 40) : q.open_at].lower().split()
        return any(
            len(before) >= len(seq) and tuple(before[-len(seq) :]) == seq
            for seq in self.lex.label_signals
        )

    def words(self, start: int, end: int) -> int:
        return sum(1 for i in self._tokens_in(start, end) if self.doc[i].is_alpha)

    # ---- cues -----------------------------------------------------------------------------

    def _verb(self, token: Token, *, direct: bool) -> bool:
        if token.pos_ not in ("VERB", "AUX") or self.in_quote[token.i]:
            return False
        entry = self.lex.verbs.get(token.lemma_.lower())
        if entry is None:
            return False
        return entry.direct if direct else entry.indirect

    def _cue(self, verb: Token) -> tuple[int, int, str]:
        end = verb.idx + len(verb)
        for child in verb.rights:
            if child.dep_ == "prt" and child.i == verb.i + 1:
                end = child.idx + len(child)
        nxt = verb.i + 1
        if nxt < len(self.doc) and self.doc[nxt].lower_ in self.lex.words.channel_prepositions:
            words = [t.text for t in self.doc[nxt + 1 : nxt + 4]]
            for seq in self.lex.channels:
                if (
                    tuple(words[: len(seq)]) == seq
                    or tuple(w.lower() for w in words[: len(seq)]) == seq
                ):
                    last = self.doc[nxt + len(seq)]
                    end = last.idx + len(last)
                    break
        return verb.idx, end, verb.lemma_.lower()

    # ---- direct ---------------------------------------------------------------------------

    def direct(self) -> list[Candidate]:
        """Direct quotes: quoted stretches that stand as a sentence or follow a cue, with their
        cue verb when one is attached; continued paragraphs of one quote share a chain."""
        out: list[Candidate] = []
        chain = 0
        for n, q in enumerate(self.quoted):
            found = self._direct_cue(n, q)
            if found is None:
                continue
            verb, para, sentence_start = found
            words = self.words(q.start, q.end)
            if verb is None and words < MIN_DIRECT_WORDS:
                continue
            if _title_case(self.text[q.start : q.end].rstrip()) and words < 8:
                continue  # a title ("Face the Nation", "The Kid Who Would Be King")
            if verb is None and not sentence_start:
                continue
            if q.continued and out and out[-1].chain is not None:
                link = out[-1].chain
            else:
                chain += 1
                link = chain
            out.append(self._direct_candidate(q, verb, para, link))
        return out

    def _direct_cue(self, n: int, q: Quoted) -> tuple[Token | None, int, bool] | None:
        """(cue verb or None, paragraph, whether it starts a sentence) of the ``n``-th quoted
        stretch; None for a label, a short single-quoted phrase, or a fragment inside a sentence
        (kept in :attr:`embedded`)."""
        if self.label[n]:
            return None
        if q.mark == "'" and self.words(q.start, q.end) < MIN_DIRECT_WORDS:
            return None
        para = self.para_of(q.start)
        lo, hi = self.paras[para]
        prev_end = lo
        if n > 0 and self.quoted[n - 1].end >= lo:
            prev_end = self.quoted[n - 1].end + 1
        nxt_start = hi
        if n + 1 < len(self.quoted) and self.quoted[n + 1].start <= hi:
            nxt_start = self.quoted[n + 1].open_at
        lead = self.text[prev_end : q.open_at]
        lead_s = lead.rstrip()
        content = self.text[q.start : q.end].rstrip()
        sentence_start = not lead_s or lead_s[-1] in _END or not lead.strip(" ,")
        after_cue = bool(lead_s) and lead_s[-1] in ",:"
        verb: Token | None = None
        if not (sentence_start or after_cue):
            # inside a sentence: a quote only right after its verb ('said "…"'); otherwise a
            # fragment of reported speech (mixed) or a label
            verb = self._lead_cue(prev_end, q.open_at, strict=True)
            if verb is None:
                self.embedded.append(q)
                return None
        else:
            verb = self._trailer_cue(q, content, nxt_start)
            if verb is None and after_cue:
                verb = self._lead_cue(prev_end, q.open_at, strict=False)
        return verb, para, sentence_start

    def _direct_candidate(self, q: Quoted, verb: Token | None, para: int, link: int) -> Candidate:
        end = q.end
        while end > q.start and self.text[end - 1] in " ,;":
            end -= 1  # the framing sentence's comma, not the speaker's
        cand = Candidate(
            start=q.start,
            end=end,
            type="direct",
            order=min(q.start, verb.idx) if verb is not None else q.start,
            closed=q.closed,
            chain=link if (q.continues or q.continued) else None,
            para=para,
        )
        if verb is not None:
            cand.cue = self._cue(verb)
            cand.subject = self._subject(verb)
        else:
            cand.floating = True
        return cand

    def _trailer_cue(self, q: Quoted, content: str, stop: int) -> Token | None:
        if not q.closed or q.continues:
            return None
        after = q.end + 1
        rest = self.text[after:stop]
        stripped = rest.lstrip(" ,")
        if not stripped:
            return None
        if stripped[0] in "-(":
            return None
        # after a closed sentence ('"…?" He now calls it…') only a bare 'Smith said.' attributes
        limit = 4 if content[-1:] in _END and not stripped[0].islower() else _TRAILER_TOKENS
        found = None
        for count, i in enumerate(self._tokens_in(after, stop)):
            token = self.doc[i]
            if token.text in _END or token.text == ";":
                break
            if count > limit:
                return None if limit == 4 else found
            if found is None and self._verb(token, direct=True):
                found = token
                if limit != 4:
                    return found
        return found

    def _lead_cue(self, start: int, stop: int, *, strict: bool) -> Token | None:
        tokens = [self.doc[i] for i in self._tokens_in(start, stop)]
        if strict:
            # "said "…"" with no comma: the verb must be right before the quote
            return tokens[-1] if tokens and self._verb(tokens[-1], direct=True) else None
        for token in reversed(tokens[-_TRAILER_TOKENS:]):
            if token.text in _END:
                break
            if self._verb(token, direct=True):
                return token
        return None

    def fragments(self, taken: list[Candidate]) -> list[Candidate]:
        """Quoted words inside a sentence, framed by a verb before them ('calls it "a mistake"')."""
        out = []
        for q in self.embedded:
            if any(c.start <= q.start < c.end for c in taken):
                continue
            tokens = self._tokens_in(q.start, q.end)
            if not tokens:
                continue
            verb = self.doc[tokens[0]].head
            for _ in range(3):
                if self._verb(verb, direct=True) and verb.idx < q.start:
                    break
                verb = verb.head
            else:
                continue
            if not self._verb(verb, direct=True) or self.para_of(verb.idx) != self.para_of(q.start):
                continue
            subject = self._subject(verb)
            if subject is None or _title_case(self.text[q.start : q.end]):
                continue
            end = q.end
            while end > q.start and self.text[end - 1] in " ,;":
                end -= 1
            cand = Candidate(
                start=q.start,
                end=end,
                type="direct",
                order=min(q.start, verb.idx, subject.idx),
                para=self.para_of(q.start),
                subject=subject,
                closed=q.closed,
            )
            cand.cue = self._cue(verb)
            out.append(cand)
        return out

    def _subject(self, verb: Token) -> Token | None:
        """The verb's subject; failing a parse, the name written just before it in the paragraph."""
        para = self.para_of(verb.idx)
        subject = subject_of(verb)
        if subject is not None and self.para_of(subject.idx) == para:
            return subject
        lo = self.paras[para][0]
        for i in range(verb.i - 1, max(-1, verb.i - 25), -1):
            token = self.doc[i]
            if token.idx < lo or self.in_quote[i] or token.text in _END:
                break
            entity = self.entities.at(token.idx, token.idx + len(token))
            if entity is not None and entity.type in ("PERSON", "ORGANIZATION"):
                return token
            if token.lower_ in self.lex.words.subject_pronouns or (
                token.pos_ == "NOUN"
                and (
                    token.lower_ in self.lex.speaker_nouns or token.lemma_ in self.lex.speaker_nouns
                )
            ):
                return token
        return None

    # ---- indirect -------------------------------------------------------------------------

    def indirect(self) -> list[Candidate]:
        out: list[Candidate] = []
        for token in self.doc:
            if self.in_quote[token.i] or token.is_space:
                continue
            if token.pos_ not in _INDIRECT_POS and token.lower_ != "according":
                continue  # no branch below applies (a cue verb, a cue noun or "according to")
            para = self.para_of(token.idx)
            if self.headline[para]:
                continue
            if self._verb(token, direct=False):
                entry = self.lex.verbs[token.lemma_.lower()]
                found = False
                for child in token.children:
                    kind = child.dep_
                    if kind not in _COMPLEMENT_DEPS or kind not in entry.complements:
                        continue
                    if kind == "dobj" and child.lemma_.lower() not in self.lex.cue_nouns:
                        continue
                    if kind == "ccomp" and not _reports_a_statement(child, self.lex.words):
                        continue
                    cand = self._content(token, child, para, self._subject(token))
                    if cand is not None:
                        out.append(cand)
                        found = True
                if not found and token.dep_ == "parataxis":
                    out.extend(self._parataxis(token, para))
            elif token.pos_ == "NOUN" and token.lemma_.lower() in self.lex.cue_nouns:
                if self._verb(token.head, direct=False):
                    continue  # the verb's own complement covers it
                head = token.head if token.dep_ in ("dobj", "pobj") else None
                if head is not None and head.dep_ == "prep":  # "said in a statement that"
                    head = head.head
                for child in token.children:
                    if child.dep_ in _CLAUSE_DEPS and _has_that(child):
                        subject = subject_of(head) if head is not None else None
                        if head is not None and self._verb(head, direct=False):
                            cand = self._content(head, child, para, subject)
                        else:
                            cand = self._content(token, child, para, subject, noun=True)
                        if cand is not None:
                            out.append(cand)
            elif token.lower_ == "according" and token.i + 1 < len(self.doc):
                cand = self._according(token, para)
                if cand is not None:
                    out.append(cand)
        return out

    def _content(
        self, cue: Token, comp: Token, para: int, subject: Token | None, *, noun: bool = False
    ) -> Candidate | None:
        lo, hi = self.paras[para]
        if not lo <= comp.idx < hi or subject is None:
            return None
        start = max(lo, comp.left_edge.idx)
        last = comp.right_edge
        end = min(hi, last.idx + len(last))
        if start <= cue.idx < end:
            if comp.i < cue.i:
                return None
            start = cue.idx + len(cue)  # "wounds that authorities said did not appear ..."
        start, end = self.trim(start, end)
        if self.words(start, end) < 3:
            return None
        cand = Candidate(
            start=start,
            end=end,
            type="indirect",
            order=min(start, cue.idx, subject.idx),
            para=para,
            subject=subject,
        )
        cand.cue = (cue.idx, cue.idx + len(cue), cue.lemma_.lower()) if noun else self._cue(cue)
        own = subject.head is cue and subject.i < cue.i
        cand.act = subject.left_edge.idx if own else cue.idx
        return cand

    def _parataxis(self, verb: Token, para: int) -> list[Candidate]:
        """ "Prices will fall, she said, and rates with them": the clause around the aside."""
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return []
        head = verb.head
        lo, hi = self.paras[para]
        c_lo = max(lo, head.left_edge.idx)
        c_hi = min(hi, head.right_edge.idx + len(head.right_edge))
        a_lo = verb.left_edge.idx
        a_hi = verb.right_edge.idx + len(verb.right_edge)
        out = []
        for start, end in (self.trim(c_lo, a_lo), self.trim(a_hi, c_hi)):
            if self.words(start, end) < 3 or any(
                self.in_quote[i] for i in self._tokens_in(start, end)
            ):
                continue
            out.append(_indirect(start, end, para, subject, self._cue(verb)))
        return out

    def _according(self, token: Token, para: int) -> Candidate | None:
        to = self.doc[token.i + 1]
        if to.lower_ != "to":
            return None
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return None
        head = token.head
        while head.dep_ not in ("ROOT", "ccomp", "conj") and head.head is not head:
            head = head.head
        s_lo, s_hi = self.paras[para]
        a_lo, a_hi = token.left_edge.idx, to.right_edge.idx + len(to.right_edge)
        c_lo = max(s_lo, head.left_edge.idx)
        c_hi = min(s_hi, head.right_edge.idx + len(head.right_edge))
        before, after = self.trim(c_lo, a_lo), self.trim(a_hi, c_hi)
        start, end = max((before, after), key=lambda r: self.words(*r))
        if self.words(start, end) < 3:
            return None
        return _indirect(start, end, para, pobj, (token.idx, to.idx + len(to), "according to"))

    def trim(self, start: int, end: int) -> tuple[int, int]:
        text = self.text
        while start < end and text[start] in _STRIP:
            start += 1
        while end > start and text[end - 1] in _STRIP:
            end -= 1
        while True:
            cut = text.rfind(" ", start, end)
            if cut < 0 or text[cut + 1 : end].lower() not in self.lex.words.dangling_conjunctions:
                break
            end = cut
            while end > start and text[end - 1] in _STRIP:
                end -= 1
        inner = text[start:end]
        if inner.count('"') % 2 == 1:  # keep the quoted words of a mixed quote whole
            if end < len(text) and text[end] == '"':
                end += 1
            elif inner.startswith('"'):
                start += 1
            elif inner.endswith('"'):
                end -= 1
        return start, end

    def cover_quoted(self, cand: Candidate) -> None:
        """Reported speech that stops inside a quoted stretch runs on to the closing mark."""
        for q in self.quoted:
            if q.start >= cand.end:
                break
            if q.start < cand.end < q.end and self.para_of(q.end) == cand.para:
                cand.end = q.end + 1 if self.text[q.end : q.end + 1] == '"' else q.end
            if q.start < cand.start < q.end and q.open_at >= self.paras[cand.para][0]:
                cand.start = q.open_at

    def end_before_attribution(self, cand: Candidate) -> None:
        """Reported speech ends before an attribution inside it ("..., according to X")."""
        cut = attribution_start(
            self.doc,
            cand.start,
            cand.end,
            self.in_quote,
            lambda t: self._verb(t, direct=True),
            self._tokens_in(cand.start, cand.end),
        )
        if cut is not None:
            start, end = self.trim(cand.start, cut)
            if self.words(start, end) >= 3:
                cand.start, cand.end = start, end

    def needs_quoted(self, lemma: str) -> bool:
        entry = self.lex.verbs.get(lemma)
        return entry is not None and entry.needs_quoted

    def quoted_words(self, start: int, end: int) -> int:
        words = 0
        for n, q in enumerate(self.quoted):
            if q.end <= start or q.start >= end or self.label[n]:
                continue
            words += self.words(max(start, q.start), min(end, q.end))
        return words


def _indirect(
    start: int, end: int, para: int, subject: Token, cue: tuple[int, int, str]
) -> Candidate:
    """Reported speech ``[start, end)`` of ``subject``, ordered at the earlier of it and its cue."""
    return Candidate(
        start=start,
        end=end,
        type="indirect",
        order=min(start, cue[0]),
        para=para,
        subject=subject,
        cue=cue,
    )


def _reports_a_statement(clause: Token, words: QuoteWords) -> bool:
    """A clause that is not an embedded question ("asked whether ...", "said why ...")."""
    first = clause.left_edge
    return not (first.lower_ in words.question_words or first.tag_ in ("WDT", "WP", "WRB"))


def _has_that(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)


def _title_case(content: str) -> bool:
    words = [w for w in content.split() if w[:1].isalpha() and len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)
