"""SHACL validation of the built graph against `ontology/shapes.ttl` (pySHACL).

`kg build` validates report by report — each report's named graph together with the shared
nodes it points to — because validating a whole large corpus at once is slow; `kg validate`
checks any graph file in one go.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH
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


def validate_graph(data: Graph) -> ValidationResult:
    """Validate a graph; results name the focus node, the shape and what is wrong."""
    import pyshacl

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


def report_subgraphs(ds: Dataset, shared_iri: URIRef) -> Iterator[tuple[str, Graph]]:
    """Each report's named graph plus the shared nodes it refers to (one hop)."""
    shared = ds.graph(shared_iri)
    for ctx in sorted(ds.graphs(), key=lambda c: str(c.identifier)):
        if ctx.identifier == shared_iri or not len(ctx):
            continue
        g = Graph()
        for t in ctx:
            g.add(t)
        for node in {o for o in ctx.objects() if isinstance(o, URIRef)}:
            for p, o in shared.predicate_objects(node):
                g.add((node, p, o))
                if isinstance(o, URIRef):  # e.g. a programme's issuing region
                    for p2, o2 in shared.predicate_objects(o):
                        g.add((o, p2, o2))
        yield str(ctx.identifier), g


def validate_ntriples(text: str) -> dict[str, object]:
    """Validate a graph given as N-Triples (for worker processes); the result as a dict."""
    return validate_graph(Graph().parse(data=text, format="nt")).to_dict()
