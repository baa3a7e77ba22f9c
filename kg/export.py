"""Stage 8: write the graph in every usual RDF format, flat tables, atomically and
deterministically.

A build writes everything into a sibling temporary directory and swaps it in whole, so an
interrupted build leaves the previous outputs intact. The graph holds no blank nodes, and every
serialisation is either sorted or produced by a serializer that sorts, so the same input gives
the same bytes whatever the process's hash seed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.model import Entity, NormalizedDocument
from kg.rdf import PREFIXES

GRAPH_FILES = ("graph.ttl", "graph.nt", "graph.trig", "graph.nq", "graph.jsonld")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
# The prefixes the RDF files declare: the ontology's. Entity IRIs stay written in full, since
# their names hold `/` and CJK characters.
EXPORT_PREFIXES = dict(sorted((p, str(ns)) for p, ns in PREFIXES.items()))


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one graph (the default graph users query)."""
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns)
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def to_ox(term: Node) -> ox.NamedNode | ox.Literal:
    """An rdflib term as an Oxigraph term (the graph has no blank nodes)."""
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    raise TypeError(f"unexpected RDF term {term!r} (the graph has no blank nodes)")


def dataset_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of the dataset as Oxigraph terms, sorted by graph, subject, predicate, object.

    The sorted list is what every writer below serialises, so their output does not depend on
    rdflib's set order (which changes with the process's hash seed).
    """
    terms: dict[Node, tuple[ox.NamedNode | ox.Literal, str]] = {}

    def conv(t: Node) -> tuple[ox.NamedNode | ox.Literal, str]:
        got = terms.get(t)
        if got is None:
            term = to_ox(t)
            got = terms[t] = (term, str(term))
        return got

    rows = []
    for ctx in ds.graphs():
        g, gk = conv(ctx.identifier)
        for s, p, o in ctx:
            (so, sk), (po, pk), (oo, ok) = conv(s), conv(p), conv(o)
            rows.append(((gk, sk, pk, ok), so, po, oo, g))
    rows.sort(key=itemgetter(0))
    return [ox.Quad(s, p, o, g) for _, s, p, o, g in rows]  # type: ignore[arg-type]


def union_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The triples of all named graphs, once each, sorted (the default graph users query)."""
    triples = dict.fromkeys(q.triple for q in quads)
    keys = {t: (str(t.subject), str(t.predicate), str(t.object)) for t in triples}
    return sorted(keys, key=keys.__getitem__)


def write_graph_files(quads: list[ox.Quad], triples: list[ox.Triple], out_dir: Path) -> None:
    """The union (`union_triples(quads)`) as Turtle and N-Triples; the named graphs as TriG,
    N-Quads and JSON-LD.

    Written by Oxigraph's serialisers from the sorted quads (rdflib's Turtle writer took 40 s
    on the 30-report corpus) straight into the files, one at a time, so that no file is held
    in memory whole.
    """
    for name, data, fmt in (
        ("graph.ttl", triples, ox.RdfFormat.TURTLE),
        ("graph.nt", triples, ox.RdfFormat.N_TRIPLES),
        ("graph.trig", quads, ox.RdfFormat.TRIG),
        ("graph.nq", quads, ox.RdfFormat.N_QUADS),
    ):
        prefixes = EXPORT_PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
        ox.serialize(data, output=str(out_dir / name), format=fmt, prefixes=prefixes)
    with (out_dir / "graph.jsonld").open("w", encoding="utf-8") as fh:
        for chunk in dataset_jsonld(quads, EXPORT_PREFIXES):
            fh.write(chunk)


def _term_json(o: ox.NamedNode | ox.Literal) -> dict[str, str]:
    if isinstance(o, ox.Literal):
        out = {"@value": o.value}
        if o.language:
            out["@language"] = o.language
        elif o.datatype.value != _XSD_STRING:
            out["@type"] = o.datatype.value
        return out
    return {"@id": o.value}


def _graph_jsonld(gid: str, quads: Iterable[ox.Quad]) -> dict[str, object]:
    nodes: dict[str, dict[str, list[dict[str, str]]]] = {}
    for q in quads:
        node = nodes.setdefault(q.subject.value, {})
        if q.predicate.value == _RDF_TYPE:
            node.setdefault("@type", []).append({"@id": q.object.value})
        else:
            node.setdefault(q.predicate.value, []).append(_term_json(q.object))
    out = []
    for sid in sorted(nodes):
        props = nodes[sid]
        node: dict[str, object] = {"@id": sid}
        for key in sorted(props):
            values = sorted(props[key], key=lambda v: json.dumps(v, sort_keys=True))
            node[key] = [v["@id"] for v in values] if key == "@type" else values
        out.append(node)
    return {"@id": gid, "@graph": out}


def dataset_jsonld(quads: list[ox.Quad], prefixes: dict[str, str]) -> Iterator[str]:
    """JSON-LD of the named graphs (`quads` sorted by graph), `@context` embedded, nodes and
    values sorted, in pieces: one named graph at a time is held in memory.

    Written by hand rather than by a serializer so that the output is byte-stable; the text is
    what `json.dumps(document, indent=1)` gives.
    """

    def indented(obj: object, depth: int) -> str:
        return json.dumps(obj, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)

    yield '{\n "@context": ' + indented(prefixes, 1) + ',\n "@graph": ['
    for i, (gid, group) in enumerate(groupby(quads, key=lambda q: q.graph_name.value)):
        yield ("," if i else "") + "\n  " + indented(_graph_jsonld(gid, group), 2)
    yield "\n ]\n}\n"


def _csv(rows: Iterable[Iterable[object]], header: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_tables(out_dir: Path, docs: list[NormalizedDocument], entities: list[Entity],
                 mention_iri: Callable[[object], str]) -> list[Path]:  # fmt: skip
    """entities.csv and mentions.csv, for people who live in spreadsheets."""
    raws = {d.name: d.raw for d in docs}
    ent_rows = []
    men_rows = []
    for e in sorted(entities, key=lambda x: x.iri):
        docs_of = sorted({m.doc for m in e.mentions})
        ent_rows.append(
            [e.iri, e.type, e.name, "|".join(sorted(e.aliases)), len(e.mentions), "|".join(docs_of)]
        )
        for m in e.mentions:
            raw = raws[m.doc]
            men_rows.append(
                [
                    mention_iri(m),
                    e.iri,
                    m.type,
                    m.name,
                    m.doc,
                    m.start,
                    m.end,
                    raw[m.start : m.end],
                    raw[m.sentence_start : m.sentence_end],
                    m.extractor,
                ]
            )
    men_rows.sort(key=lambda r: (r[4], r[5], r[6], r[2]))
    paths = [out_dir / "entities.csv", out_dir / "mentions.csv"]
    paths[0].write_text(
        _csv(ent_rows, ["iri", "type", "name", "aliases", "mentions", "reports"]), "utf-8"
    )
    paths[1].write_text(
        _csv(
            men_rows,
            [
                "mention",
                "entity",
                "type",
                "name",
                "report",
                "start",
                "end",
                "exact",
                "sentence",
                "extractor",
            ],
        ),
        "utf-8",
    )
    return paths


def write_csv(path: Path, header: list[str], rows: Iterable[Iterable[object]]) -> None:
    path.write_text(_csv(rows, header), encoding="utf-8")


def write_json(path: Path, data: object) -> None:
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def atomic_output_dir(out_dir: Path, fill: Callable[[Path], None]) -> None:
    """Let `fill` write a fresh directory, then swap it in for `out_dir` in one step.

    Dot-entries already in `out_dir` (the repository's outputs/.gitkeep, the build cache in
    outputs/.cache) are carried over. The fresh directory is a sibling named after this
    process, so an interrupted build (Ctrl-C, kill -9, power cut) leaves `out_dir` as it was;
    the next build removes what a dead build left behind.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-{os.getpid()}-", dir=out_dir.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; outputs are for everyone to read
        fill(tmp)
        if out_dir.exists():
            for keep in out_dir.glob(".*"):
                if (tmp / keep.name).exists():
                    continue
                if keep.is_dir():
                    keep.rename(tmp / keep.name)
                elif keep.is_file():
                    shutil.copy2(keep, tmp / keep.name)
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        if out_dir.exists():
            out_dir.rename(old)
        tmp.rename(out_dir)
        if old.exists():
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _remove_leftovers(out_dir: Path) -> None:
    """Delete the temporary and old directories of builds whose process no longer runs (an
    old one comes back as `out_dir` if that build died between its two renames)."""
    for d in sorted(out_dir.parent.glob(f".{out_dir.name}.*-*")):
        kind, _, rest = d.name[len(out_dir.name) + 2 :].partition("-")
        pid = rest.split("-", 1)[0]
        if kind not in ("tmp", "old") or not pid.isdigit() or not d.is_dir() or _alive(int(pid)):
            continue
        if kind == "old" and not out_dir.exists():
            d.rename(out_dir)
        else:
            shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
