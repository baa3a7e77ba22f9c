"""Normalisation on real snippets of the seeds and the corpus: each kind of damage, repaired or
reported, with the offset map intact."""

from __future__ import annotations

import pytest

from kg.ingest import read_document
from kg.normalize import DAMAGE, Mapped, normalize_document, normalize_text
from kg.normalize.script import fold_width, strip_pinyin
from kg.normalize.structure import flatten, parse_structure
from tests.conftest import CORPUS_FILES, SEED_FILES, corpus_file


def _norm(raw: str) -> str:
    return normalize_text(raw)[0].text


def _seed(prefix: str):
    return next(p for p in SEED_FILES if p.name.startswith(prefix))


def test_pinyin_annotations_removed_and_traditional_simplified():
    # a line from seed 003
    raw = "(江蘇省)2025年常州市天寧區(qū)政府工作報告"
    assert _norm(raw) == "(江苏省)2025年常州市天宁区政府工作报告"


def test_genuine_parentheses_are_kept():
    raw = "户(人)次，连云港（连云港）和(GDP)增长，我們(men)"
    text, removed = strip_pinyin(Mapped.identity(raw))
    assert text.text == "户(人)次，连云港（连云港）和(GDP)增长，我們"
    assert removed == 1


def test_fullwidth_digits_and_letters_fold_but_quotes_stay():
    assert fold_width(Mapped.identity("“１１１５”ＣＮＤ"))[0].text == "“1115”CND"


def test_simplified_text_is_left_alone():
    raw = "实施“精网微格”工程，著力推动高质量发展"
    assert _norm(raw) == raw


def test_offsets_map_back_to_raw_spans():
    raw = "天寧區(qū)政府報告"
    m = normalize_text(raw)[0]
    i = m.text.index("政府")
    assert raw[m.starts[i] : m.ends[i + 1]] == "政府"
    j = m.text.index("区")
    assert raw[m.starts[j] : m.ends[j]] == "區"


def test_utf8_read_as_latin1_is_repaired_with_curly_quotes_kept():
    clean = "深入实施“1115”工程，常州市政府推动高质量发展。"
    raw = "前文。" + clean.encode("utf-8").decode("latin-1") + "后文。"
    m, _, report = normalize_text(raw)
    assert m.text == "前文。" + clean + "后文。"
    assert report["mojibake_runs_repaired"] == 2  # the ASCII digits of 1115 split the run
    # each repaired character maps to the raw characters that held its UTF-8 bytes
    k = m.text.index("常")
    assert raw[m.starts[k] : m.ends[k]].encode("latin-1").decode("utf-8") == "常"


def test_utf8_read_as_cp1252_is_repaired():
    clean = "新北区“精网微格”"
    raw = clean.encode("utf-8").decode("cp1252", errors="ignore")
    # cp1252 cannot show every byte: where one is lost the run is marked damaged, not guessed
    m, _, report = normalize_text(raw)
    assert "新北区" in m.text or report["damaged_chars"] > 0


def test_unrepairable_fragments_in_seed_003_are_marked_and_reported():
    doc = normalize_document(read_document(_seed("003")))
    q = doc.quality
    assert q["damaged_fragments"] >= 15
    assert 0 < q["damaged_share"] < 0.05
    assert "叭筚惖馈" not in doc.text and DAMAGE in doc.text
    # clean text around the damage survives
    assert "彰显“天宁作为”" in doc.text
    assert "跨境电商" not in doc.text or DAMAGE in doc.text


def test_unrepairable_fragments_stay_out_of_entity_names(seed_results):
    res = seed_results[_seed("003").name]
    assert res.mentions
    for m in res.mentions:
        assert DAMAGE not in m.name and "?" not in m.name, m


def test_clean_reports_have_no_damage():
    for path in SEED_FILES[:3] + CORPUS_FILES:
        if path.name.startswith("003"):
            continue
        q = normalize_document(read_document(path)).quality
        assert q["damaged_chars"] == 0, (path.name, q["damaged_samples"])


def test_repeated_paragraphs_in_seed_004_removed_once_and_reported():
    doc = normalize_document(read_document(_seed("004")))
    assert doc.quality["repeated_paragraphs_removed"] >= 5
    assert doc.text.count("各位代表!沧海横流显砥柱") == 1
    assert doc.text.count("与此同时,全市工会、青少年") == 1
    assert doc.raw.count("各位代表!沧海横流显砥柱") == 3


def test_word_broken_by_line_break_is_joined():
    # seed 002
    raw = (
        "教育经费投入年均增长 10.33%，增加学位 11.9 万个。"
        "建成多层次医疗、养老服\n\n务体系，人均预期寿命提高至 8"
    )
    assert "养老服务体系" in _norm(raw)


def test_seed_002_broken_words_joined():
    doc = normalize_document(read_document(_seed("002")))
    assert "养老服务体系" in doc.text
    assert "养老服\n\n务体系" in doc.raw
    assert doc.quality["broken_lines_joined"] >= 3


def test_headings_are_not_joined_to_the_next_line():
    raw = "（一）厚植区域创新发展新动能\n\n强化企业创新主体地位。"
    assert _norm(raw) == raw


def test_web_page_furniture_is_removed_and_reported():
    doc = normalize_document(read_document(corpus_file("北京市.txt")))
    head = doc.text[:300]
    for furniture in ("下载", "全屏", "【字号", "来源：北京日报", "本报记者 戴冰摄"):
        assert furniture not in head
    assert "相关报道" not in doc.text
    lines = doc.quality["boilerplate_lines_removed"]
    assert lines["toolbar"] >= 8 and lines["source"] >= 2 and lines["caption"] == 1
    assert lines["related"] == 1
    assert doc.text.lstrip().startswith("2026年北京市政府工作报告")


def test_related_links_tail_and_breadcrumbs_are_removed():
    doc = normalize_document(read_document(corpus_file("四川省.txt")))
    assert "关闭窗口" not in doc.text
    assert "解读省政府工作报告" not in doc.text
    doc = normalize_document(read_document(corpus_file("云南省.txt")))
    assert "您的位置" not in doc.text and "云南要闻" not in doc.text
    assert "2026年政府工作报告" in doc.text[:40]


def test_newspaper_page_markers_and_repeated_mastheads_are_removed():
    doc = normalize_document(read_document(_seed("004")))
    assert "(上接1版)" not in doc.text
    assert doc.text.count("常州市人民政府工作报告") == 1
    assert doc.quality["boilerplate_lines_removed"]["page_marker"] >= 1


def test_report_prose_is_not_mistaken_for_furniture():
    raw = (
        "各位代表：\n来源于基层的创新实践不断涌现，我们持续推进。\n"
        "下载量突破1亿次的应用超过10个。\n"
    )
    assert _norm(raw) == raw


def test_section_tree_follows_the_numbering():
    text = normalize_document(read_document(_seed("002"))).text
    roots, glossary = parse_structure(text)
    top = [s for s in roots if s.kind == "section"]
    assert [s.marker for s in top[:2]] == ["一、", "二、"]
    assert "工作回顾" in top[0].title
    assert [c.marker for c in top[1].children][:2] == ["(一)", "(二)"]
    assert all(c.level == 2 for c in top[1].children)
    for s in flatten(roots):
        assert 0 <= s.start < s.end <= len(text)
        for c in s.children:
            assert s.start <= c.start and c.end <= s.end
    assert glossary == []


def test_glossary_section_is_recognised_with_its_terms():
    doc = normalize_document(read_document(_seed("001")))
    gloss = [s for s in doc.sections if s.kind == "glossary"]
    assert len(gloss) == 1
    terms = {e.term for e in doc.glossary}
    assert "“1115”大企业集团" in terms and "“两特三新一智能”主导产业" in terms
    entry = next(e for e in doc.glossary if e.term == "“1115”大企业集团")
    assert doc.text[entry.term_start : entry.term_end] == entry.term
    assert "100亿" in entry.definition
    assert doc.quality["glossary_entries"] == len(doc.glossary) >= 5


# hand-made glossaries in the layouts reports use: (text, {term: definition})
GLOSSARY_LAYOUTS = {
    "heading alone, 1. and colon": (
        "一、回顾\n推进“双链”融合。\n名词解释\n1.“双链”：指产业链和创新链。\n",
        {"“双链”": "指产业链和创新链。"},
    ),
    "bracketed heading, （1） and 是指": (
        "一、回顾\n推进“双链”融合。\n【名词解释】\n（1）“双链”是指产业链和创新链。\n",
        {"“双链”": "产业链和创新链。"},
    ),
    "附： heading, unnumbered, 即 and a bare term": (
        "一、回顾\n附：名词解释\n“双链”即产业链和创新链。\n三区三线：指城镇开发边界和生态保护红线。\n",
        {"“双链”": "产业链和创新链。", "三区三线": "指城镇开发边界和生态保护红线。"},
    ),
    "（1） and a comma before the cue": (
        "一、回顾\n名词解释\n（1）“双链”，是指产业链和创新链。\n",
        {"“双链”": "产业链和创新链。"},
    ),
    "1、 term alone, definition on the next line": (
        "一、回顾\n注释\n1、“四上”企业\n指规模以上工业等法人单位。\n",
        {"“四上”企业": "指规模以上工业等法人单位。"},
    ),
    "［1］ and [2] entries": (
        "一、回顾\n注：\n［1］“双链”：指产业链和创新链。\n[2]链长制 指由领导担任链长。\n",
        {"“双链”": "指产业链和创新链。", "链长制": "由领导担任链长。"},
    ),
    "footnotes ① without a term, marker in the body": (
        "一、回顾\n推进“双一流”①建设。\n注\n①指世界一流大学和一流学科。\n",
        {"“双一流”": "指世界一流大学和一流学科。"},
    ),
    "footnote ［1］ without a heading": (
        "一、回顾\n实施“链长制”［1］。\n［1］即由领导担任链长。\n",
        {"“链长制”": "即由领导担任链长。"},
    ),
    "one paragraph of entries": (
        "一、回顾\n名词解释：1.“双链”：指产业链和创新链。2.“三区”：指城镇、农业和生态空间。\n",
        {"“双链”": "指产业链和创新链。", "“三区”": "指城镇、农业和生态空间。"},
    ),
    "heading with its first entry on the line": (
        "一、回顾\n注：“链长制”是指由领导担任链长。\n",
        {"“链长制”": "由领导担任链长。"},
    ),
    "heading spaced out by PDF extraction, 1） entries": (
        "一、回顾\n推进“双链”融合。\n注　释\n"
        "1）“双链”：指产业链和创新链。\n2）“三区”：指城镇空间。\n",
        {"“双链”": "指产业链和创新链。", "“三区”": "指城镇空间。"},
    ),
    "heading naming the report": (
        "一、回顾\n推进“双链”融合。\n本报告名词解释\n1.“双链”：指产业链和创新链。\n",
        {"“双链”": "指产业链和创新链。"},
    ),
    "heading with the report's title in 《》 and qualifying words": (
        "一、回顾\n推进“双链”融合。\n《政府工作报告》有关名词术语注释\n"
        "1.“双链”：指产业链和创新链。\n2.三区三线：指城镇开发边界。\n",
        {"“双链”": "指产业链和创新链。", "三区三线": "指城镇开发边界。"},
    ),
}


@pytest.mark.parametrize("layout", GLOSSARY_LAYOUTS, ids=str)
def test_glossary_entries_are_read_in_every_layout(layout):
    text, want = GLOSSARY_LAYOUTS[layout]
    _, glossary = parse_structure(text)
    assert {g.term: g.definition for g in glossary} == want
    for g in glossary:
        assert text[g.term_start : g.term_end] == g.term
        assert g.definition in text[g.start : g.end]


def test_a_glossary_after_each_part_ends_at_the_next_part():
    text = (
        "一、回顾\n推进“双链”融合。\n注释：\n1.“双链”：指产业链和创新链。\n"
        "二、计划\n实施“四化同步”。\n注1：“四化同步”：工业化、信息化同步发展。\n"
    )
    roots, glossary = parse_structure(text)
    assert [s.kind for s in roots] == ["section", "glossary", "section", "glossary"]
    assert roots[2].title == "计划" and roots[1].end == roots[2].start
    assert [g.term for g in glossary] == ["“双链”", "“四化同步”"]


def test_body_lines_that_look_like_a_heading_open_no_glossary():
    roots, glossary = parse_structure(
        "一、回顾\n注重实效：推进工作。\n这是指一种做法。\n高度关注\n做好政策解读和注释工作。\n"
    )
    assert [s.kind for s in roots] == ["section"] and glossary == []


@pytest.mark.parametrize("path", SEED_FILES + CORPUS_FILES, ids=lambda p: p.name)
def test_normalising_twice_changes_nothing(path):
    once = normalize_document(read_document(path)).text
    assert normalize_text(once)[0].text == once
