"""Shared fixtures for every test tier.

- ``shared_data``: the ``../shared/data`` folder beside the project; tests that need it skip cleanly
  where it is absent (a user's clone).
- ``seed_article``: the product's reference example (the one text from ``../shared`` that may serve as
  a fixture), loaded from ``tests/data/seed_article.json``.
- ``extractor``: one loaded extraction pipeline for the whole session.
- Kafka fixtures come from ``fixtures/kafka.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wirestream.core.contracts import Article
from wirestream.core.extraction import Extractor

pytest_plugins = ["fixtures.kafka", "fixtures.secure_kafka"]

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"{SHARED_DATA} is absent (evaluation data is not part of a user's clone)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def seed_article() -> Article:
    return Article.model_validate(json.loads((TEST_DATA / "seed_article.json").read_text("utf-8")))


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor.load()
