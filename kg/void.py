"""The dataset's own description: DCAT + VoID in `void.ttl`.

Title, licence, the source reports, triple counts, class partitions and one linkset per
external dataset the graph links to. No clock time: the modification date is
SOURCE_DATE_EPOCH when set, else the latest delivery date among the reports.
"""

from __future__ import annotations

import os
from collections import Counter
from datetime import UTC, datetime

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, SKOS, VOID, XSD

from kg import __version__
from kg.rdf import gazetteer_iri, report_iri
from kg.vocab import KGO

DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# Namespaces of datasets the graph may link to, for the linksets.
LINK_TARGETS = {
    "wikidata": "http://www.wikidata.org/entity/",
}
DUMPS = {
    "graph.ttl": "text/turtle",
    "graph.nt": "application/n-triples",
    "graph.trig": "application/trig",
    "graph.nq": "application/n-quads",
    "graph.jsonld": "application/ld+json",
}


def describe(
    quads: list[ox.Quad],
    triples: list[ox.Triple],
    base: str,
    doc_names: list[str],
    dates: list[str],
    license: str = DEFAULT_LICENSE,
) -> Graph:
    """A VoID/DCAT description of the built dataset (`triples` is `union_triples(quads)`)."""
    b = base.rstrip("/")
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcat", DCAT)
    g.bind("dcterms", DCTERMS)
    g.bind("kgo", Namespace(str(KGO)))
    d = URIRef(f"{b}/dataset")
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCTERMS.title, Literal("政府工作报告知识图谱", lang="zh")))
    g.add((d, DCTERMS.title, Literal("Knowledge graph of government work reports", lang="en")))
    g.add((d, DCTERMS.description, Literal(
        f"Entities and mentions extracted from {len(doc_names)} reports by zhgov-kg "
        f"{__version__}; every fact carries its provenance.", lang="en")))  # fmt: skip
    g.add((d, DCTERMS.license, URIRef(license)))
    g.add((d, DCTERMS.creator, URIRef(f"{b}/agent/kg/{__version__}")))
    g.add((d, VOID.vocabulary, URIRef(str(KGO))))
    g.add((d, VOID.uriSpace, Literal(f"{b}/id/")))
    g.add((d, DCTERMS.conformsTo, URIRef("https://w3id.org/zhgov-kg/ontology")))
    modified = _modified(dates)
    if modified:
        g.add((d, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    for name in sorted(doc_names):
        g.add((d, DCTERMS.source, report_iri(base, name)))
    g.add((d, VOID.triples, Literal(len(triples), datatype=XSD.integer)))
    subjects = {t.subject.value for t in triples}
    g.add((d, VOID.distinctSubjects, Literal(len(subjects), datatype=XSD.integer)))
    predicates = {t.predicate.value for t in triples}
    g.add((d, VOID.properties, Literal(len(predicates), datatype=XSD.integer)))
    classes = Counter(t.object.value for t in triples if t.predicate.value == str(RDF.type))
    g.add((d, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    entities = sum(1 for s in subjects if s.startswith(f"{b}/id/"))
    g.add((d, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for cls, n in sorted(classes.items()):
        part = URIRef(f"{b}/dataset/class/{cls.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}")
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for graph_name, n in sorted(Counter(q.graph_name.value for q in quads).items()):
        sub = URIRef(graph_name)
        g.add((d, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, VOID.triples, Literal(n, datatype=XSD.integer)))
    link_predicates = {str(OWL.sameAs), str(SKOS.exactMatch)}
    for target, ns in sorted(LINK_TARGETS.items()):
        links = [
            t for t in triples
            if t.predicate.value in link_predicates and t.object.value.startswith(ns)
        ]  # fmt: skip
        if not links:
            continue
        ls = URIRef(f"{b}/dataset/linkset/{target}")
        g.add((d, VOID.subset, ls))
        g.add((ls, RDF.type, VOID.Linkset))
        g.add((ls, VOID.subjectsTarget, d))
        g.add((ls, VOID.objectsTarget, URIRef(f"{b}/dataset/external/{target}")))
        g.add((ls, VOID.triples, Literal(len(links), datatype=XSD.integer)))
    # GB/T 2260 has no IRIs of its own: the link is the code, a literal, so the linkset names
    # the code list as its target and kgo:divisionCode as the link predicate.
    codes = [t for t in triples if t.predicate.value == str(KGO.divisionCode)]
    if codes:
        ls = URIRef(f"{b}/dataset/linkset/gbt2260")
        target = URIRef(f"{b}/dataset/external/gbt2260")
        g.add((d, VOID.subset, ls))
        g.add((ls, RDF.type, VOID.Linkset))
        g.add((ls, VOID.subjectsTarget, d))
        g.add((ls, VOID.objectsTarget, target))
        g.add((ls, VOID.linkPredicate, URIRef(str(KGO.divisionCode))))
        g.add((ls, VOID.triples, Literal(len(codes), datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, DCTERMS.title, Literal("GB/T 2260 中华人民共和国行政区划代码", lang="zh")))
        g.add((target, DCTERMS.source, gazetteer_iri(base)))
    for name, media in DUMPS.items():
        dist = URIRef(f"{b}/dataset/distribution/{name}")
        g.add((d, DCAT.distribution, dist))
        g.add((d, VOID.dataDump, URIRef(name)))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, URIRef(name)))
        g.add((dist, DCAT.mediaType, Literal(media)))
    return g


def _modified(dates: list[str]) -> str | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).date().isoformat()
    return max(dates) if dates else None
