"""Stage 7: build the RDF dataset (rdflib) from documents and resolved entities.

Shared things (entities, their labels) live in the named graph <BASE/graph/entities>; each
report's mentions and facts live in a named graph of their own, so provenance can be queried
per report and the union is the whole graph. Only IRIs are minted (no blank nodes), so the
serialisations are byte-for-byte deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg import __version__
from kg.model import Entity, NormalizedDocument
from kg.resolve import DEFAULT_BASE_IRI, iri_segment

KGO = Namespace("https://w3id.org/zhgov-kg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")

PREFIXES = {
    "kgo": KGO,
    "oa": OA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "schema": SCHEMA,
    "rdfs": RDFS,
    "xsd": XSD,
}


def report_iri(base: str, doc_name: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/report/{iri_segment(doc_name)}")


def graph_iri(base: str, name: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/graph/{name}")


def extractor_iri(base: str, extractor: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/agent/{quote(extractor, safe='/.-_~#')}")


def build_dataset(
    docs: Iterable[NormalizedDocument], entities: Iterable[Entity], base: str = DEFAULT_BASE_IRI
) -> Dataset:
    """The whole graph as a Dataset of named graphs (entities + one per report)."""
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ds.bind("id", Namespace(base.rstrip("/") + "/id/"))
    shared = ds.graph(graph_iri(base, "entities"))
    report_graphs: dict[str, Graph] = {}
    raws: dict[str, str] = {}
    for doc in docs:
        raws[doc.name] = doc.raw
        g = ds.graph(graph_iri(base, f"report/{iri_segment(doc.name)}"))
        report_graphs[doc.name] = g
        _add_report(g, doc, base)
    agents: set[str] = set()
    for ent in entities:
        e = URIRef(ent.iri)
        shared.add((e, RDF.type, KGO[ent.type]))
        shared.add((e, RDFS.label, Literal(ent.name, lang="zh")))
        for alias in sorted(ent.aliases):
            shared.add((e, SKOS.altLabel, Literal(alias, lang="zh")))
        for m in ent.mentions:
            g = report_graphs[m.doc]
            raw = raws[m.doc]
            mention = URIRef(
                f"{report_iri(base, m.doc)}/mention/{m.start}-{m.end}/{m.type.lower()}"
            )
            agent = extractor_iri(base, m.extractor)
            agents.add(m.extractor)
            g.add((mention, RDF.type, KGO.Mention))
            g.add((mention, KGO.mentionOf, e))
            g.add((mention, KGO.inReport, report_iri(base, m.doc)))
            g.add((mention, KGO.surfaceName, Literal(m.name, lang="zh")))
            g.add((mention, OA.start, Literal(m.start, datatype=XSD.nonNegativeInteger)))
            g.add((mention, OA.end, Literal(m.end, datatype=XSD.nonNegativeInteger)))
            g.add((mention, OA.exact, Literal(raw[m.start : m.end])))
            g.add((mention, KGO.quote, Literal(raw[m.sentence_start : m.sentence_end].strip())))
            g.add((mention, PROV.wasAttributedTo, agent))
    for extractor in sorted(agents):
        agent = extractor_iri(base, extractor)
        shared.add((agent, RDF.type, PROV.SoftwareAgent))
        shared.add((agent, RDFS.label, Literal(extractor)))
    return ds


def _add_report(g: Graph, doc: NormalizedDocument, base: str) -> None:
    r = report_iri(base, doc.name)
    md = doc.metadata
    g.add((r, RDF.type, KGO.Report))
    g.add((r, DCTERMS.identifier, Literal(doc.name)))
    g.add((r, KGO.sha256, Literal(doc.sha256)))
    g.add((r, KGO.encoding, Literal(doc.encoding)))
    g.add((r, PROV.wasGeneratedBy, URIRef(f"{base.rstrip('/')}/agent/kg/{__version__}")))
    if md.title:
        g.add((r, DCTERMS.title, Literal(md.title, lang="zh")))
    if md.date:
        g.add((r, DCTERMS.date, Literal(md.date, datatype=XSD.date)))
    if md.kind:
        g.add((r, KGO.reportKind, Literal(md.kind, lang="zh")))
    if md.region:
        g.add((r, KGO.issuingRegionName, Literal(md.region, lang="zh")))
    if md.region_code:
        g.add((r, KGO.issuingRegionCode, Literal(md.region_code)))
    if md.year_reviewed:
        g.add((r, KGO.yearReviewed, Literal(str(md.year_reviewed), datatype=XSD.gYear)))
    if md.year_planned:
        g.add((r, KGO.yearPlanned, Literal(str(md.year_planned), datatype=XSD.gYear)))
    if md.speaker:
        g.add((r, KGO.speakerName, Literal(md.speaker, lang="zh")))
