"""The graph as others will load it: named graphs, provenance, stable IRIs, valid shapes,
every export parsing back to the same graph."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.pipeline import build, process_all, process_document, region_codes
from kg.rdf import build_dataset, graph_iri
from kg.resolve import DEFAULT_BASE_IRI, entity_iri, iri_segment, resolve_entities
from kg.validate import validate_graph
from kg.vocab import KGO
from tests.conftest import SEED_FILES, corpus_file


def _triples(g: Graph) -> set:
    return set(g)


def test_every_export_parses_back_to_the_built_graph(built_seeds):
    out, _ = built_seeds
    ttl = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(ttl) > 1000
    assert _triples(Graph().parse(out / "graph.nt", format="nt")) == _triples(ttl)
    quads = None
    for name, fmt in (("graph.trig", "trig"), ("graph.nq", "nquads"), ("graph.jsonld", "json-ld")):
        ds = Dataset()
        ds.parse(out / name, format=fmt)
        got = {(s, p, o, c) for s, p, o, c in ds.quads((None, None, None, None))}
        got = {(s, p, o, c.identifier if hasattr(c, "identifier") else c) for s, p, o, c in got}
        union = {(s, p, o) for s, p, o, _ in got}
        assert union == _triples(ttl), name
        if quads is None:
            quads = got
        assert got == quads, f"{name}: named graphs differ"
    graphs = {c for *_, c in quads}
    assert URIRef(DEFAULT_BASE_IRI + "graph/entities") in graphs
    assert len(graphs) == 1 + len(SEED_FILES)


def test_no_blank_nodes_anywhere(built_seeds):
    out, _ = built_seeds
    text = (out / "graph.nt").read_text(encoding="utf-8")
    assert "_:" not in text


def test_every_entity_has_a_mention_quoting_the_raw_text_at_its_offsets(built_seeds):
    out, _ = built_seeds
    g = Graph().parse(out / "graph.ttl", format="turtle")
    q = """
    SELECT ?e ?doc ?start ?end ?exact WHERE {
      ?m kgo:mentionOf ?e ; kgo:inReport ?r ; oa:hasSelector ?pos , ?quote .
      ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
      ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
      ?r dcterms:identifier ?doc .
    }"""
    raws = {p.name: p.read_text(encoding="utf-8") for p in SEED_FILES}
    good: set[str] = set()
    for row in g.query(q):
        raw = raws[str(row.doc)]
        if raw[int(row.start) : int(row.end)] == str(row.exact):
            good.add(str(row.e))
    entities = {str(s) for s in g.subjects(KGO.mentionCount, None)}
    assert entities and entities <= good


def test_every_mention_has_sentence_extractor_and_report(built_seeds):
    out, _ = built_seeds
    g = Graph().parse(out / "graph.ttl", format="turtle")
    missing = g.query("""
      SELECT ?m WHERE { ?m a kgo:Mention .
        FILTER NOT EXISTS { ?m kgo:sentence ?s ; prov:wasAttributedTo ?a ; kgo:inReport ?r .
                            ?a a kgo:Extractor ; schema:softwareVersion ?v . } }""")
    assert len(missing) == 0


def test_seed_build_has_no_shacl_violations(built_seeds):
    out, _ = built_seeds
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    shacl = report["shacl"]
    assert shacl["validated_graphs"] == len(SEED_FILES)
    assert shacl["conforms"], shacl
    assert shacl["violations"] == 0


def test_a_broken_graph_fails_with_focus_node_and_shape(built_seeds):
    out, _ = built_seeds
    g = Graph().parse(out / "graph.ttl", format="turtle")
    mention = next(g.subjects(RDF.type, KGO.Mention))
    g.remove((mention, KGO.inReport, None))
    entity = next(g.subjects(RDF.type, KGO.Enterprise))
    g.add((entity, RDFS.label, Literal("另一个名字", lang="zh")))
    result = validate_graph(g)
    assert not result.conforms
    text = "\n".join(map(str, result.violations))
    assert str(mention) in text and str(entity) in text
    assert "kgsh:MentionShape" in text
    assert any("label" in v.message for v in result.violations if v.focus == str(entity))


def test_adding_a_report_keeps_every_existing_iri():
    first, _ = process_all(SEED_FILES[:3])
    more, _ = process_all(SEED_FILES[3:4])

    def iris(results):
        docs = [r.doc for r in results]
        mentions = [m for r in results for m in r.mentions]
        return {e.iri for e in resolve_entities(mentions, region_codes(docs))}

    before = iris(first)
    after = iris(first + more)
    assert before and before <= after
    assert len(after) > len(before)


def test_iris_are_readable_stable_and_region_scoped():
    a = entity_iri(DEFAULT_BASE_IRI, "Programme", "“十百千”", "320400")
    b = entity_iri(DEFAULT_BASE_IRI, "Programme", "十百千", "320400")
    c = entity_iri(DEFAULT_BASE_IRI, "Programme", "十百千", "320500")
    assert a == b == "https://w3id.org/zhgov-kg/id/programme/320400/十百千"
    assert c != b
    assert entity_iri(DEFAULT_BASE_IRI, "Enterprise", "天合光能") == (
        "https://w3id.org/zhgov-kg/id/enterprise/天合光能"
    )


@pytest.mark.parametrize(
    "name",
    ["a b", "<script>alert(1)</script>", 'x"y', "制表\t符\n", "100%", "a/b?c#d", "\u202eevil", "‮"],
)
def test_iri_segments_are_safe_for_any_input(name):
    seg = iri_segment(name)
    assert all(c not in seg for c in ' <>"{}|\\^`\t\n/?#\u202e')
    URIRef(entity_iri(DEFAULT_BASE_IRI, "Event", name))  # rdflib accepts it


def test_base_iri_is_configurable(tmp_path):
    out = tmp_path / "o"
    build(SEED_FILES[:1], out, base="https://example.org/kg/", validate=False)
    text = (out / "graph.nt").read_text(encoding="utf-8")
    assert "<https://example.org/kg/id/" in text
    assert "w3id.org/zhgov-kg/id/" not in text


def test_retired_iris_stay_owl_sameas_the_survivor(seed_results):
    results = list(seed_results.values())[:1]
    docs = [r.doc for r in results]
    ents = resolve_entities([m for r in results for m in r.mentions], region_codes(docs))
    survivor = ents[0].iri
    old = entity_iri(DEFAULT_BASE_IRI, ents[0].type, "旧名称")
    ds = build_dataset(docs, ents, retired=[(old, survivor, "alias file: renamed")])
    shared = ds.graph(graph_iri(DEFAULT_BASE_IRI, "entities"))
    assert (URIRef(old), URIRef("http://www.w3.org/2002/07/owl#sameAs"), URIRef(survivor)) in shared


def test_outputs_are_written_and_tables_match_the_graph(built_seeds):
    out, res = built_seeds
    for name in ("graph.trig", "graph.nq", "graph.jsonld", "void.ttl", "ontology.html",
                 "entities.csv", "mentions.csv"):  # fmt: skip
        assert (out / name).is_file(), name
    import csv

    with (out / "entities.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(res.entities)
    with (out / "mentions.csv").open(encoding="utf-8") as fh:
        mentions = list(csv.DictReader(fh))
    assert len(mentions) == len(res.mentions)
    raws = {p.name: p.read_text(encoding="utf-8") for p in SEED_FILES}
    for m in mentions[:200]:
        assert raws[m["report"]][int(m["start"]) : int(m["end"])] == m["exact"]


def test_void_describes_sources_counts_and_classes(built_seeds):
    out, res = built_seeds
    g = Graph().parse(out / "void.ttl", format="turtle")
    rows = list(
        g.query(
            """
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?n (COUNT(DISTINCT ?src) AS ?sources) (COUNT(DISTINCT ?cp) AS ?classes) WHERE {
          ?d a void:Dataset ; void:triples ?n ; dcterms:source ?src ; dcterms:license ?l ;
             void:classPartition ?cp . }
        GROUP BY ?n""",
            initNs={"dcterms": "http://purl.org/dc/terms/"},
        )
    )
    assert len(rows) == 1
    n, sources, classes = rows[0]
    assert int(n) == res.triples and int(sources) == len(SEED_FILES) and int(classes) >= 8


def test_ontology_page_lists_classes_in_both_languages(built_seeds):
    out, _ = built_seeds
    page = (out / "ontology.html").read_text(encoding="utf-8")
    assert "kgo:Enterprise" in page and "企业" in page and "Enterprise" in page
    assert "<script" not in page


def test_build_is_byte_identical_across_processes(tmp_path):
    import os
    import subprocess
    import sys

    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"o{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "build", *map(str, SEED_FILES[:2]), "-o", str(out)],
            check=True, env=env, capture_output=True,
        )  # fmt: skip
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir() if p.is_file())
    assert "graph.jsonld" in names and "graph.trig" in names
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_corpus_report_builds_without_shacl_violations(tmp_path):
    out = tmp_path / "c"
    res = build([corpus_file("浙江省.txt"), corpus_file("湖北省.txt")], out)
    assert res.validation and all(v["conforms"] for v in res.validation.values()), res.validation


def test_mistyped_vocabulary_term_fails_at_once():
    with pytest.raises(AttributeError):
        _ = KGO.mentionsOf


def test_generated_vocabulary_is_current():
    from kg.ontology import VOCAB_FILE, render_vocab

    assert Path(VOCAB_FILE).read_text(encoding="utf-8") == render_vocab()


def test_kg_validate_names_focus_node_and_shape(built_seeds, tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    out, _ = built_seeds
    ok = CliRunner().invoke(main, ["validate", str(out / "graph.trig")])
    assert ok.exit_code == 0, ok.output
    assert "conforms, 0 violations" in ok.output
    g = Graph().parse(out / "graph.ttl", format="turtle")
    mention = next(g.subjects(RDF.type, KGO.Mention))
    g.remove((mention, KGO.mentionOf, None))
    bad = tmp_path / "bad.ttl"
    g.serialize(bad, format="turtle")
    r = CliRunner().invoke(main, ["validate", str(bad)])
    assert r.exit_code == 1
    assert str(mention) in r.output and "kgsh:MentionShape" in r.output


def test_a_merge_retires_an_iri_that_stays_owl_sameas_the_survivor(tmp_path):
    from kg.resolve import read_merges

    seed = next(p for p in SEED_FILES if p.name.startswith("001"))
    short = sorted(m.name for m in process_document(seed).mentions if m.type == "Enterprise")[
        0
    ]  # whatever company extraction names in this report
    full = f"{short}股份有限公司"
    merges = tmp_path / "merges.tsv"
    merges.write_text(
        f"type\tname\tsame_as\treason\nEnterprise\t{short}\t{full}\tfull registered name\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    build([seed], out, merges=read_merges(merges), validate=False)
    g = Graph().parse(out / "graph.ttl", format="turtle")
    old = URIRef(entity_iri(DEFAULT_BASE_IRI, "Enterprise", short))
    new = URIRef(entity_iri(DEFAULT_BASE_IRI, "Enterprise", full))
    assert (old, URIRef("http://www.w3.org/2002/07/owl#sameAs"), new) in g
    assert (new, RDFS.label, Literal(full, lang="zh")) in g
    assert (new, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"),
            Literal(short, lang="zh")) in g  # fmt: skip
    assert (old, RDF.type, None) not in g


def test_parallel_build_gives_the_same_bytes(tmp_path):
    outs = []
    for jobs in (1, 2):
        out = tmp_path / f"j{jobs}"
        build(SEED_FILES[:3], out, jobs=jobs)
        outs.append(out)
    names = sorted(p.name for p in outs[0].iterdir() if p.is_file())
    assert "graph.nq" in names and "build-report.json" in names
    for name in names:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def _fact_doc():
    from dataclasses import replace

    from kg.model import DocMetadata, Mention, RawDocument
    from kg.normalize import normalize_document

    text = (
        "一、2025年工作回顾\n某某市领航大厦顺利封顶。\n"
        "二、2026年重点工作\n今年主要预期目标是：地区生产总值增长5.5%左右，城镇新增就业1.2万人。\n"
    )
    doc = normalize_document(RawDocument("t.txt", "t.txt", text, "utf-8", "0" * 64))
    doc = replace(doc, metadata=DocMetadata(region="某某市", year_reviewed=2025, year_planned=2026))
    mentions = []
    for etype, name in (("Place", "某某市"), ("Project", "领航大厦")):
        at = doc.text.index(name)
        a, b = doc.raw_span(at, at + len(name))
        mentions.append(Mention(doc.name, etype, name, a, b, at, at + len(name), a, b, "test"))
    return doc, mentions


@pytest.mark.parametrize("with_region", [True, False])
def test_observations_and_milestones_are_shacl_valid_nodes_resting_on_mentions(with_region):
    from kg.export import union_graph
    from kg.rdf import OA, QB, _decimal, fact_iri, indicator_iri, region_iri
    from kg.relations import extract_relations

    doc, mentions = _fact_doc()
    if not with_region:
        mentions = [m for m in mentions if m.type != "Place"]
    facts = extract_relations(doc, mentions)
    ents = resolve_entities(mentions, {doc.name: None})
    g = union_graph(build_dataset([doc], ents, facts=facts))
    place = region_iri(DEFAULT_BASE_IRI, "某某市")
    # without a mention the issuing region itself breaks kgsh:EntityShape (as before facts):
    # every other node, the observations' and milestones' included, must conform
    bad = [v for v in validate_graph(g).violations if with_region or v.focus != str(place)]
    assert not bad, bad

    gdp = next(f for f in facts if f.indicator == "地区生产总值增长")
    obs = fact_iri(DEFAULT_BASE_IRI, gdp)
    assert (obs, RDF.type, QB.Observation) in g and (obs, QB.dataSet, KGO.indicators) in g
    ind = g.value(obs, KGO.indicator)
    assert ind == indicator_iri(DEFAULT_BASE_IRI, "地区生产总值增长")
    assert g.value(ind, RDFS.label) == Literal("地区生产总值增长", lang="zh")
    assert g.value(obs, KGO.refPeriod) == Literal("2026", datatype=XSD.gYear)
    assert str(g.value(obs, KGO.value)) == "5.5" and g.value(obs, KGO.value).datatype == XSD.decimal
    assert (str(g.value(obs, KGO.unit)), str(g.value(obs, KGO.qualifier))) == ("%", "左右")
    assert g.value(obs, KGO.observationKind) == KGO.target
    assert (g.value(obs, KGO.refArea) == place) is with_region
    jobs = fact_iri(DEFAULT_BASE_IRI, next(f for f in facts if f.indicator == "城镇新增就业"))
    assert (str(g.value(jobs, KGO.value)), str(g.value(jobs, KGO.unit))) == ("1.2", "万人")
    assert [_decimal(x) for x in (20000.0, 2e16, 0.1, 3.0)] == [
        "20000.0",
        "2" + "0" * 16 + ".0",
        "0.1",
        "3.0",
    ]
    # the evidence is a mention of the indicator selecting exactly the worded figure
    m = g.value(obs, KGO.evidence)
    assert g.value(m, KGO.mentionOf) == ind and g.value(m, KGO.inReport) is not None
    quote = next(
        s for s in g.objects(m, OA.hasSelector) if (s, RDF.type, OA.TextQuoteSelector) in g
    )
    assert (
        str(g.value(quote, OA.exact))
        == str(g.value(obs, KGO.wording))
        == "地区生产总值增长5.5%左右"
    )

    (ms,) = g.subjects(RDF.type, KGO.Milestone)
    project = next(e for e in ents if e.type == "Project")
    assert g.value(ms, KGO.milestoneOf) == URIRef(project.iri)
    assert g.value(ms, KGO.milestoneKind) == KGO.toppedOut
    assert g.value(ms, KGO.milestoneStatus) == KGO.actual
    assert g.value(ms, KGO.year) == Literal("2025", datatype=XSD.gYear)
    assert g.value(g.value(ms, KGO.evidence), KGO.mentionOf) == URIRef(project.iri)


def test_seed_build_states_observations_and_milestones_with_their_wording(built_seeds):
    out, res = built_seeds
    g = Graph().parse(out / "graph.nt", format="nt")
    observations = set(g.subjects(RDF.type, KGO.Observation))
    milestones = set(g.subjects(RDF.type, KGO.Milestone))
    assert len(observations) == sum(f.relation == "observation" for f in res.facts) > 0
    assert 0 < len(milestones) <= sum(f.relation == "milestone" for f in res.facts)
    for node in observations | milestones:
        evidence = g.value(node, KGO.evidence)
        assert (evidence, RDF.type, KGO.Mention) in g
        assert g.value(evidence, KGO.sentence) is not None


def test_entity_relations_are_shacl_valid_facts_recognitions_and_listings():
    from dataclasses import replace

    from kg.export import union_graph
    from kg.model import DocMetadata, Mention, RawDocument
    from kg.normalize import normalize_document
    from kg.rdf import board_iri, fact_iri
    from kg.relations import extract_relations

    text = (
        "一、2022年工作回顾\n新北区孟河镇加快发展，比亚迪二期成功签约，"
        "星宇车灯获评国家级制造业单项冠军示范企业，聚和材料在科创板挂牌上市。\n"
    )
    doc = normalize_document(RawDocument("t.txt", "t.txt", text, "utf-8", "0" * 64))
    md = DocMetadata(
        region="新北区",
        region_code="320411",
        region_level="district",
        year_reviewed=2022,
        year_planned=2023,
    )
    doc = replace(doc, metadata=md)
    mentions = []
    for etype, name in (
        ("Place", "新北区"),
        ("Place", "孟河镇"),
        ("Enterprise", "比亚迪"),
        ("Project", "比亚迪二期"),
        ("Enterprise", "星宇车灯"),
        ("Enterprise", "聚和材料"),
    ):
        at = doc.text.index(name)
        a, b = doc.raw_span(at, at + len(name))
        mentions.append(Mention(doc.name, etype, name, a, b, at, at + len(name), a, b, "test"))
    facts = extract_relations(doc, mentions)
    ents = resolve_entities(mentions, {doc.name: "320411"})
    g = union_graph(build_dataset([doc], ents, facts=facts))
    assert not validate_graph(g).violations

    iri = {e.name: URIRef(e.iri) for e in ents}
    assert (iri["孟河镇"], KGO.locatedIn, iri["新北区"]) in g
    assert (iri["比亚迪二期"], KGO.locatedIn, iri["新北区"]) in g  # the district's default
    assert (iri["比亚迪"], KGO.undertakes, iri["比亚迪二期"]) in g
    # each located_in / undertakes triple is reified with the report's evidence
    town = next(f for f in facts if f.relation == "located_in" and f.subject == "孟河镇")
    node = fact_iri(DEFAULT_BASE_IRI, town)
    assert (node, RDF.type, KGO.Fact) in g and g.value(node, RDF.predicate) == KGO.locatedIn
    assert g.value(g.value(node, KGO.evidence), KGO.mentionOf) == iri["孟河镇"]

    (rec,) = g.subjects(RDF.type, KGO.Recognition)
    assert g.value(rec, KGO.recipient) == iri["星宇车灯"]
    assert g.value(rec, KGO.year) == Literal("2022", datatype=XSD.gYear)
    honour = g.value(rec, KGO.honour)
    assert g.value(honour, RDFS.label) == Literal("国家级制造业单项冠军示范企业", lang="zh")
    assert (honour, RDF.type, KGO.Honour) in g
    (listing,) = g.subjects(RDF.type, KGO.Listing)
    assert g.value(listing, KGO.listedEnterprise) == iri["聚和材料"]
    assert g.value(listing, KGO.board) == board_iri(DEFAULT_BASE_IRI, "科创板")
    assert g.value(board_iri(DEFAULT_BASE_IRI, "科创板"), RDFS.label) == Literal(
        "科创板", lang="zh"
    )
