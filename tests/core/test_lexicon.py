"""The one lexicon reader (wirestream.core.lexicon): comments, columns, case, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirestream.core.lexicon import (
    LEXICONS,
    json_words,
    read_json,
    read_lists,
    read_table,
    read_words,
)
from wirestream.errors import LexiconError


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_comments_and_blank_lines_are_skipped_and_cells_stripped(tmp_path: Path) -> None:
    path = write(
        tmp_path, "t.tsv", "# a comment\n\n   \n  # indented comment\nkyiv \t UA\nodesa\tUA\n"
    )
    rows = read_table(path, 2)
    assert [r.cells for r in rows] == [("kyiv", "UA"), ("odesa", "UA")]
    assert [r.line for r in rows] == [5, 6]


def test_a_wrong_number_of_columns_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "t.tsv", "# header\nkyiv\tUA\nodesa\n")
    with pytest.raises(LexiconError, match=r"t\.tsv:3: expected 2 tab-separated columns, got 1"):
        read_table(path, 2)
    with pytest.raises(LexiconError, match=r"t\.tsv:2: expected 3"):
        read_table(path, 3)


def test_empty_cells_only_in_optional_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "t.tsv", "NATO\t\tinternational\n")
    with pytest.raises(LexiconError, match=r"t\.tsv:1: column 2 is empty"):
        read_table(path, 3)
    assert read_table(path, 3, optional={1})[0].cells == ("NATO", "", "international")


def test_duplicates_are_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "t.tsv", "attack\tASSAULT\nprotest\tPROTEST\nattack\tPROTEST\n")
    with pytest.raises(LexiconError, match=r"t\.tsv:3: 'attack' is listed twice \(line 1 too\)"):
        read_table(path, 2)
    # the key may be wider than one column: the same word under two kinds is two entries
    kinds = write(tmp_path, "k.tsv", "sport\tfootball\nnation\tfootball\n")
    assert len(read_table(kinds, 2, key=2)) == 2
    twice = write(tmp_path, "k2.tsv", "sport\tfootball\nsport\tfootball\n")
    with pytest.raises(LexiconError, match="'sport football' is listed twice"):
        read_table(twice, 2, key=2)


def test_case_is_kept_unless_a_column_is_declared_case_insensitive(tmp_path: Path) -> None:
    path = write(tmp_path, "t.tsv", "Shoot\tVERB\nAP\tAssociated Press\n")
    assert [r.cells for r in read_table(path, 2)] == [
        ("Shoot", "VERB"),
        ("AP", "Associated Press"),
    ]
    assert [r.cells for r in read_table(path, 2, lower={0})] == [
        ("shoot", "VERB"),
        ("ap", "Associated Press"),
    ]
    # duplicates are judged after the case rule
    mixed = write(tmp_path, "m.txt", "Kremlin\nkremlin\n")
    assert read_words(mixed) == ["Kremlin", "kremlin"]
    with pytest.raises(LexiconError, match=r"m\.txt:2: 'kremlin' is listed twice"):
        read_words(mixed, lower=True)


def test_word_lists_must_be_known_and_present(tmp_path: Path) -> None:
    path = write(tmp_path, "words.tsv", "modals\twould\nmodals\tcould\nmarks\tif\n")
    assert read_lists(path, ["modals", "marks"]) == {
        "modals": frozenset({"would", "could"}),
        "marks": frozenset({"if"}),
    }
    with pytest.raises(LexiconError, match=r"words\.tsv:3: unknown list 'marks'"):
        read_lists(path, ["modals"])
    with pytest.raises(LexiconError, match=r"no words for the list\(s\) directions"):
        read_lists(path, ["modals", "marks", "directions"])


def test_json_word_lists_are_lower_cased_and_unique(tmp_path: Path) -> None:
    path = write(tmp_path, "c.json", '{"person_nouns": ["Man", "woman"], "twice": ["a", "A"]}')
    data = read_json(path)
    assert json_words(path, data, "person_nouns") == ["man", "woman"]
    with pytest.raises(LexiconError, match=r"'twice' lists 'a' twice"):
        json_words(path, data, "twice")
    broken = write(tmp_path, "b.json", "[1, 2]")
    with pytest.raises(LexiconError, match=r"b\.json: expected a JSON object"):
        read_json(broken)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"nothing\.tsv: cannot read the lexicon file"):
        read_table(tmp_path / "nothing.tsv", 1)


def test_every_shipped_lexicon_loads_under_the_rules() -> None:
    from wirestream.core.extraction.cleaning import boilerplate_pattern
    from wirestream.core.extraction.entities.lexicon import lexicon
    from wirestream.core.extraction.envelope.lexicon import load_lexicon as envelope
    from wirestream.core.extraction.events.lexicon import load_lexicon as events
    from wirestream.core.extraction.language import function_words
    from wirestream.core.extraction.quotes.lexicon import load_lexicon as quotes

    assert "would" in events().words.modals
    assert "whether" in quotes().words.question_words
    assert "Photo" in lexicon().words.photo_words
    assert envelope().agencies and function_words()["en"] and boilerplate_pattern().pattern


def test_every_data_file_is_listed_in_its_readme() -> None:
    for folder in sorted(p for p in LEXICONS.iterdir() if p.is_dir()):
        readme = (folder / "README.md").read_text("utf-8")
        for path in sorted(folder.iterdir()):
            if path.name != "README.md":
                assert f"`{path.name}`" in readme, f"{path} is not listed in {folder}/README.md"
