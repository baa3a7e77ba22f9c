"""Stage 6: group mentions into entities and give each a stable, readable IRI.

An IRI is built from the entity type, its canonical name and — for types whose names repeat
across regions (Programme, Organization, Zone) — the issuing region's code, never from a
counter or run order, so adding a report never renames what was already there.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from kg.model import Entity, Mention

DEFAULT_BASE_IRI = "https://w3id.org/zhgov-kg/"
REGION_SCOPED = frozenset({"Programme", "Organization", "Zone"})
_QUOTES = "“”\"'‘’「」『』《》〈〉"
_SAFE_ASCII = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")


def canonical_name(name: str) -> str:
    """NFKC, quotation marks removed, whitespace collapsed: the form names are compared in."""
    text = unicodedata.normalize("NFKC", name)
    text = "".join(c for c in text if c not in _QUOTES)
    return " ".join(text.split())


def iri_segment(text: str) -> str:
    """Percent-encode what is unsafe in an IRI path segment; keep CJK and other letters readable."""
    out: list[str] = []
    for ch in text:
        if ch in _SAFE_ASCII or (
            ord(ch) > 127 and (ch.isalnum() or unicodedata.category(ch) == "Lo")
        ):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out) or "_"


def entity_iri(base: str, etype: str, name: str, region_code: str | None = None) -> str:
    """The IRI of an entity; region-scoped types carry the issuing region's code."""
    parts = [base.rstrip("/") + "/id", etype.lower()]
    if etype in REGION_SCOPED:
        parts.append(region_code or "000000")
    parts.append(iri_segment(canonical_name(name)))
    return "/".join(parts)


def resolve_entities(
    mentions: Iterable[Mention], regions: dict[str, str | None], base: str = DEFAULT_BASE_IRI
) -> list[Entity]:
    """Group mentions by IRI. `regions` maps a document name to its issuing region code."""
    by_iri: dict[str, Entity] = {}
    grouped: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        iri = entity_iri(base, m.type, m.name, regions.get(m.doc))
        grouped[iri].append(m)
        if iri not in by_iri:
            by_iri[iri] = Entity(iri=iri, type=m.type, name=canonical_name(m.name))
    for iri, ms in grouped.items():
        ent = by_iri[iri]
        ent.mentions = sorted(ms, key=lambda m: (m.doc, m.start, m.end))
        ent.aliases = {m.name for m in ms if m.name != ent.name}
    return [by_iri[k] for k in sorted(by_iri)]
