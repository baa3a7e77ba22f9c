"""Stage 5: relations between entities and values, each fact with its provenance.

`observations` reads indicator values (地区生产总值增长5.5%左右) and `milestones` the stages
projects reach (比亚迪二期建成投产); `located_in`, `undertakes`, `honours` and `listings` tie
entities to places, projects, titles and boards. Each takes a normalised document (most also
its entity mentions) and gives `Fact`s with raw offsets, the quoted sentence and the extractor.
"""

from __future__ import annotations

from kg.model import Mention, NormalizedDocument
from kg.relations.common import Fact
from kg.relations.honours import extract_honours
from kg.relations.identity import extract_same_as
from kg.relations.listings import extract_listings
from kg.relations.located_in import extract_located_in
from kg.relations.milestones import extract_milestones
from kg.relations.observations import extract_observations
from kg.relations.programmes import extract_programme_facts
from kg.relations.undertakes import extract_undertakes

__all__ = [
    "Fact",
    "entity_facts",
    "extract_honours",
    "extract_listings",
    "extract_located_in",
    "extract_milestones",
    "extract_observations",
    "extract_programme_facts",
    "extract_relations",
    "extract_same_as",
    "extract_undertakes",
]


def entity_facts(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """Facts between entities: located_in, undertakes, honours and listings."""
    return (
        extract_located_in(doc, mentions)
        + extract_undertakes(doc, mentions)
        + extract_honours(doc, mentions)
        + extract_listings(doc, mentions)
    )


def extract_relations(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """Every fact of one document, ordered by where it stands in the raw text."""
    facts = extract_observations(doc) + extract_milestones(doc, mentions)
    facts += extract_programme_facts(doc, mentions) + extract_same_as(doc, mentions)
    facts += entity_facts(doc, mentions)
    return sorted(facts, key=lambda f: (f.start, f.end, f.relation, f.subject, f.object))
