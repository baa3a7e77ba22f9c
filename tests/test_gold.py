"""Gold files (entities and relations) follow their documented format, and every name occurs
in its document."""

import json
import re
import unicodedata
from pathlib import Path

import pytest

from kg.evaluate import RELATION_KEYS, relation_key
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


RELATION_GOLD = sorted((ROOT / "tests" / "gold" / "relations").glob("*/*.jsonl"))
ENTITY_OBJECTS = {"located_in", "undertakes", "covers", "same_as"}


@pytest.mark.parametrize("path", RELATION_GOLD, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_relation_gold_entries_have_their_scored_fields_and_names_from_the_text(path):
    entries = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert entries and {e["doc"] for e in entries} == {f"{path.stem}.txt"}
    keys = set()
    for e in entries:
        assert e["relation"] in RELATION_KEYS, e
        assert isinstance(e.get("optional", False), bool), e
        keys.add(relation_key(e))  # raises KeyError on a missing scored field
    assert len(keys) == len(entries), "two entries with one scoring key"
    raw = read_document(_document(f"{path.stem}.txt")).text
    flat, joined = _searchable(normalize_text(raw)[0].text)
    names = [e["subject"] for e in entries if e["relation"] != "observation"]
    names += [e["object"] for e in entries if e["relation"] in ENTITY_OBJECTS]
    missing = [
        n
        for n in names
        if unicodedata.normalize("NFKC", n) not in flat
        and unicodedata.normalize("NFKC", n) not in joined
    ]
    assert not missing, missing
