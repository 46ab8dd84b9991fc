"""Where reported speech stops: attributions are cues and speakers, never part of the quote.

A clause complement's subtree often runs on past the speech into its attribution: in
``that "Ukraine will not give up", according to his office`` spaCy hangs "according to" inside the
complement, and in ``prices will fall, he said, ...`` the aside is a child of the reported clause.
:func:`attribution_start` finds the first attribution inside a candidate span so the span can end
before it. Attributions recognised (rules, no settings):

- "according to X" after a comma, dash or closing quote mark;
- a reporting verb (any verb of ``lexicons/quotes/reporting_verbs.tsv``) with its own subject,
  whose phrase starts after a comma, dash or closing quote mark ("..., he said", "..., sources told
  Reuters", "..., the ministry said in a statement").

Words inside quote marks are never attributions (they are the speaker's own words).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from spacy.tokens import Doc, Token

_BREAKS = frozenset({",", "-", "--", "—", "–", '"', "”", "'", "’", "(", ";"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})


def _after_break(doc: Doc, i: int, start: int) -> bool:
    """Whether token ``i`` follows a comma, dash or quote mark that is inside the span."""
    if i <= 0:
        return False
    before = doc[i - 1]
    return before.idx >= start and before.text in _BREAKS


def _reporting_clause(token: Token, is_reporting: Callable[[Token], bool]) -> bool:
    if not is_reporting(token):
        return False
    return any(c.dep_ in _SUBJECTS and c.i < token.i for c in token.children)


def attribution_start(
    doc: Doc,
    start: int,
    end: int,
    in_quote: Sequence[bool],
    is_reporting: Callable[[Token], bool],
    tokens: range,
) -> int | None:
    """The character offset where an attribution begins inside ``[start, end)``, else None.

    ``tokens`` are the indices of the tokens that start inside the span; ``in_quote[i]`` says
    token ``i`` is inside quote marks; ``is_reporting`` says a token is a reporting verb. Only the
    first attribution after at least one word of speech counts.
    """
    for i in tokens:
        token = doc[i]
        if token.idx <= start:
            continue
        if in_quote[token.i]:
            continue
        if token.lower_ == "according":
            nxt = token.i + 1
            if nxt < len(doc) and doc[nxt].lower_ == "to" and _after_break(doc, token.i, start):
                return token.idx
            continue
        if token.pos_ in ("VERB", "AUX") and _reporting_clause(token, is_reporting):
            left = token.left_edge
            if left.idx > start and _after_break(doc, left.i, start) and not in_quote[left.i]:
                return left.idx
    return None
