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
from dataclasses import dataclass, replace
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


ACCEPTED = "accepted"
REJECTED = "rejected"


@dataclass(frozen=True)
class Merge:
    """A decision that mentions named `name` are the entity named `same_as`: an analyst's
    (a row of the --merges file) or a rule's proposal, accepted or rejected."""

    type: str
    name: str
    same_as: str
    reason: str
    decision: str = ACCEPTED
    confidence: float | None = None
    decided_by: str = "analyst"


MERGE_COLUMNS = ("type", "name", "same_as", "reason", "decision", "confidence", "decided_by")
_YES = {"", "accepted", "accept", "yes", "y", "true", "1"}
_NO = {"rejected", "reject", "no", "n", "false", "0"}


def read_merge_file(path: str | Path) -> list[Merge]:
    """Every row of a merges TSV (columns type, name, same_as, reason, and optionally
    decision: accepted or rejected, empty meaning accepted, so files without the column
    keep their meaning). A file written by `kg build` (merges.tsv) can be edited and read
    back: its other columns are ignored, every row becomes the analyst's decision."""
    rows: list[Merge] = []
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if not row.get("type") or not row.get("name") or not row.get("same_as"):
                continue
            decision = (row.get("decision") or "").strip().lower()
            if decision not in _YES | _NO:
                raise ValueError(f"{path}: decision {decision!r} is neither accepted nor rejected")
            rows.append(
                Merge(
                    type=row["type"].strip(),
                    name=canonical_name(row["name"]),
                    same_as=canonical_name(row["same_as"]),
                    reason=(row.get("reason") or "").strip(),
                    decision=ACCEPTED if decision in _YES else REJECTED,
                )
            )
    return rows


def read_merges(path: str | Path) -> dict[tuple[str, str], Merge]:
    """The accepted merges of a TSV, keyed by (type, canonical name)."""
    return accepted_merges(read_merge_file(path))


def accepted_merges(rows: Iterable[Merge]) -> dict[tuple[str, str], Merge]:
    """The accepted rows keyed by (type, name), each chain followed to its last name
    (A → B, B → C gives A → C), so a name is folded once into the survivor."""
    direct = {(m.type, m.name): m for m in rows if m.decision == ACCEPTED}
    out: dict[tuple[str, str], Merge] = {}
    for key, m in direct.items():
        end, seen = m, {m.name}
        while (m.type, end.same_as) in direct and end.same_as not in seen:
            seen.add(end.same_as)
            end = direct[(m.type, end.same_as)]
        if end.same_as != m.name:
            out[key] = replace(m, same_as=end.same_as)
    return out


def propose_merges(mentions: Iterable[Mention], regions: dict[str, str | None]) -> list[Merge]:
    """The rules' proposals over every name of the build (kg.relations.identity), accepted at
    or above the threshold of kg/data/rules/same_as.json. Names of region-scoped types are
    compared within one region only (省产研院 is another institute in another province); a
    name proposed into two different survivors keeps the surer proposal, the other is
    rejected as a conflict."""
    from kg.relations.identity import accept_threshold, candidate_pairs

    pools: dict[str | None, set[tuple[str, str]]] = defaultdict(set)
    for m in mentions:
        scope = regions.get(m.doc) if m.type in REGION_SCOPED else None
        pools[scope].add((m.type, m.name))
    found: dict[tuple[str, str, str], Merge] = {}
    for scope in sorted(pools, key=str):
        for s in candidate_pairs(pools[scope]):
            if not s.merge:
                continue  # places: tied by their division code, not folded
            ok = s.confidence >= accept_threshold()
            found[(s.type, s.name, s.same_as)] = Merge(
                s.type, s.name, s.same_as, s.reason, ACCEPTED if ok else REJECTED,
                s.confidence, "rule",
            )  # fmt: skip
    options: dict[tuple[str, str], list[Merge]] = defaultdict(list)
    for m in found.values():
        if m.decision == ACCEPTED:
            options[(m.type, m.name)].append(m)
    out: list[Merge] = []
    for m in found.values():
        rivals = [o for o in options.get((m.type, m.name), []) if o is not m]
        if m.decision == ACCEPTED and rivals:
            m = _settle(m, rivals, options)
        out.append(m)
    return sorted(out, key=lambda m: (m.type, m.name, m.same_as))


def _settle(m: Merge, rivals: list[Merge], options: dict[tuple[str, str], list[Merge]]) -> Merge:
    """A name proposed into two survivors: fine when one survivor is merged into the other
    (常泰大桥 → 常泰长江大桥 → 常泰过江通道), else the surer proposal wins and a tie rejects both
    (省产研院 beside two 产业技术研究院 of one province: which is meant is unknown)."""
    for r in rivals:
        if any(o.same_as == r.same_as for o in options.get((m.type, m.same_as), [])):
            return replace(m, decision=REJECTED, reason=f"{m.reason}; redundant: {m.same_as} "
                           f"is itself proposed as {r.same_as}")  # fmt: skip
        if any(o.same_as == m.same_as for o in options.get((m.type, r.same_as), [])):
            return m
    top = max(r.confidence or 0 for r in rivals)
    if (m.confidence or 0) > top:
        return m
    other = ", ".join(sorted(r.same_as for r in rivals))
    why = "ambiguous" if (m.confidence or 0) == top else "conflict"
    return replace(m, decision=REJECTED, reason=f"{m.reason}; {why}: also proposed as {other}")


def decide_merges(proposals: Iterable[Merge], analyst: Iterable[Merge]) -> list[Merge]:
    """Every merge decision of a build, for review: the rules' proposals, each overridden by
    the analyst's row for the same pair of names (in either order), and the analyst's rows
    that no rule proposed."""
    said = {(m.type, frozenset((m.name, m.same_as))): m for m in analyst}
    out: list[Merge] = []
    for p in proposals:
        a = said.pop((p.type, frozenset((p.name, p.same_as))), None)
        out.append(p if a is None else replace(a, confidence=p.confidence,
                                               reason=a.reason or p.reason))  # fmt: skip
    out += said.values()
    return sorted(out, key=lambda m: (m.type, m.name, m.same_as))


def write_merges(path: Path, rows: Iterable[Merge]) -> None:
    """The review file (outputs/merges.tsv): one row per decision, columns MERGE_COLUMNS.
    An analyst edits the decision column and passes the file back with --merges."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t", lineterminator="\n")
        w.writerow(MERGE_COLUMNS)
        for m in rows:
            conf = "" if m.confidence is None else f"{m.confidence:g}"
            w.writerow([m.type, m.name, m.same_as, m.reason, m.decision, conf, m.decided_by])


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
                why = merge.reason or f"merged into {merge.same_as}"
                if merge.confidence is not None:
                    why += f" (rule confidence {merge.confidence:g}, {merge.decided_by})"
                out.add((old, new, why))
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
