"""Stage 7: build the RDF dataset (rdflib) from documents and resolved entities.

Shared things — entities, their labels, the issuing regions from the gazetteer, the extractor
agents — live in the named graph <BASE/graph/entities>; each report's description and
mentions live in a named graph of their own, so provenance can be queried per report and the
union is the whole graph. Every node has an IRI (selectors too), so serialisations are
byte-for-byte deterministic. Terms come from the closed vocabulary generated from the
ontology (`kg.vocab.KGO`), so a mistyped term fails at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from urllib.parse import quote

from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.gazetteer import admin_gazetteer
from kg.link import DivisionLink, ListingLink
from kg.metadata import PLAN_REPORT
from kg.model import Entity, Mention, NormalizedDocument
from kg.relations import Fact
from kg.relations.programmes import plan_period_years
from kg.resolve import (
    DEFAULT_BASE_IRI,
    REGION_SCOPED,
    canonical_name,
    entity_iri,
    iri_segment,
)
from kg.vocab import KGO

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
QB = Namespace("http://purl.org/linked-data/cube#")

PREFIXES = {
    "kgo": Namespace(str(KGO)),
    "oa": OA,
    "prov": PROV,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "schema": SCHEMA,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "qb": QB,
}
QUOTE_CONTEXT = 12  # raw characters kept on each side of a mention as oa:prefix / oa:suffix
FORMAT_TYPES = {"text": "text/plain", "html": "text/html", "pdf": "application/pdf"}


def report_iri(base: str, doc_name: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/report/{iri_segment(doc_name)}")


def graph_iri(base: str, name: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/graph/{name}")


def report_graph_iri(base: str, doc_name: str) -> URIRef:
    return graph_iri(base, f"report/{iri_segment(doc_name)}")


def extractor_iri(base: str, extractor: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/agent/{quote(extractor, safe='/.-_~')}")


def mention_iri(base: str, m: Mention) -> URIRef:
    return URIRef(f"{report_iri(base, m.doc)}/mention/{m.start}-{m.end}/{m.type.lower()}")


def indicator_iri(base: str, name: str) -> URIRef:
    """An indicator is named by its normalised name (地区生产总值增长), shared by all reports."""
    return URIRef(entity_iri(base, "Indicator", name))


def _fact_path(f: Fact) -> str:
    what = f.indicator if f.relation == "observation" else f.object
    return f"{f.start}-{f.end}/{iri_segment(what or '')}"


def fact_iri(base: str, f: Fact) -> URIRef:
    """An observation or milestone node: its report, raw span and what it states."""
    return URIRef(f"{report_iri(base, f.doc)}/{f.relation}/{_fact_path(f)}")


def fact_mention_iri(base: str, f: Fact) -> URIRef:
    """The mention a fact rests on, one per fact; the last segment keeps it apart from the
    entity mentions of the same span."""
    return URIRef(f"{report_iri(base, f.doc)}/mention/{_fact_path(f)}/{f.relation}")


@lru_cache(maxsize=1)
def milestone_kinds() -> dict[str, URIRef]:
    """Milestone stage as the extractor names it (投产) → the ontology's concept (kgo:inProduction),
    from the concepts' Chinese labels, so the two cannot drift apart."""
    from kg.ontology import ontology_graph

    g = ontology_graph()
    out: dict[str, URIRef] = {}
    for concept in g.subjects(RDF.type, KGO.MilestoneKind):
        for label in g.objects(concept, RDFS.label):
            if isinstance(label, Literal) and label.language == "zh":
                out[str(label)] = URIRef(concept)
    return out


def gazetteer_iri(base: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/source/admin-divisions")


def region_iri(base: str, region_name: str) -> URIRef:
    """An issuing region is the Place entity of its full name (shared with mentions of it)."""
    return URIRef(entity_iri(base, "Place", region_name))


def build_dataset(
    docs: Iterable[NormalizedDocument],
    entities: Iterable[Entity],
    base: str = DEFAULT_BASE_IRI,
    retired: Iterable[tuple[str, str, str]] = (),
    division_links: Iterable[DivisionLink] = (),
    listing_links: Iterable[ListingLink] = (),
    facts: Iterable[Fact] = (),
) -> Dataset:
    """The whole graph as a Dataset of named graphs (entities + one per report).

    `retired` holds (old IRI, surviving IRI, reason) for IRIs a merge retired: they stay in
    the graph, owl:sameAs the survivor, so links made to them keep working. `facts` (from
    kg.relations) become observations, milestones, located-in and undertakes facts,
    recognitions and listings in their report's graph.
    """
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    ds.bind("id", Namespace(base.rstrip("/") + "/id/"))
    shared = ds.graph(graph_iri(base, "entities"))
    report_graphs: dict[str, Graph] = {}
    docs_by_name: dict[str, NormalizedDocument] = {}
    for doc in docs:
        docs_by_name[doc.name] = doc
        g = ds.graph(report_graph_iri(base, doc.name))
        report_graphs[doc.name] = g
        _add_report(g, shared, doc, base)
    agents: set[str] = set()
    entities = list(entities)
    # kgo:issuedBy only points at a region that is an entity of the graph (SHACL: named by
    # a mention); a region given only by a manifest and never written in the text is not
    known = {ent.iri for ent in entities}
    for ent in entities:
        e = URIRef(ent.iri)
        shared.add((e, RDF.type, KGO[ent.type]))
        shared.add((e, RDFS.label, Literal(ent.name, lang="zh")))
        shared.add(
            (e, KGO.mentionCount, Literal(len(ent.mentions), datatype=XSD.nonNegativeInteger))
        )
        for alias in sorted(ent.aliases):
            shared.add((e, SKOS.altLabel, Literal(alias, lang="zh")))
        for m in ent.mentions:
            doc = docs_by_name[m.doc]
            _add_mention(report_graphs[m.doc], doc, m, e, base)
            agents.add(m.extractor)
            region = doc.metadata.region and region_iri(base, doc.metadata.region)
            if ent.type == "Programme" and region and str(region) in known:
                shared.add((e, KGO.issuedBy, region))
            # the speaker the metadata names, whichever extractor found the name first
            if ent.type == "Person" and (
                m.extractor.startswith("kg-metadata/") or m.name == doc.metadata.speaker
            ):
                report_graphs[m.doc].add((report_iri(base, m.doc), KGO.speaker, e))
    by_doc = _mentions_by_doc(entities)
    projects = {d: [(m, iri) for m, iri in ms if m.type == "Project"] for d, ms in by_doc.items()}
    programmes = {
        d: [(m, iri) for m, iri in ms if m.type == "Programme"] for d, ms in by_doc.items()
    }
    programme_names = names_in_reports(entities)
    named = _entities_by_mention(entities)
    asserted: set[tuple[URIRef, URIRef, URIRef]] = set()
    # in report order, so the report that first states a located_in or undertakes triple
    # holds it, whatever order the workers gave the facts in
    for f in sorted(facts, key=lambda f: (f.doc, f.start, f.end, f.relation, f.subject, f.object)):
        doc = docs_by_name[f.doc]
        node: URIRef | None = None
        if f.relation == "observation":
            node = _add_observation(report_graphs[f.doc], shared, doc, f, known, base)
        elif f.relation == "milestone" and f.object in milestone_kinds():
            # the project mention the milestone was read from lies inside the fact's span
            project = next(
                (
                    iri
                    for m, iri in projects.get(f.doc, [])
                    if f.start <= m.start and m.end <= f.end and m.name == f.subject
                ),
                None,
            )
            if project is not None:
                node = _add_milestone(report_graphs[f.doc], doc, f, URIRef(project), base)
        elif f.relation in PROGRAMME_RELATIONS:
            node = _add_programme_fact(
                report_graphs[f.doc],
                shared,
                doc,
                f,
                programme_names,
                programmes.get(f.doc, []),
                base,
            )
        elif f.relation in ENTITY_RELATIONS:
            graph = report_graphs[f.doc]
            node = _add_entity_fact(graph, shared, doc, f, named, known, asserted, base)
        if node is not None:
            agents.add(f.extractor)
    for extractor in sorted(agents):
        agent = extractor_iri(base, extractor)
        name, _, rest = extractor.partition("/")
        version, _, component = rest.partition("#")
        shared.add((agent, RDF.type, KGO.Extractor))
        shared.add((agent, RDFS.label, Literal(f"{name} {component}".strip())))
        shared.add((agent, SCHEMA.softwareVersion, Literal(version or "0")))
    for link in division_links:
        e = URIRef(link.entity)
        shared.add((e, RDF.type, KGO.AdministrativeDivision))
        shared.add((e, KGO.divisionCode, Literal(link.code)))
        shared.add((e, KGO.linkMethod, Literal(f"GB/T 2260 {link.name}: {link.method}")))
        shared.add((e, PROV.wasDerivedFrom, gazetteer_iri(base)))
        if link.valid_from and link.level != "town":
            shared.add((e, KGO.validFrom, Literal(str(link.valid_from), datatype=XSD.gYear)))
        if link.valid_to:
            shared.add((e, KGO.validTo, Literal(str(link.valid_to), datatype=XSD.gYear)))
    for listing in listing_links:
        e = URIRef(listing.entity)
        label = f"{listing.exchange} {listing.board}".strip()
        shared.add((e, KGO.exchange, Literal(label)))
        shared.add((e, KGO.linkMethod, Literal(f"listing: {listing.doc} says “{listing.clause}”")))
    for old, new, reason in sorted(retired):
        shared.add((URIRef(old), OWL.sameAs, URIRef(new)))
        shared.add((URIRef(old), KGO.mergeReason, Literal(reason)))
    return ds


def _add_mention(g: Graph, doc: NormalizedDocument, m: Mention, e: URIRef, base: str) -> None:
    _add_span(g, doc, mention_iri(base, m), e, m.name, (m.start, m.end), m, base)


def _add_span(
    g: Graph,
    doc: NormalizedDocument,
    mention: URIRef,
    e: URIRef,
    name: str,
    span: tuple[int, int],
    m: Mention | Fact,
    base: str,
) -> None:
    """A kgo:Mention of `e`: the raw span with its selectors, the sentence, the extractor."""
    raw = doc.raw
    start, end = span
    position = URIRef(f"{mention}/position")
    quote_sel = URIRef(f"{mention}/quote")
    g.add((mention, RDF.type, KGO.Mention))
    g.add((mention, KGO.mentionOf, e))
    g.add((mention, KGO.inReport, report_iri(base, m.doc)))
    g.add((mention, KGO.surfaceName, Literal(name, lang="zh")))
    g.add((mention, KGO.sentence, Literal(raw[m.sentence_start : m.sentence_end])))
    g.add((mention, KGO.sentenceStart, Literal(m.sentence_start, datatype=XSD.nonNegativeInteger)))
    g.add((mention, KGO.sentenceEnd, Literal(m.sentence_end, datatype=XSD.nonNegativeInteger)))
    g.add((mention, PROV.wasAttributedTo, extractor_iri(base, m.extractor)))
    g.add((mention, OA.hasSelector, position))
    g.add((mention, OA.hasSelector, quote_sel))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
    g.add((quote_sel, RDF.type, OA.TextQuoteSelector))
    g.add((quote_sel, OA.exact, Literal(raw[start:end])))
    prefix = raw[max(0, start - QUOTE_CONTEXT) : start]
    suffix = raw[end : end + QUOTE_CONTEXT]
    if prefix:
        g.add((quote_sel, OA.prefix, Literal(prefix)))
    if suffix:
        g.add((quote_sel, OA.suffix, Literal(suffix)))


def _add_provenance(
    g: Graph, doc: NormalizedDocument, node: URIRef, f: Fact, e: URIRef, base: str
) -> None:
    """What every assertion carries: its evidence mention (of `e`), extractor and confidence."""
    mention = fact_mention_iri(base, f)
    name = f.indicator if f.relation == "observation" else f.subject
    _add_span(g, doc, mention, e, name or "", (f.start, f.end), f, base)
    g.add((node, KGO.evidence, mention))
    g.add((node, PROV.wasDerivedFrom, mention))
    g.add((node, PROV.wasAttributedTo, extractor_iri(base, f.extractor)))
    g.add((node, KGO.confidence, Literal(_decimal(f.confidence), datatype=XSD.decimal)))


def _decimal(x: float) -> str:
    """A float in the canonical xsd:decimal form (13000.0, 5.5, never 1e4): with its point,
    so Turtle writes it as a decimal literal and it parses back unchanged."""
    whole, _, frac = format(Decimal(repr(x)), "f").partition(".")
    return f"{whole}.{frac.rstrip('0') or '0'}"


def _add_observation(
    g: Graph, shared: Graph, doc: NormalizedDocument, f: Fact, known: set[str], base: str
) -> URIRef | None:
    """A figure as a kgo:Observation of kgo:indicators; its area only if the region is an
    entity of the graph (as kgo:issuedBy), since SHACL wants a kgo:Place named by a mention."""
    if not f.indicator or f.value is None or f.year is None or f.kind is None:
        return None
    obs = fact_iri(base, f)
    ind = indicator_iri(base, f.indicator)
    shared.add((ind, RDF.type, KGO.Indicator))
    shared.add((ind, RDFS.label, Literal(f.indicator, lang="zh")))
    g.add((obs, RDF.type, KGO.Observation))
    g.add((obs, RDF.type, QB.Observation))
    g.add((obs, QB.dataSet, KGO.indicators))
    g.add((obs, KGO.indicator, ind))
    region = doc.metadata.region and region_iri(base, doc.metadata.region)
    if region and str(region) in known:
        g.add((obs, KGO.refArea, region))
    g.add((obs, KGO.refPeriod, Literal(str(f.year), datatype=XSD.gYear)))
    g.add((obs, KGO.observationKind, KGO[f.kind]))
    g.add((obs, KGO.value, Literal(_decimal(f.value), datatype=XSD.decimal)))
    if f.unit:
        g.add((obs, KGO.unit, Literal(f.unit)))
    if f.qualifier:
        g.add((obs, KGO.qualifier, Literal(f.qualifier)))
    if f.wording:
        g.add((obs, KGO.wording, Literal(f.wording)))
    _add_provenance(g, doc, obs, f, ind, base)
    return obs


def _add_milestone(
    g: Graph, doc: NormalizedDocument, f: Fact, project: URIRef, base: str
) -> URIRef | None:
    """A project milestone: stage, year and whether it was reached or is planned."""
    if f.year is None:
        return None
    node = fact_iri(base, f)
    g.add((node, RDF.type, KGO.Milestone))
    g.add((node, KGO.milestoneOf, project))
    g.add((node, KGO.milestoneKind, milestone_kinds()[f.object]))
    g.add((node, KGO.year, Literal(str(f.year), datatype=XSD.gYear)))
    g.add((node, KGO.milestoneStatus, KGO.actual if f.status == "achieved" else KGO.target))
    _add_provenance(g, doc, node, f, project, base)
    return node


PROGRAMME_RELATIONS = frozenset({"defines", "has_component", "plan_period", "covers"})


def names_in_reports(entities: Iterable[Entity]) -> dict[tuple[str, str], dict[str, str]]:
    """(report, canonical name as written there) → {type: entity IRI}: how a fact's names
    find their entities, merged ones included (a mention keeps the name it was written with)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for ent in entities:
        for m in ent.mentions:
            out.setdefault((m.doc, canonical_name(m.name)), {})[ent.type] = ent.iri
    return out


def _mentions_by_doc(entities: Iterable[Entity]) -> dict[str, list[tuple[Mention, str]]]:
    out: dict[str, list[tuple[Mention, str]]] = {}
    for ent in entities:
        for m in ent.mentions:
            out.setdefault(m.doc, []).append((m, ent.iri))
    return out


def plan_period_iri(base: str, name: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/id/planperiod/{iri_segment(name)}")


def _add_programme_fact(
    g: Graph,
    shared: Graph,
    doc: NormalizedDocument,
    f: Fact,
    named: dict[tuple[str, str], dict[str, str]],
    programmes: list[tuple[Mention, str]],
    base: str,
) -> URIRef | None:
    """A programme fact as the plain triple on the programme (shared graph) and a kgo:Fact
    reifying it in the report's graph, resting on a mention of the programme over the words.

    defines → skos:definition; has_component → kgo:hasComponent, the part's Programme entity
    when the report names one, else a skos:Concept under the programme's IRI; plan_period →
    kgo:planPeriod, a kgo:PlanPeriod with its years; covers → kgo:covers, the entity the
    report names. A subject that is no entity name (the glossary's code “三名” of the entity
    三名培育工程) stands for the programme mentioned where the fact's words begin. A fact whose
    names are no entity of the graph is left out.
    """
    key = (f.doc, canonical_name(f.subject))
    prog = named.get(key, {}).get("Programme")
    if prog is None:
        at = [(m, iri) for m, iri in programmes if f.start <= m.start and m.end <= f.end]
        first = min(at, key=lambda x: (x[0].start, -x[0].end), default=None)
        if first is not None:  # later facts of the same code (its parts) find it too
            named.setdefault(key, {})["Programme"] = first[1]
        prog = first[1] if first else None
    if prog is None:
        return None
    p = URIRef(prog)
    obj: URIRef | Literal
    if f.relation == "defines":
        pred, obj = SKOS.definition, Literal(f.object, lang="zh")
    elif f.relation == "has_component":
        pred = KGO.hasComponent
        part = named.get((f.doc, canonical_name(f.object)), {}).get("Programme")
        obj = URIRef(part or f"{prog}/component/{iri_segment(canonical_name(f.object))}")
        if part is None:
            shared.add((obj, RDF.type, SKOS.Concept))
            shared.add((obj, SKOS.prefLabel, Literal(f.object, lang="zh")))
            shared.add((obj, RDFS.label, Literal(f.object, lang="zh")))
    elif f.relation == "plan_period":
        years = plan_period_years().get(f.object)
        if years is None:
            return None
        pred, obj = KGO.planPeriod, plan_period_iri(base, f.object)
        shared.add((obj, RDF.type, KGO.PlanPeriod))
        shared.add((obj, RDFS.label, Literal(f.object, lang="zh")))
        shared.add((obj, KGO.startYear, Literal(str(years[0]), datatype=XSD.gYear)))
        shared.add((obj, KGO.endYear, Literal(str(years[1]), datatype=XSD.gYear)))
    else:
        found = named.get((f.doc, canonical_name(f.object)), {})
        target = next((found[t] for t in ("Enterprise", "Project", "Zone") if t in found), None)
        if target is None:
            return None
        pred, obj = KGO.covers, URIRef(target)
    shared.add((p, pred, obj))
    what = "definition" if f.relation == "defines" else iri_segment(canonical_name(f.object))
    node = URIRef(f"{report_iri(base, f.doc)}/{f.relation}/{f.start}-{f.end}/{what}")
    g.add((node, RDF.type, KGO.Fact))
    g.add((node, RDF.subject, p))
    g.add((node, RDF.predicate, pred))
    g.add((node, RDF.object, obj))
    mention = URIRef(f"{report_iri(base, f.doc)}/mention/{f.start}-{f.end}/{what}/{f.relation}")
    _add_span(g, doc, mention, p, f.subject, (f.start, f.end), f, base)
    g.add((node, KGO.evidence, mention))
    g.add((node, PROV.wasDerivedFrom, mention))
    g.add((node, PROV.wasAttributedTo, extractor_iri(base, f.extractor)))
    g.add((node, KGO.confidence, Literal(_decimal(f.confidence), datatype=XSD.decimal)))
    return node


def _add_report(g: Graph, shared: Graph, doc: NormalizedDocument, base: str) -> None:
    r = report_iri(base, doc.name)
    md = doc.metadata
    g.add((r, RDF.type, KGO.Report))
    g.add((r, DCTERMS.identifier, Literal(doc.name)))
    g.add((r, KGO.sha256, Literal(doc.sha256)))
    g.add((r, KGO.encoding, Literal(doc.encoding)))
    g.add((r, DCTERMS["format"], Literal(FORMAT_TYPES.get(doc.source_format, "text/plain"))))
    damaged = doc.quality.get("damaged_share", 0)
    g.add((r, KGO.damagedShare, Literal(f"{float(damaged):.5f}", datatype=XSD.decimal)))  # type: ignore[arg-type]
    if md.title:
        g.add((r, DCTERMS.title, Literal(md.title, lang="zh")))
    if md.date:
        g.add((r, DCTERMS.date, Literal(md.date, datatype=XSD.date)))
    if md.issued:
        g.add((r, DCTERMS.issued, Literal(md.issued, datatype=XSD.date)))
    if md.source_url:
        g.add((r, DCTERMS.source, URIRef(md.source_url)))
    if md.kind:
        kind = KGO.PlanReport if md.kind == PLAN_REPORT else KGO.GovernmentWorkReport
        g.add((r, KGO.reportKind, kind))
    if md.meeting:
        g.add((r, KGO.meeting, Literal(md.meeting, lang="zh")))
    if md.speaker_office:
        g.add((r, KGO.speakerOffice, Literal(md.speaker_office, lang="zh")))
    if md.year_reviewed:
        g.add((r, KGO.yearReviewed, Literal(str(md.year_reviewed), datatype=XSD.gYear)))
    if md.year_planned:
        g.add((r, KGO.yearPlanned, Literal(str(md.year_planned), datatype=XSD.gYear)))
    if md.region:
        place = region_iri(base, md.region)
        g.add((r, KGO.issuingRegion, place))
        shared.add((place, RDF.type, KGO.Place))
        shared.add((place, RDF.type, KGO.AdministrativeDivision))
        shared.add((place, RDFS.label, Literal(md.region, lang="zh")))
        shared.add((place, PROV.wasDerivedFrom, gazetteer_iri(base)))
        if md.region_code:
            shared.add((place, KGO.divisionCode, Literal(md.region_code)))
            d = admin_gazetteer().by_code.get(md.region_code)
            if d is not None and d.valid_from:
                shared.add((place, KGO.validFrom, Literal(str(d.valid_from), datatype=XSD.gYear)))
            if d is not None and d.valid_to:
                shared.add((place, KGO.validTo, Literal(str(d.valid_to), datatype=XSD.gYear)))


# Relations between entities (kg.relations: located_in, undertakes, honours, listings): which
# entity types each end may name, in order of preference when a name has several.
ENTITY_RELATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "located_in": (
        ("Zone", "Project", "Organization", "Enterprise", "Place", "Programme", "Event"),
        ("Place",),
    ),
    "undertakes": (("Enterprise",), ("Project",)),
    "honour": (("Enterprise", "Zone", "Place", "Organization", "Project"), ()),
    "listing": (("Enterprise",), ()),
}


def _entities_by_mention(entities: list[Entity]) -> dict[tuple[str, str], dict[str, str]]:
    """(report, name as written) → {entity type: IRI}: the facts name entities as their
    mentions write them, and merges may have given the entity another label. Under the
    report "" every name of a type whose IRI is not region-scoped, from any report: an
    enterprise another report names (比亚迪) is the same one when this report only writes it
    inside a project's name (深汕比亚迪二期)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for ent in entities:
        for m in ent.mentions:
            out.setdefault((m.doc, m.name), {}).setdefault(ent.type, ent.iri)
            if ent.type not in REGION_SCOPED:
                out.setdefault(("", m.name), {}).setdefault(ent.type, ent.iri)
    return out


def _entity(
    named: dict[tuple[str, str], dict[str, str]],
    doc: str,
    name: str,
    types: tuple[str, ...],
    anywhere: bool = False,
) -> URIRef | None:
    """The entity a fact names: one the report mentions, or (`anywhere`, for a subject, which
    the fact's evidence then names in this report) one another report does."""
    found = named.get((doc, name)) or (named.get(("", name), {}) if anywhere else {})
    return next((URIRef(found[t]) for t in types if t in found), None)


def board_iri(base: str, board: str) -> URIRef:
    return URIRef(f"{base.rstrip('/')}/id/board/{iri_segment(board)}")


def _add_entity_fact(
    g: Graph,
    shared: Graph,
    doc: NormalizedDocument,
    f: Fact,
    named: dict[tuple[str, str], dict[str, str]],
    known: set[str],
    asserted: set[tuple[URIRef, URIRef, URIRef]],
    base: str,
) -> URIRef | None:
    """A fact between entities, when both ends are entities of the graph (the object one this
    report names). located_in and undertakes: a reified kgo:Fact carrying the provenance
    (which report, which words, how sure), and the plain triple in the graph of the first
    report that states it (`asserted`), so that it is one triple in the union, however many
    reports state it, and each report graph still validates with what it names. honour: a
    kgo:Recognition of a kgo:Honour (a node of its own, named by the title's evidence
    mention); listing: a kgo:Listing on a kgo:Board."""
    subject_types, object_types = ENTITY_RELATIONS[f.relation]
    subject = _entity(named, f.doc, f.subject, subject_types, anywhere=True)
    if subject is None:
        return None
    node = fact_iri(base, f)
    if f.relation in ("located_in", "undertakes"):
        obj = _entity(named, f.doc, f.object, object_types)
        region = doc.metadata.region and region_iri(base, doc.metadata.region)
        if obj is None and f.object == doc.metadata.region and region and str(region) in known:
            obj = region
        if obj is None or obj == subject:
            return None
        predicate = KGO.locatedIn if f.relation == "located_in" else KGO.undertakes
        if (subject, predicate, obj) not in asserted:
            asserted.add((subject, predicate, obj))
            g.add((subject, predicate, obj))
        g.add((node, RDF.type, KGO.Fact))
        g.add((node, RDF.subject, subject))
        g.add((node, RDF.predicate, predicate))
        g.add((node, RDF.object, obj))
    elif f.year is None:
        return None
    elif f.relation == "honour":
        honour = URIRef(entity_iri(base, "Honour", f.object))
        shared.add((honour, RDF.type, KGO.Honour))
        shared.add((honour, RDFS.label, Literal(canonical_name(f.object), lang="zh")))
        g.add((node, RDF.type, KGO.Recognition))
        g.add((node, KGO.recipient, subject))
        g.add((node, KGO.honour, honour))
        g.add((node, KGO.year, Literal(str(f.year), datatype=XSD.gYear)))
        title = URIRef(f"{fact_mention_iri(base, f)}/title")
        _add_span(g, doc, title, honour, f.object, (f.start, f.end), f, base)
        g.add((node, KGO.evidence, title))
    else:
        board = board_iri(base, f.object)
        shared.add((board, RDF.type, KGO.Board))
        shared.add((board, RDFS.label, Literal(f.object, lang="zh")))
        g.add((node, RDF.type, KGO.Listing))
        g.add((node, KGO.listedEnterprise, subject))
        g.add((node, KGO.board, board))
        g.add((node, KGO.year, Literal(str(f.year), datatype=XSD.gYear)))
    _add_provenance(g, doc, node, f, subject, base)
    return node
