"""The event stage's data files (``lexicons/events/``), loaded once and validated on load.

Every list is a data file with its provenance in ``lexicons/events/README.md``; this module only
parses them. :func:`load_lexicon` caches per directory, so the whole process reads them once. A
malformed file raises :class:`~wirestream.errors.LexiconError` naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, cast

from wirestream.errors import LexiconError
from wirestream_contracts.records import EventType

LEXICON_DIR = Path(__file__).resolve().parents[1] / "lexicons" / "events"
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
    none of ``none`` (cue syntax in ``context.json`` ``complement_frames``)."""

    any: frozenset[str]
    none: frozenset[str]


CUE_KINDS = frozenset({"prep", "prt", "head", "mod", "with", "clause", "subj", "obj"})
"""Cue prefixes that take a word (``prep:for``); ``to-clause`` and ``plural`` stand alone."""


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
    dataset_type_map: dict[str, dict[str, str | None]]
    needs_context: dict[str, frozenset[str]]
    """type -> trigger lemmas that count only with a word of that type's context nearby."""
    context_words: dict[str, frozenset[str]]
    aid_objects: frozenset[str]
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
    *with*"); see :func:`wirestream.core.extraction.events.find._complement_cues`."""


def _rows(path: Path, columns: int) -> list[tuple[int, list[str]]]:
    rows = []
    try:
        text = path.read_text("utf-8")
    except OSError as exc:
        msg = f"{path}: cannot read the lexicon file ({exc}); reinstall the package"
        raise LexiconError(msg) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) != columns or not all(cells):
            msg = (
                f"{path}:{number}: expected {columns} tab-separated non-empty columns, got {line!r}"
            )
            raise LexiconError(msg)
        rows.append((number, cells))
    return rows


def _json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: cannot read the lexicon file as JSON ({exc}); fix or reinstall it"
        raise LexiconError(msg) from exc
    if not isinstance(data, dict):
        msg = f"{path}: expected a JSON object at the top level"
        raise LexiconError(msg)
    return data


def _str_list(path: Path, data: dict[str, object], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        msg = f"{path}: {key!r} must be a list of strings"
        raise LexiconError(msg)
    return [v.lower() for v in value]


def _int_map(path: Path, data: dict[str, object], key: str) -> dict[str, int]:
    value = data.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
        msg = f"{path}: {key!r} must map words to integers"
        raise LexiconError(msg)
    return {str(k).lower(): int(v) for k, v in value.items()}


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
        cues = {part: _str_list(path, frame, part) for part in ("any", "none")}
        for cue in (*cues["any"], *cues["none"]):
            kind, sep, word = cue.partition(":")
            if not (cue in ("to-clause", "plural") or (sep and kind in CUE_KINDS and word)):
                msg = f"{path}: complement_frames[{key!r}]: unknown cue {cue!r}"
                raise LexiconError(msg)
        frames[(lemma.lower(), pos)] = ComplementFrame(
            frozenset(cues["any"]), frozenset(cues["none"])
        )
    return frames


def _triggers(path: Path) -> dict[tuple[str, str], Trigger]:
    out: dict[tuple[str, str], Trigger] = {}
    for number, (lemma, pos, etype, mode) in _rows(path, 4):
        if pos not in ("VERB", "NOUN") or etype not in EVENT_TYPES:
            msg = f"{path}:{number}: pos must be VERB or NOUN and type a PLOVER type, got {pos} {etype}"
            raise LexiconError(msg)
        key = (lemma.lower(), pos)
        if key in out:
            msg = f"{path}:{number}: {lemma} {pos} is listed twice"
            raise LexiconError(msg)
        out[key] = Trigger(
            lemma=key[0],
            pos=cast(Literal["VERB", "NOUN"], pos),
            type=cast(EventType, etype),
            mode=None if mode == "-" else mode,
        )
    return out


@lru_cache(maxsize=4)
def load_lexicon(directory: Path = LEXICON_DIR) -> EventLexicon:
    """Read and validate every event data file in ``directory`` (default :data:`LEXICON_DIR`)."""
    claims: dict[str, Modality] = {}
    for number, (lemma, modality) in _rows(directory / "claims.tsv", 2):
        if modality not in MODALITIES:
            msg = f"{directory / 'claims.tsv'}:{number}: unknown modality {modality!r}"
            raise LexiconError(msg)
        claims[lemma.lower()] = cast(Modality, modality)
    numbers_path = directory / "numbers.json"
    numbers = _json(numbers_path)
    raw_qualifiers = numbers.get("qualifiers")
    if not isinstance(raw_qualifiers, dict) or not all(
        v in QUALIFIERS for v in raw_qualifiers.values()
    ):
        msg = f"{numbers_path}: 'qualifiers' must map phrases to {sorted(QUALIFIERS)}"
        raise LexiconError(msg)
    casualties_path = directory / "casualties.json"
    casualties = _json(casualties_path)
    background_path = directory / "background.json"
    background = _json(background_path)
    recent_days = background.get("recent_days")
    if not isinstance(recent_days, int) or recent_days < 1:
        msg = f"{background_path}: 'recent_days' must be a positive integer"
        raise LexiconError(msg)
    type_map_path = directory / "dataset_type_map.json"
    type_map_raw = _json(type_map_path)
    type_map: dict[str, dict[str, str | None]] = {}
    for dataset, mapping in type_map_raw.items():
        if dataset.startswith("_"):
            continue
        if not isinstance(mapping, dict) or not all(
            v is None or v in EVENT_TYPES for v in mapping.values()
        ):
            msg = f"{type_map_path}: {dataset!r} must map dataset types to PLOVER types or null"
            raise LexiconError(msg)
        type_map[dataset] = {str(k): v for k, v in mapping.items()}
    context_path = directory / "context.json"
    context = _json(context_path)
    needs: dict[str, frozenset[str]] = {}
    words: dict[str, frozenset[str]] = {}
    for key, target in (("needs_context", needs), ("context_words", words)):
        raw = context.get(key)
        if not isinstance(raw, dict) or not all(k in EVENT_TYPES for k in raw):
            msg = f"{context_path}: {key!r} must map PLOVER types to lists of words"
            raise LexiconError(msg)
        for etype in raw:
            target[etype] = frozenset(_str_list(context_path, raw, etype))
    return EventLexicon(
        needs_context=needs,
        context_words=words,
        aid_objects=frozenset(_str_list(context_path, context, "aid_objects")),
        complement_frames=_complement_frames(context_path, context),
        triggers=_triggers(directory / "triggers.tsv"),
        mode_cues={k.lower(): v for _, (k, v) in _rows(directory / "modes.tsv", 2)},
        weapons={k.lower(): v for _, (k, v) in _rows(directory / "weapons.tsv", 2)},
        hazards={k.lower(): v for _, (k, v) in _rows(directory / "hazards.tsv", 2)},
        actor_nouns=frozenset(c[0].lower() for _, c in _rows(directory / "actor_nouns.tsv", 1)),
        sites=frozenset(c[0].lower() for _, c in _rows(directory / "sites.tsv", 1)),
        support_verbs={k.lower(): v for _, (k, v) in _rows(directory / "support_verbs.tsv", 2)},
        hazard_modifiers={
            (m.lower(), n.lower()): v
            for _, (m, n, v) in _rows(directory / "hazard_modifiers.tsv", 3)
        },
        claim_verbs=claims,
        roles={k.lower(): v for _, (k, v) in _rows(directory / "roles.tsv", 2)},
        units=_int_map(numbers_path, numbers, "units"),
        tens=_int_map(numbers_path, numbers, "tens"),
        multipliers=_int_map(numbers_path, numbers, "multipliers"),
        qualifiers={tuple(str(k).lower().split()): str(v) for k, v in raw_qualifiers.items()},
        killed_verbs=frozenset(_str_list(casualties_path, casualties, "killed_verbs")),
        killed_words=frozenset(_str_list(casualties_path, casualties, "killed_passive_or_state")),
        killed_adverbs=frozenset(_str_list(casualties_path, casualties, "killed_adverbs")),
        injured_verbs=frozenset(_str_list(casualties_path, casualties, "injured_verbs")),
        injured_words=frozenset(_str_list(casualties_path, casualties, "injured_state")),
        shot_verbs=frozenset(_str_list(casualties_path, casualties, "shot_verbs")),
        person_nouns=frozenset(_str_list(casualties_path, casualties, "person_nouns")),
        wound_nouns=frozenset(_str_list(casualties_path, casualties, "wound_nouns")),
        fatal_modifiers=frozenset(_str_list(casualties_path, casualties, "fatal_modifiers")),
        wound_verbs=frozenset(_str_list(casualties_path, casualties, "wound_verbs")),
        hit_verbs=frozenset(_str_list(casualties_path, casualties, "hit_verbs")),
        projectile_nouns=frozenset(_str_list(casualties_path, casualties, "projectile_nouns")),
        body_parts=frozenset(_str_list(casualties_path, casualties, "body_parts")),
        fatal_wound_verbs=frozenset(_str_list(casualties_path, casualties, "fatal_wound_verbs")),
        firearm_nouns=frozenset(_str_list(casualties_path, casualties, "firearm_nouns")),
        preceding_cues=tuple(_str_list(background_path, background, "preceding_cues")),
        history_words=frozenset(_str_list(background_path, background, "history_words")),
        irrealis_heads=frozenset(_str_list(background_path, background, "irrealis_heads")),
        aspectual_heads=frozenset(_str_list(background_path, background, "aspectual_heads")),
        generic_determiners=frozenset(
            _str_list(background_path, background, "generic_determiners")
        ),
        scare_quote_markers=tuple(_str_list(background_path, background, "scare_quote_markers")),
        future_modifiers=frozenset(_str_list(background_path, background, "future_modifiers")),
        recent_days=recent_days,
        dataset_type_map=type_map,
    )
