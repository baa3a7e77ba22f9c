"""What the pages show, worked out once per build from the pipeline's dataclasses.

Pages are written for thousands of entities, so everything a page needs — its slug, its
relations in both directions, the entities it shares sentences with, the reports and years it
appears in — is indexed here in one pass, and the page writers only look things up.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from kg.link import DivisionLink, ListingLink
from kg.model import Entity, GlossaryEntry, NormalizedDocument
from kg.rdf import report_iri
from kg.relations import Fact
from kg.resolve import DEFAULT_BASE_IRI, canonical_name

MENTIONED_IN = "mentionedIn"  # a derived relation: entity → report, from the mentions
CO_OCCURS = "coOccurs"  # a derived relation: two entities named in the same sentence
SLUG_NAME_CHARS = 24


@dataclass(frozen=True)
class Relation:
    """A link between two nodes of the graph (entities or reports), as the RDF states it."""

    subject: str
    predicate: str
    object: str


@dataclass(frozen=True)
class Link:
    """One end of a relation seen from a node: the other node, how, and which way."""

    predicate: str
    other: str  # IRI of the node at the other end
    outgoing: bool
    count: int = 1


@dataclass
class ViewData:
    """Everything the views are made from (plain data from the pipeline's stages)."""

    docs: list[NormalizedDocument]
    entities: list[Entity]
    relations: list[Relation] = field(default_factory=list)
    division_links: list[DivisionLink] = field(default_factory=list)
    listings: list[ListingLink] = field(default_factory=list)
    base: str = DEFAULT_BASE_IRI
    facts: list[Fact] = field(default_factory=list)  # observations and milestones

    @cached_property
    def report_iris(self) -> dict[str, str]:
        """Document name → the report's IRI in the graph."""
        return {d.name: str(report_iri(self.base, d.name)) for d in self.docs}

    @cached_property
    def by_iri(self) -> dict[str, Entity]:
        return {e.iri: e for e in self.entities}

    @cached_property
    def docs_by_name(self) -> dict[str, NormalizedDocument]:
        return {d.name: d for d in self.docs}

    @cached_property
    def doc_by_iri(self) -> dict[str, NormalizedDocument]:
        by_name = self.docs_by_name
        return {iri: by_name[name] for name, iri in self.report_iris.items() if name in by_name}

    @cached_property
    def entities_by_doc(self) -> dict[str, list[Entity]]:
        """The entities each report names, each once, in IRI order."""
        out: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities:
            for doc in sorted({m.doc for m in e.mentions}):
                out[doc].append(e)
        return out

    @cached_property
    def links(self) -> dict[str, list[Link]]:
        """Every node's relations, outgoing and incoming, in a stable order."""
        out: dict[str, list[Link]] = defaultdict(list)
        for r in sorted(set(self.relations), key=lambda r: (r.subject, r.predicate, r.object)):
            out[r.subject].append(Link(r.predicate, r.object, True))
            out[r.object].append(Link(r.predicate, r.subject, False))
        return out

    @cached_property
    def co_occurring(self) -> dict[str, Counter[str]]:
        """For each entity, the entities named in the same sentences, with how often."""
        sentences: dict[tuple[str, int, int], set[str]] = defaultdict(set)
        for e in self.entities:
            for m in e.mentions:
                sentences[(m.doc, m.sentence_start, m.sentence_end)].add(e.iri)
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for iris in sentences.values():
            if len(iris) < 2:
                continue
            for a in iris:
                c = out[a]
                for b in iris:
                    if b != a:
                        c[b] += 1
        return out

    @cached_property
    def division(self) -> dict[str, DivisionLink]:
        return {link.entity: link for link in self.division_links}

    @cached_property
    def listing(self) -> dict[str, list[ListingLink]]:
        out: dict[str, list[ListingLink]] = defaultdict(list)
        for link in self.listings:
            out[link.entity].append(link)
        return out

    @cached_property
    def entity_slugs(self) -> dict[str, str]:
        return {e.iri: entity_slug(e) for e in self.entities}

    @cached_property
    def doc_slugs(self) -> dict[str, str]:
        return {d.name: doc_slug(d.name) for d in self.docs}

    @cached_property
    def _paths(self) -> dict[str, str]:
        """Every node's page, relative to the output directory, percent-encoded once."""
        paths = {iri: f"entity/{quote(slug)}.html" for iri, slug in self.entity_slugs.items()}
        for iri, doc in self.doc_by_iri.items():
            paths[iri] = f"report/{quote(self.doc_slugs[doc.name])}.html"
        return paths

    def href(self, iri: str, root: str) -> str | None:
        """Relative address of a node's page from a page `root` levels deep ('' or '../')."""
        path = self._paths.get(iri)
        return root + path if path is not None else None

    def label(self, iri: str) -> str:
        if iri in self.by_iri:
            return self.by_iri[iri].name
        doc = self.doc_by_iri.get(iri)
        return report_title(doc) if doc is not None else iri

    def node_type(self, iri: str) -> str:
        if iri in self.by_iri:
            return self.by_iri[iri].type
        return "Report" if iri in self.doc_by_iri else ""

    def glossary_for(self, e: Entity) -> list[tuple[NormalizedDocument, GlossaryEntry]]:
        """Definitions of the entity from the glossaries (名词解释) of the reports naming it."""
        names = {e.name, *(canonical_name(a) for a in e.aliases)}
        out = []
        for name in sorted({m.doc for m in e.mentions}):
            doc = self.docs_by_name[name]
            out += [(doc, g) for g in doc.glossary if canonical_name(g.term) in names]
        return out


def _readable(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())[:SLUG_NAME_CHARS]


def entity_slug(e: Entity) -> str:
    """File name of an entity's page: its type and name for people, a digest of its IRI for
    uniqueness (two names differing only in punctuation, or in case on a case-insensitive
    disk, still get two files). Only letters and digits, so any file system takes it."""
    digest = hashlib.sha1(e.iri.encode("utf-8")).hexdigest()[:10]
    name = _readable(e.name)
    return f"{e.type.lower()}-{name}-{digest}" if name else f"{e.type.lower()}-{digest}"


def doc_slug(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    readable = _readable(stem)
    return f"{readable}-{digest}" if readable else digest


def report_title(doc: NormalizedDocument) -> str:
    return doc.metadata.title or doc.name


def report_year(doc: NormalizedDocument) -> int | None:
    """The year a report is for: the year it plans, else the year it was delivered."""
    md = doc.metadata
    if md.year_planned:
        return md.year_planned
    if md.date and md.date[:4].isdigit():
        return int(md.date[:4])
    return None


def relations_from_graph(graph: Graph, nodes: Iterable[str]) -> list[Relation]:
    """Every triple of `graph` that links two of `nodes` (entities, reports), whatever the
    property: relation kinds added to the graph later show up in the views unchanged."""
    return relations_from_triples(graph.triples((None, None, None)), nodes)


def relations_from_triples(
    triples: Iterable[tuple[Node, Node, Node]], nodes: Iterable[str]
) -> list[Relation]:
    """relations_from_graph over any triples (the build passes every named graph's)."""
    known = set(nodes)
    out = set()
    for s, p, o in triples:
        if p == RDF.type or not isinstance(o, URIRef):
            continue
        if str(s) in known and str(o) in known and s != o:
            out.add(Relation(str(s), str(p), str(o)))
    return sorted(out, key=lambda r: (r.subject, r.predicate, r.object))


@lru_cache(maxsize=1)
def _ontology_labels() -> dict[str, dict[str, str]]:
    from kg.ontology import ontology_graph

    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for s, o in ontology_graph().subject_objects(RDFS.label):
        if isinstance(o, Literal):
            labels[str(s)][o.language or ""] = str(o)
    return labels


DERIVED_LABELS = {
    MENTIONED_IN: {"zh": "提及于", "en": "mentioned in"},
    CO_OCCURS: {"zh": "同句出现", "en": "in the same sentence"},
}


def predicate_label(predicate: str, lang: str) -> str:
    """The ontology's label of a property in `lang`, else its local name."""
    labels = DERIVED_LABELS.get(predicate) or _ontology_labels().get(predicate, {})
    if lang in labels:
        return labels[lang]
    return predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
