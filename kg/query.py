"""SPARQL over the built graph, with results in the W3C formats and an aligned table."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.query import Result

from kg.rdf import PREFIXES


class QueryError(Exception):
    """A query that cannot be parsed or run; the message says where and why."""


def load_graph(path: Path) -> Graph:
    """Parse any RDF file rdflib knows by its suffix (named graphs merged into one)."""
    fmt = {
        ".ttl": "turtle",
        ".nt": "nt",
        ".trig": "trig",
        ".nq": "nquads",
        ".jsonld": "json-ld",
        ".rdf": "xml",
        ".xml": "xml",
    }.get(path.suffix.lower())
    if fmt in ("trig", "nquads", "json-ld"):
        # named graphs: the union of all of them is the default graph users query
        from rdflib import Dataset

        from kg.export import union_graph

        ds = Dataset()
        ds.parse(path, format=fmt)
        return union_graph(ds)
    g = Graph()
    g.parse(path, format=fmt)
    return g


def run_query(graph: Graph, query: str) -> Result:
    """Run SPARQL with the ontology's prefixes predeclared; QueryError on bad syntax."""
    try:
        return graph.query(query, initNs=PREFIXES)
    except Exception as exc:  # rdflib raises pyparsing errors and plain exceptions alike
        raise QueryError(str(exc)) from exc


def _term_json(t: object) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    assert isinstance(t, Literal)
    out = {"type": "literal", "value": str(t)}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype:
        out["datatype"] = str(t.datatype)
    return out


def format_result(result: Result, fmt: str) -> str:
    """table | csv | tsv | json (SPARQL 1.1 Query Results JSON); graphs print as Turtle."""
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        g = result.graph
        assert g is not None
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        return g.serialize(format="turtle")
    if result.type == "ASK":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result.askAnswer)})
        return "true" if result.askAnswer else "false"
    names = [str(v) for v in result.vars or []]
    rows = [[row[i] if i < len(row) else None for i in range(len(names))] for row in result]
    if fmt == "json":
        bindings = [
            {n: _term_json(t) for n, t in zip(names, r, strict=True) if t is not None} for r in rows
        ]
        return json.dumps(
            {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
        )
    text_rows = [["" if t is None else str(t) for t in r] for r in rows]
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(text_rows)
        return buf.getvalue().rstrip("\n")
    return _table(names, text_rows)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
