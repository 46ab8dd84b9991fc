"""The one reader of the lexicon data files (``core/extraction/lexicons/<area>/``).

Every word list and table of the extraction rules is a file under ``lexicons/``; each area's
``lexicon`` module (cleaning, language, entities, envelope, quotes, events) reads its files through
this module, so that one set of rules holds for all of them:

- **Text.** UTF-8. A blank line, or a line whose first non-blank character is ``#``, is skipped
  (a comment); there are no comments after an entry.
- **Columns.** A ``.tsv`` line is split at each tab, and each cell is stripped of surrounding
  spaces. Every line of a file has exactly the number of columns the reader declares (a ``.txt``
  file has one); a cell may be empty only in a column the reader declares optional. A wrong line
  raises :class:`~wirestream.errors.LexiconError` naming file and line.
- **Case.** Cells are kept as written, except in the columns a reader declares case-insensitive
  (``lower``: the words it looks up lower-cased), which are lower-cased (``str.lower``) on reading,
  before the duplicate check.
- **Duplicates.** Two lines with the same key (the first ``key`` columns, after the case rule;
  by default the first column) are an error naming both lines: a list never silently keeps the
  first or the last of two entries.
- **JSON** files (``.json``, for nested rules) hold one object; a word list in them is a list of
  strings, lower-cased on reading, and a word listed twice is an error too.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from wirestream.core import jsonio
from wirestream.errors import LexiconError

LEXICONS = Path(__file__).resolve().parent / "extraction" / "lexicons"
"""The lexicon folder shipped with the package: one sub-folder per area, each with a README."""


@dataclass(frozen=True)
class Row:
    """One entry of a lexicon file: its cells and where it was read."""

    path: Path
    line: int
    cells: tuple[str, ...]

    def error(self, what: str) -> LexiconError:
        """A :class:`LexiconError` naming this row's file and line."""
        return LexiconError(f"{self.path}:{self.line}: {what}; fix the line")


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{path}: cannot read the lexicon file ({exc}); fix or reinstall it"
        raise LexiconError(msg) from exc


def read_table(
    path: Path,
    columns: int,
    *,
    key: int = 1,
    lower: Collection[int] = (),
    optional: Collection[int] = (),
) -> list[Row]:
    """The entries of a tab-separated file, in file order (see the module docstring for the rules).

    ``columns``: how many columns every line has. ``key`` (default 1): how many leading columns
    make an entry's key, which must be unique. ``lower`` (default none): 0-based columns to
    lower-case. ``optional`` (default none): 0-based columns that may be empty.
    """
    rows: list[Row] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, raw in enumerate(_text(path).splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in raw.split("\t")]
        if len(cells) != columns:
            msg = f"expected {columns} tab-separated columns, got {len(cells)}: {raw!r}"
            raise Row(path, number, tuple(cells)).error(msg)
        empty = [i for i, cell in enumerate(cells) if not cell and i not in optional]
        if empty:
            msg = f"column {empty[0] + 1} is empty: {raw!r}"
            raise Row(path, number, tuple(cells)).error(msg)
        cells = [cell.lower() if i in lower else cell for i, cell in enumerate(cells)]
        row = Row(path, number, tuple(cells))
        first = seen.setdefault(row.cells[:key], number)
        if first != number:
            raise row.error(f"{' '.join(row.cells[:key])!r} is listed twice (line {first} too)")
        rows.append(row)
    return rows


def read_words(path: Path, *, lower: bool = False) -> list[str]:
    """The entries of a one-column file (``.txt``), in file order; ``lower`` (default False)
    lower-cases them."""
    return [row.cells[0] for row in read_table(path, 1, lower={0} if lower else ())]


def read_lists(path: Path, names: Collection[str]) -> dict[str, frozenset[str]]:
    """The word lists of a ``list<TAB>word`` file (``words.tsv``): list name -> its words.

    Every name of ``names`` must have at least one word, and a list not in ``names`` is an error
    (a misspelt list name would otherwise be read by nobody). The pair is the key: a word may be
    in several lists, but twice in one is an error.
    """
    lists: dict[str, set[str]] = {}
    for row in read_table(path, 2, key=2):
        if row.cells[0] not in names:
            raise row.error(f"unknown list {row.cells[0]!r} (known: {', '.join(sorted(names))})")
        lists.setdefault(row.cells[0], set()).add(row.cells[1])
    missing = sorted(set(names) - set(lists))
    if missing:
        raise LexiconError(f"{path}: no words for the list(s) {', '.join(missing)}")
    return {name: frozenset(words) for name, words in lists.items()}


def read_json(path: Path) -> dict[str, object]:
    """The object of a ``.json`` lexicon file."""
    try:
        data = jsonio.loads(_text(path))
    except ValueError as exc:
        msg = f"{path}: cannot read the lexicon file as JSON ({exc}); fix or reinstall it"
        raise LexiconError(msg) from exc
    if not isinstance(data, dict):
        raise LexiconError(f"{path}: expected a JSON object at the top level")
    return data


def json_words(path: Path, data: dict[str, object], key: str) -> list[str]:
    """The list of strings under ``key`` of a JSON lexicon's object, lower-cased, in order."""
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{path}: {key!r} must be a list of strings")
    words = [v.lower() for v in value]
    twice = sorted({w for w in words if words.count(w) > 1})
    if twice:
        raise LexiconError(f"{path}: {key!r} lists {', '.join(map(repr, twice))} twice")
    return words


def json_ints(path: Path, data: dict[str, object], key: str) -> dict[str, int]:
    """The object of words to integers under ``key`` of a JSON lexicon, keys lower-cased."""
    value = data.get(key)
    if not isinstance(value, dict) or not all(isinstance(v, int) for v in value.values()):
        raise LexiconError(f"{path}: {key!r} must map words to integers")
    out = {str(k).lower(): int(v) for k, v in value.items()}
    if len(out) != len(value):
        raise LexiconError(f"{path}: {key!r} lists a word twice (in another case)")
    return out
