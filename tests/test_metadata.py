"""Report metadata from the text alone, checked against committed expected values for every
seed and corpus report; and a manifest that completes or overrides it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.ingest import read_document
from kg.metadata import PLAN_REPORT, detect_metadata, manifest_metadata, read_manifest
from kg.normalize import normalize_document
from tests.conftest import CORPUS, ROOT

EXPECTED_FILE = ROOT / "tests" / "fixtures" / "metadata_expected.jsonl"
EXPECTED = [json.loads(ln) for ln in EXPECTED_FILE.read_text("utf-8").splitlines() if ln.strip()]
FIELDS = [k for k in EXPECTED[0] if k not in ("file", "notes")]


def _path(file: str) -> Path:
    if file.startswith("seeds/"):
        return ROOT / file
    p = CORPUS / Path(file).name
    if not p.is_file():
        pytest.skip(f"{p} not available")
    return p


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda e: e["file"])
def test_metadata_read_from_the_text_matches_expected(expected):
    md = vars(normalize_document(read_document(_path(expected["file"]))).metadata)
    got = {k: md.get(k) for k in FIELDS}
    want = {k: expected[k] for k in FIELDS}
    assert got == want


def test_plan_report_years_come_from_its_title():
    md = detect_metadata(
        "常州市新北区2021年国民经济和社会发展计划执行情况与2022年国民经济和社会发展\n"
        "计划草案的报告\n——2022年1月5日在常州市新北区\n第五届人民代表大会第一次会议上\n各位代表：\n"
    )
    assert md.kind == PLAN_REPORT
    assert (md.year_reviewed, md.year_planned) == (2021, 2022)
    assert md.region_code == "320411" and md.region_level == "district"
    assert md.meeting == "常州市新北区第五届人民代表大会第一次会议"


def test_absent_fields_stay_absent():
    md = detect_metadata("深入实施创新驱动发展战略，推动高质量发展。\n")
    assert md.title is None and md.date is None and md.speaker is None and md.region is None


def test_dates_in_chinese_numerals_are_read():
    md = detect_metadata(
        "政府工作报告\n——二〇二六年一月二十七日在甘肃省十四届人民代表大会第四次会议上\n"
    )
    assert md.date == "2026-01-27"
    assert md.congress == "十四届" and md.session == "第四次会议"


def test_manifest_completes_and_overrides_the_text(tmp_path, seed_results):
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(
        "file\tregion\tyear\ttitle\tdate\tsource_url\n"
        "001_f922f5036d7b17ae.txt\t新北区\t2023\t2023年常州市新北区政府工作报告\t2023-01-03\t"
        "https://www.cznd.gov.cn/report-2023\n",
        encoding="utf-8",
    )
    rows = read_manifest(manifest)
    override = manifest_metadata(rows["001_f922f5036d7b17ae.txt"])
    assert override.region_code == "320411"
    doc = normalize_document(read_document(ROOT / "seeds" / "001_f922f5036d7b17ae.txt"), override)
    md = doc.metadata
    assert md.title == "2023年常州市新北区政府工作报告"  # absent in the text, given by the manifest
    assert md.source_url == "https://www.cznd.gov.cn/report-2023"
    assert md.meeting == "常州市新北区第五届人民代表大会第二次会议"  # kept from the text
    assert (md.year_reviewed, md.year_planned) == (2022, 2023)


def test_corpus_manifest_columns_are_understood():
    path = CORPUS / "MANIFEST.tsv"
    if not path.is_file():
        pytest.skip("corpus manifest not available")
    rows = read_manifest(path)
    md = manifest_metadata(rows["北京市.txt"])
    assert md.region_code == "110000"
    assert md.issued == "2026-02-02"  # the web page's date, not the delivery date
    assert md.date is None
