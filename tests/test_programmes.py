"""Programme facts (defines, has_component, plan_period, covers), same_as proposals and the
merges review file, and the competency queries cq01, cq05, cq06, cq07 (issue 7, part B)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.cli import main
from kg.model import DocMetadata, Mention, NormalizedDocument, RawDocument
from kg.normalize import normalize_document
from kg.ontology import QUERIES_DIR
from kg.relations.identity import same_as
from kg.relations.programmes import components, expected_parts, extract_programme_facts
from kg.resolve import (
    ACCEPTED,
    DEFAULT_BASE_IRI,
    REJECTED,
    Merge,
    canonical_name,
    decide_merges,
    entity_iri,
    propose_merges,
    read_merge_file,
    read_merges,
)
from tests.conftest import SEED_FILES, corpus_file

OWL_SAME_AS = URIRef("http://www.w3.org/2002/07/owl#sameAs")


def doc_with(text: str, **names: str) -> tuple[NormalizedDocument, list[Mention]]:
    """A normalised report of `text` and a mention at every place each name is written,
    typed by the keyword (Programme=…, Enterprise=… with names joined by |)."""
    doc = normalize_document(RawDocument("t.txt", "t.txt", text, "utf-8", "0"))
    doc = replace(doc, metadata=DocMetadata(region="某某市", year_reviewed=2025, year_planned=2026))
    mentions = []
    for etype, joined in names.items():
        for name in joined.split("|"):
            for m in re.finditer(re.escape(name), doc.text):
                a, b = doc.raw_span(*m.span())
                mentions.append(
                    Mention("t.txt", etype, name, a, b, m.start(), m.end(), 0, len(text), "test")
                )
    return doc, mentions


def facts(text: str, **names: str) -> set[tuple[str, str, str]]:
    doc, mentions = doc_with(text, **names)
    return {(f.relation, f.subject, f.object) for f in extract_programme_facts(doc, mentions)}


def pairs(got: set[tuple[str, str, str]], relation: str) -> set[tuple[str, str]]:
    """The (subject, object) pairs of one relation among `facts`."""
    return {(s, o) for r, s, o in got if r == relation}


def test_code_numerals_say_how_many_parts():
    assert expected_parts("两特三新一智能") == 6
    assert expected_parts("四项指标") == 4
    assert expected_parts("双一流") == 2
    assert expected_parts("五统一、一开放") == 6
    assert expected_parts("1115") == 4
    assert expected_parts("城市大管家") is None
    assert expected_parts("5+1") == 6  # five and one
    assert expected_parts("三个一批") == 3  # three 一批, not 3 + 1


def _parts(code: str, definition: str) -> list[str]:
    return [p for p, _, _ in components(code, definition, 0, len(definition))]


@pytest.mark.parametrize(
    ("code", "definition", "want"),
    [
        ("三区三线", "三区指城镇空间、农业空间、生态空间；三线指开发边界、基本农田、生态红线。",
         ["城镇空间", "农业空间", "生态空间", "开发边界", "基本农田", "生态红线"]),
        ("5+1", "“5”指电子信息、装备制造、食品饮料、先进材料、能源化工5个产业，“1”指数字经济。",
         ["电子信息", "装备制造", "食品饮料", "先进材料", "能源化工", "数字经济"]),
        ("三个一批", "指签约一批、开工一批、投产一批项目。", ["签约一批", "开工一批", "投产一批"]),
        ("三医联动", "指医疗、医保、医药联动改革。", ["医疗", "医保", "医药"]),
        ("四上", "指规上工业企业、资质建筑业企业、限上批零住餐企业、规上服务业企业。",
         ["规上工业企业", "资质建筑业企业", "限上批零住餐企业", "规上服务业企业"]),
        ("1269", "指围绕电子信息、装备制造等12条产业链，实施6大行动，培育9个产业集群。", []),
    ],
    ids=["groups spelled in turn", "plus code", "N个一X", "code word after the last part",
         "every part ends alike", "a count of examples is no list"],
)  # fmt: skip
def test_definitions_split_into_the_parts_their_code_announces(code, definition, want):
    assert _parts(code, definition) == want


def test_glossary_entry_defines_the_programme_and_lists_its_parts():
    got = facts(
        "一、2025年工作回顾\n实施“三强两优”工程。\n名词解释\n"
        "1.“三强两优”工程：强链、强群、强企和优服务、优环境。\n",
        Programme="三强两优",
    )
    assert ("defines", "三强两优", "强链、强群、强企和优服务、优环境") in got
    parts = {o for r, s, o in got if r == "has_component"}
    assert parts == {"强链", "强群", "强企", "优服务", "优环境"}  # 3 + 2: 和 splits


def test_term_alone_on_its_line_takes_the_next_line_as_definition():
    got = facts(
        "一、回顾\n推进“双链”融合。\n名词解释\n1.“双链”：\n指产业链和创新链。\n", Programme="双链"
    )
    assert ("defines", "双链", "指产业链和创新链") in got
    assert {o for r, _, o in got if r == "has_component"} == {"产业链", "创新链"}


def test_footnote_and_per_part_glossaries_define_and_list_parts():
    got = facts(
        "一、回顾\n推进“双一流”①建设。\n注：\n①指世界一流大学和一流学科。\n"
        "二、计划\n实施“四个一”工程。\n【名词解释】\n［1］“四个一”工程：即一张图、一张网、一平台、一中心。\n",
        Programme="双一流|四个一",
    )
    assert ("defines", "双一流", "指世界一流大学和一流学科") in got
    assert {o for r, s, o in got if r == "has_component" and s == "双一流"} == {
        "世界一流大学", "一流学科"
    }  # fmt: skip
    assert {o for r, s, o in got if r == "has_component" and s == "四个一"} == {
        "一张图", "一张网", "一平台", "一中心"
    }  # fmt: skip


def test_uncounted_code_lists_a_closed_or_counted_enumeration():
    got = facts(
        "一、回顾\n推进“链长制”和“城市大脑”。\n名词解释\n"
        "1.“链长制”：包括产业链、创新链和资金链。\n"
        "2.“城市大脑”：数据中台、算力中心、应用平台等3个板块，统筹城市治理。\n"
        "3.“城市运行网”：以数据为核心，主要包括感知网、指挥网和处置网。\n",
        Programme="链长制|城市大脑|城市运行网",
    )
    assert {o for r, s, o in got if r == "has_component" and s == "城市运行网"} == {
        "感知网", "指挥网", "处置网"
    }  # fmt: skip
    assert {o for r, s, o in got if r == "has_component" and s == "链长制"} == {
        "产业链", "创新链", "资金链"
    }  # fmt: skip
    assert {o for r, s, o in got if r == "has_component" and s == "城市大脑"} == {
        "数据中台", "算力中心", "应用平台"
    }  # fmt: skip


def test_inline_parenthesis_and_cue_explain_a_quoted_code():
    got = facts(
        "一、回顾\n实施“两链一网”（产业链、创新链和服务网）行动。"
        "“四化同步”是指工业化、信息化、城镇化、农业现代化同步发展。\n",
        Programme="两链一网|四化同步",
    )
    assert {o for r, s, o in got if r == "has_component" and s == "两链一网"} == {
        "产业链", "创新链", "服务网"
    }  # fmt: skip
    assert ("defines", "四化同步", "工业化、信息化、城镇化、农业现代化同步发展") in got
    assert {o for r, s, o in got if r == "has_component" and s == "四化同步"} == {
        "工业化", "信息化", "城镇化", "农业现代化"
    }  # fmt: skip


def test_a_parenthesis_that_explains_nothing_is_no_definition():
    got = facts("一、回顾\n推进“一杯奶”（牵头单位：教育厅）工程。\n", Programme="一杯奶")
    assert not got


def test_plan_period_before_the_programme_and_covers_with_its_list():
    got = facts(
        "一、回顾\n编制“十四五”时期的“三强两优”工程方案。天合光能、星宇股份入选“1115”大企业集团，"
        "入选“专精特新”培育库的常州精测等企业增加。\n",
        Programme="三强两优|1115|专精特新",
        Enterprise="天合光能|星宇股份|常州精测",
    )
    assert ("plan_period", "三强两优", "十四五") in got
    assert ("covers", "1115", "天合光能") in got and ("covers", "1115", "星宇股份") in got
    assert ("covers", "专精特新", "常州精测") in got
    assert not any(r == "plan_period" and s == "1115" for r, s, _ in got)


def test_fact_offsets_quote_the_raw_text():
    doc, mentions = doc_with(
        "一、回顾\n實施“兩鏈一網”（產業鏈、創新鏈和服務網）行動。\n", Programme="两链一网"
    )
    fs = extract_programme_facts(doc, mentions)
    assert fs
    for f in fs:
        assert doc.raw[f.start : f.end] == f.wording
        assert doc.raw[f.sentence_start : f.sentence_end] == f.quote
        assert f.sentence_start <= f.start < f.end <= f.sentence_end
        assert f.extractor.endswith("#programmes") and 0 < f.confidence <= 1


def test_same_as_rules_and_what_they_leave_apart():
    abbr = same_as("Organization", "省产研院", "江苏省产业技术研究院")
    assert abbr and abbr.same_as == "江苏省产业技术研究院" and "abbreviation" in abbr.reason
    assert same_as("Organization", "南京大学", "南京航空航天大学") is None  # one stretch left out
    brand = same_as("Enterprise", "星宇车灯", "星宇股份")
    assert brand and (brand.name, brand.same_as) == ("星宇车灯", "星宇股份")
    bridge = same_as("Project", "常泰大桥", "常泰过江通道")
    assert bridge and bridge.same_as == "常泰过江通道"
    assert same_as("Project", "比亚迪", "比亚迪二期") is None
    assert same_as("Enterprise", "天合光能", "天合储能") is None


def test_same_as_for_a_regions_own_bodies_rank_words_and_league_level_places():
    places = frozenset({"湖北省", "常州"})
    party = same_as("Organization", "省委", "中共湖北省委", places)
    assert party and party.same_as == "中共湖北省委"
    assert same_as("Organization", "市委", "中共常州市委", places)
    assert same_as("Organization", "大学", "常州大学", places) is None  # no level: too short
    assert same_as("Organization", "省委", "中共湖北省委") is None  # 湖北 is not named
    zone = same_as("Zone", "巴彦淖尔农高区", "巴彦淖尔国家农高区")
    assert zone and zone.same_as == "巴彦淖尔国家农高区"
    assert same_as("Zone", "高新区", "国家高新区") is None  # nothing left but the head
    assert same_as("Place", "阿拉善", "阿拉善盟")
    assert same_as("Event", "十五运会", "第十五届全国运动会")


def test_proposals_settle_chains_and_reject_ambiguous_abbreviations():
    def m(etype: str, name: str) -> Mention:
        return Mention("a", etype, name, 0, 1, 0, 1, 0, 1, "x")

    names = [("Project", "常泰大桥"), ("Project", "常泰长江大桥"), ("Project", "常泰过江通道"),
             ("Organization", "省产研院"), ("Organization", "江苏省产业技术研究院"),
             ("Organization", "省中以产业技术研究院")]  # fmt: skip
    got = {(p.name, p.same_as): p.decision for p in propose_merges([m(*n) for n in names], {})}
    assert got[("常泰大桥", "常泰过江通道")] == ACCEPTED
    assert got[("常泰长江大桥", "常泰过江通道")] == ACCEPTED
    assert got[("常泰大桥", "常泰长江大桥")] == REJECTED  # the chain already joins them
    assert got[("省产研院", "江苏省产业技术研究院")] == REJECTED  # which institute is meant?
    assert got[("省产研院", "省中以产业技术研究院")] == REJECTED


def test_merges_file_without_decision_column_keeps_its_meaning_and_a_rejection_overrides(
    tmp_path,
):
    old = tmp_path / "old.tsv"
    old.write_text("type\tname\tsame_as\treason\nEnterprise\t星宇车灯\t星宇股份\tbrand\n", "utf-8")
    assert read_merges(old)[("Enterprise", "星宇车灯")].same_as == "星宇股份"
    new = tmp_path / "new.tsv"
    new.write_text(
        "type\tname\tsame_as\treason\tdecision\n"
        "Enterprise\t星宇股份\t星宇车灯\tnot the same\trejected\n"
        "Zone\t常州高新区\t常州国家高新区\tanalyst\taccepted\n",
        encoding="utf-8",
    )
    rows = read_merge_file(new)
    proposal = Merge("Enterprise", "星宇车灯", "星宇股份", "brand", ACCEPTED, 0.7, "rule")
    decided = decide_merges([proposal], rows)
    assert [(d.name, d.decision, d.decided_by) for d in decided] == [
        ("星宇股份", REJECTED, "analyst"),
        ("常州高新区", ACCEPTED, "analyst"),
    ]
    bad = tmp_path / "bad.tsv"
    bad.write_text("type\tname\tsame_as\treason\tdecision\nZone\ta\tb\t\tmaybe\n", "utf-8")
    r = CliRunner().invoke(main, ["build", str(SEED_FILES[0]), "--merges", str(bad)])
    assert r.exit_code == 2 and "maybe" in r.output


def test_seed_build_writes_every_merge_and_an_analyst_rejection_wins(built_seeds, tmp_path):
    from kg.pipeline import build

    out, res = built_seeds
    rows = list(csv.DictReader((out / "merges.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert rows and set(rows[0]) == {
        "type", "name", "same_as", "reason", "decision", "confidence", "decided_by"
    }  # fmt: skip
    enterprises = {m.name for m in res.mentions if m.type == "Enterprise"}
    star = next(r for r in rows if r["name"] == "星宇车灯")  # both names are extracted
    assert {"星宇车灯", "星宇股份"} <= enterprises
    assert (star["same_as"], star["decision"]) == ("星宇股份", ACCEPTED) and star["reason"]
    assert any(r["decision"] == REJECTED for r in rows)  # candidates left apart are listed
    g = Graph().parse(out / "graph.nt", format="nt")
    old = URIRef(entity_iri(DEFAULT_BASE_IRI, "Enterprise", "星宇车灯"))
    new = URIRef(entity_iri(DEFAULT_BASE_IRI, "Enterprise", "星宇股份"))
    assert (old, OWL_SAME_AS, new) in g

    edited = tmp_path / "merges.tsv"  # the analyst turns the proposal down
    edited.write_text(
        "type\tname\tsame_as\treason\tdecision\n"
        "Enterprise\t星宇车灯\t星宇股份\tthe brand only\trejected\n",
        encoding="utf-8",
    )
    seeds = [p for p in SEED_FILES if p.name[:3] in ("000", "001")]
    res2 = build(seeds, tmp_path / "o", merges=read_merge_file(edited), validate=False)
    assert not any(m.name == "星宇车灯" and m.decision == ACCEPTED for m in res2.merges)
    g2 = Graph().parse(tmp_path / "o" / "graph.nt", format="nt")
    assert (old, OWL_SAME_AS, new) not in g2


def _query(path: Path, out: Path, text: str | None = None) -> list[dict[str, str]]:
    q = text if text is not None else path.read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["query", q, "-o", str(out), "--format", "csv"])
    assert r.exit_code == 0, r.output
    return list(csv.DictReader(io.StringIO(r.stdout)))


@pytest.mark.parametrize("name", ["cq01", "cq05", "cq06", "cq07"])
def test_competency_queries_declare_prefixes_and_state_their_question(name):
    text = (QUERIES_DIR / f"{name}.rq").read_text(encoding="utf-8")
    assert text.startswith("# ") and text.splitlines()[0].rstrip().endswith("?")
    used = set(re.findall(r"\b([a-z]+):[A-Za-z]", text.split("\n", 1)[1]))
    declared = set(re.findall(r"PREFIX (\w+):", text))
    assert used <= declared


def test_cq01_gives_1115_its_region_and_the_glossary_definition(built_seeds, seed_results):
    out, _ = built_seeds
    defined = {
        (r.doc.metadata.region, f.object, f.doc)
        for r in seed_results.values()
        for f in extract_programme_facts(r.doc, r.mentions)
        if f.relation == "defines" and f.subject == "1115"
    }
    rows = _query(QUERIES_DIR / "cq01.rq", out)
    assert defined and {(r["发起地区"], r["定义"], r["定义报告"]) for r in rows} == defined
    assert all(r["名称"] == "1115" for r in rows)
    assert "十四五" in {r["规划期"] for r in rows}  # 到“十四五”期末 in the definition


def test_cq06_components_are_the_extracted_parts_one_per_row(built_seeds, seed_results):
    out, _ = built_seeds
    parts = {
        f.object
        for r in seed_results.values()
        for f in extract_programme_facts(r.doc, r.mentions)
        if f.relation == "has_component" and f.subject == "两特三新一智能"
    }
    rows = _query(QUERIES_DIR / "cq06.rq", out)
    assert len(parts) == 6 and [r["组成部分"] for r in rows] == sorted(parts)
    assert all("两特三新一智能" in r["原文"] and r["报告"].endswith(".txt") for r in rows)


def test_cq07_one_row_per_report_with_its_metadata(built_seeds):
    out, res = built_seeds
    rows = {r["报告"]: r for r in _query(QUERIES_DIR / "cq07.rq", out)}
    assert set(rows) == {d.name for d in res.docs}
    for d in res.docs:
        row = rows[d.name]
        assert row["地区"] == (d.metadata.region or "")
        assert row["日期"] == (d.metadata.date or "")
        assert row["会议"] == (d.metadata.meeting or "")
    speakers = {d.name: d.metadata.speaker for d in res.docs if d.metadata.speaker}
    assert speakers and all(rows[n]["报告人"] == s for n, s in speakers.items())


def test_cq05_programmes_of_several_years_or_regions(built_seeds):
    out, res = built_seeds
    by_doc = {d.name: d.metadata for d in res.docs}
    seen: dict[str, set[tuple[str, str]]] = {}
    for e in res.entities:
        if e.type == "Programme":
            for m in e.mentions:
                md = by_doc[m.doc]
                if md.year_planned and md.region:
                    seen.setdefault(e.name, set()).add((str(md.year_planned), md.region))
    want = {
        n
        for n, pairs in seen.items()
        if len({y for y, _ in pairs}) > 1 or len({r for _, r in pairs}) > 1
    }
    rows = _query(QUERIES_DIR / "cq05.rq", out)
    assert want and {r["名称"] for r in rows} == want
    for r in rows:
        years = r["年份"].split("、")
        assert years == sorted(years) and all(re.fullmatch(r"\d{4}", y) for y in years)
        assert int(r["年份数"]) == len({y for y, _ in seen[r["名称"]]})


CORPUS_REPORTS = ("广东省.txt", "上海市.txt", "天津市.txt")


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    """Three train-split provincial reports built together (skipped without the corpus)."""
    from kg.pipeline import build

    files = [corpus_file(n) for n in CORPUS_REPORTS]
    out = tmp_path_factory.mktemp("corpus") / "out"
    return out, build(files, out, validate=False)


def test_corpus_queries_give_those_reports_answers(corpus_build):
    out, res = corpus_build
    rows = {r["报告"]: r for r in _query(QUERIES_DIR / "cq07.rq", out)}
    assert set(rows) == set(CORPUS_REPORTS)
    assert {rows[n]["地区"] for n in CORPUS_REPORTS} == {"广东省", "上海市", "天津市"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["日期"]) for r in rows.values())
    # the province reports name no “1115” and no 两特三新一智能: those questions are empty
    assert _query(QUERIES_DIR / "cq01.rq", out) == []
    assert _query(QUERIES_DIR / "cq06.rq", out) == []
    # the same question about the programme Guangdong's glossary spells out and Shanghai's
    # text lists before its code (做好科技金融、…、数字金融“五篇大文章”)
    text = (
        (QUERIES_DIR / "cq06.rq")
        .read_text(encoding="utf-8")
        .replace("两特三新一智能", "五篇大文章")
    )
    parts = _query(QUERIES_DIR / "cq06.rq", out, text)
    assert {p["组成部分"] for p in parts} == {
        "科技金融",
        "绿色金融",
        "普惠金融",
        "养老金融",
        "数字金融",
    }
    assert {p["发起地区"] for p in parts} == {"广东省", "上海市"}
    # a programme both Shanghai and Tianjin name appears across regions
    names = {
        d: {canonical_name(m.name) for m in res.mentions if m.doc == d and m.type == "Programme"}
        for d in ("上海市.txt", "天津市.txt")
    }
    shared = names["上海市.txt"] & names["天津市.txt"]
    across = {r["名称"]: r for r in _query(QUERIES_DIR / "cq05.rq", out)}
    assert shared and shared <= set(across)
    assert all(int(across[n]["地区数"]) >= 2 for n in shared)


def test_same_as_facts_of_one_report_pair_every_name_of_a_group():
    from kg.relations.identity import extract_same_as

    doc, mentions = doc_with(
        "一、回顾\n常州市人民政府印发通知。市人民政府和市政府同为一处。"
        "新龙湖国际金融广场（星耀CITY）开业。常州、常州市都有。常州高新区挂牌，常州国家高新技术产业开发区扩区。\n",
        Organization="常州市人民政府|市人民政府|市政府",
        Project="新龙湖国际金融广场|星耀CITY",
        Place="常州|常州市",
        Zone="常州高新区|常州国家高新技术产业开发区",
    )
    got = {frozenset((f.subject, f.object)): f for f in extract_same_as(doc, mentions)}
    assert set(got) == {
        frozenset(("常州市人民政府", "市人民政府")),
        frozenset(("常州市人民政府", "市政府")),
        frozenset(("市人民政府", "市政府")),
        frozenset(("新龙湖国际金融广场", "星耀CITY")),
        frozenset(("常州", "常州市")),
        frozenset(("常州高新区", "常州国家高新技术产业开发区")),
    }
    f = got[frozenset(("新龙湖国际金融广场", "星耀CITY"))]
    assert "brackets" in (f.reason or "") and doc.raw[f.start : f.end] == f.wording == "星耀CITY"
    assert f.extractor.endswith("#same_as") and f.quote in doc.raw


def test_places_are_reported_as_one_but_never_folded_by_the_build():
    def m(etype: str, name: str) -> Mention:
        return Mention("a", etype, name, 0, 1, 0, 1, 0, 1, "x")

    names = [("Place", "常州"), ("Place", "常州市"), ("Organization", "市政府"),
             ("Organization", "市人民政府")]  # fmt: skip
    got = {(p.name, p.same_as) for p in propose_merges([m(*n) for n in names], {})}
    assert got == {("市政府", "市人民政府")}


def test_instances_listed_before_a_programme_are_covered_and_spelled_parts_are_components():
    got = facts(
        "一、回顾\n招引甲电机、乙基地等“1231”项目8个，丙电子、丁灵泰等4家企业实现“五星上云”。"
        "持续推动名校长、名教师、名班主任“三名工程”的实施，郑州大学、河南大学“双一流”建设加快。\n",
        Programme="1231|1231项目|五星上云|三名工程|双一流",
        Project="甲电机|乙基地",
        Enterprise="丙电子|丁灵泰",
    )
    covered = pairs(got, "covers")
    assert covered == {("1231", "甲电机"), ("1231", "乙基地"), ("五星上云", "丙电子"),
                       ("五星上云", "丁灵泰")}  # fmt: skip
    parts = pairs(got, "has_component")
    assert parts == {("三名工程", "名校长"), ("三名工程", "名教师"), ("三名工程", "名班主任")}


def test_a_list_run_loses_the_words_leading_into_it():
    got = facts(
        "一、回顾\n落实“三区三线”。\n名词解释\n1.三区三线：根据农业空间、生态空间、城镇空间三个区域，"
        "分别划定耕地保护红线、生态保护红线、城镇开发边界三条控制线。\n",
        Programme="三区三线",
    )
    parts = {o for r, _, o in got if r == "has_component"}
    assert {"农业空间", "生态空间", "城镇空间", "生态保护红线", "城镇开发边界"} <= parts


def test_a_list_with_the_codes_count_before_it_gives_components_after_its_lead_verb():
    got = facts(
        "一、回顾\n我们将聚力实施产业能级跃升、科创能力攀登、内需扩容增效等“三大工程”，"
        "推进职称改革、国企改革和项目评审、机构评估、人才评价、成果评奖“四评”改革，"
        "坚持马克思列宁主义、毛泽东思想、邓小平理论、“三个代表”重要思想、科学发展观。\n",
        Programme="三大工程|四评|三个代表",
    )
    parts = pairs(got, "has_component")
    assert parts == {
        ("三大工程", "产业能级跃升"), ("三大工程", "科创能力攀登"), ("三大工程", "内需扩容增效"),
        ("四评", "项目评审"), ("四评", "机构评估"), ("四评", "人才评价"), ("四评", "成果评奖"),
    }  # fmt: skip


def test_a_generic_head_is_dropped_only_where_one_item_writes_it_for_the_run():
    got = facts(
        "一、回顾\n发展“两特”“四新”产业。\n名词解释\n1.“两特”：指智慧能源、新材料产业。\n"
        "2.“四新”：包括科技研发产业、中医药工业、文旅会展商贸产业、现代金融产业。\n",
        Programme="两特|四新",
    )
    parts = pairs(got, "has_component")
    assert parts == {
        ("两特", "智慧能源"), ("两特", "新材料"),
        ("四新", "科技研发产业"), ("四新", "中医药工业"), ("四新", "文旅会展商贸产业"),
        ("四新", "现代金融产业"),
    }  # fmt: skip


def test_an_open_list_of_one_kind_before_a_code_of_its_count_gives_its_parts():
    got = facts(
        "一、回顾\n做好科技金融、绿色金融、普惠金融、养老金融、数字金融“五篇大文章”。"
        "坚持创新、协调、绿色、开放“五大理念”。\n",
        Programme="五篇大文章|五大理念",
    )
    parts = {o for r, s, o in got if r == "has_component" and s == "五篇大文章"}
    assert parts == {"科技金融", "绿色金融", "普惠金融", "养老金融", "数字金融"}
    assert not any(s == "五大理念" for _, s, _ in got)  # four items, not five: no list of it


def test_a_glossary_entry_of_two_quoted_parts_defines_each_part_in_turn():
    got = facts(
        "一、回顾\n推进“链式改造”。\n名词解释\n1.“链式改造”：\n包括“供应链改造”和“产业链改造”。"
        "“供应链改造”是指由龙头企业建设数字化供应链。“产业链改造”是指由平台企业汇聚制造资源。\n",
        Programme="链式改造|供应链改造|产业链改造",
    )
    assert {("has_component", "链式改造", "供应链改造"),
            ("has_component", "链式改造", "产业链改造")} <= got  # fmt: skip
    defined = {s: o for r, s, o in got if r == "defines"}
    assert defined["供应链改造"] == "由龙头企业建设数字化供应链"
    assert defined["产业链改造"] == "由平台企业汇聚制造资源"


def test_an_open_list_filling_its_clause_before_a_code_of_its_count_gives_its_parts():
    got = facts(
        "一、回顾\n加快发展算力、数据、人工智能、电子信息“四大产业”，"
        "推动社会治理、生活服务、产业升级“三大转型”，推进东数西算、数据要素、算力调度、"
        "人工智能“三大行动”。\n",
        Programme="四大产业|三大转型|三大行动",
    )
    parts = pairs(got, "has_component")
    assert parts == {
        ("四大产业", "算力"), ("四大产业", "数据"), ("四大产业", "人工智能"),
        ("四大产业", "电子信息"),
        ("三大转型", "社会治理"), ("三大转型", "生活服务"), ("三大转型", "产业升级"),
    }  # fmt: skip  # four items before a code of three: the list is not its


def test_a_counted_code_whose_paragraph_takes_up_each_part_in_its_own_clause_lists_them():
    got = facts(
        "二、工作\n实施城市更新三大提升行动。坚持小尺度、微改造。实施城市片区更新提升行动，"
        "新增山城绿道100公里。实施“三创”盘活存量资源提升行动，加强工业遗址利用。"
        "实施城市生命线工程提升行动。\n实施“四大工程”。推进产业工程，实施民生工程。\n",
        Programme="城市更新三大提升行动|四大工程",
    )
    parts = pairs(got, "has_component")
    assert parts == {
        ("城市更新三大提升行动", "城市片区更新提升行动"),
        ("城市更新三大提升行动", "“三创”盘活存量资源提升行动"),
        ("城市更新三大提升行动", "城市生命线工程提升行动"),
    }  # two 工程 clauses do not fill a code of four


def test_a_counted_code_closing_its_sentence_takes_the_numbered_items_after_it_as_parts():
    got = facts(
        "二、工作\n今年要继续办好“三件实事”。（1）做好重点群体就业，开展培训30万人次；"
        "（2）加强医疗健康服务，新建医疗次中心58个。（3）推进地质灾害避险搬迁。\n"
        "落实“两项制度”。一是完善考核，二是强化督查，三是严格问责。\n",
        Programme="三件实事|两项制度",
    )
    parts = pairs(got, "has_component")
    assert parts == {
        ("三件实事", "做好重点群体就业"), ("三件实事", "加强医疗健康服务"),
        ("三件实事", "推进地质灾害避险搬迁"),
    }  # fmt: skip  # three items numbered after a code of two: not its parts


def test_a_code_of_counted_letters_takes_the_names_opening_the_next_sentences_as_parts():
    got = facts(
        "一、回顾\n“一圈一带两区”发展格局加快构建。沈阳都市圈跨域通办事项260项。沿海经济带协同效应"
        "显现。辽西先导区承接项目131个。辽东绿色经济区特色产业快速发展。\n"
        "“一核两翼”格局形成。沈阳都市圈扩容。\n",
        Programme="一圈一带两区|一核两翼",
    )
    parts = pairs(got, "has_component")
    assert parts == {
        ("一圈一带两区", "沈阳都市圈"), ("一圈一带两区", "沿海经济带"),
        ("一圈一带两区", "辽西先导区"), ("一圈一带两区", "辽东绿色经济区"),
    }  # fmt: skip  # no sentence spells 一核两翼's letters


def test_a_company_named_inside_a_listed_project_does_not_break_the_list_it_covers():
    got = facts(
        "一、回顾\n推进株洲中车电驱系统制造、湘潭中联矿山机械装备、郴州锂电等“十大产业项目”建设。\n",
        Programme="十大产业项目",
        Project="株洲中车电驱系统制造|湘潭中联矿山机械装备|郴州锂电",
        Enterprise="中车|中联",
    )
    covered = {o for r, s, o in got if r == "covers" and s == "十大产业项目"}
    assert covered == {"株洲中车电驱系统制造", "湘潭中联矿山机械装备", "郴州锂电"}
