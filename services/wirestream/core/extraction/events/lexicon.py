"""The event stage's data files (``lexicons/events/``), loaded once and validated on load.

Every list is a data file with its provenance in ``lexicons/events/README.md``; this module only
parses them, through the one lexicon reader (:mod:`wirestream.core.lexicon`, whose rules for
comments, columns, case and duplicates they follow). :func:`load_lexicon` caches per directory, so
the whole process reads them once. A malformed file raises :class:`~wirestream.errors.LexiconError`
naming the file (and line).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Literal, cast

from wirestream.core.lexicon import (
    LEXICONS,
    json_ints,
    json_words,
    read_json,
    read_lists,
    read_table,
    read_words,
)
from wirestream.errors import LexiconError
from wirestream_contracts.records import EventType

LEXICON_DIR = LEXICONS / "events"
"""Default folder of the event data files (inside the installed package)."""

EVENT_TYPES: frozenset[str] = frozenset(EventType.__args__)  # type: ignore[attr-defined]
Modality = Literal["reported", "claimed", "alleged", "denied", "confirmed"]
MODALITIES: frozenset[str] = frozenset(Modality.__args__)  # type: ignore[attr-defined]
QUALIFIERS = frozenset({"exact", "at_least", "about", "up_to", "more_than", "less_than"})


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a lemma with its part of speech, PLOVER type and mode."""

    lemma: str
    pos: Literal["VERB", "NOUN"]
    type: EventType
    mode: str | None


@dataclass(frozen=True)
class ComplementFrame:
    """When a trigger lemma is an event: one cue of ``any`` present (when ``any`` lists some) and
    none of ``none``, unless one of ``unless`` is (cue syntax in ``context.json``
    ``complement_frames``)."""

    any: frozenset[str]
    none: frozenset[str]
    unless: frozenset[str] = frozenset()


CUE_KINDS = frozenset(
    {"prep", "prt", "head", "mod", "with", "against", "clause", "subj", "obj", "sent"}
)
"""Cue prefixes that take a word (``prep:for``); ``to-clause`` and ``plural`` stand alone."""


@dataclass(frozen=True)
class EventWords:
    """The small word lists of ``words.tsv`` (one field a list, lower-case words)."""

    modals: frozenset[str]
    """Auxiliaries that make a trigger irrealis ("would attack")."""
    conditional_marks: frozenset[str]
    """Subordinators that make a trigger conditional."""
    evidence_nouns: frozenset[str]
    """Recorded evidence a claimant shows ("footage it says shows")."""
    show_verbs: frozenset[str]
    """Verbs by which evidence shows something."""
    claim_channels: frozenset[str]
    """Channels a claim is made on ("said on Telegram"): part of the claim cue."""
    figurative_strike_objects: frozenset[str]
    """Objects of strike/hit that are no attack ("struck a deal")."""
    release_objects: frozenset[str]
    """Objects of release that make it a release of people (RETREAT)."""
    figurative_meet_objects: frozenset[str]
    """Objects of meet that are no meeting ("met the demand")."""
    anaphoric_determiners: frozenset[str]
    """Determiners by which an actor picks up an earlier event."""
    recipient_prepositions: frozenset[str]
    """Prepositions of an ASSAULT's target ("attack on")."""
    of_recipient_nouns: frozenset[str]
    """ASSAULT nouns whose of-phrase is the target ("invasion of")."""
    small_clause_heads: frozenset[str]
    """Verbs of a small clause ("found two men shot")."""
    non_participants: frozenset[str]
    """Quantifier heads that are no participant ("some", "all")."""
    new_victim_determiners: frozenset[str]
    """Determiners that introduce another victim ("a woman")."""
    person_pronouns: frozenset[str]
    """Pronouns resolved to a PERSON."""
    thing_pronouns: frozenset[str]
    """Pronouns resolved to an organisation, place or group."""
    relative_pronouns: frozenset[str]
    """Relative pronouns: never a participant."""
    location_prepositions: frozenset[str]
    """Prepositions of a place phrase."""
    directions: frozenset[str]
    """Direction words before a place ("north of Kyiv")."""
    place_nouns: frozenset[str]
    """Common nouns of places ("region", "street")."""
    city_nouns: frozenset[str]
    """Common nouns that refer back to a city ("the capital", "the village")."""
    region_nouns: frozenset[str]
    """Common nouns that refer back to a region ("the same province", "the district")."""
    country_nouns: frozenset[str]
    """Common nouns that refer back to a country ("the republic")."""
    nominal_place_prepositions: frozenset[str]
    """Prepositions by which a trigger places its event at a GPE-like common noun ("across the
    city")."""
    calendar_words: frozenset[str]
    """Day and month names and relative days: a date, never a participant ("may" and "march" left out: dates only when spaCy says DATE)."""
    site_prepositions: frozenset[str]
    """Prepositions of a site phrase ("at the hospital")."""
    cause_prepositions: frozenset[str]
    """Prepositions of a cause of harm ("died in a flood")."""
    partitive_prepositions: frozenset[str]
    """Prepositions of a part-of-whole count ("25 of 38", "out of")."""
    projectiles: frozenset[str]
    """Projectiles counted as launched and intercepted."""
    age_cues: frozenset[str]
    """Words before a number that make it an age ("aged 25")."""
    non_actor_entities: frozenset[str]
    """spaCy entity labels of heads that never act ("Rose Garden", "the Boston Marathon")."""
    contact_channels: frozenset[str]
    """Means of contact that are no party ("spoke by phone")."""
    patient_nouns: frozenset[str]
    """Event nouns whose possessor is the one it happens to ("his arrest"), not the actor."""
    survived_wound_modifiers: frozenset[str]
    """Modifiers by which a wound says its victim lived ("a minor gunshot wound")."""
    caption_positions: frozenset[str]
    """Where a person stands in a photo caption ("Ruto, right, meets ..."): never a participant."""
    participation_prepositions: frozenset[str]
    """Prepositions by which a clause's subject takes part in a meeting or protest noun ("spoke
    *at* a rally")."""


@dataclass(frozen=True)
class EventLexicon:
    """Everything the event stage looks words up in."""

    triggers: dict[tuple[str, str], Trigger]
    mode_cues: dict[str, str]
    weapons: dict[str, str]
    """Lower-cased weapon name -> mode."""
    claim_verbs: dict[str, Modality]
    roles: dict[str, str]
    units: dict[str, int]
    tens: dict[str, int]
    multipliers: dict[str, int]
    qualifiers: dict[tuple[str, ...], str]
    """Qualifier phrase as lower-cased words -> qualifier."""
    killed_verbs: frozenset[str]
    killed_words: frozenset[str]
    killed_adverbs: frozenset[str]
    injured_verbs: frozenset[str]
    injured_words: frozenset[str]
    shot_verbs: frozenset[str]
    person_nouns: frozenset[str]
    wound_nouns: frozenset[str]
    fatal_modifiers: frozenset[str]
    wound_verbs: frozenset[str]
    hit_verbs: frozenset[str]
    projectile_nouns: frozenset[str]
    body_parts: frozenset[str]
    fatal_wound_verbs: frozenset[str]
    firearm_nouns: frozenset[str]
    preceding_cues: tuple[str, ...]
    history_words: frozenset[str]
    irrealis_heads: frozenset[str]
    aspectual_heads: frozenset[str]
    generic_determiners: frozenset[str]
    scare_quote_markers: tuple[str, ...]
    future_modifiers: frozenset[str]
    recent_days: int
    needs_context: dict[str, frozenset[str]]
    """type -> trigger lemmas that count only with a word of that type's context nearby."""
    context_words: dict[str, frozenset[str]]
    aid_objects: frozenset[str]
    event_reference_heads: frozenset[str]
    """Nouns that a trigger noun can modify and still be an event ("attack *victims*")."""
    host_objects: frozenset[str]
    """Common nouns a host receives in a visit ("hosted a *delegation*")."""
    territory_nouns: frozenset[str]
    """Objects of "seize" that make it a capture of ground, not a confiscation ("seized *control*")."""
    actor_nouns: frozenset[str]
    """Common nouns of actors ("police", "coalition"): modifying an event noun, they acted."""
    sites: frozenset[str]
    """Common nouns of sites ("hospital", "square"): a place when the trigger governs them."""
    support_verbs: dict[str, str]
    """Verb lemma -> light | claim: its subject acts the event noun it takes (``support_verbs.tsv``)."""
    hazards: dict[str, str]
    """Lemma of a cause of non-intentional harm ("flood", "crash") -> kind (``hazards.tsv``)."""
    hazard_modifiers: dict[tuple[str, str], str]
    """(modifier, trigger noun) -> kind: "heart attack", "gas explosion" (``hazard_modifiers.tsv``)."""
    complement_frames: dict[tuple[str, str], ComplementFrame]
    """(lemma, VERB|NOUN) -> the complements that make it an event ("called *for*", "charged
    *with*"); see :func:`wirestream.core.extraction.events.triggers.complement_cues`."""
    words: EventWords
    """The small word lists of ``words.tsv``."""


def _complement_frames(
    path: Path, data: dict[str, object]
) -> dict[tuple[str, str], ComplementFrame]:
    raw = data.get("complement_frames")
    if not isinstance(raw, dict):
        msg = f"{path}: 'complement_frames' must map 'lemma/POS' to {{'any': [...], 'none': [...]}}"
        raise LexiconError(msg)
    frames: dict[tuple[str, str], ComplementFrame] = {}
    for key, frame in raw.items():
        if key.startswith("_"):
            continue
        lemma, _, pos = key.partition("/")
        if pos not in ("VERB", "NOUN") or not lemma or not isinstance(frame, dict):
            msg = (
                f"{path}: complement_frames[{key!r}]: expected 'lemma/VERB' or 'lemma/NOUN' "
                "mapped to an object"
            )
            raise LexiconError(msg)
        cues = {
            part: json_words(path, frame, part) if part in frame else []
            for part in ("any", "none", "unless")
        }
        for cue in (*cues["any"], *cues["none"], *cues["unless"]):
            kind, sep, word = cue.partition(":")
            if not (cue in ("to-clause", "plural") or (sep and kind in CUE_KINDS and word)):
                msg = f"{path}: complement_frames[{key!r}]: unknown cue {cue!r}"
                raise LexiconError(msg)
        frames[(lemma.lower(), pos)] = ComplementFrame(
            frozenset(cues["any"]), frozenset(cues["none"]), frozenset(cues["unless"])
        )
    return frames


def _triggers(path: Path) -> dict[tuple[str, str], Trigger]:
    out: dict[tuple[str, str], Trigger] = {}
    for row in read_table(path, 4, key=2, lower={0}):
        lemma, pos, etype, mode = row.cells
        if pos not in ("VERB", "NOUN") or etype not in EVENT_TYPES:
            msg = f"pos must be VERB or NOUN and type a PLOVER type, got {pos} {etype}"
            raise row.error(msg)
        out[(lemma, pos)] = Trigger(
            lemma=lemma,
            pos=cast(Literal["VERB", "NOUN"], pos),
            type=cast(EventType, etype),
            mode=None if mode == "-" else mode,
        )
    return out


def _pairs(path: Path) -> dict[str, str]:
    """A two-column table: lower-cased word -> value."""
    return {row.cells[0]: row.cells[1] for row in read_table(path, 2, lower={0})}


def _claims(path: Path) -> dict[str, Modality]:
    claims: dict[str, Modality] = {}
    for row in read_table(path, 2, lower={0}):
        if row.cells[1] not in MODALITIES:
            raise row.error(f"unknown modality {row.cells[1]!r}")
        claims[row.cells[0]] = cast(Modality, row.cells[1])
    return claims


def _numbers(path: Path) -> dict[str, object]:
    """``numbers.json``'s fields of :class:`EventLexicon`."""
    numbers = read_json(path)
    qualifiers = numbers.get("qualifiers")
    if not isinstance(qualifiers, dict) or not all(v in QUALIFIERS for v in qualifiers.values()):
        raise LexiconError(f"{path}: 'qualifiers' must map phrases to {sorted(QUALIFIERS)}")
    return {
        "units": json_ints(path, numbers, "units"),
        "tens": json_ints(path, numbers, "tens"),
        "multipliers": json_ints(path, numbers, "multipliers"),
        "qualifiers": {tuple(str(k).lower().split()): str(v) for k, v in qualifiers.items()},
    }


_CASUALTY_LISTS = {
    "killed_verbs": "killed_verbs",
    "killed_words": "killed_passive_or_state",
    "killed_adverbs": "killed_adverbs",
    "injured_verbs": "injured_verbs",
    "injured_words": "injured_state",
    "shot_verbs": "shot_verbs",
    "person_nouns": "person_nouns",
    "wound_nouns": "wound_nouns",
    "fatal_modifiers": "fatal_modifiers",
    "wound_verbs": "wound_verbs",
    "hit_verbs": "hit_verbs",
    "projectile_nouns": "projectile_nouns",
    "body_parts": "body_parts",
    "fatal_wound_verbs": "fatal_wound_verbs",
    "firearm_nouns": "firearm_nouns",
}
""":class:`EventLexicon` field -> its list in ``casualties.json``."""


def _casualties(path: Path) -> dict[str, object]:
    data = read_json(path)
    return {field: frozenset(json_words(path, data, key)) for field, key in _CASUALTY_LISTS.items()}


def _background(path: Path) -> dict[str, object]:
    data = read_json(path)
    recent_days = data.get("recent_days")
    if not isinstance(recent_days, int) or recent_days < 1:
        raise LexiconError(f"{path}: 'recent_days' must be a positive integer")
    sets = ("history_words", "irrealis_heads", "aspectual_heads", "generic_determiners")
    return {
        **{key: frozenset(json_words(path, data, key)) for key in (*sets, "future_modifiers")},
        "preceding_cues": tuple(json_words(path, data, "preceding_cues")),
        "scare_quote_markers": tuple(json_words(path, data, "scare_quote_markers")),
        "recent_days": recent_days,
    }


def _context(path: Path) -> dict[str, object]:
    context = read_json(path)
    out: dict[str, object] = {}
    for key in ("needs_context", "context_words"):
        raw = context.get(key)
        if not isinstance(raw, dict) or not all(k in EVENT_TYPES for k in raw):
            raise LexiconError(f"{path}: {key!r} must map PLOVER types to lists of words")
        out[key] = {etype: frozenset(json_words(path, raw, etype)) for etype in raw}
    for key in ("aid_objects", "event_reference_heads", "host_objects", "territory_nouns"):
        out[key] = frozenset(json_words(path, context, key))
    out["complement_frames"] = _complement_frames(path, context)
    return out


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> EventLexicon:
    """Read and validate every event data file in ``directory`` (default :data:`LEXICON_DIR`)."""
    lists = read_lists(directory / "words.tsv", [f.name for f in fields(EventWords)])
    return EventLexicon(
        triggers=_triggers(directory / "triggers.tsv"),
        claim_verbs=_claims(directory / "claims.tsv"),
        mode_cues=_pairs(directory / "modes.tsv"),
        weapons=_pairs(directory / "weapons.tsv"),
        hazards=_pairs(directory / "hazards.tsv"),
        support_verbs=_pairs(directory / "support_verbs.tsv"),
        roles=_pairs(directory / "roles.tsv"),
        actor_nouns=frozenset(read_words(directory / "actor_nouns.tsv", lower=True)),
        sites=frozenset(read_words(directory / "sites.tsv", lower=True)),
        hazard_modifiers={
            (row.cells[0], row.cells[1]): row.cells[2]
            for row in read_table(directory / "hazard_modifiers.tsv", 3, key=2, lower={0, 1})
        },
        words=EventWords(**lists),
        **_numbers(directory / "numbers.json"),  # type: ignore[arg-type]
        **_casualties(directory / "casualties.json"),  # type: ignore[arg-type]
        **_background(directory / "background.json"),  # type: ignore[arg-type]
        **_context(directory / "context.json"),  # type: ignore[arg-type]
    )
