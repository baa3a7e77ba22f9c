"""Gold files follow the annotation guide's format, and every name occurs in its document."""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from kg.ingest import read_document
from kg.model import ENTITY_TYPES
from kg.normalize import normalize_text
from tests.conftest import CORPUS, ROOT

GOLD_FILES = sorted((ROOT / "tests" / "gold").glob("*/*.jsonl"))
QUOTES = "“”\"'‘’「」『』《》"
FIELDS = {"doc", "type", "name", "optional", "note"}


def _document(name: str) -> Path:
    for folder in (ROOT / "seeds", CORPUS):
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"document {name} not available beside the checkout")


def _searchable(text: str) -> tuple[str, str]:
    flat = unicodedata.normalize("NFKC", "".join(c for c in text if c not in QUOTES))
    return flat, re.sub(r"\s*\n\s*", "", flat)


def test_split_has_train_and_at_least_four_dev_documents():
    dev = [p for p in GOLD_FILES if p.parent.name == "dev"]
    assert len(dev) >= 4
    assert {p.parent.name for p in GOLD_FILES} == {"train", "dev"}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_gold_file_entries_are_valid_and_occur_in_the_text(path):
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert entries
    docs = {e["doc"] for e in entries}
    assert len(docs) == 1 and Path(path.stem).name == Path(next(iter(docs))).stem
    keys = set()
    for e in entries:
        assert set(e) <= FIELDS and {"doc", "type", "name"} <= set(e), e
        assert e["type"] in ENTITY_TYPES, e
        assert isinstance(e["name"], str) and e["name"].strip() == e["name"] != "", e
        assert isinstance(e.get("optional", False), bool)
        keys.add((e["type"], e["name"]))
    assert len(keys) == len(entries), "duplicate (type, name) pairs"
    raw = read_document(_document(next(iter(docs)))).text
    flat, joined = _searchable(normalize_text(raw)[0].text)
    missing = [
        e["name"]
        for e in entries
        if unicodedata.normalize("NFKC", e["name"]) not in flat
        and unicodedata.normalize("NFKC", e["name"]) not in joined
    ]
    assert not missing, missing
