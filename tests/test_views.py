"""The views' data and pages without a browser: links resolve, relations show both ways,
escaping holds in HTML and JSON, slugs are unique, programmes get their definitions."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from urllib.parse import quote, unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.model import Entity, Mention, RawDocument
from kg.normalize import normalize_document
from kg.relations import Fact
from kg.views import ViewData, write_views
from kg.views.data import Relation, entity_slug, relations_from_graph
from kg.views.indicators import indicator_slug
from kg.views.overview import INITIAL_NODES, layout, node_size, ranked_entities
from kg.views.pages import entity_context, highlighted_text, safe_json

KGO = "https://w3id.org/zhgov-kg/ontology#"
ID = "https://w3id.org/zhgov-kg/id/"
HREF = re.compile(r'(?:href|src)="([^"#?]+)')


def test_every_local_link_and_script_of_every_page_resolves(built_seeds):
    out, res = built_seeds
    pages = [
        out / "index.html",
        out / "overview.html",
        out / "entities.html",
        *(out / "entity").glob("*.html"),
        *(out / "report").glob("*.html"),
        *(out / "indicator").glob("*.html"),
    ]
    assert len(list((out / "entity").glob("*.html"))) == len(res.entities)
    assert len(list((out / "report").glob("*.html"))) == len(res.docs)
    for page in pages:
        for target in HREF.findall(page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / unquote(target)).resolve().is_file(), (page.name, target)


def test_index_links_every_report_and_the_entity_list_every_entity(built_seeds):
    out, res = built_seeds
    index = (out / "index.html").read_text(encoding="utf-8")
    listing = (out / "entities.html").read_text(encoding="utf-8")
    reports = {unquote(t) for t in HREF.findall(index) if t.startswith("report/")}
    entities = {unquote(t) for t in HREF.findall(listing) if t.startswith("entity/")}
    assert len(reports) == len(res.docs)
    assert entities == {f"entity/{entity_slug(e)}.html" for e in res.entities}
    assert "overview.html" in HREF.findall(index)


def test_search_data_holds_every_name_and_alias(built_seeds):
    out, res = built_seeds
    text = (out / "assets" / "search-data.js").read_text(encoding="utf-8")
    assert text.startswith("window.KG_SEARCH = ")
    entries = json.loads(text[len("window.KG_SEARCH = ") : -2])
    by_page = {e[2]: e for e in entries}
    for ent in res.entities:
        entry = by_page[f"entity/{quote(entity_slug(ent))}.html"]
        assert entry[:2] == [ent.name, ent.type]
        assert set(entry[4]) == ent.aliases and entry[3] == len(ent.mentions)
    assert sum(1 for e in entries if e[1] == "Report") == len(res.docs)


def _mention(doc: str, name: str, start: int, sentence: tuple[int, int]) -> Mention:
    return Mention(
        doc,
        "Place",
        name,
        start,
        start + len(name),
        start,
        start + len(name),
        sentence[0],
        sentence[1],
        "test",
    )


def _doc(text: str, name: str = "r.txt"):
    return normalize_document(RawDocument(name, name, text, "utf-8", "0" * 64))


def test_relations_show_on_both_ends_with_the_ontology_label_or_the_local_name():
    doc = _doc("新北区位于常州市。")
    a = Entity(
        ID + "place/新北区", "Place", "新北区", mentions=[_mention("r.txt", "新北区", 0, (0, 9))]
    )
    b = Entity(
        ID + "place/常州市", "Place", "常州市", mentions=[_mention("r.txt", "常州市", 5, (0, 9))]
    )
    new_kind = "https://example.org/vocab#twinnedWith"
    view = ViewData(
        [doc], [a, b], [Relation(a.iri, KGO + "locatedIn", b.iri), Relation(b.iri, new_kind, a.iri)]
    )
    seen_from_a = {
        (r["outgoing"], r["zh"], r["other"]["label"]) for r in entity_context(view, a)["relations"]
    }
    seen_from_b = {
        (r["outgoing"], r["zh"], r["other"]["label"]) for r in entity_context(view, b)["relations"]
    }
    assert seen_from_a == {(True, "位于", "常州市"), (False, "twinnedWith", "常州市")}
    assert seen_from_b == {(False, "位于", "新北区"), (True, "twinnedWith", "新北区")}
    # same sentence: listed and drawn in the neighbourhood
    ctx = entity_context(view, a)
    assert [c["other"]["label"] for c in ctx["co_occurring"]] == ["常州市"]
    graph = json.loads(ctx["neighbourhood"])
    assert {n["id"] for n in graph["nodes"]} == {a.iri, b.iri, view.report_iris["r.txt"]}


def test_relations_from_graph_keep_only_links_between_known_nodes():
    g = Graph()
    a, b, c = URIRef(ID + "a"), URIRef(ID + "b"), URIRef(ID + "c")
    g.add((a, URIRef(KGO + "locatedIn"), b))
    g.add((a, URIRef(KGO + "locatedIn"), c))  # c is no node of the views
    g.add((a, RDF.type, URIRef(KGO + "Place")))
    g.add((a, RDFS.label, Literal("甲")))
    assert relations_from_graph(g, [str(a), str(b)]) == [
        Relation(str(a), KGO + "locatedIn", str(b))
    ]


def test_safe_json_cannot_end_its_script_element():
    data = {"name": "</script><script>alert(1)</script><!-- \u2028 & '"}
    text = str(safe_json(data))
    assert not set(text) & {"<", ">", "&", "'", "\u2028"}
    assert json.loads(text) == data


def test_slugs_are_distinct_for_names_that_differ_only_in_punctuation_or_case():
    names = ["A/B", "A-B", "a-b", "A B", "<script>", "“1115”工程", "1115工程"]
    ents = [Entity(f"{ID}project/{i}", "Project", n) for i, n in enumerate(names)]
    slugs = [entity_slug(e) for e in ents]
    assert len({s.lower() for s in slugs}) == len(slugs)
    assert all(re.fullmatch(r"[\w-]+", s) for s in slugs)
    assert entity_slug(ents[5]).startswith("project-1115工程-")


def test_highlighted_text_keeps_every_character_and_links_mentions_once():
    text = "支持天合光能和天合光能国家重点实验室发展。"
    doc = _doc(text)
    outer = Mention("r.txt", "Organization", "天合光能国家重点实验室", 7, 18, 7, 18, 0, 21, "t")
    inner = Mention("r.txt", "Enterprise", "天合光能", 7, 11, 7, 11, 0, 21, "t")
    first = Mention("r.txt", "Enterprise", "天合光能", 2, 6, 2, 6, 0, 21, "t")
    ents = [
        Entity(ID + "o", "Organization", "天合光能国家重点实验室", mentions=[outer]),
        Entity(ID + "e", "Enterprise", "天合光能", mentions=[first, inner]),
    ]
    view = ViewData([doc], ents)
    pieces = highlighted_text(view, doc, "../")
    assert "".join(p if k == "text" else p["text"] for k, p in pieces if k != "anchor") == text
    assert [p["text"] for k, p in pieces if k == "mention"] == [
        "天合光能",
        "天合光能国家重点实验室",
    ]


def test_programme_page_quotes_its_glossary_definition_and_counts_mentions_by_year(built_seeds):
    out, res = built_seeds
    prog = next(e for e in res.entities if e.type == "Programme" and e.name == "精网微格工程")
    html = (out / "entity" / f"{entity_slug(prog)}.html").read_text(encoding="utf-8")
    definition = html.split('id="definition"')[1].split("</section>")[0]
    assert "“精网微格”工程</b>：按照50至100户为基本单位" in definition and "名词解释" in definition
    timeline = html.split('id="timeline"')[1].split("</section>")[0]
    assert timeline.count("<rect") >= 1 and "mentions per year" in timeline


def test_overview_layout_spreads_nodes_without_overlap_beyond_the_core(built_seeds):
    _, res = built_seeds
    view = ViewData(res.docs, res.entities)
    shown = ranked_entities(view, res.entities)
    pos = layout(view, shown)
    assert set(pos) == {d.name for d in res.docs} | {e.iri for e in shown}
    placed = [(pos[e.iri], node_size(len(e.mentions))) for e in shown[INITIAL_NODES:]]
    for i, ((x, y), s) in enumerate(placed):
        for (u, v), t in placed[i + 1 : i + 40]:
            assert math.hypot(x - u, y - v) >= s + t, "two placed nodes overlap"
    assert layout(view, shown) == pos  # the same positions every time


def test_views_write_only_what_they_list(tmp_path: Path, built_seeds):
    _, res = built_seeds
    view = ViewData(res.docs, res.entities)
    written = write_views(tmp_path, view)
    on_disk = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert set(written) == on_disk


def test_each_indicator_page_charts_and_lists_its_figures_and_the_index_links_it(built_seeds):
    out, res = built_seeds
    view = ViewData(res.docs, res.entities, facts=res.facts)
    by_indicator: dict[str, list[Fact]] = {}
    for f in res.facts:
        if f.relation == "observation":
            by_indicator.setdefault(f.indicator or "", []).append(f)
    assert "地区生产总值增长" in by_indicator
    index = (out / "index.html").read_text(encoding="utf-8")
    search = (out / "assets" / "search-data.js").read_text(encoding="utf-8")
    entries = json.loads(search[len("window.KG_SEARCH = ") : -2])
    indicators = {e[0]: e[2] for e in entries if e[1] == "Indicator"}
    assert set(indicators) == set(by_indicator)
    for name, facts in by_indicator.items():
        href = f"indicator/{quote(indicator_slug(view, name))}.html"
        assert href in HREF.findall(index) and indicators[name] == href
        page = (out / unquote(href)).read_text(encoding="utf-8")
        assert page.count('<svg class="chart"') == len({(f.region, f.unit) for f in facts})
        assert page.count('<circle class="point"') == len(facts)  # one point per figure
        assert page.count("<tr><td>") == len(facts)  # one table row per figure
        for f in facts:
            assert "<q title=" in page and (f.wording or "") in page
    gdp = (out / unquote(indicators["地区生产总值增长"])).read_text(encoding="utf-8")
    assert "目标 target" in gdp and "预计 expected" in gdp


def test_indicator_page_escapes_what_the_report_says(tmp_path: Path):
    evil = "<script>alert(1)</script>"
    doc = _doc("地区生产总值增长5%。" + evil)
    fact = Fact(
        doc.name, "observation", evil, "地区生产总值增长", 0, 10, 0, 11, evil + "。",
        "test", 0.9, year=2026, wording=evil, indicator="地区生产总值增长", region=evil,
        value=5.0, unit="%", kind="target", qualifier=evil,
    )  # fmt: skip
    view = ViewData([doc], [], facts=[fact])
    write_views(tmp_path, view)
    page = (tmp_path / "indicator" / f"{indicator_slug(view, '地区生产总值增长')}.html").read_text(
        encoding="utf-8"
    )
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
