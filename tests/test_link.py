"""Links to GB/T 2260 codes: right on the seeds, resolved in context, never guessed."""

from __future__ import annotations

from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli import main
from kg.link import resolve_division
from kg.resolve import DEFAULT_BASE_IRI, entity_iri
from kg.vocab import KGO

# Every district, county-level city and prefecture-level city of 常州 and 江苏 the seeds name.
EXPECTED = {
    "常州": "320400",
    "常州市": "320400",
    "新北区": "320411",
    "天宁区": "320402",
    "武进区": "320412",
    "金坛区": "320413",
    "溧阳市": "320481",
    "江苏": "320000",
    "江苏省": "320000",
    "无锡": "320200",
    "南京": "320100",
    "扬州": "321000",
    "盐城": "320900",
}


def test_seed_places_carry_the_right_codes(built_seeds):
    out, res = built_seeds
    g = Graph().parse(out / "graph.ttl", format="turtle")
    places = {e.name for e in res.entities if e.type == "Place"}
    checked = 0
    for name, code in EXPECTED.items():
        if name not in places:
            continue
        iri = URIRef(entity_iri(DEFAULT_BASE_IRI, "Place", name))
        assert (iri, KGO.divisionCode, Literal(code)) in g, name
        assert (iri, KGO.linkMethod, None) in g
        checked += 1
    assert checked >= 9


def test_a_division_is_the_one_valid_in_the_report_year():
    assert resolve_division("金坛", 2010, "320400", "")[0].code == "320482"  # 金坛市
    assert resolve_division("金坛", 2021, "320400", "")[0].code == "320413"  # 金坛区
    assert resolve_division("新北区", 2023, "320411", "")[0].code == "320411"


def test_short_names_outside_the_region_are_not_guessed():
    assert resolve_division("朝阳", 2024, "320400", "推动朝阳产业发展") is None
    assert resolve_division("新北", 2024, "320400", "")[0].code == "320411"
    # a province named in the sentence makes a short name safe
    assert resolve_division("安康", 2024, "320400", "与陕西安康开展协作")[0].code == "610900"


def test_link_report_prints_coverage_and_unlinked(built_seeds):
    out, _ = built_seeds
    r = CliRunner().invoke(main, ["link", "--report", "-o", str(out)])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["type", "entities"] and "GB/T" in lines[0]
    place = next(ln for ln in lines if ln.startswith("Place "))
    assert int(place.split()[2]) >= 9
    assert "most-mentioned unlinked" in r.stdout


def test_void_describes_the_gbt2260_linkset_with_its_count(built_seeds):
    out, _ = built_seeds
    g = Graph().parse(out / "void.ttl", format="turtle")
    rows = list(
        g.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?n WHERE { ?ls a void:Linkset ;
          void:linkPredicate <https://w3id.org/zhgov-kg/ontology#divisionCode> ;
          void:triples ?n . }""")
    )
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(rows) == 1
    assert int(rows[0][0]) == len(list(graph.triples((None, KGO.divisionCode, None))))


def test_unverifiable_wikidata_links_are_listed_not_invented(built_seeds):
    import csv

    out, _ = built_seeds
    with (out / "links-to-verify.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {(r["type"], r["name"]) for r in rows}
    assert ("Enterprise", "天合光能") in names and ("Place", "新北区") in names
    assert all(r["target"] == "Wikidata" and r["reason"] for r in rows)
    g = Graph().parse(out / "graph.ttl", format="turtle")
    assert not [o for o in g.objects() if str(o).startswith("http://www.wikidata.org/")]


def _doc_with(text: str, names: list[str]):
    from kg.model import Entity, Mention, RawDocument
    from kg.normalize import normalize_document

    doc = normalize_document(RawDocument("r.txt", "r.txt", text, "utf-8", "0" * 64))
    ents = []
    for name in names:
        a = doc.text.index(name)
        m = Mention("r.txt", "Enterprise", name, a, a + len(name), a, a + len(name), 0,
                    len(text), "test")  # fmt: skip
        ents.append(Entity(f"urn:e:{name}", "Enterprise", name, mentions=[m]))
    return doc, ents


def test_listings_pair_enterprises_with_boards_and_skip_plans():
    from kg.link import listing_links

    # seed 001
    doc, ents = _doc_with("聚和材料、特瑞斯分别在科创板和北交所挂牌上市，企业发展势头良好。",
                          ["聚和材料", "特瑞斯"])  # fmt: skip
    got = {(x.entity, x.exchange, x.board) for x in listing_links(ents, [doc])}
    assert got == {
        ("urn:e:聚和材料", "上海证券交易所", "科创板"),
        ("urn:e:特瑞斯", "北京证券交易所", "北交所"),
    }
    # 安徽省: a listing; 天津市: an approval is not a listing yet
    doc, ents = _doc_with("奇瑞汽车登陆港交所。电科蓝天科创板IPO获批。", ["奇瑞汽车", "电科蓝天"])
    got = {(x.entity, x.exchange) for x in listing_links(ents, [doc])}
    assert got == {("urn:e:奇瑞汽车", "香港交易所")}


def test_listing_lands_in_the_graph_with_how_it_was_made():
    from kg.link import listing_links
    from kg.rdf import build_dataset

    doc, ents = _doc_with("奇瑞汽车登陆港交所。", ["奇瑞汽车"])
    ds = build_dataset([doc], ents, listing_links=listing_links(ents, [doc]))
    e = URIRef("urn:e:奇瑞汽车")
    assert list(ds.quads((e, KGO.exchange, Literal("香港交易所 主板"), None)))
    how = [str(q[2]) for q in ds.quads((e, KGO.linkMethod, None, None))]
    assert how and "奇瑞汽车登陆港交所" in how[0]
