"""Cleaning: noise spans found, blanked without moving an offset, typography normalised 1:1."""

from __future__ import annotations

import pytest

from wirestream.core.contracts import Article
from wirestream.core.extraction.cleaning import clean, normalise_typography


def _noise(body: str, title: str | None = None) -> list[tuple[str, str]]:
    return [(n.reason, n.span.text) for n in clean(Article(body=body, title=title)).noise]


def test_seed_noise_spans(seed_article: Article) -> None:
    cleaned = clean(seed_article)
    body = seed_article.body
    caption = (
        "Ukraine's Foreign Minister Dmytro Kuleba poses with China's Foreign Minister Wang Yi "
        "before a meeting in Guangzhou, China."
    )
    oops = "• Oops!\n    Something went wrong.\n    Please try again later."
    assert [(n.reason, n.span.text) for n in cleaned.noise] == [
        ("repeated_headline", seed_article.title),
        ("boilerplate", oops),
        ("boilerplate", oops),
        ("caption", caption),
        ("caption", caption),
        ("credit", "Lu Hanxin/Xinhua via AP"),
    ]
    for noise in cleaned.noise:
        assert body[noise.span.start : noise.span.end] == noise.span.text
        assert cleaned.text[noise.span.start : noise.span.end].strip() == ""
    # the separator " - " between the second caption and its credit is blanked too
    credit = cleaned.noise[-1].span
    assert cleaned.text[credit.start - 3 : credit.start].strip() == ""


def test_same_length_newlines_kept_and_text_untouched_outside_noise(seed_article: Article) -> None:
    cleaned = clean(seed_article)
    body = seed_article.body
    assert len(cleaned.text) == len(body)
    assert [i for i, c in enumerate(cleaned.text) if c == "\n"] == [
        i for i, c in enumerate(body) if c == "\n"
    ]
    noisy = {i for n in cleaned.noise for i in range(n.span.start, n.span.end)}
    normal = normalise_typography(body)
    for i, (a, b) in enumerate(zip(cleaned.text, normal, strict=True)):
        if i not in noisy and a != b:
            assert b == "-" and a == " ", f"offset {i}: {a!r} != {b!r}"  # caption/credit separator


def test_typography_is_one_for_one() -> None:
    text = "\u201cPeace\u201d \u2014 it\u2019s\u00a0near \u2013 \u00abnow\u00bb\u2026"
    out = normalise_typography(text)
    assert len(out) == len(text)
    assert out == '"Peace" - it\'s near - "now"\u2026'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Soldiers rest.\nAP Photo/Efrem Lukatsky\nThe war goes on.",
            [("credit", "AP Photo/Efrem Lukatsky")],
        ),
        ("A man stands (Photo: Reuters) by the road.", [("credit", "(Photo: Reuters)")]),
        (
            "Firefighters work at the site of a strike in Kharkiv - REUTERS/Vyacheslav Madiyevskyy"
            "\nHe said it burned.",
            [
                ("caption", "Firefighters work at the site of a strike in Kharkiv"),
                ("credit", "REUTERS/Vyacheslav Madiyevskyy"),
            ],
        ),
        (
            "Text here.\nAdvertisement\nMore text.\n  • Read more: A story about cats\n  • Share\n",
            [
                ("boilerplate", "Advertisement"),
                ("boilerplate", "• Read more: A story about cats"),
                ("boilerplate", "• Share"),
            ],
        ),
    ],
)
def test_noise_kinds(body: str, expected: list[tuple[str, str]]) -> None:
    assert _noise(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # hard-wrapped wire copy: an agency at the start of a line is not a credit
        "bringing the total to 86.21 billion, a bank official told\nReuters.\n    The new CD",
        "He said the advertisement was misleading and asked readers to read more.",
        "Two lines.\nTwo lines that differ.",
        "Prices rose.\nPrices rose.",  # repeated, but too short to be a caption
    ],
)
def test_no_false_noise(body: str) -> None:
    assert _noise(body) == []


def test_repeated_headline_only_when_it_repeats_the_title() -> None:
    body = "Russia is open to talks, Moscow claims\n\nThe Kremlin said so."
    assert _noise(body, title="Russia is open to talks, Moscow claims") == [
        ("repeated_headline", "Russia is open to talks, Moscow claims")
    ]
    assert _noise(body, title="Another title entirely") == []


def test_caption_printed_twice_without_credit() -> None:
    line = "Rescuers search the rubble of a building in Dnipro on Sunday"
    body = f"The strike hit at dawn.\n\n{line}\n{line}\n\nOfficials said 12 died."
    assert _noise(body) == [("caption", line), ("caption", line)]
