"""The analyst's names file: add, suppress and retype without code."""

from pathlib import Path

import pytest

from kg.extract import extract_mentions
from kg.extract.user_names import NamesFileError, read_names
from kg.model import RawDocument
from kg.normalize import normalize_document

SNIPPET = "推动天合光能等企业扩产，比亚迪二期建成投产，“精网微格”治理模式全面推行。"


def _doc():
    return normalize_document(RawDocument("snippet.txt", "snippet.txt", SNIPPET, "utf-8", "0" * 64))


def _names(tmp_path: Path, rows: str):
    p = tmp_path / "names.tsv"
    p.write_text(rows, encoding="utf-8")
    return read_names(p)


def _pairs(mentions):
    return {(m.type, m.name) for m in mentions}


def test_add_makes_a_mention_at_every_occurrence_with_the_files_provenance(tmp_path):
    names = _names(tmp_path, "name\ttype\taction\n治理模式\tProgramme\tadd\n")
    ms = [m for m in extract_mentions(_doc(), names) if m.name == "治理模式"]
    assert [(m.type, SNIPPET[m.start : m.end]) for m in ms] == [("Programme", "治理模式")]
    assert ms[0].extractor.endswith("#names.tsv")


def test_suppress_drops_the_name_of_any_type_or_only_the_given_type(tmp_path):
    base = _pairs(extract_mentions(_doc()))
    assert ("Enterprise", "天合光能") in base
    gone = _pairs(extract_mentions(_doc(), _names(tmp_path, "天合光能\t*\tsuppress\n")))
    assert not any(n == "天合光能" for _, n in gone)
    kept = _pairs(extract_mentions(_doc(), _names(tmp_path, "天合光能\tPerson\tsuppress\n")))
    assert ("Enterprise", "天合光能") in kept


def test_retype_changes_the_type_and_keeps_the_offsets(tmp_path):
    before = [m for m in extract_mentions(_doc()) if m.name == "精网微格"]
    after = [
        m
        for m in extract_mentions(_doc(), _names(tmp_path, "精网微格\tOrganization\tretype\n"))
        if m.name == "精网微格"
    ]
    assert before and [m.type for m in after] == ["Organization"] * len(before)
    assert [(m.start, m.end) for m in after] == [(m.start, m.end) for m in before]


def test_an_added_name_drops_mentions_across_its_edge_and_keeps_nested_ones(tmp_path):
    names = _names(tmp_path, "天合光能等企业\tEnterprise\tadd\n网微格治理\tProgramme\tadd\n")
    pairs = _pairs(extract_mentions(_doc(), names))
    assert {("Enterprise", "天合光能等企业"), ("Enterprise", "天合光能")} <= pairs
    assert ("Programme", "网微格治理") in pairs
    assert ("Programme", "精网微格") not in pairs  # straddles the added name's left edge


@pytest.mark.parametrize(
    "rows, message",
    [
        ("天合光能\tEnterprise\n", "expected name<TAB>type<TAB>action"),
        ("天合光能\tCompany\tadd\n", "unknown type 'Company'"),
        ("天合光能\tEnterprise\tdelete\n", "action must be one of"),
        ("\tEnterprise\tadd\n", "expected name<TAB>type<TAB>action"),
    ],
)
def test_a_bad_row_is_reported_with_its_line(tmp_path, rows, message):
    with pytest.raises(NamesFileError, match=message) as err:
        _names(tmp_path, "# corrections\n" + rows)
    assert ":2:" in str(err.value)


def test_kg_build_applies_the_names_file(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    report = tmp_path / "r.txt"
    report.write_text(SNIPPET, encoding="utf-8")
    names = tmp_path / "names.tsv"
    names.write_text("比亚迪二期\tProject\tsuppress\n治理模式\tProgramme\tadd\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["extract", str(report), "--names", str(names)], catch_exceptions=False
    )
    assert result.exit_code == 0
    assert "治理模式" in result.output and "比亚迪二期" not in result.output
    bad = tmp_path / "bad.tsv"
    bad.write_text("x\ty\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(report), "-o", str(out), "--names", str(bad)])
    assert result.exit_code == 2 and "bad.tsv:1" in result.output
