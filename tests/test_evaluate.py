import json
import re

from click.testing import CliRunner

from kg.cli import main
from kg.evaluate import Gold, compare_form, evaluate
from tests.conftest import ROOT

SMOKE = ROOT / "tests" / "fixtures" / "eval_smoke.jsonl"


def test_compare_form_drops_quotes_brackets_and_folds_width():
    assert compare_form("“两重”项目") == compare_form("两重项目")
    assert compare_form("（１１１５）") == "1115"


def test_optional_gold_is_neither_required_nor_wrong():
    gold = {"d": Gold(required={("Place", "新北区")}, optional={("Place", "长三角")})}
    scores = evaluate({"d": {("Place", "新北区"), ("Place", "长三角")}}, gold)
    assert scores["micro"]["exact"]["precision"] == 1.0
    assert scores["micro"]["exact"]["recall"] == 1.0


def test_relaxed_match_accepts_containment_exact_does_not():
    gold = {"d": Gold(required={("Enterprise", "天合光能")})}
    scores = evaluate({"d": {("Enterprise", "天合光能等")}}, gold)
    assert scores["micro"]["exact"]["f1"] == 0.0
    assert scores["micro"]["relaxed"]["f1"] == 1.0


def test_kg_eval_smoke_prints_table_and_last_line():
    result = CliRunner().invoke(main, ["eval", str(SMOKE), "--docs", str(ROOT / "seeds")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"micro-F1 exact \d\.\d{3} relaxed \d\.\d{3}", lines[-1])
    assert any(line.startswith("Enterprise") for line in lines)


def test_kg_eval_json_counts_agree_with_kg_extract_lines():
    result = CliRunner().invoke(main, ["eval", str(SMOKE), "--docs", str(ROOT / "seeds"), "--json"])
    data = json.loads(result.stdout)
    assert data["types"]["Enterprise"]["gold"] == 2
    assert data["types"]["Event"]["exact"]["recall"] == 0.0  # a name no report contains
    assert data["micro"]["exact"]["gold"] == 6
    # recall is what `kg extract` emits for the seed, compared in compare_form
    seed = next((ROOT / "seeds").glob("001_*.txt"))
    lines = CliRunner().invoke(main, ["extract", str(seed), "--format", "jsonl"]).stdout
    emitted = {(o["type"], compare_form(o["name"])) for o in map(json.loads, lines.splitlines())}
    gold = [json.loads(x) for x in SMOKE.read_text(encoding="utf-8").splitlines()]
    required = {(g["type"], compare_form(g["name"])) for g in gold if not g.get("optional")}
    found = len(required & emitted)
    assert found >= 3  # 1115, 新北区 and the quoted programme at least
    assert data["micro"]["exact"]["recall"] == round(found / len(required), 4)


def _facts(*rows: dict) -> list[dict]:
    return [{"doc": "d", **r} for r in rows]


def _relation_gold(tmp_path, *rows: dict):
    from kg.evaluate import read_relation_gold

    p = tmp_path / "g.jsonl"
    p.write_text("\n".join(json.dumps({"doc": "d", **r}, ensure_ascii=False) for r in rows))
    return read_relation_gold([p])


def test_relation_keys_follow_the_gold_readme(tmp_path):
    from kg.evaluate import evaluate_relations

    gold = _relation_gold(
        tmp_path,
        {"relation": "milestone", "subject": "比亚迪二期", "object": "投产", "year": 2022,
         "status": "achieved"},
        {"relation": "observation", "indicator": "地区生产总值增长", "region": "新北区",
         "year": 2022, "value": 5.0, "unit": "%", "kind": "expected", "qualifier": "左右"},
        {"relation": "honour", "subject": "星宇车灯", "object": "单项冠军示范企业称号",
         "year": 2022},
        {"relation": "honour", "subject": "荆门高新区", "object": "首批国家级零碳园区",
         "year": 2022},
        {"relation": "same_as", "subject": "星宇车灯", "object": "星宇股份"},
        {"relation": "located_in", "subject": "孟河镇", "object": "新北区"},
    )  # fmt: skip
    pred = _facts(
        # a milestone of another year is another fact
        {"relation": "milestone", "subject": "比亚迪二期", "object": "投产", "year": 2023,
         "status": "achieved"},
        # the qualifier and wording are not compared, the value is
        {"relation": "observation", "subject": "新北区", "object": "x",
         "indicator": "地区生产总值增长", "region": "新北区", "year": 2022, "value": 5,
         "unit": "%", "kind": "expected"},
        {"relation": "honour", "subject": "星宇车灯", "object": "“单项冠军示范企业”", "year": 2022},
        {"relation": "honour", "subject": "荆门高新区", "object": "首批国家级零碳园区建设名单",
         "year": 2022},  # the list of a title's holders is the title
        {"relation": "same_as", "subject": "星宇股份", "object": "星宇车灯"},  # unordered
        {"relation": "located_in", "subject": "孟河镇", "object": "常州市"},
        {"relation": "located_in", "subject": "孟河镇", "object": "新北区"},
    )  # fmt: skip
    r = evaluate_relations({"d": pred}, gold)["relations"]
    assert (r["milestone"]["gold"], r["milestone"]["predicted"], r["milestone"]["f1"]) == (1, 1, 0)
    assert r["observation"]["f1"] == r["honour"]["f1"] == r["same_as"]["f1"] == 1.0
    assert (r["located_in"]["precision"], r["located_in"]["recall"]) == (0.5, 1.0)


def test_optional_relation_gold_is_neither_required_nor_wrong(tmp_path):
    from kg.evaluate import evaluate_relations

    gold = _relation_gold(
        tmp_path,
        {"relation": "located_in", "subject": "常泰大桥", "object": "新北区", "optional": True},
        {"relation": "undertakes", "subject": "比亚迪", "object": "比亚迪二期"},
    )
    pred = _facts({"relation": "located_in", "subject": "常泰大桥", "object": "新北区"})
    result = evaluate_relations({"d": pred}, gold)
    assert result["relations"]["located_in"] == {
        "gold": 0, "predicted": 0, "precision": 0.0, "recall": 0.0, "f1": 0.0
    }  # fmt: skip
    assert result["micro"]["gold"] == 1 and result["micro"]["recall"] == 0.0


def test_a_definition_matches_when_it_covers_half_the_gold_text(tmp_path):
    from kg.evaluate import evaluate_relations

    gold = _relation_gold(
        tmp_path,
        {
            "relation": "defines",
            "subject": "1115",
            "object": "培育1个万亿级产业集群、1个千亿级企业",
        },
    )
    half = _facts({"relation": "defines", "subject": "“1115”", "object": "培育1个万亿级产业集群"})
    less = _facts({"relation": "defines", "subject": "1115", "object": "产业集群"})
    other = _facts(
        {"relation": "defines", "subject": "精网微格", "object": "培育1个万亿级产业集群"}
    )
    assert evaluate_relations({"d": half}, gold)["micro"]["f1"] == 1.0
    assert evaluate_relations({"d": less}, gold)["micro"]["f1"] == 0.0
    assert evaluate_relations({"d": other}, gold)["micro"]["f1"] == 0.0


def test_kg_eval_relations_scores_the_facts_kg_extract_prints(tmp_path):
    seed = next((ROOT / "seeds").glob("001_*.txt"))
    lines = CliRunner().invoke(main, ["extract", str(seed), "--relations"]).stdout
    facts = [o for o in map(json.loads, lines.splitlines()) if "relation" in o]
    listing = next(f for f in facts if f["relation"] == "listing")
    gold = tmp_path / "g.jsonl"
    rows = [
        {k: listing[k] for k in ("doc", "relation", "subject", "object", "year")},
        {"doc": seed.name, "relation": "listing", "subject": "无此企业", "object": "科创板",
         "year": 2022},
    ]  # fmt: skip
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    args = ["eval", "--relations", str(gold), "--docs", str(ROOT / "seeds")]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    assert re.fullmatch(r"micro-F1 \d\.\d{3}", table.stdout.strip().splitlines()[-1])
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).stdout)
    predicted = len({(f["subject"], f["object"], f["year"]) for f in facts
                     if f["relation"] == "listing"})  # fmt: skip
    assert data["relations"]["listing"] == {
        "gold": 2,
        "predicted": predicted,
        "precision": round(1 / predicted, 4),
        "recall": 0.5,
        "f1": round(2 * (1 / predicted) * 0.5 / (1 / predicted + 0.5), 4),
    }


def test_a_malformed_relation_gold_line_names_file_and_line(tmp_path):
    gold = tmp_path / "g.jsonl"
    gold.write_text('{"doc": "d", "relation": "honour", "subject": "x"}\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["eval", "--relations", str(gold)])
    assert r.exit_code == 1 and "g.jsonl:1" in r.output
