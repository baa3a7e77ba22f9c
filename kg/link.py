"""Stage 6b: link entities to other open-government data.

Places that are Chinese administrative divisions down to county level get their GB/T 2260
code and the years the code is valid, from the shared gazetteer. A name is resolved in the
context of the report that mentions it: the division must exist in the report's year
(金坛市 until 2014, 金坛区 from 2015); a short form (常州, 新北) is linked only when it is a
province, or when the division lies in the province of the issuing region or of a province
named in the same sentence — otherwise (朝阳, 白银 in a 常州 report) it stays unlinked and is
listed for checking rather than guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR, Division, admin_gazetteer
from kg.model import Entity, NormalizedDocument

FULL_SUFFIXES = (
    "省",
    "市",
    "区",
    "县",
    "自治区",
    "自治州",
    "自治县",
    "旗",
    "盟",
    "镇",
    "乡",
    "街道",
)


@dataclass(frozen=True)
class DivisionLink:
    entity: str  # entity IRI
    code: str
    name: str  # the division's official name
    level: str
    valid_from: int | None
    valid_to: int | None
    method: str  # how the link was made, for the graph's provenance


@lru_cache(maxsize=1)
def _provinces() -> tuple[Division, ...]:
    """The province-level rows, found once: resolving runs for every Place mention."""
    return tuple(d for d in admin_gazetteer().by_code.values() if d.level == "province")


def _province(d: Division) -> str:
    return d.code[:2]


def _valid_in(d: Division, year: int | None) -> bool:
    if year is None:
        return d.valid_to is None
    # town rows come from one yearly snapshot: their valid_from is when the list was taken
    start = None if d.level == "town" else d.valid_from
    return (start is None or start <= year) and (d.valid_to is None or year <= d.valid_to)


def resolve_division(
    name: str, year: int | None, region_code: str | None, sentence: str
) -> tuple[Division, str] | None:
    """The division a place name denotes in this context, and why; None if not sure."""
    gaz = admin_gazetteer()
    # GB/T 2260 covers provinces, prefectures and counties; towns carry the statistics
    # bureau's nine-digit codes, which are another code list (not linked here)
    cands = [
        d
        for d in gaz.by_name.get(name, [])
        if (d.name == name or d.short_name == name) and d.level != "town"
    ]
    cands = [d for d in cands if _valid_in(d, year)] or (
        [d for d in cands if d.valid_to is None] if year is None else []
    )
    if not cands:
        return None
    full = any(d.name == name for d in cands)
    home = region_code[:2] if region_code else None
    named_provinces = {
        d.code[:2]
        for d in _provinces()
        if d.name in sentence or (d.short_name and d.short_name in sentence)
    }
    if not full:
        provinces = [d for d in cands if d.level == "province"]
        if provinces:
            cands, why = provinces, "short name of a province"
        else:
            local = [d for d in cands if _province(d) == home] if home else []
            named = [d for d in cands if _province(d) in named_provinces]
            cands, why = (
                (local, "short name in the issuing region's province")
                if local
                else (named, "short name in a province named in the sentence")
            )
    else:
        local = [d for d in cands if home and _province(d) == home]
        cands, why = (
            (local, "full name in the issuing region's province")
            if (local and len(cands) > 1)
            else (cands, "full name")
        )
    if len(cands) == 1:
        return cands[0], why
    levels = {"province": 0, "prefecture": 1, "county": 2, "town": 3}
    cands.sort(key=lambda d: (levels.get(d.level, 9), d.code))
    if len(cands) > 1 and levels.get(cands[0].level) != levels.get(cands[1].level):
        return cands[0], why + "; the higher level of same-named divisions"
    return None


def link_divisions(entities: list[Entity], docs: list[NormalizedDocument]) -> list[DivisionLink]:
    """A GB/T 2260 link for every Place entity whose mentions resolve to one division."""
    by_doc = {d.name: d for d in docs}
    links = []
    for e in entities:
        if e.type != "Place":
            continue
        votes: Counter[tuple[str, str]] = Counter()
        found: dict[str, Division] = {}
        for m in e.mentions:
            doc = by_doc.get(m.doc)
            if doc is None:
                continue
            sentence = doc.raw[m.sentence_start : m.sentence_end]
            r = resolve_division(
                e.name, doc.metadata.year_planned, doc.metadata.region_code, sentence
            )
            if r is not None:
                votes[(r[0].code, r[1])] += 1
                found[r[0].code] = r[0]
        if not votes:
            continue
        (code, why), _ = votes.most_common(1)[0]
        if len({c for c, _ in votes}) > 1:
            continue  # the reports disagree: leave it for a person to check
        d = found[code]
        links.append(DivisionLink(e.iri, d.code, d.name, d.level, d.valid_from, d.valid_to, why))
    return sorted(links, key=lambda x: x.entity)


WIKIDATA_TYPES = ("Place", "Enterprise")
NOT_VERIFIED = "no Wikidata ID can be verified offline: left unlinked, to check by hand"


def to_verify(entities: list[Entity], links: list[DivisionLink]) -> list[list[str]]:
    """Rows (iri, type, name, target, hint, reason) for every entity a Wikidata link would
    suit — linked administrative divisions and enterprises — that carries none.

    No Wikidata dump ships with the tool, and an identifier recalled from memory would be
    invented, so every such entity is listed here instead of linked.
    """
    codes = {link.entity: link for link in links}
    rows = []
    for e in sorted(entities, key=lambda x: (x.type, x.name)):
        if e.type not in WIKIDATA_TYPES or (e.type == "Place" and e.iri not in codes):
            continue
        hint = f"GB/T 2260 {codes[e.iri].code} {codes[e.iri].name}" if e.iri in codes else ""
        rows.append([e.iri, e.type, e.name, "Wikidata", hint, NOT_VERIFIED])
    return rows


@dataclass(frozen=True)
class ListingLink:
    entity: str
    exchange: str
    board: str
    doc: str
    clause: str  # the words that establish it


@lru_cache(maxsize=1)
def boards() -> dict[str, tuple[str, str]]:
    """Board aliases → (exchange, board), from kg/data/rules/boards.tsv."""
    out = {}
    for line in (DATA_DIR / "rules" / "boards.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            alias, exchange, board = [*line.split("\t"), "", ""][:3]
            out[alias] = (exchange, board)
    return out


_LISTED = re.compile("上市|登陆|挂牌")
_NOT_YET = re.compile("获批|申报|辅导|推动|支持|力争|培育|后备|计划|拟")
_CLAUSE = re.compile("[^。！？；，,\n]+")


def listing_links(entities: list[Entity], docs: list[NormalizedDocument]) -> list[ListingLink]:
    """Enterprises the report says were listed on a named board: 聚和材料、特瑞斯分别在科创板和
    北交所挂牌上市 → 聚和材料 科创板, 特瑞斯 北交所. Plans and approvals are not listings."""
    aliases = boards()
    alias_re = re.compile("|".join(sorted(map(re.escape, aliases), key=len, reverse=True)))
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    for e in entities:
        if e.type == "Enterprise":
            for m in e.mentions:
                by_doc.setdefault(m.doc, []).append((m.norm_start, m.norm_end, e.iri))
    links = []
    for doc in docs:
        mentions = sorted(by_doc.get(doc.name, []))
        if not mentions:
            continue
        for clause in _CLAUSE.finditer(doc.text):
            text = clause.group(0)
            found = [aliases[b.group(0)] for b in alias_re.finditer(text)]
            if not found or not _LISTED.search(text) or _NOT_YET.search(text):
                continue
            ents = [iri for a, b, iri in mentions if clause.start() <= a and b <= clause.end()]
            if not ents:
                continue
            if "分别" in text and len(ents) == len(found):
                pairs = list(zip(ents, found, strict=True))
            elif len({f for f in found}) == 1:
                pairs = [(iri, found[0]) for iri in ents]
            else:
                continue  # several boards, no way to tell which is whose
            for iri, (exchange, board) in pairs:
                links.append(ListingLink(iri, exchange, board, doc.name, text.strip()))
    return sorted(set(links), key=lambda x: (x.entity, x.doc, x.board))


# What `kg link --report` counts as a link to each target dataset (SPARQL patterns on ?e).
LINK_TARGETS = {
    "GB/T 2260": "?e kgo:divisionCode ?x",
    "Wikidata": "?e owl:sameAs|skos:exactMatch ?x "
    'FILTER(STRSTARTS(STR(?x), "http://www.wikidata.org/entity/"))',
    "stock exchange": "?e kgo:exchange|kgo:ticker ?x",
}


def coverage(
    store: object, top: int
) -> tuple[list[tuple[str, int, list[int]]], dict[str, list[tuple[str, int]]]]:
    """Per entity type: (type, entities, links per target), and its most-mentioned entities
    with no link at all, from the built store."""
    from kg.store import run

    def count(query: str) -> int:
        return int(next(iter(run(store, query)))["n"].value)  # type: ignore[arg-type, index]

    typed = "SELECT DISTINCT ?t WHERE { ?e a ?t ; kgo:mentionCount ?c } ORDER BY ?t"
    types = [sol["t"].value.rsplit("#", 1)[-1] for sol in run(store, typed)]  # type: ignore[arg-type]
    linked = "?e kgo:divisionCode|owl:sameAs|skos:exactMatch|kgo:exchange ?x"
    rows = []
    unlinked: dict[str, list[tuple[str, int]]] = {}
    for t in types:
        total = count(f"SELECT (COUNT(?e) AS ?n) WHERE {{ ?e a kgo:{t} ; kgo:mentionCount ?c }}")
        per_target = [
            count(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a kgo:{t} . {p} }}")
            for p in LINK_TARGETS.values()
        ]
        rows.append((t, total, per_target))
        q = (
            f"SELECT ?name ?c WHERE {{ ?e a kgo:{t} ; rdfs:label ?name ; kgo:mentionCount ?c "
            f"FILTER NOT EXISTS {{ {linked} }} }} ORDER BY DESC(?c) ?name LIMIT {int(top)}"
        )
        names = [(sol["name"].value, int(sol["c"].value)) for sol in run(store, q)]  # type: ignore[arg-type]
        if names:
            unlinked[t] = names
    return rows, unlinked
