"""The `kg` command end to end: build, extract (the scoring contract) and query."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.cli import main
from kg.rdf import KGO
from tests.conftest import ROOT, SEED_FILES

KG = str(Path(sys.executable).with_name("kg"))


def test_build_writes_graph_view_and_report(built_seeds):
    out, res = built_seeds
    for name in ("graph.ttl", "graph.nt", "index.html", "build-report.json"):
        assert (out / name).is_file(), name
    g = Graph().parse(out / "graph.ttl", format="turtle")
    assert len(g) == res.triples
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    assert report["totals"]["documents"] == 5
    assert {d["file"] for d in report["documents"]} == {p.name for p in SEED_FILES}


def _gold_main_types(doc: str) -> set[str]:
    """Types with at least three gold names in a seed: those the graph must hold for it."""
    counts: dict[str, int] = {}
    for p in (Path(__file__).parent / "gold" / "train").glob("*.jsonl"):
        for line in p.read_text(encoding="utf-8").splitlines():
            o = json.loads(line) if line.strip() else {}
            if o.get("doc") == doc and not o.get("optional"):
                counts[o["type"]] = counts.get(o["type"], 0) + 1
    return {t for t, n in counts.items() if n >= 3}


def test_graph_has_main_types_from_every_seed(built_seeds):
    out, _ = built_seeds
    g = Graph().parse(out / "graph.ttl", format="turtle")
    for path in SEED_FILES:
        want = _gold_main_types(path.name)
        assert {"Project", "Programme", "Place"} <= want, path.name
        q = """SELECT DISTINCT ?type WHERE {
                 ?m kgo:inReport ?r ; kgo:mentionOf ?e .
                 ?r dcterms:identifier ?doc . ?e a ?type }"""
        types = {
            str(row.type).rsplit("#", 1)[-1]
            for row in g.query(
                q.replace("?doc", f'"{path.name}"'),
                initNs={"kgo": KGO, "dcterms": URIRef("http://purl.org/dc/terms/")},
            )
        }
        assert want <= types, path.name


def test_build_twice_gives_identical_graph(tmp_path, built_seeds):
    first, _ = built_seeds
    out = tmp_path / "again"
    result = CliRunner().invoke(main, ["build", *map(str, SEED_FILES), "-o", str(out)])
    assert result.exit_code == 0, result.output
    for name in ("graph.ttl", "graph.nt", "build-report.json"):
        assert (out / name).read_bytes() == (first / name).read_bytes(), name

    def files(root: Path) -> list[Path]:  # the build cache (.cache/) is not an output
        return sorted(p.relative_to(root) for d in ("", "assets", "entity", "report")
                      for p in (root / d).glob("*.*") if not p.name.startswith("."))  # fmt: skip

    views = files(first)
    assert len(views) > 100
    assert views == files(out)
    for rel in views:
        if rel.suffix in (".html", ".js", ".css", ".svg"):
            assert (out / rel).read_bytes() == (first / rel).read_bytes(), rel


def test_build_summary_goes_to_stderr(tmp_path):
    result = CliRunner().invoke(main, ["build", str(SEED_FILES[1]), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert "documents: 1 built" in result.stderr
    assert "triples:" in result.stderr and "seconds:" in result.stderr


def test_build_goes_on_past_a_bad_file_and_fails_only_when_nothing_built(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary")
    ok = CliRunner().invoke(
        main, ["build", str(bad), str(SEED_FILES[1]), "-o", str(tmp_path / "o")]
    )
    assert ok.exit_code == 0
    assert "broken.txt" in ok.stderr
    none = CliRunner().invoke(main, ["build", str(bad), "-o", str(tmp_path / "o2")])
    assert none.exit_code == 3
    assert not (tmp_path / "o2").exists()


def test_extract_prints_only_json_lines_on_stdout():
    seed = SEED_FILES[1]
    proc = subprocess.run(
        [KG, "extract", str(seed), "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    raw = seed.read_text(encoding="utf-8")
    lines = proc.stdout.splitlines()
    assert lines
    for line in lines:
        obj = json.loads(line)
        assert {"doc", "type", "name", "start", "end", "iri"} <= obj.keys()
        assert obj["doc"] == seed.name
        assert (
            raw[obj["start"] : obj["end"]].strip("“”") == obj["name"]
            or "”" in raw[obj["start"] : obj["end"]]
        )
        assert obj["iri"].startswith("https://w3id.org/zhgov-kg/id/")


def test_extract_iri_is_the_iri_build_gives(built_seeds):
    out, _ = built_seeds
    g = Graph().parse(out / "graph.ttl", format="turtle")
    result = CliRunner().invoke(main, ["extract", str(SEED_FILES[1])])
    same_as = URIRef("http://www.w3.org/2002/07/owl#sameAs")
    for line in result.stdout.splitlines()[:50]:
        obj = json.loads(line)
        iri = URIRef(obj["iri"])
        # a name the build merged into another keeps its IRI, owl:sameAs the survivor
        iri = g.value(iri, same_as) or iri
        assert (iri, RDF.type, KGO[obj["type"]]) in g


def test_query_json_follows_sparql_results_format(built_seeds):
    out, _ = built_seeds
    q = "SELECT ?e ?name WHERE { ?e a kgo:Enterprise ; rdfs:label ?name } ORDER BY ?name LIMIT 5"
    result = CliRunner().invoke(main, ["query", q, "-o", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["e", "name"]
    assert len(data["results"]["bindings"]) == 5
    assert data["results"]["bindings"][0]["name"]["xml:lang"] == "zh"


def test_query_ask_and_table_and_bad_syntax(built_seeds, tmp_path):
    out, _ = built_seeds
    ask = CliRunner().invoke(
        main, ["query", "ASK { ?s a kgo:Report }", "-o", str(out), "--format", "json"]
    )
    assert json.loads(ask.stdout) == {"head": {}, "boolean": True}
    rq = tmp_path / "q.rq"
    rq.write_text(
        "PREFIX kgo: <https://w3id.org/zhgov-kg/ontology#>\n"
        "SELECT (COUNT(?r) AS ?n) WHERE { ?r a kgo:Report }",
        encoding="utf-8",
    )
    table = CliRunner().invoke(main, ["query", str(rq), "--graph", str(out / "graph.ttl")])
    assert table.exit_code == 0
    assert table.stdout.splitlines()[2].strip() == "5"
    bad = CliRunner().invoke(main, ["query", "SELECT ?s WHERE {\n  ?s ?p", "-o", str(out)])
    assert bad.exit_code == 1
    assert "kg query: syntax error" in bad.stderr and "2:" in bad.stderr  # line and column


def test_query_default_graph_is_the_union_of_named_graphs(built_seeds):
    out, res = built_seeds
    # the entities' mentions (the facts' evidence mentions are counted apart)
    q = (
        "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kgo:Mention "
        "FILTER NOT EXISTS { ?a kgo:evidence ?m } }"
    )
    for args in (["-o", str(out)], ["--graph", str(out / "graph.trig")],
                 ["--graph", str(out / "graph.nq")]):  # fmt: skip
        r = CliRunner().invoke(main, ["query", q, "--format", "csv", *args])
        assert r.exit_code == 0, r.output
        assert r.stdout.splitlines()[1] == str(len(res.mentions))
    assert (out / "store").is_dir()


def test_views_link_only_local_scripts_and_styles(built_seeds):
    out, _ = built_seeds
    pages = [out / "index.html", out / "overview.html", *(out / "entity").glob("*.html")][:50]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?(https?:)?//""", html), page
    overview = (out / "overview.html").read_text(encoding="utf-8")
    assert 'src="assets/vis-network.min.js"' in overview
    assert (out / "assets" / "vis-network.min.js").stat().st_size > 100_000


def test_normalize_prints_exactly_what_extraction_sees():
    from kg.ingest import read_document
    from kg.normalize import normalize_document

    path = next(p for p in SEED_FILES if p.name.startswith("003"))
    r = CliRunner().invoke(main, ["normalize", str(path)])
    assert r.exit_code == 0
    assert r.stdout == normalize_document(read_document(path)).text


def test_normalize_report_json_is_one_object_per_file():
    r = CliRunner().invoke(main, ["normalize", "--report", "--format", "json", "seeds"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == len(SEED_FILES)
    reports = {d["file"]: d for d in map(json.loads, lines)}
    q3 = next(v for k, v in reports.items() if k.startswith("003"))
    assert q3["traditional_converted_chars"] > 1000 and q3["damaged_share"] > 0
    q4 = next(v for k, v in reports.items() if k.startswith("004"))
    assert q4["repeated_paragraphs_removed"] >= 5
    for key in ("encoding", "pinyin_annotations_removed", "mojibake_chars_repaired",
                "boilerplate_lines_removed", "broken_lines_joined", "metadata"):  # fmt: skip
        assert key in q3


def test_build_report_carries_the_quality_reports(built_seeds):
    out, _ = built_seeds
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    doc3 = next(d for d in report["documents"] if d["file"].startswith("003"))
    assert doc3["quality"]["damaged_fragments"] > 0
    assert doc3["metadata"]["region_code"] == "320402"


def test_manifest_overrides_metadata_in_build(tmp_path):
    manifest = tmp_path / "m.tsv"
    seed = next(p for p in SEED_FILES if p.name.startswith("004"))
    manifest.write_text(
        f"file\tregion\tyear\ttitle\tdate\tsource_url\n{seed.name}\t常州市\t2024\t"
        "2024年常州市政府工作报告\t2024-01-10\thttps://www.changzhou.gov.cn/r2024\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(main, ["normalize", "--report", "--format", "json",
                                  "--manifest", str(manifest), str(seed)])  # fmt: skip
    md = json.loads(r.stdout)["metadata"]
    assert md["date"] == "2024-01-10" and md["source_url"].endswith("r2024")
    assert md["title"] == "2024年常州市政府工作报告"
