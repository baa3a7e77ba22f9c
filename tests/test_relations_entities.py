"""Relations between entities (kg/relations: located_in, undertakes, honours, listings)."""

from __future__ import annotations

import json
from dataclasses import replace

from click.testing import CliRunner

from kg.cli import main
from kg.gazetteer import admin_gazetteer
from kg.model import DocMetadata, Mention, NormalizedDocument, RawDocument
from kg.normalize import normalize_document
from kg.relations import (
    extract_honours,
    extract_listings,
    extract_located_in,
    extract_relations,
    extract_undertakes,
)
from kg.relations.located_in import resolve_place
from tests.conftest import SEED_FILES

REVIEW = "一、2022年工作回顾\n"
PLAN = "二、2023年重点工作\n"


def doc_of(text: str, region: str = "新北区", code: str = "320411", level: str = "district"):
    """A normalised report of `text`, issued by `region`, reviewing 2022 and planning 2023."""
    doc = normalize_document(RawDocument("t.txt", "t.txt", text, "utf-8", "0"))
    md = DocMetadata(
        region=region, region_code=code, region_level=level, year_reviewed=2022, year_planned=2023
    )
    return replace(doc, metadata=md)


def mentions(doc: NormalizedDocument, *typed: tuple[str, str]) -> list[Mention]:
    """One mention per occurrence of each (type, name) in the text, as the entity stage gives."""
    out = []
    for etype, name in typed:
        at = doc.text.find(name)
        while at >= 0:
            a, b = doc.raw_span(at, at + len(name))
            out.append(Mention(doc.name, etype, name, a, b, at, at + len(name), a, b, "test"))
            at = doc.text.find(name, at + len(name))
    return out


def pairs(facts) -> set[tuple[object, ...]]:
    return {(f.subject, f.object) for f in facts}


def test_towns_go_under_the_nearest_named_division_or_the_issuing_region():
    doc = doc_of(
        REVIEW + "孟河镇、罗溪镇加快发展，常州市新北区春江街道完成改造。江苏省支持常州市发展。\n"
    )
    ms = mentions(
        doc,
        ("Place", "孟河镇"),
        ("Place", "罗溪镇"),
        ("Place", "春江街道"),
        ("Place", "常州市"),
        ("Place", "江苏省"),
    )
    got = pairs(extract_located_in(doc, ms))
    # 新北区 issued the report: its towns are in it, not in 常州市 though 常州市 is named
    assert {("孟河镇", "新北区"), ("罗溪镇", "新北区"), ("春江街道", "新北区")} <= got
    assert ("常州市", "江苏省") in got
    assert not {p for p in got if p[0].endswith("镇") and p[1] != "新北区"}


def test_a_short_name_resolves_only_inside_the_issuing_region():
    gaz = admin_gazetteer()
    xinbei = gaz.by_code["320411"]
    assert resolve_place("孟河", xinbei, 2022).name == "孟河镇"
    # 罗溪 is a town in several provinces: only one lies in 新北区
    assert resolve_place("罗溪镇", xinbei, 2022).parent_code == "320411"
    assert resolve_place("朝阳", xinbei, 2022) is None


def test_a_village_written_after_its_town_is_in_that_town():
    doc = doc_of(REVIEW + "罗溪镇窑丼村获评美丽乡村。\n")
    ms = mentions(doc, ("Place", "罗溪镇窑丼村"), ("Place", "罗溪镇"))
    assert ("罗溪镇窑丼村", "罗溪镇") in pairs(extract_located_in(doc, ms))


def test_a_stated_locator_places_the_entity_and_the_rest_defaults_to_the_region():
    doc = doc_of(
        REVIEW + "孟河镇的汽摩配产业园加快建设，中德创新园落户西夏墅镇，领航大厦顺利封顶。"
        "苏州工业园区经验得到推广。\n"
    )
    ms = mentions(
        doc,
        ("Place", "孟河镇"),
        ("Zone", "汽摩配产业园"),
        ("Zone", "中德创新园"),
        ("Place", "西夏墅镇"),
        ("Project", "领航大厦"),
        ("Zone", "苏州工业园区"),
    )
    got = pairs(extract_located_in(doc, ms))
    assert ("汽摩配产业园", "孟河镇") in got and ("中德创新园", "西夏墅镇") in got
    # stated once: no default for them; 领航大厦 is nowhere else, so in the issuing region
    assert ("汽摩配产业园", "新北区") not in got and ("领航大厦", "新北区") in got
    # a zone named after a division outside the region is not the region's
    assert not {p for p in got if p[0] == "苏州工业园区"}


def test_a_province_report_gives_no_default_place():
    doc = doc_of(REVIEW + "领航大厦顺利封顶。\n", "江苏省", "320000", "province")
    assert not extract_located_in(doc, mentions(doc, ("Project", "领航大厦")))


def test_undertakes_from_the_name_and_from_the_sentence():
    doc = doc_of(
        REVIEW + "比亚迪二期成功签约，智芯储能电池项目开工，青果巷三期建成开放。"
        "天合光能投资建设的光伏产业园开工。\n"
    )
    ms = mentions(
        doc,
        ("Enterprise", "比亚迪"),
        ("Project", "比亚迪二期"),
        ("Project", "智芯储能电池项目"),
        ("Project", "青果巷三期"),
        ("Enterprise", "青果巷"),
        ("Enterprise", "天合光能"),
        ("Project", "光伏产业园"),
    )
    got = pairs(extract_undertakes(doc, ms))
    assert ("比亚迪", "比亚迪二期") in got
    assert ("智芯", "智芯储能电池项目") in got  # the brand before 储能, named nowhere else
    assert ("天合光能", "光伏产业园") in got  # the sentence says it builds it
    assert not {p for p in got if p[1] == "青果巷三期"}  # a site's phase, not a firm's


def test_a_project_named_after_a_known_company_is_its_even_where_the_company_stands_nowhere_alone():
    doc = doc_of(REVIEW + "奇瑞乘用车技改项目建成投产。\n")
    got = pairs(extract_undertakes(doc, mentions(doc, ("Project", "奇瑞乘用车技改项目"))))
    assert got == {("奇瑞", "奇瑞乘用车技改项目")}  # 奇瑞: kg/data/rules/enterprises/names.txt


def test_a_brand_loses_the_site_written_after_it_but_not_before_a_phase():
    doc = doc_of(
        REVIEW + "亿纬锂能沈阳工厂、国电投大安、国能常州二期、常泰过江通道、乌江彭水开工。\n"
    )
    ms = mentions(
        doc,
        ("Project", "亿纬锂能沈阳工厂"),
        ("Project", "国电投大安"),
        ("Project", "国能常州二期"),
        ("Project", "常泰过江通道"),
        ("Project", "乌江彭水"),
    )
    got = pairs(extract_undertakes(doc, ms))
    assert got == {
        ("亿纬锂能", "亿纬锂能沈阳工厂"),
        ("国电投", "国电投大安"),
        ("国能常州", "国能常州二期"),  # the local firm's plant: the phase keeps the place
    }  # a road named by its ends (通道 is also a county) and a river by a county are no firm's


def test_an_institute_abbreviated_to_so_is_a_recipient_and_a_first_edition_no_part_of_a_title():
    doc = doc_of(
        REVIEW + "工生所、天大前沿院、华熙生物入选国家首批生物制造中试平台。"
        "宁东基地荣获首届“中国节水奖”。三所高校入选国家一流学科建设名单。\n"
    )
    ms = mentions(doc, ("Organization", "天大前沿院"), ("Zone", "宁东基地"))
    got = {(f.subject, f.object) for f in extract_honours(doc, ms)}
    assert got == {
        ("工生所", "国家首批生物制造中试平台"),
        ("天大前沿院", "国家首批生物制造中试平台"),
        ("华熙生物", "国家首批生物制造中试平台"),
        ("宁东基地", "中国节水奖"),
    }  # 三所高校: a count of unnamed ones


def test_honours_name_their_recipient_title_and_year():
    doc = doc_of(
        REVIEW + "天合光能、星宇车灯获评国家级制造业单项冠军示范企业，"
        "伊顿电力等3家企业获评国家专精特新“小巨人”，12家企业入选省级绿色工厂，"
        "西夏墅镇创成全市首批近零碳园区称号，罗溪、奔牛等2个镇被命名为国家生态文明建设示范区。\n"
        + PLAN
        + "力争孟河镇创成国家级生态镇。\n"
    )
    ms = mentions(
        doc,
        ("Enterprise", "天合光能"),
        ("Enterprise", "星宇车灯"),
        ("Enterprise", "伊顿电力"),
        ("Place", "西夏墅镇"),
        ("Place", "孟河镇"),
        ("Place", "罗溪"),
        ("Place", "奔牛"),
    )
    got = {(f.subject, f.object, f.year) for f in extract_honours(doc, ms)}
    assert got == {
        ("天合光能", "国家级制造业单项冠军示范企业", 2022),
        ("星宇车灯", "国家级制造业单项冠军示范企业", 2022),
        ("伊顿电力", "国家专精特新小巨人", 2022),
        ("西夏墅镇", "近零碳园区", 2022),  # rank and 称号 dropped
        ("罗溪", "国家生态文明建设示范区", 2022),  # 被命名为
        ("奔牛", "国家生态文明建设示范区", 2022),
    }  # 12家企业 is no named recipient; the plan's 力争 is no honour


def test_honour_lists_the_entity_stage_half_found_and_titles_without_a_level_word():
    doc = doc_of(
        REVIEW + "三明、石狮、上杭获评全国法治政府建设示范县，烟台丁字湾、垦利经开区入选首批国家级"
        "零碳园区，福州获评国际湿地城市，16所高职学校入选国家“双高计划”，湖滨获批专项债券，"
        "赤壁获批创建国家乡村振兴示范县。\n"
    )
    ms = mentions(
        doc,
        ("Place", "三明"),
        ("Place", "上杭"),
        ("Place", "烟台"),
        ("Zone", "垦利经开区"),
        ("Place", "福州"),
        ("Organization", "高职学校"),
        ("Place", "湖滨"),
        ("Place", "赤壁"),
    )
    got = {(f.subject, f.object) for f in extract_honours(doc, ms)}
    assert got == {
        ("三明", "全国法治政府建设示范县"),
        ("石狮", "全国法治政府建设示范县"),
        ("上杭", "全国法治政府建设示范县"),
        ("烟台丁字湾", "首批国家级零碳园区"),
        ("垦利经开区", "首批国家级零碳园区"),
        ("福州", "国际湿地城市"),
        ("赤壁", "国家乡村振兴示范县"),  # 获批创建: the title, without 创建
    }  # 16所高职学校 are many unnamed ones; a bond is no title


def test_honours_given_one_each_pair_recipients_and_titles_or_give_none():
    doc = doc_of(
        REVIEW + "安康、石泉分别入选全国第一批美丽城市、美丽乡村先行区，"
        "宝鸡、咸阳分别成为国家技术改造、数字化转型试点城市，"
        "重庆成为中西部地区首个经济总量超过3万亿元的城市，盘锦大洼区获评国家首批美丽乡村先行区。\n"
    )
    places = ("安康", "石泉", "宝鸡", "咸阳", "重庆", "盘锦", "大洼区")
    ms = mentions(doc, *(("Place", p) for p in places))
    got = {(f.subject, f.object) for f in extract_honours(doc, ms)}
    assert got == {
        ("安康", "全国第一批美丽城市"),
        ("石泉", "美丽乡村先行区"),
        ("大洼区", "国家首批美丽乡村先行区"),  # 盘锦 locates it: no recipient of its own
    }


def test_titles_paired_one_each_take_the_head_the_last_one_writes_for_them():
    doc = doc_of(
        REVIEW + "长治、临汾分别入选国家公立医院改革与高质量发展、中医药传承创新发展示范城市。\n"
    )
    ms = mentions(doc, ("Place", "长治"), ("Place", "临汾"))
    got = {(f.subject, f.object) for f in extract_honours(doc, ms)}
    assert got == {
        ("长治", "国家公立医院改革与高质量发展示范城市"),
        ("临汾", "中医药传承创新发展示范城市"),
    }


def test_listings_pair_enterprises_and_boards_and_skip_plans():
    doc = doc_of(
        REVIEW + "聚和材料、特瑞斯分别在科创板和北交所挂牌上市，坛墨质检登陆新三板，"
        "宏微科技在上交所科创板上市。\n" + PLAN + "推动天合光能在港交所上市。\n"
    )
    ms = mentions(
        doc,
        ("Enterprise", "聚和材料"),
        ("Enterprise", "坛墨质检"),
        ("Enterprise", "宏微科技"),
        ("Enterprise", "天合光能"),
    )
    got = {(f.subject, f.object, f.year) for f in extract_listings(doc, ms)}
    assert got == {
        ("聚和材料", "科创板", 2022),
        ("特瑞斯", "北交所", 2022),  # named in the 分别 list, though the entity stage missed it
        ("坛墨质检", "新三板", 2022),
        ("宏微科技", "科创板", 2022),  # the exchange's board, not its main board
    }


def test_facts_rest_on_raw_words_with_their_sentence_and_extractor():
    text = REVIEW + "薛家鎮(zhèn)獲評全国文明镇。\n"
    doc = normalize_document(RawDocument("t.txt", "t.txt", text, "utf-8", "0"))
    doc = replace(doc, metadata=doc_of("").metadata)
    ms = mentions(doc, ("Place", "薛家镇"))
    facts = extract_relations(doc, ms)
    honour = next(f for f in facts if f.relation == "honour")
    assert honour.wording == doc.raw[honour.start : honour.end]
    assert doc.raw[honour.start : honour.end].startswith("薛家鎮")
    assert doc.raw[honour.sentence_start : honour.sentence_end] == honour.quote
    assert honour.sentence_start <= honour.start < honour.end <= honour.sentence_end
    assert honour.extractor.startswith("kg-relations/") and honour.extractor.endswith("#honours")
    assert 0 < honour.confidence <= 1
    located = next(f for f in facts if f.relation == "located_in")
    assert (located.subject, located.object) == ("薛家镇", "新北区")


def test_kg_extract_relations_prints_the_new_relations_for_a_seed():
    seed = next(p for p in SEED_FILES if p.name.startswith("001_"))
    out = CliRunner().invoke(main, ["extract", str(seed), "--relations"]).stdout
    facts = [o for o in map(json.loads, out.splitlines()) if "relation" in o]
    kinds = {f["relation"] for f in facts}
    assert {"located_in", "undertakes", "honour", "listing"} <= kinds
    raw = seed.read_text(encoding="utf-8")
    for f in facts:
        assert raw[f["start"] : f["end"]] == f["wording"]
        assert raw[f["sentence_start"] : f["sentence_end"]] == f["quote"]


def test_an_industry_or_a_product_is_no_honour_recipient():
    doc = doc_of(
        REVIEW
        + "生物医药、电子信息入选国家先进制造业集群。\n"
        + "新型碳材料集群获评国家先进制造业集群。\n"
    )
    got = {(f.subject, f.object) for f in extract_honours(doc, [])}
    assert got == {("新型碳材料集群", "国家先进制造业集群")}
