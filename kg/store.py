"""The query store: the built dataset in an on-disk Oxigraph store (pyoxigraph).

rdflib stays the construction API; queries go to Oxigraph, whose SPARQL engine is orders of
magnitude faster on large graphs. Every query sees the union of all named graphs as its
default graph, like the exported files. The store directory is the one output that is not
byte-identical between builds (it is a database).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox

from kg.rdf import PREFIXES

STORE_DIR = "store"
QUERY_PREFIXES = {p: str(ns) for p, ns in PREFIXES.items()} | {
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".trig": ox.RdfFormat.TRIG,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


class StoreQueryError(Exception):
    """A query the store refused; the message gives line and column for syntax errors."""


def write_store(nquads: Path, path: Path) -> None:
    """Bulk-load an N-Quads file into a fresh on-disk store at `path`."""
    store = ox.Store(str(path))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    del store


def open_store(path: Path) -> ox.Store:
    """The built store, read-only (several readers may share it)."""
    return ox.Store.read_only(str(path))


def load_file(path: Path) -> ox.Store:
    """Any RDF file in an in-memory store (named graphs kept)."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise StoreQueryError(f"{path}: unknown RDF format (use {', '.join(_FORMATS)})")
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    return store


def _declared_prefixes(query: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}


def run(store: ox.Store, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run a SPARQL query over the union of the named graphs, the ontology's prefixes
    predeclared (a query's own PREFIX lines win)."""
    own = _declared_prefixes(query)
    prefixes = {p: ns for p, ns in QUERY_PREFIXES.items() if p not in own}
    try:
        return store.query(query, prefixes=prefixes, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise StoreQueryError(f"syntax error: {exc.msg if hasattr(exc, 'msg') else exc}") from exc


def _text(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def format_result(result: object, fmt: str) -> str:
    """table | csv | tsv | json (SPARQL 1.1 Results JSON); CONSTRUCT/DESCRIBE as Turtle."""
    from kg.query import table

    if isinstance(result, ox.QueryTriples):
        data = result.serialize(format=ox.RdfFormat.TURTLE)
        return (data or b"").decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result)})
        return "true" if result else "false"
    assert isinstance(result, ox.QuerySolutions)
    if fmt == "json":
        data = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
        return json.dumps(json.loads(data), ensure_ascii=False)
    names = [v.value for v in result.variables]
    rows = [[_text(sol[n]) for n in names] for sol in result]
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    return table(names, rows)
