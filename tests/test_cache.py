"""The build cache: unchanged reports are not processed again, and the outputs are the same
bytes with and without it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import SEED_FILES

from kg.cache import BuildCache, _digest_tree, pipeline_version
from kg.gazetteer import DATA_DIR
from kg.pipeline import build

GRAPH_FILES = ("graph.nq", "graph.ttl", "graph.trig", "graph.jsonld", "build-report.json",
               "mentions.csv", "entities.csv", "index.html")  # fmt: skip


def _same_outputs(a: Path, b: Path) -> None:
    for name in GRAPH_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_warm_build_reuses_every_report_and_writes_the_same_bytes(tmp_path):
    files = SEED_FILES[:2]
    cache = tmp_path / "cache"
    cold = build(files, tmp_path / "cold", cache_dir=cache)
    warm = build(files, tmp_path / "warm", cache_dir=cache)
    plain = build(files, tmp_path / "plain")
    assert cold.reused == 0 and warm.reused == 2
    assert warm.checks_reused == len(warm.validation) == 2
    _same_outputs(tmp_path / "warm", tmp_path / "plain")
    _same_outputs(tmp_path / "cold", tmp_path / "plain")
    assert plain.reused == 0


def test_adding_a_report_processes_only_that_report(tmp_path):
    cache = tmp_path / "cache"
    build(SEED_FILES[:2], tmp_path / "o", cache_dir=cache, validate=False)
    res = build(SEED_FILES[:3], tmp_path / "o", cache_dir=cache, validate=False)
    assert res.reused == 2 and len(res.docs) == 3
    build(SEED_FILES[:3], tmp_path / "fresh", validate=False)
    for name in ("graph.nq", "build-report.json"):
        assert (tmp_path / "o" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes()


def test_a_changed_report_is_processed_again(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    report = src / SEED_FILES[0].name
    shutil.copy(SEED_FILES[0], report)
    cache = tmp_path / "cache"
    build([report], tmp_path / "o", cache_dir=cache, validate=False)
    added = "\n新增一段：支持新北区发展。\n"
    report.write_text(report.read_text(encoding="utf-8") + added, "utf-8")
    res = build([report], tmp_path / "o", cache_dir=cache, validate=False)
    assert res.reused == 0
    assert "新增一段" in res.docs[0].text  # the new text, not the cached one
    assert max(m.start for m in res.mentions) > len(SEED_FILES[0].read_text(encoding="utf-8"))


def test_a_damaged_cache_entry_is_a_miss_not_an_error(tmp_path):
    cache = tmp_path / "cache"
    build(SEED_FILES[:1], tmp_path / "a", cache_dir=cache, validate=False)
    entries = list(cache.rglob("*.pickle"))
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # as if cut short
    res = build(SEED_FILES[:1], tmp_path / "b", cache_dir=cache, validate=False)
    assert res.reused == 0 and not res.errors
    assert (tmp_path / "b" / "graph.nq").read_bytes() == (tmp_path / "a" / "graph.nq").read_bytes()


def test_the_cache_lives_in_the_output_folder_and_survives_the_swap(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out = tmp_path / "out"
    args = ["build", str(SEED_FILES[0]), "-o", str(out), "--no-validate"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert list((out / ".cache").rglob("*.pickle"))
    again = CliRunner().invoke(main, args)
    assert "cache:     1 of 1 reports" in again.stderr
    off = CliRunner().invoke(main, [*args, "--no-cache"])
    assert "cache:     0 of 1 reports" in off.stderr


def test_rule_data_and_models_are_part_of_the_pipeline_version(tmp_path):
    import kg

    package = Path(kg.__file__).parent
    assert DATA_DIR.resolve().is_relative_to(package.resolve())  # rules and gazetteers hashed
    tree = tmp_path / "pkg"
    shutil.copytree(DATA_DIR / "rules", tree)

    def digest() -> str:
        import hashlib

        h = hashlib.sha256()
        _digest_tree(h, tree)
        return h.hexdigest()

    before = digest()
    rule = next(p for p in sorted(tree.rglob("*")) if p.is_file())
    rule.write_text(rule.read_text(encoding="utf-8") + "\n新规则\n", encoding="utf-8")
    assert digest() != before
    assert len(pipeline_version()) == 64


def test_pruning_removes_other_versions_only(tmp_path):
    cache = BuildCache(tmp_path)
    stale = tmp_path / "v1-0123456789abcdef01234567"
    stale.mkdir()
    mine = tmp_path / "notes"  # not a cache version: left alone
    mine.mkdir()
    cache.dir.mkdir()
    cache.prune()
    assert not stale.exists() and mine.exists() and cache.dir.exists()
