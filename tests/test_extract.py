import json
import re

import pytest

from kg.extract.components import TokenEdges, clean_name
from kg.extract.pipeline import load_pipeline
from kg.normalize import normalize_text
from kg.pipeline import process_all
from tests.conftest import CORPUS_FILES, ROOT, SEED_FILES

REQUIRED_001 = {
    ("Enterprise", "天合光能"),
    ("Enterprise", "比亚迪"),
    ("Programme", "1115"),
    ("Programme", "精网微格"),
    ("Place", "新北区"),
}


def _pairs(result):
    return {(m.type, m.name) for m in result.mentions}


def test_seed_001_finds_the_named_entities_with_their_types(seed_results):
    assert _pairs(seed_results["001_f922f5036d7b17ae.txt"]) >= REQUIRED_001


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_raw_offsets_give_the_mention_as_written(seed_results, path):
    res = seed_results[path.name]
    raw = res.doc.raw
    assert res.mentions
    for m in res.mentions:
        written = raw[m.start : m.end]
        # the name is the written text after character normalisation (layout clean-up would
        # drop a name standing alone as boilerplate), without quotation marks; a title broken
        # over lines (常州市新北区 / 第五届人民代表大会) is one name, read across the break
        as_written = clean_name(normalize_text(written)[1].text)
        assert re.sub(r"\s+", "", as_written) == re.sub(r"\s+", "", m.name), (m, written)
        assert m.sentence_start <= m.start and m.end <= m.sentence_end


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_seed_yields_the_main_types_its_gold_has(seed_results, path):
    from collections import Counter

    from kg.evaluate import read_gold

    gold = read_gold([ROOT / "tests" / "gold" / "train" / f"{path.stem}.jsonl"])[path.name]
    common = Counter(t for t, _ in gold.required)
    expected = {t for t in ("Enterprise", "Project", "Programme", "Place") if common[t] >= 3}
    assert expected >= {"Project", "Programme", "Place"}
    assert expected <= {m.type for m in seed_results[path.name].mentions}


def test_generic_phrases_are_not_entities(seed_results):
    names = {m.name for r in seed_results.values() for m in r.mentions}
    assert not names & {"龙头企业", "重大项目", "高新技术企业", "专精特新企业", "城中村改造"}


def test_seed_003_names_are_simplified_and_free_of_pinyin(seed_results):
    res = seed_results["003_53552639d16f1286.txt"]
    names = {m.name for m in res.mentions}
    assert "天宁" in names and "天寧" not in names  # written 天寧 in the traditional seed
    assert not any("(" in n and any("a" <= c <= "z" for c in n) for n in names)
    assert not any(c in n for n in names for c in "區報際?")


def test_mentions_serialise_as_json(seed_results):
    m = seed_results["001_f922f5036d7b17ae.txt"].mentions[0]
    assert json.loads(json.dumps(vars(m), ensure_ascii=False))["doc"] == "001_f922f5036d7b17ae.txt"


GENERIC = [
    ln.strip()
    for ln in (ROOT / "tests" / "fixtures" / "generic_phrases.txt").read_text("utf-8").splitlines()
    if ln.strip() and not ln.startswith("#")
]


@pytest.mark.skipif(not CORPUS_FILES, reason="provinces corpus not available")
def test_no_generic_phrase_is_an_entity_in_any_corpus_report():
    assert len(GENERIC) >= 50
    results, errors = process_all(CORPUS_FILES)
    assert not errors and len(results) == len(CORPUS_FILES)
    emitted = {
        (r.doc.name, m.type, m.name) for r in results for m in r.mentions if m.name in GENERIC
    }
    assert not emitted, sorted(emitted)[:20]
    # nor a run-on into the next list item or clause (京津冀、长三角、, 沪宁产业创新带和) or
    # into what the sentence says of it (“211”交通圈基本成型)
    ner = load_pipeline().get_pipe("kg_ner")
    loose = {
        (r.doc.name, m.type, m.name)
        for r in results
        for m in r.mentions
        if m.name.endswith(ner.loose_ends) or ner.predicate_end.search(m.name)
    }
    assert not loose, sorted(loose)[:20]


def test_loading_the_segmenter_prints_no_pickle_warning(capsys):
    from spacy.lang.zh import Chinese

    from kg.segment import load_segmenter

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "pkuseg"}}})
    load_segmenter(nlp)
    assert [t.text for t in nlp("常州市新北区")]
    assert "features.msgpack" not in capsys.readouterr().err


def test_a_speaker_written_with_padding_is_one_person_named_as_the_metadata_reads_it():
    from kg.extract.pipeline import extract_mentions
    from kg.ingest import read_document
    from kg.normalize import normalize_document
    from tests.conftest import corpus_file

    doc = normalize_document(read_document(corpus_file("上海市.txt")))
    speaker = doc.metadata.speaker
    assert speaker and " " not in speaker
    at = doc.raw.find(speaker[0], 0, 4000)
    assert doc.raw[at : at + len(speaker) + 1].replace(" ", "") == speaker  # written 龚 正
    persons = [m for m in extract_mentions(doc) if m.type == "Person" and m.start <= at < m.end]
    assert [m.name for m in persons] == [speaker]


def test_token_edges_are_the_tokens_offsets_read_once_per_doc():
    from spacy.lang.zh import Chinese

    nlp = Chinese.from_config({"nlp": {"tokenizer": {"segmenter": "char"}}})
    doc = nlp("推进 比亚迪\n二期")
    edges = TokenEdges.of(doc)
    assert edges.text == doc.text
    assert edges.starts == [t.idx for t in doc]
    assert edges.ends == [t.idx + len(t.text) for t in doc]
    assert TokenEdges.of(doc) is edges


def test_a_quoted_plan_period_with_its_plan_noun_is_the_plan_and_has_its_period():
    from kg.extract.pipeline import extract_mentions
    from kg.model import RawDocument
    from kg.normalize import normalize_document
    from kg.relations import extract_relations

    text = "一、2025年工作回顾\n今年是实施“十五五”规划的开局之年。\n"
    doc = normalize_document(RawDocument("t.txt", "t.txt", text, "utf-8", "0"))
    mentions = extract_mentions(doc)
    assert "十五五规划" in {m.name for m in mentions if m.type == "Programme"}
    facts = {(f.relation, f.subject, f.object) for f in extract_relations(doc, mentions)}
    assert ("plan_period", "十五五规划", "十五五") in facts
