"""The ontology and shapes in `ontology/`, loaded once, plus the closed vocabulary they define.

`kg/vocab.py` is generated from `ontology/kgo.ttl` (`python -m kg.ontology`), as rdflib's own
namespaces are: a term missing from the ontology fails at import or attribute access, so a
typo never mints a new property silently. A test checks the generated file is current.
"""

from __future__ import annotations

import html
import sys
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "kgo.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
QUERIES_DIR = ONTOLOGY_DIR / "queries"
KGO_IRI = "https://w3id.org/zhgov-kg/ontology#"
VOCAB_FILE = Path(__file__).with_name("vocab.py")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def defined_terms(g: Graph | None = None) -> list[str]:
    """Local names of every kgo: term the ontology defines (classes, properties, individuals)."""
    g = g if g is not None else ontology_graph()
    names = {
        str(s)[len(KGO_IRI) :]
        for s in g.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(KGO_IRI) and str(s) != KGO_IRI
    }
    return sorted(n for n in names if n)


def render_vocab(g: Graph | None = None) -> str:
    """Source of kg/vocab.py: an rdflib DefinedNamespace listing every term."""
    terms = defined_terms(g)
    lines = [
        '"""Generated from ontology/kgo.ttl by `python -m kg.ontology`; do not edit by hand."""',
        "",
        "from rdflib.namespace import DefinedNamespace, Namespace",
        "from rdflib.term import URIRef",
        "",
        "",
        "class KGO(DefinedNamespace):",
        '    """The zhgov-kg ontology: a closed namespace, so an unknown term raises."""',
        "",
        "    _fail = True",
        "",
    ]
    lines += [f"    {t}: URIRef" for t in terms]
    lines += ["", f'    _NS = Namespace("{KGO_IRI}")', ""]
    return "\n".join(lines)


def _label(g: Graph, s: URIRef, lang: str) -> str:
    for o in g.objects(s, RDFS.label):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return ""


def _curie(g: Graph, term: object) -> str:
    try:
        return g.namespace_manager.normalizeUri(term)  # type: ignore[arg-type]
    except Exception:
        return str(term)


def ontology_html(g: Graph | None = None) -> str:
    """A readable, self-contained page of the ontology: classes and properties with their
    labels in Chinese and English, comments, domains, ranges and alignments."""
    g = g if g is not None else ontology_graph()
    e = html.escape
    sections = []
    prop_rels = [RDFS.subPropertyOf, RDFS.domain, RDFS.range]
    kinds = [
        ("Classes 类", OWL.Class, [RDFS.subClassOf, OWL.equivalentClass]),
        ("Object properties 对象属性", OWL.ObjectProperty, prop_rels),
        ("Datatype properties 数据属性", OWL.DatatypeProperty, prop_rels),
        ("Individuals 个体", OWL.NamedIndividual, [RDF.type]),
    ]
    for title, kind, rels in kinds:
        rows = []
        for s in sorted(x for x in g.subjects(RDF.type, kind) if str(x).startswith(KGO_IRI)):
            local = str(s)[len(KGO_IRI) :]
            comment = " ".join(str(c) for c in g.objects(s, RDFS.comment))
            links = []
            for rel in rels:
                vals = sorted(_curie(g, o) for o in g.objects(s, rel) if isinstance(o, URIRef))
                if vals:
                    links.append(f"<b>{e(_curie(g, rel))}</b> {e(', '.join(vals))}")
            rows.append(
                f'<tr id="{e(local)}"><td><code>kgo:{e(local)}</code></td>'
                f"<td>{e(_label(g, s, 'zh'))}</td><td>{e(_label(g, s, 'en'))}</td>"
                f"<td>{e(comment)}<br><small>{'<br>'.join(links)}</small></td></tr>"
            )
        sections.append(
            f"<h2>{e(title)}</h2><table><tr><th>term</th><th>中文</th><th>English</th>"
            f"<th>comment and alignment</th></tr>{''.join(rows)}</table>"
        )
    onto = URIRef(KGO_IRI.rstrip("#"))
    version = next((str(v) for v in g.objects(onto, OWL.versionInfo)), "")
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'>"
        "<title>zhgov-kg ontology</title><style>body{font-family:system-ui,sans-serif;"
        "margin:2em;max-width:80em}table{border-collapse:collapse;width:100%}"
        "td,th{border:1px solid #ccc;padding:.3em;vertical-align:top;text-align:left}"
        "code{white-space:nowrap}</style></head><body>"
        f"<h1>zhgov-kg ontology {e(version)}</h1><p>Namespace <code>{e(KGO_IRI)}</code>"
        " (prefix <code>kgo:</code>). Source: <code>ontology/kgo.ttl</code>; shapes: "
        "<code>ontology/shapes.ttl</code>.</p>" + "".join(sections) + "</body></html>\n"
    )


def main() -> None:
    """Regenerate kg/vocab.py from the ontology."""
    VOCAB_FILE.write_text(render_vocab(), encoding="utf-8")
    print(f"wrote {VOCAB_FILE} ({len(defined_terms())} terms)", file=sys.stderr)


if __name__ == "__main__":
    main()
