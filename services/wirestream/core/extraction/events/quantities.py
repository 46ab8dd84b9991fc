"""Numbers in news text: digits and words, their qualifier, what they count and their role.

``parse_number`` reads "38", "1,200", "1.5 million", "four", "twenty-five", "a dozen",
"two hundred and five". ``find_numbers`` finds number phrases in a spaCy span with the qualifier
written before them ("at least four" -> 4, ``at_least``; qualifiers in ``numbers.json``).
``counted_noun`` and ``role_of`` relate a number to its sentence: what it counts ("Shahed drone") and
the role the governing verb gives it (``roles.tsv``: "shot down 25" -> intercepted, "killed four"
-> killed). "25 out of 38 drones" makes 38 the whole: launched when the part was intercepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from wirestream.core.extraction.events.lexicon import EventLexicon

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")
_SKIP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"})


@dataclass(frozen=True)
class NumberMention:
    """A number phrase: tokens ``[first, last]`` of the doc, its value and qualifier.

    ``start`` is where the qualifier (if any) begins, ``end`` where the number ends (doc chars).
    """

    first: int
    last: int
    value: int
    qualifier: str
    start: int
    end: int


def _word_value(word: str, lex: EventLexicon) -> tuple[str, int] | None:
    w = word.lower()
    if _DIGITS.match(w):
        return "digit", round(float(w.replace(",", "")))
    if w in lex.multipliers:
        return "mult", lex.multipliers[w]
    if w in lex.tens:
        return "unit", lex.tens[w]
    if w in lex.units:
        return "unit", lex.units[w]
    return None


def parse_number(words: list[str], lex: EventLexicon) -> int | None:
    """The value of a number phrase given as words ("two hundred and five" -> 205), else None.

    Hyphens, "and" and commas between parts are allowed; "a"/"an" count only before "dozen" or a
    multiplier ("a dozen", "a hundred"); anything else makes the phrase not a number.
    """
    parts = [p for w in words for p in re.split(r"-(?=[a-z])", w.lower()) if p not in ("and", "")]
    if not parts:
        return None
    total = 0
    current = 0.0
    seen = False
    for i, part in enumerate(parts):
        if part in ("a", "an") and (
            i + 1 >= len(parts)
            or parts[i + 1] not in ("dozen", "hundred", "thousand", "million", "billion")
        ):
            return None
        if part == "dozen":
            current = (current or 1) * 12
            seen = True
            continue
        value = _word_value(part, lex)
        if value is None:
            return None
        kind, number = value
        if kind == "mult":
            if number == 100:
                current = (current or 1) * 100
            else:
                total += round((current or 1) * number)
                current = 0
        else:
            if part.replace(".", "").isdigit() and "." in part:
                current += float(part)
            else:
                current += number
        seen = True
    return total + round(current) if seen else None


def _is_number_token(token: Token, lex: EventLexicon) -> bool:
    if token.ent_type_ in _SKIP_ENTS:
        return False
    w = token.lower_
    if _DIGITS.match(w):
        return not (len(w) == 4 and w.startswith(("19", "20")) and token.ent_type_ != "CARDINAL")
    if w in ("a", "an", "no", "both", "single", "pair"):
        return False
    return (
        w in lex.units
        or w in lex.tens
        or w in lex.multipliers
        or w == "dozen"
        or ("-" in w and all(p in lex.tens or p in lex.units for p in w.split("-")))
    )


def _qualifier(sent: SpacySpan, first: int, lex: EventLexicon) -> tuple[str, int]:
    """The qualifier written just before token ``first`` and the token it starts at."""
    doc = sent.doc
    for size in (3, 2, 1):
        lo = first - size
        if lo < sent.start:
            continue
        words = tuple(t.lower_ for t in doc[lo:first])
        if words in lex.qualifiers:
            return lex.qualifiers[words], lo
    return "exact", first


def _not_a_count(token: Token, sent: SpacySpan, lex: EventLexicon) -> bool:
    """Digits that are a name, a range, an age or page furniture, not a count: "7-Eleven",
    "16-18 times", "John Doe, 20,", "Jane Doe (28)", "ages 20 and 21", "Image 1 of / 29"."""
    doc = sent.doc
    prev = doc[token.i - 1] if token.i > sent.start else None
    nxt = doc[token.i + 1] if token.i + 1 < sent.end else None
    if prev is not None and prev.text in ("/", "|"):
        return True
    if nxt is not None and nxt.text in ("/", "|"):
        return True
    if (
        nxt is not None
        and nxt.lower_ == "of"
        and token.i + 2 < sent.end
        and doc[token.i + 2].text in ("/", "|")
    ):
        return True  # "Image 1 of / 29"
    if (
        prev is not None
        and prev.text in ("-", "–")
        and token.i - 2 >= sent.start
        and _DIGITS.match(doc[token.i - 2].lower_)
        and not doc[token.i - 2].whitespace_
        and not prev.whitespace_
    ):
        return True  # "Eleven" in "7-Eleven", 18 in "16-18"
    if (
        _DIGITS.match(token.lower_)
        and nxt is not None
        and nxt.text in ("-", "–")
        and not token.whitespace_
        and not nxt.whitespace_
    ):
        return True  # "7-Eleven", "16-18": a name or a range
    k = token.i - 1
    while k > sent.start and (doc[k].like_num or doc[k].lower_ in (",", "and")):
        k -= 1
    if k >= sent.start and doc[k].lower_ in lex.words.age_cues and _DIGITS.match(token.lower_):
        return True  # "ages 20 and 21", "both 19"
    if (
        prev is not None
        and prev.text in (",", "(")
        and token.i - 2 >= sent.start
        and (doc[token.i - 2].pos_ == "PROPN" or doc[token.i - 2].tag_ in ("NN", "NNS"))
        and (nxt is None or nxt.text in (",", ")", ".", ";", "and"))
        and _DIGITS.match(token.lower_)
    ):
        return True  # "John Doe, 20, was shot": an age in apposition
    return bool(token.dep_ == "appos" and _DIGITS.match(token.lower_))


def find_numbers(sent: SpacySpan, lex: EventLexicon) -> list[NumberMention]:
    """Number phrases in ``sent``, with their qualifiers; years, dates, times and money excluded."""
    doc = sent.doc
    out: list[NumberMention] = []
    i = sent.start
    while i < sent.end:
        token = doc[i]
        starts_with_article = (
            token.lower_ in ("a", "an")
            and i + 1 < sent.end
            and doc[i + 1].lower_ in ("dozen", "hundred", "thousand")
        )
        if not (_is_number_token(token, lex) or starts_with_article):
            i += 1
            continue
        if _not_a_count(token, sent, lex):
            i += 1
            continue
        j = _number_end(i, sent, lex)
        if _not_counted_after(token, j, sent):
            i = j
            continue  # an age ("13-year-old"), an address ("5210 Karluk Street"), a time
        words = [t.text for t in doc[i:j] if t.text != "-"]
        value = parse_number(words, lex)
        # "one of the biggest": a partitive "one" is not a count.
        partitive_one = (
            value == 1 and j < sent.end and doc[j].lower_ == "of" and token.lower_ == "one"
        )
        if value is not None and not partitive_one:
            qualifier, q_first = _qualifier(sent, i, lex)
            out.append(
                NumberMention(
                    first=i,
                    last=j - 1,
                    value=value,
                    qualifier=qualifier,
                    start=doc[q_first].idx,
                    end=doc[j - 1].idx + len(doc[j - 1].text),
                )
            )
        i = j
    return out


def _number_end(i: int, sent: SpacySpan, lex: EventLexicon) -> int:
    """The end (exclusive) of the number phrase starting at token ``i``: number words, "dozen",
    hyphenated parts ("twenty-five"); digits take only a multiplier ("5 million")."""
    doc = sent.doc
    token = doc[i]
    j = i + 1
    while (
        j < sent.end
        and (
            not _DIGITS.match(token.lower_)  # "7 Eleven", "16 18": digits join no number word
            or doc[j].lower_ in lex.multipliers
        )
        and (
            _is_number_token(doc[j], lex)
            or doc[j].lower_ == "dozen"
            or (
                doc[j].text in ("-", "and")
                and j + 1 < sent.end
                and _is_number_token(doc[j + 1], lex)
                and doc[j + 1].lower_ not in lex.multipliers
                and doc[j].text == "-"
            )
        )
    ):
        j += 1
    return j


def _not_counted_after(token: Token, j: int, sent: SpacySpan) -> bool:
    """What follows the number phrase ending at ``j`` makes it an age ("13-year-old"), an
    address ("5210 Karluk Street") or a time, not a count."""
    doc = sent.doc
    follow = " ".join(t.lower_ for t in doc[j : min(j + 3, sent.end)])
    return (
        follow.startswith(("- year", "-year", "year - old", "years old", "- month", "months old"))
        or follow.startswith(("block", "a.m", "p.m", "o'clock", ":"))
        or (
            j < sent.end
            and doc[j].pos_ == "PROPN"
            and doc[j].ent_type_ in ("FAC", "GPE", "LOC", "")
            and token.like_num
            and len(token.text) >= 3
        )
    )


def counted_noun(number: NumberMention, doc_sent: SpacySpan, lex: EventLexicon) -> Token | None:
    """The noun a number counts: its head for ``nummod``, or the whole of "N out of M things"."""
    doc = doc_sent.doc
    last = doc[number.last]
    if last.dep_ in ("nummod", "quantmod") and last.head.pos_ in ("NOUN", "PROPN"):
        return last.head
    for child in last.children:
        if child.lower_ in lex.words.partitive_prepositions:
            for grand in child.subtree:
                if grand.pos_ in ("NOUN", "PROPN") and grand.dep_ == "pobj":
                    return grand
    if last.dep_ == "pobj" and last.head.lower_ == "of" and last.head.head.lower_ == "out":
        # 38 in "25 out of 38 drones" when the parser hangs the noun elsewhere
        for t in doc[number.last + 1 : doc_sent.end]:
            if t.pos_ in ("NOUN", "PROPN"):
                return t
    return None


def whole_of(
    number: NumberMention, numbers: list[NumberMention], doc_sent: SpacySpan
) -> NumberMention | None:
    """For "25 out of 38", the number mention 38 (the whole) when ``number`` is the part."""
    doc = doc_sent.doc
    k = number.last + 1
    if k + 1 < doc_sent.end and doc[k].lower_ == "out" and doc[k + 1].lower_ == "of":
        k += 2
    elif k < doc_sent.end and doc[k].lower_ == "of":
        k += 1
    else:
        return None
    return next((n for n in numbers if n.first == k), None)


def governing_verb(token: Token) -> Token | None:
    """The verb a noun or number depends on (through ``of``/``out``/conj chains), if any."""
    current = token
    for _ in range(6):
        head = current.head
        if head is current:
            return current if current.pos_ in ("VERB", "AUX") else None
        if current.pos_ == "VERB" and current is not token:
            return current
        if head.pos_ == "VERB" and current.dep_ in (
            "dobj",
            "nsubj",
            "nsubjpass",
            "attr",
            "npadvmod",
            "oprd",
            "ccomp",
            "dep",
            "conj",
        ):
            return head
        current = head
    return None


def particles(verb: Token) -> list[str]:
    """The verb's particles ("shot down"), also when the parser files "down" as an adverb."""
    return [
        c.lower_
        for c in verb.children
        if c.dep_ == "prt" or (c.i == verb.i + 1 and c.lower_ in ("down", "off", "up", "out"))
    ]


def role_of(verb: Token | None, lex: EventLexicon) -> str | None:
    """The role a verb gives the number it governs (``roles.tsv``), with its particle if any."""
    if verb is None:
        return None
    for prt in particles(verb):
        role = lex.roles.get(f"{verb.lemma_.lower()} {prt}")
        if role:
            return role
    return lex.roles.get(verb.lemma_.lower())


def is_projectile(noun: Token | None, lex: EventLexicon) -> bool:
    """True for drones, missiles, shells and named weapons: what can be launched and intercepted."""
    if noun is None:
        return False
    words = {t.lower_.strip("'\"") for t in noun.subtree} | {noun.lemma_.lower()}
    return bool(words & lex.words.projectiles) or any(w in lex.weapons for w in words)
