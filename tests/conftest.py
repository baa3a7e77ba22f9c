"""Shared fixtures: the seed reports and one extraction run over them, reused by many tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


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
