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
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.model import Entity, NormalizedDocument

GRAPH_FILES = ("graph.ttl", "graph.nt", "graph.trig", "graph.nq", "graph.jsonld")


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one graph (the default graph users query)."""
    g = Graph()
    for prefix, ns in ds.namespaces():
        g.bind(prefix, ns)
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _sorted_lines(text: str) -> str:
    lines = sorted({ln for ln in text.splitlines() if ln.strip()})
    return "\n".join(lines) + "\n"


def write_graph_files(ds: Dataset, union: Graph, out_dir: Path) -> list[Path]:
    """The union (`union_graph(ds)`) as Turtle and N-Triples; the named graphs as TriG,
    N-Quads and JSON-LD."""
    g = union
    files = {
        "graph.ttl": g.serialize(format="turtle"),
        "graph.nt": _sorted_lines(g.serialize(format="nt")),
        "graph.trig": dataset_trig(ds),
        "graph.nq": _sorted_lines(ds.serialize(format="nquads")),
        "graph.jsonld": dataset_jsonld(ds),
    }
    paths = []
    for name, text in files.items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def dataset_trig(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order, each written by the (sorting) Turtle writer.

    rdflib's own TriG writer visits the graphs in its store's set order, which changes from
    one process to the next, so its output is not byte-stable.
    """
    prefixes = sorted((p, str(ns)) for p, ns in ds.namespaces() if p)
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes)
    blocks = []
    for ctx in sorted(ds.graphs(), key=lambda c: str(c.identifier)):
        if not len(ctx):
            continue
        g = Graph()
        for p, ns in prefixes:
            g.bind(p, ns)
        for t in ctx:
            g.add(t)
        # drop only the writer's leading @prefix block, and indent nothing: a multi-line
        # literal must keep its lines exactly as they are
        lines = g.serialize(format="turtle").split("\n")
        while lines and (lines[0].startswith("@prefix") or not lines[0]):
            lines.pop(0)
        body = "\n".join(lines).rstrip("\n")
        blocks.append(f"<{ctx.identifier}> {{\n{body}\n}}\n")
    return head + "\n" + "\n".join(blocks)


def _term_json(o: object) -> dict[str, str]:
    if isinstance(o, Literal):
        out = {"@value": str(o)}
        if o.language:
            out["@language"] = o.language
        elif o.datatype and o.datatype != XSD.string:
            out["@type"] = str(o.datatype)
        return out
    return {"@id": str(o)}


def dataset_jsonld(ds: Dataset) -> str:
    """JSON-LD of the named graphs, `@context` embedded, nodes and values sorted.

    Written by hand rather than by rdflib's serializer so that the output is byte-stable.
    """
    prefixes = {p: str(ns) for p, ns in ds.namespaces() if p}
    graphs: dict[str, dict[str, dict[str, list[dict[str, str]]]]] = {}
    for s, p, o, c in ds.quads((None, None, None, None)):
        gid = str(c.identifier if hasattr(c, "identifier") else c)
        node = graphs.setdefault(gid, {}).setdefault(str(s), {})
        if p == URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"):
            node.setdefault("@type", []).append({"@id": str(o)})
        else:
            node.setdefault(str(p), []).append(_term_json(o))
    out_graphs = []
    for gid in sorted(graphs):
        nodes = []
        for sid in sorted(graphs[gid]):
            props = graphs[gid][sid]
            node: dict[str, object] = {"@id": sid}
            for key in sorted(props):
                values = sorted(props[key], key=lambda v: json.dumps(v, sort_keys=True))
                node[key] = [v["@id"] for v in values] if key == "@type" else values
            nodes.append(node)
        out_graphs.append({"@id": gid, "@graph": nodes})
    doc = {"@context": dict(sorted(prefixes.items())), "@graph": out_graphs}
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


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

    Dotfiles already in `out_dir` (such as the repository's outputs/.gitkeep) are carried over.
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; outputs are for everyone to read
        fill(tmp)
        if out_dir.exists():
            for keep in out_dir.glob(".*"):
                if keep.is_file() and not (tmp / keep.name).exists():
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
