"""Shared fixtures: the seed reports and one extraction run over them, reused by many tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
# The provincial corpus is not redistributed with the repository; tests that need it look
# beside the checkout (or at $KG_CORPUS) and skip when it is absent.
CORPUS = Path(os.environ.get("KG_CORPUS", ROOT.parent / "shared" / "corpus" / "provinces-2026"))
CORPUS_FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


def corpus_file(name: str) -> Path:
    """A corpus report by file name; the calling test is skipped if the corpus is absent."""
    p = CORPUS / name
    if not p.is_file():
        pytest.skip(f"corpus report {name} not available at {CORPUS}")
    return p


@pytest.fixture(scope="session")
def seed_results():
    """Per-document results of ingest → normalise → extract for every seed."""
    from kg.pipeline import process_all

    results, errors = process_all(SEED_FILES)
    assert not errors
    return {r.doc.name: r for r in results}


@pytest.fixture(scope="session")
def built_seeds(tmp_path_factory):
    """`kg build` of the seeds into a temporary directory (never into outputs/)."""
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("build") / "out"
    res = build(SEED_FILES, out)
    return out, res
