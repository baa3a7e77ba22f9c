"""Relation stage (kg/relations): indicator observations, project milestones, the JSONL facts."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.model import DocMetadata, Mention, NormalizedDocument, RawDocument
from kg.normalize import normalize_document
from kg.relations import extract_milestones, extract_observations, extract_relations
from kg.relations.observations import parse_number
from tests.conftest import SEED_FILES, corpus_file

REVIEW = "一、2025年工作回顾\n"
PLAN = "二、2026年重点工作\n"


def doc_of(text: str, region: str = "某某市") -> NormalizedDocument:
    """A normalised report of `text`, issued by `region`, reviewing 2025 and planning 2026."""
    doc = normalize_document(RawDocument("t.txt", "t.txt", text, "utf-8", "0"))
    return replace(doc, metadata=DocMetadata(region=region, year_reviewed=2025, year_planned=2026))


def rows(doc: NormalizedDocument) -> set[tuple[object, ...]]:
    return {
        (f.indicator, f.year, f.value, f.unit, f.kind, f.qualifier)
        for f in extract_observations(doc)
    }


def test_plan_targets_carry_the_planned_year_and_their_qualifier():
    doc = doc_of(
        REVIEW + "全年工作扎实推进。\n" + PLAN + "今年经济社会发展主要预期目标是：地区生产总值增长"
        "5.5%左右，一般公共预算收入增长6%以上；城镇调查失业率5.5%左右；城镇新增就业85万人。\n"
    )
    assert rows(doc) == {
        ("地区生产总值增长", 2026, 5.5, "%", "target", "左右"),
        ("一般公共预算收入增长", 2026, 6.0, "%", "target", "以上"),
        ("城镇调查失业率", 2026, 5.5, "%", "target", "左右"),
        ("城镇新增就业", 2026, 85.0, "万人", "target", None),
    }


def test_review_amount_and_its_growth_are_two_actual_observations():
    doc = doc_of(
        REVIEW + "实现地区生产总值67665亿元，增长5.5%；地方一般公共预算收入5853.9亿元，增长3.9%。\n"
    )
    assert rows(doc) == {
        ("地区生产总值", 2025, 67665.0, "亿元", "actual", None),
        ("地区生产总值增长", 2025, 5.5, "%", "actual", None),
        ("一般公共预算收入", 2025, 5853.9, "亿元", "actual", None),
        ("一般公共预算收入增长", 2025, 3.9, "%", "actual", None),
    }


def test_amounts_are_normalised_so_reports_compare():
    doc = doc_of(
        REVIEW + "货物进出口总额1.3万亿元。社会消费品零售总额突破两万亿元。"
        "居民人均可支配收入5.9万元。实际使用外资4400万美元。\n"
    )
    assert rows(doc) == {
        ("进出口总额", 2025, 13000.0, "亿元", "actual", None),
        ("社会消费品零售总额", 2025, 20000.0, "亿元", "actual", "以上"),
        ("居民人均可支配收入", 2025, 59000.0, "元", "actual", None),
        ("实际使用外资", 2025, 44000000.0, "美元", "actual", None),
    }
    assert parse_number("两") == 2.0 and parse_number("十二") == 12.0 and parse_number("6.5") == 6.5


def test_yuji_in_the_review_is_expected_for_the_reviewed_year():
    doc = doc_of(REVIEW + "全年预计实现地区生产总值超1900亿元，同比增长5%左右。\n" + PLAN)
    assert rows(doc) == {
        ("地区生产总值", 2025, 1900.0, "亿元", "expected", "以上"),
        ("地区生产总值增长", 2025, 5.0, "%", "expected", "左右"),
    }


def test_fenbie_sends_each_value_to_its_own_indicator():
    doc = doc_of(
        REVIEW + "城镇和农村居民人均可支配收入分别增长4.3%、5.5%。\n" + PLAN + "城乡居民"
        "人均可支配收入分别增长7%左右和8%左右。\n"
    )
    assert rows(doc) == {
        ("城镇居民人均可支配收入增长", 2025, 4.3, "%", "actual", None),
        ("农村居民人均可支配收入增长", 2025, 5.5, "%", "actual", None),
        ("城镇居民人均可支配收入增长", 2026, 7.0, "%", "target", "左右"),
        ("农村居民人均可支配收入增长", 2026, 8.0, "%", "target", "左右"),
    }


def test_multi_year_figures_and_shares_are_not_one_years_observation():
    doc = doc_of(
        REVIEW + "地区生产总值预计达7700亿元，是2015年的1.46倍，年均增长6.9%。"
        "数字经济增加值占地区生产总值比重达10%。人均地区生产总值从2020年的10.5万元提高到14万元。\n"
        "二、“十五五”时期的主要目标\n地区生产总值年均增长5%左右，研发投入强度达到3.5%以上。\n"
        + PLAN
        + "全社会研发经费占地区生产总值比重达3.43%。\n"
    )
    assert rows(doc) == {
        ("地区生产总值", 2025, 7700.0, "亿元", "expected", None),
        ("研发经费支出占比", 2026, 3.43, "%", "target", None),
    }


def test_observation_offsets_quote_the_raw_traditional_text():
    from kg.pipeline import normalize_path

    doc = normalize_path(SEED_FILES[3])  # traditional characters with pinyin annotations
    facts = extract_observations(doc)
    gdp = [f for f in facts if f.indicator == "地区生产总值增长" and f.kind == "target"]
    assert [(f.region, f.year, f.value, f.qualifier) for f in gdp] == [
        ("天宁区", 2025, 5.0, "左右")
    ]
    for f in facts:
        assert doc.raw[f.start : f.end] == f.wording
        assert f.wording in f.quote and doc.raw[f.sentence_start : f.sentence_end] == f.quote
    assert "增長" in gdp[0].wording  # the original words, not the normalised ones


def project_mentions(doc: NormalizedDocument, *names: str) -> list[Mention]:
    """Project mentions at the first occurrence of each name (what the entity stage gives)."""
    out = []
    for name in names:
        at = doc.text.index(name)
        a, b = doc.raw_span(at, at + len(name))
        out.append(Mention(doc.name, "Project", name, a, b, at, at + len(name), a, b, "test"))
    return out


def test_milestones_after_the_project_and_over_its_list():
    doc = doc_of(
        REVIEW
        + "溧高、常宜高速建成通车，领航大厦顺利封顶，新沟河延伸拓浚工程正式竣工。\n"
        + PLAN
        + "确保比亚迪二期年内竣工投产，推动金秋大厦等项目开工建设。\n"
    )
    names = ("溧高", "常宜高速", "领航大厦", "新沟河延伸拓浚工程", "比亚迪二期", "金秋大厦")
    facts = extract_milestones(doc, project_mentions(doc, *names))
    assert {(f.subject, f.object, f.year, f.status) for f in facts} == {
        ("溧高", "通车", 2025, "achieved"),
        ("常宜高速", "通车", 2025, "achieved"),
        ("领航大厦", "封顶", 2025, "achieved"),
        ("新沟河延伸拓浚工程", "竣工", 2025, "achieved"),
        ("比亚迪二期", "投产", 2026, "planned"),
        ("金秋大厦", "开工", 2026, "planned"),
    }
    byd = next(f for f in facts if f.subject == "比亚迪二期")
    assert byd.wording == "比亚迪二期年内竣工投产" and doc.raw[byd.start : byd.end] == byd.wording


def test_milestone_phrase_leading_a_list_and_no_milestone_without_one():
    doc = doc_of(
        REVIEW
        + "加快推进常泰长江大桥开工。南沿江城际铁路等项目加快建设。\n"
        + PLAN
        + "开工建设常泰铁路、盐泰锡常宜铁路，做好滨江高速等项目前期工作。\n"
    )
    names = ("常泰长江大桥", "南沿江城际铁路", "常泰铁路", "盐泰锡常宜铁路", "滨江高速")
    facts = extract_milestones(doc, project_mentions(doc, *names))
    assert {(f.subject, f.object, f.year, f.status) for f in facts} == {
        ("常泰铁路", "开工", 2026, "planned"),
        ("盐泰锡常宜铁路", "开工", 2026, "planned"),
    }


def test_every_item_of_a_project_list_and_every_joined_stage_is_a_milestone():
    doc = doc_of(
        REVIEW + "华光大厦、滨湖科技园、东方二期等3个超10亿元项目成功签约，"
        "智能装备项目当年开工、当年封顶，盛天传动、界达零部件项目竣工即投产。\n"
        + PLAN
        + "实现创智大厦、领航大厦等总部项目主体封顶，完成乐山河景观工程、运河廊道工程等项目建设，"
        "完成常泰铁路前期审批工作，加快启动中瑞园区二期项目建设，"
        "启动青洋路高架北延、大明路北延改造。\n"
    )
    # the entity stage found only some of them, one typed otherwise
    names = (
        "东方二期",
        "智能装备项目",
        "界达零部件项目",
        "领航大厦",
        "乐山河景观工程",
        "常泰铁路",
        "中瑞园区二期",
        "大明路北延改造",
    )
    mentions = project_mentions(doc, *names)
    at = doc.text.index("滨湖科技园")
    mentions.append(Mention("t.txt", "Zone", "滨湖科技园", at, at + 5, at, at + 5, at, at + 5, "t"))
    facts = extract_milestones(doc, mentions)
    assert {(f.subject, f.object, f.year, f.status) for f in facts} == {
        ("华光大厦", "签约", 2025, "achieved"),
        ("滨湖科技园", "签约", 2025, "achieved"),
        ("东方二期", "签约", 2025, "achieved"),
        ("智能装备项目", "开工", 2025, "achieved"),
        ("智能装备项目", "封顶", 2025, "achieved"),
        ("盛天传动", "投产", 2025, "achieved"),
        ("界达零部件项目", "投产", 2025, "achieved"),
        ("创智大厦", "封顶", 2026, "planned"),
        ("领航大厦", "封顶", 2026, "planned"),
        ("乐山河景观工程", "竣工", 2026, "planned"),
        ("运河廊道工程", "竣工", 2026, "planned"),
        ("中瑞园区二期", "开工", 2026, "planned"),
        ("青洋路高架北延", "开工", 2026, "planned"),
        ("大明路北延改造", "开工", 2026, "planned"),
    }


def test_stage_words_of_airports_venues_and_lists_closed_by_a_kind_or_by_the_stage():
    doc = doc_of(
        REVIEW + "亳州机场建成通航，方厅水院建成启用，碑林新馆、秦岭博物馆等建成开放，"
        "可可盖等11处煤矿建成试运转，眉太、岚皋至陕渝界等4条高速公路建成通车。\n"
        + PLAN
        + "建成开放上海大歌剧院。\n"
    )
    facts = extract_milestones(doc, project_mentions(doc, "亳州机场", "方厅水院", "上海大歌剧院"))
    assert {(f.subject, f.object, f.year) for f in facts} == {
        ("亳州机场", "通车", 2025),  # 通航 is the README's 通车
        ("方厅水院", "开业", 2025),  # 启用: in use
        ("碑林新馆", "开业", 2025),
        ("秦岭博物馆", "开业", 2025),
        ("可可盖", "竣工", 2025),
        ("眉太", "通车", 2025),
        ("岚皋至陕渝界", "通车", 2025),
        ("上海大歌剧院", "开业", 2026),
    }


def test_seed_milestone_of_byd_phase_two_comes_from_the_entity_stage(seed_results):
    r = seed_results[SEED_FILES[1].name]
    facts = extract_relations(r.doc, r.mentions)
    assert ("比亚迪二期", "投产", 2023, "planned") in {
        (f.subject, f.object, f.year, f.status) for f in facts if f.relation == "milestone"
    }


def test_extract_relations_prints_facts_after_entity_lines_as_the_contract_says():
    result = CliRunner().invoke(main, ["extract", str(SEED_FILES[1]), "--relations"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(ln) for ln in result.stdout.splitlines()]
    kinds = ["relation" in ln for ln in lines]
    assert any(kinds) and kinds == sorted(kinds)  # every entity line before every fact line
    entity_names = {ln["name"] for ln in lines if "relation" not in ln}
    facts = [ln for ln in lines if "relation" in ln]
    from kg.pipeline import normalize_path

    text = normalize_path(SEED_FILES[1]).text
    for f in facts:
        assert {"doc", "relation", "subject", "object", "start", "end"} <= f.keys()
        # an entity's name, or (a name the entity stage missed: 特瑞斯) as the report writes it
        assert f["subject"] in entity_names or f["subject"] in text, f
    assert sum(f["subject"] in entity_names for f in facts) > 0.9 * len(facts)
    obs = [f for f in facts if f["relation"] == "observation"]
    for f in obs:
        assert isinstance(f["value"], float) and isinstance(f["year"], int)
        assert f["kind"] in ("target", "expected", "actual") and f["object"] == f["indicator"]
    assert {
        "indicator": "地区生产总值增长",
        "region": "新北区",
        "year": 2023,
        "value": 5.5,
        "unit": "%",
        "kind": "target",
    }.items() <= next(
        f for f in obs if f["year"] == 2023 and f["object"] == "地区生产总值增长"
    ).items()


@pytest.mark.parametrize(
    ("report", "row"),
    [
        ("四川省.txt", ("地区生产总值", 2025, 67665.0, "亿元", "actual", None)),
        ("四川省.txt", ("地区生产总值增长", 2026, 5.5, "%", "target", "左右")),
        ("西藏自治区.txt", ("农村居民人均可支配收入增长", 2025, 7.4, "%", "actual", None)),
        ("广东省.txt", ("进出口总额", 2025, 95000.0, "亿元", "actual", None)),
    ],
)
def test_corpus_reports_give_their_own_observations(report, row):
    from kg.pipeline import normalize_path

    assert row in rows(normalize_path(corpus_file(report)))


def test_other_writings_of_growth_ranges_and_fullwidth_percent():
    doc = doc_of(
        REVIEW
        + "地区生产总值增长5.1％，县域经济增长5.5％以上，工业对经济增长的贡献率达到36.1%。\n"
        + PLAN
        + "主要预期目标是：经济增长4.5-5%，粮食产量1600亿斤以上。\n"
    )
    assert rows(doc) == {
        ("地区生产总值增长", 2025, 5.1, "%", "actual", None),
        ("地区生产总值增长", 2026, 4.5, "%", "target", "至5"),
        ("粮食产量", 2026, 1600.0, "亿斤", "target", "以上"),
    }


def test_a_year_the_clause_names_is_the_milestone_year():
    doc = doc_of(
        REVIEW
        + "金坛大桥2024年建成通车，溧阳大道顺利竣工。\n"
        + PLAN
        + "滨江大道2027年建成通车。\n"
    )
    facts = extract_milestones(doc, project_mentions(doc, "金坛大桥", "溧阳大道", "滨江大道"))
    assert {(f.subject, f.object, f.year, f.status) for f in facts} == {
        ("金坛大桥", "通车", 2024, "achieved"),
        ("溧阳大道", "竣工", 2025, "achieved"),
        ("滨江大道", "通车", 2027, "planned"),
    }


def test_counted_items_of_a_project_list_are_no_projects_and_lead_words_no_names():
    doc = doc_of(
        PLAN + "建成一批小公园、口袋公园，推进桃仙机场二跑道、沈盘高速改扩建等项目开工建设。\n"
    )
    facts = extract_milestones(doc, project_mentions(doc, "沈盘高速改扩建"))
    assert {(f.subject, f.object) for f in facts} == {
        ("桃仙机场二跑道", "开工"),
        ("沈盘高速改扩建", "开工"),
    }


def test_a_milestone_of_a_phase_is_not_given_to_the_work_inside_its_name():
    doc = doc_of(REVIEW + "广州白云机场三期建成投用。\n")
    facts = extract_milestones(doc, project_mentions(doc, "广州白云机场三期", "广州白云机场"))
    assert {(f.subject, f.object) for f in facts} == {("广州白云机场三期", "开业")}
