"""RDF files read with rdflib (for validation) and SPARQL results as an aligned table.

Queries themselves run in the Oxigraph store (`kg/store.py`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rdflib import Graph


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


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(n)] + [_width(r[i]) for r in rows]) for i, n in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
