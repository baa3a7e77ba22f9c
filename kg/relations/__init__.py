"""Stage 5: relations between entities and values, each fact with its provenance.

`observations` reads indicator values (地区生产总值增长5.5%左右) and `milestones` the stages
projects reach (比亚迪二期建成投产); both take a normalised document (milestones also its
entity mentions) and give `Fact`s with raw offsets, the quoted sentence and the extractor.
"""

from __future__ import annotations

from kg.model import Mention, NormalizedDocument
from kg.relations.common import Fact
from kg.relations.identity import extract_same_as
from kg.relations.milestones import extract_milestones
from kg.relations.observations import extract_observations
from kg.relations.programmes import extract_programme_facts

__all__ = [
    "Fact",
    "extract_milestones",
    "extract_observations",
    "extract_programme_facts",
    "extract_relations",
    "extract_same_as",
]


def extract_relations(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """Every fact of one document, ordered by where it stands in the raw text."""
    facts = extract_observations(doc) + extract_milestones(doc, mentions)
    facts += extract_programme_facts(doc, mentions) + extract_same_as(doc, mentions)
    return sorted(facts, key=lambda f: (f.start, f.end, f.relation, f.subject, f.object))
