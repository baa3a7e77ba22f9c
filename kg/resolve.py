"""Stage 6: group mentions into entities and give each a stable, readable IRI.

An IRI is built from the entity type, its canonical name and — for types whose names repeat
across regions (Programme, Organization, Zone) — the issuing region's code, never from a
counter or run order, so adding a report never renames what was already there.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class Merge:
    """An analyst's decision: mentions named `name` are the entity named `same_as`."""

    type: str
    name: str
    same_as: str
    reason: str


def read_merges(path: str | Path) -> dict[tuple[str, str], Merge]:
    """A TSV of merges (columns type, name, same_as, reason), keyed by (type, canonical name)."""
    merges: dict[tuple[str, str], Merge] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if not row.get("type") or not row.get("name") or not row.get("same_as"):
                continue
            m = Merge(
                type=row["type"].strip(),
                name=canonical_name(row["name"]),
                same_as=canonical_name(row["same_as"]),
                reason=(row.get("reason") or "").strip(),
            )
            merges[(m.type, m.name)] = m
    return merges


def retired_iris(
    mentions: Iterable[Mention],
    regions: dict[str, str | None],
    merges: dict[tuple[str, str], Merge],
    base: str = DEFAULT_BASE_IRI,
) -> list[tuple[str, str, str]]:
    """(retired IRI, surviving IRI, reason) for every name a merge folded into another."""
    out: set[tuple[str, str, str]] = set()
    for m in mentions:
        merge = merges.get((m.type, canonical_name(m.name)))
        if merge is not None:
            code = regions.get(m.doc)
            old = entity_iri(base, m.type, m.name, code)
            new = entity_iri(base, m.type, merge.same_as, code)
            if old != new:
                out.add((old, new, merge.reason or f"merged into {merge.same_as}"))
    return sorted(out)


def resolve_entities(
    mentions: Iterable[Mention],
    regions: dict[str, str | None],
    base: str = DEFAULT_BASE_IRI,
    merges: dict[tuple[str, str], Merge] | None = None,
) -> list[Entity]:
    """Group mentions by IRI. `regions` maps a document name to its issuing region code;
    `merges` folds names an analyst declared the same into their surviving name."""
    by_iri: dict[str, Entity] = {}
    grouped: dict[str, list[Mention]] = defaultdict(list)
    merges = merges or {}
    for m in mentions:
        merge = merges.get((m.type, canonical_name(m.name)))
        name = merge.same_as if merge else m.name
        iri = entity_iri(base, m.type, name, regions.get(m.doc))
        grouped[iri].append(m)
        if iri not in by_iri:
            by_iri[iri] = Entity(iri=iri, type=m.type, name=canonical_name(name))
    for iri, ms in grouped.items():
        ent = by_iri[iri]
        ent.mentions = sorted(ms, key=lambda m: (m.doc, m.start, m.end))
        ent.aliases = {m.name for m in ms if m.name != ent.name}
    return [by_iri[k] for k in sorted(by_iri)]
