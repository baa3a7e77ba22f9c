"""SHACL validation of the built graph against `ontology/shapes.ttl` (pySHACL).

`kg build` validates report by report — each report's named graph together with the shared
nodes it points to — because validating a whole large corpus at once is slow; `kg validate`
checks any graph file in one go.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from kg.ontology import ontology_graph, shapes_graph


@dataclass(frozen=True)
class Violation:
    focus: str
    shape: str  # the node shape, and the property shape's name where there is one
    path: str | None
    message: str
    severity: str
    value: str | None = None

    def __str__(self) -> str:
        where = f" path {self.path}" if self.path else ""
        value = f" value {self.value}" if self.value else ""
        return f"{self.severity}: {self.focus} fails {self.shape}{where}{value}: {self.message}"


@dataclass
class ValidationResult:
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def to_dict(self, limit: int = 50) -> dict[str, object]:
        return {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "results": [str(v) for v in self.violations[:limit]],
        }


def _name(shapes: Graph, node: Node) -> str:
    """The node shape's IRI, plus the property shape's sh:name when the source is one."""
    if isinstance(node, URIRef):
        return shapes.namespace_manager.normalizeUri(node)
    parent = next(shapes.subjects(SH.property, node), None)
    label = next(shapes.objects(node, SH.name), None)
    owner = shapes.namespace_manager.normalizeUri(parent) if isinstance(parent, URIRef) else "?"
    return f"{owner} ({label})" if label else owner


@lru_cache(maxsize=256)
def _prepared(
    query: str, base: str | None, namespaces: tuple[tuple[str, str], ...] | None
) -> Query:
    ns = dict(namespaces) if namespaces is not None else None
    return translateQuery(parseQuery(query), base, ns)  # type: ignore[arg-type]


def _query_parsed_once(
    self: SPARQLProcessor,
    query: str | Query,
    initBindings: Mapping[str, Node] | None = None,  # rdflib's parameter names
    initNs: Mapping[str, object] | None = None,
    base: str | None = None,
    DEBUG: bool = False,
) -> Mapping[str, object]:
    if isinstance(query, str):
        ns = tuple(sorted((k, str(v)) for k, v in initNs.items())) if initNs is not None else None
        query = _prepared(query, base, ns)
    return evalQuery(self.graph, query, initBindings or {}, base)


def _parse_queries_once() -> None:
    """Make rdflib parse each SPARQL string once per process instead of on every call.

    pySHACL runs the shapes' few SPARQL queries once per focus node and graph, and rdflib
    re-parses the string each time (pyparsing: ~45 ms a query), a third of the validation
    time of a report. The prepared query is the one rdflib would have built, so the results
    do not change.
    """
    SPARQLProcessor.query = _query_parsed_once  # type: ignore[method-assign]


def validate_graph(data: Graph) -> ValidationResult:
    """Validate a graph; results name the focus node, the shape and what is wrong."""
    import pyshacl

    _parse_queries_once()
    shapes = shapes_graph()
    conforms, results, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = []
    for r in results.subjects(RDF.type, SH.ValidationResult):

        def one(p: URIRef, r: Node = r) -> Node | None:
            return next(results.objects(r, p), None)

        focus, source, path = one(SH.focusNode), one(SH.sourceShape), one(SH.resultPath)
        severity = one(SH.resultSeverity)
        violations.append(
            Violation(
                focus=str(focus),
                shape=_name(shapes, source) if source is not None else "?",
                path=str(path) if isinstance(path, URIRef) else None,
                message=str(one(SH.resultMessage) or ""),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                value=str(one(SH.value)) if one(SH.value) is not None else None,
            )
        )
    violations.sort(key=lambda v: (v.focus, v.shape, v.path or "", v.message, v.value or ""))
    return ValidationResult(bool(conforms), violations)


def report_subgraphs(quads: list[ox.Quad], shared_iri: str) -> list[tuple[str, bytes]]:
    """Each report's named graph plus the shared nodes it refers to (one hop, and the hop
    after for a programme's issuing region), as N-Triples, in graph IRI order.

    N-Triples because the graphs go to worker processes (or cluster workers), where
    `validate_ntriples` checks them.
    """
    shared: dict[ox.NamedNode, list[ox.Triple]] = {}
    per_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        if q.graph_name.value == shared_iri:
            shared.setdefault(q.subject, []).append(q.triple)  # type: ignore[arg-type]
        else:
            per_graph.setdefault(q.graph_name.value, []).append(q.triple)
    out = []
    for name in sorted(per_graph):
        triples = dict.fromkeys(per_graph[name])
        nodes = {t.object for t in triples if isinstance(t.object, ox.NamedNode)}
        for node in sorted(nodes, key=str):
            for t in shared.get(node, ()):
                triples[t] = None
                if isinstance(t.object, ox.NamedNode):  # e.g. a programme's issuing region
                    triples.update(dict.fromkeys(shared.get(t.object, ())))
        out.append((name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)))
    return out


def validate_ntriples(data: bytes) -> dict[str, object]:
    """Validate a graph given as N-Triples (in a worker process); the result as a dict."""
    return validate_graph(Graph().parse(data=data, format="nt")).to_dict()
