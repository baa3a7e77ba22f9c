"""Where things are: 孟河镇 → 新北区 (the gazetteer), 新北区孟河镇的…园 → 孟河镇 (the sentence),
and a city's or district's zones and projects → the issuing region (the report's default).

Three rules, as tests/gold/README.md states them for `located_in`:
(a) a Place mention that resolves in the shipped GB/T 2260 gazetteer (kg/data/admin; towns
    and streets from the NBS tables) to a division, and the nearest ancestor division that the
    report names or that issued the report: 孟河镇 → 新北区, not → 常州市; a division is
    written by its official name where the report has it anywhere (常州市), else as written
    (常州); a village or community after its town's name (罗溪镇窑丼村) is in that town;
(b) a Zone, Project, Organization or Enterprise whose place the clause states: the Place right
    before it (新北区孟河镇的…), 在 + Place + a building verb before it (在西藏建设…), or the
    entity, 落户/位于 and the Place. A place inside the entity's own name is not a statement;
(c) in a city, district or county report, every Zone and Project that (b) places nowhere, and
    every Place that is a site (太湖东路, 红梅公园), is in the issuing region — unless its name
    holds a division outside that region (苏州工业园区 in a 常州 report).
Cue words are data: kg/data/rules/located_in.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR, Division, admin_gazetteer, alternation, read_list
from kg.model import Mention, NormalizedDocument
from kg.relations.common import (
    CLAUSE,
    EXTRACTOR_VERSION,
    Fact,
    sentence_at,
    sentence_spans,
    span_fact,
)

EXTRACTOR = f"{EXTRACTOR_VERSION}#located_in"
_LEVELS = {"province": 0, "prefecture": 1, "county": 2, "town": 3}


@dataclass(frozen=True)
class PlaceRules:
    place_then_entity: re.Pattern[str]
    at_place: re.Pattern[str]
    entity_then_place: re.Pattern[str]
    subject_types: frozenset[str]
    default_types: frozenset[str]
    default_levels: frozenset[str]
    village_tails: tuple[str, ...]
    default_place_tails: tuple[str, ...]


@lru_cache(maxsize=1)
def rules() -> PlaceRules:
    """The cue words, read once from kg/data/rules/located_in.json."""
    cfg = json.loads((DATA_DIR / "rules/located_in.json").read_text(encoding="utf-8"))
    return PlaceRules(
        place_then_entity=re.compile(rf"(?:{alternation(cfg['place_then_entity'])})?"),
        at_place=re.compile(rf"(?:{alternation(cfg['at_place_verbs'])})"),
        entity_then_place=re.compile(rf"(?:{alternation(cfg['entity_then_place'])})"),
        subject_types=frozenset(cfg["subject_types"]),
        default_types=frozenset(cfg["default_types"]),
        default_levels=frozenset(cfg["default_levels"]),
        village_tails=tuple(cfg["village_tails"]),
        default_place_tails=tuple(cfg["default_place_tails"]),
    )


@lru_cache(maxsize=1)
def _division_names() -> re.Pattern[str]:
    """Every current division name of county level and above, full or short (2+ characters),
    to spot a division written inside an entity's name."""
    names = {
        n
        for d in admin_gazetteer().by_code.values()
        if d.level in ("province", "prefecture", "county") and d.valid_to is None
        for n in (d.name, d.short_name)
        if len(n) >= 2
    }
    return re.compile(alternation(sorted(names)))


@lru_cache(maxsize=1)
def _features() -> frozenset[str]:
    """Natural features and broad regions (kg/data/rules), whose names some divisions share."""
    return frozenset(read_list("rules/natural_features.txt") + read_list("rules/broad_regions.txt"))


@lru_cache(maxsize=1)
def _towns_by_short() -> dict[str, list[Division]]:
    """Towns and streets by short name (孟河 → 孟河镇), which the shared index leaves out
    because they repeat across the country."""
    out: dict[str, list[Division]] = {}
    for d in admin_gazetteer().by_code.values():
        if d.level == "town" and len(d.short_name) >= 2:
            out.setdefault(d.short_name, []).append(d)
    return out


def resolve_place(name: str, region: Division | None, year: int | None) -> Division | None:
    """The division a Place name denotes in a report of `region`: a full name, or a short
    one (not of a town), valid in the report's year; among namesakes the one under the issuing
    region, else in its prefecture, else in its province, else a province; elsewhere only a
    full name (黄浦区; 朝阳 could be one of several). A town's short name (孟河) only counts
    inside the issuing region, and not in a province's report."""
    gaz = admin_gazetteer()
    if name in _features():
        return None  # 天山, 巢湖: the mountains and the lake, not 天山区 or 巢湖市
    cands = [
        d
        for d in gaz.by_name.get(name, [])
        if (d.name == name or (d.short_name == name and d.level != "town"))
        and (d.valid_to is None or (year is not None and d.valid_to >= year))
        and (d.valid_from is None or d.level == "town" or year is None or d.valid_from <= year)
    ]
    if not cands and region is not None and region.level != "province":
        # a town by its short name (薛家 for 薛家镇), only inside a city's or county's report:
        # in a province's, short town names are too often mountains and walls (六盘山, 长城)
        cands = [d for d in _towns_by_short().get(name, []) if region in gaz.ancestors(d)]
    if not cands:
        return None
    if region is None:
        return cands[0] if len(cands) == 1 and cands[0].level != "town" else None
    under = {a.code for d in cands for a in gaz.ancestors(d) if a.code == region.code}
    tiers = [
        [d for d in cands if region.code in under and region in gaz.ancestors(d)],
        [d for d in cands if d.code[:4] == region.code[:4] and d.level != "province"],
        [d for d in cands if d.code[:2] == region.code[:2]],
        [d for d in cands if d.level == "province"],
        [d for d in cands if d.level != "town" and d.name == name],  # 黄浦区, not 朝阳
    ]
    for tier in tiers:
        if len(tier) == 1:
            return tier[0]
        if len(tier) > 1:
            tier.sort(key=lambda d: (_LEVELS.get(d.level, 9), d.code))
            if _LEVELS.get(tier[0].level) != _LEVELS.get(tier[1].level):
                return tier[0]
            return None
    return None


def extract_located_in(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """Every (entity, place) pair of the report, the first evidence of each kept."""
    sents = sentence_spans(doc.text)
    out: dict[tuple[str, str], Fact] = {}
    for f in _hierarchy(doc, mentions, sents) + _stated(doc, mentions, sents):
        out.setdefault((f.subject, f.object), f)
    placed = {s for s, _ in out}
    for f in _default(doc, mentions, sents, placed):
        out.setdefault((f.subject, f.object), f)
    return sorted(out.values(), key=lambda f: (f.start, f.end, f.object))


def _hierarchy(
    doc: NormalizedDocument, mentions: list[Mention], sents: list[tuple[int, int]]
) -> list[Fact]:
    """Rule (a): each named division under its nearest named (or issuing) ancestor."""
    gaz = admin_gazetteer()
    md = doc.metadata
    region = gaz.by_code.get(md.region_code or "")
    year = md.year_reviewed or md.year_planned
    places = sorted((m for m in mentions if m.type == "Place"), key=lambda m: m.norm_start)
    written: dict[str, list[Mention]] = {}  # division code → its mentions
    division: dict[str, Division] = {}
    for name in dict.fromkeys(m.name for m in places):
        d = resolve_place(name, region, year)
        if d is not None:
            division[d.code] = d
            written.setdefault(d.code, []).extend(m for m in places if m.name == name)

    def label(code: str) -> str:
        # the official name where the report writes it anywhere (常州市 over 常州), else the
        # longest form it writes, else (the issuing region) the region's name
        d = gaz.by_code.get(code)
        if d is not None and d.name in doc.text:
            return d.name
        if code in written:
            return max((m.name for m in written[code]), key=len)
        return md.region or ""

    out: list[Fact] = []
    # a village or community written after its town's name (罗溪镇窑丼村, 奔牛镇中街社区)
    heads = {m.name: code for code, ms in written.items() for m in ms if len(m.name) >= 2}
    for m in places:
        head = next((h for h in heads if m.name.startswith(h) and len(m.name) > len(h) + 1), None)
        # a path of divisions (常州市天宁区) is not a village
        path = any(h.end() == len(m.name) for h in _division_names().finditer(m.name, 2))
        village = m.name.endswith(rules().village_tails)
        if head is not None and m.name not in heads and not path and village:
            out.append(
                span_fact(
                    doc,
                    sents,
                    "located_in",
                    m.name,
                    label(heads[head]),
                    (m.norm_start, m.norm_end),
                    EXTRACTOR,
                    0.8,
                )
            )
    for code, d in division.items():
        parent = next(
            (
                a
                for a in gaz.ancestors(d)
                if a.code in written or (region and a.code == region.code)
            ),
            None,
        )
        if parent is None or not label(parent.code):
            continue
        subject, obj = label(code), label(parent.code)
        own = [m for m in written[code] if m.name == subject] or written[code]
        # evidence: a mention whose sentence also names the parent, else the first
        parent_names = {m.name for m in written.get(parent.code, [])} | {obj}
        m = next(
            (
                m
                for m in own
                if any(
                    p in doc.text[slice(*sentence_at(sents, m.norm_start))] for p in parent_names
                )
            ),
            own[0],
        )
        out.append(
            span_fact(
                doc, sents, "located_in", subject, obj, (m.norm_start, m.norm_end), EXTRACTOR, 0.9
            )
        )
    return out


def _stated(
    doc: NormalizedDocument, mentions: list[Mention], sents: list[tuple[int, int]]
) -> list[Fact]:
    """Rule (b): a Place the clause writes as the entity's locator."""
    r = rules()
    text = doc.text
    region = admin_gazetteer().by_code.get(doc.metadata.region_code or "")
    year = doc.metadata.year_reviewed or doc.metadata.year_planned
    ordered = sorted(mentions, key=lambda m: m.norm_start)
    out: list[Fact] = []
    for c in CLAUSE.finditer(text):
        inside = [m for m in ordered if c.start() <= m.norm_start and m.norm_end <= c.end()]
        places = [m for m in inside if m.type == "Place"]
        things = [m for m in inside if m.type in r.subject_types]
        for e in things:
            for p in places:
                if p.norm_end <= e.norm_start:
                    between = text[p.norm_end : e.norm_start]
                    lead = text[c.start() : p.norm_start]
                    ok = bool(r.place_then_entity.fullmatch(between)) or (
                        lead.endswith("在") and bool(r.at_place.fullmatch(between))
                    )
                    if ok and not between:  # 新北区孟河镇…园: only a district or town, not 苏南
                        d = resolve_place(p.name, region, year)
                        ok = d is not None and d.level in ("county", "town")
                    span = (p.norm_start, e.norm_end)
                elif e.norm_end <= p.norm_start:
                    ok = bool(r.entity_then_place.fullmatch(text[e.norm_end : p.norm_start]))
                    span = (e.norm_start, p.norm_end)
                else:
                    continue
                if ok and p.name not in e.name:
                    f = span_fact(doc, sents, "located_in", e.name, p.name, span, EXTRACTOR, 0.75)
                    out.append(f)
    return out


def _outside(name: str, region: Division, home: set[str], year: int | None) -> bool:
    """Whether a division name inside an entity's name puts it outside the issuing region:
    one that resolves elsewhere, or a city or province that does not resolve here (深圳);
    an unresolved county short name (太湖 in 太湖东路) says nothing."""
    gaz = admin_gazetteer()
    d = resolve_place(name, region, year)
    if d is None:
        return any(c.level in ("province", "prefecture") for c in gaz.by_name.get(name, []))
    return not (d.code in home or region in gaz.ancestors(d))


def _default(
    doc: NormalizedDocument,
    mentions: list[Mention],
    sents: list[tuple[int, int]],
    placed: set[str],
) -> list[Fact]:
    """Rule (c): a city's or district's zones and projects, placed nowhere else, are its own."""
    r = rules()
    md = doc.metadata
    gaz = admin_gazetteer()
    region = gaz.by_code.get(md.region_code or "")
    if region is None or not md.region or md.region_level not in r.default_levels:
        return []
    home = {region.code} | {a.code for a in gaz.ancestors(region)}
    out: list[Fact] = []
    seen: set[str] = set()
    for m in sorted(mentions, key=lambda m: m.norm_start):
        site = m.type == "Place" and m.name.endswith(r.default_place_tails)
        if (m.type not in r.default_types and not site) or m.name in placed or m.name in seen:
            continue
        seen.add(m.name)
        if any(_outside(hit.group(0), region, home, md.year_reviewed)
               for hit in _division_names().finditer(m.name)):  # fmt: skip
            continue
        out.append(
            span_fact(
                doc,
                sents,
                "located_in",
                m.name,
                md.region,
                (m.norm_start, m.norm_end),
                EXTRACTOR,
                0.6,
            )
        )
    return out
