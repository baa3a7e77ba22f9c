"""Names that denote one thing: 省产研院 = 江苏省产业技术研究院, 星宇车灯 = 星宇股份,
常泰过江通道 = 常泰长江大桥 = 常泰大桥, 常州市人民政府 = 市人民政府 = 市政府, 常州 = 常州市.

`same_as` compares two names of one type and says, with a reason and a confidence, which
name survives; `candidate_pairs` runs it over a pool of names (one report for `kg extract
--relations`, one region or the whole build for entity resolution). `extract_same_as` adds
what only the text shows (新龙湖国际金融广场（星耀CITY）) and reports every pair of names a
report uses for one thing. Rules and thresholds are data (kg/data/rules/same_as.json); a
proposal below `accept` is kept as a rejected candidate, so an analyst sees what was not
merged as well as what was.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from kg.gazetteer import DATA_DIR
from kg.model import Mention, NormalizedDocument
from kg.relations.common import EXTRACTOR_VERSION, Fact, quote_span, sentence_spans
from kg.resolve import canonical_name

EXTRACTOR = f"{EXTRACTOR_VERSION}#same_as"


@dataclass(frozen=True)
class SameAs:
    """`name` and `same_as` are one thing of `type`; `same_as` is the name that survives.
    `merge` is False for a pair the build reports but does not fold (places)."""

    type: str
    name: str
    same_as: str
    reason: str
    confidence: float
    merge: bool = True


@dataclass(frozen=True)
class Variant:
    types: frozenset[str]
    heads: tuple[str, ...]  # longest first
    min_stem: int
    confidence: float


@dataclass(frozen=True)
class Rules:
    abbr_types: frozenset[str]
    abbr_min_len: int
    abbr_min_gaps: int
    abbr_max_ratio: float
    abbr_confidence: float
    brand_types: frozenset[str]
    brand_min_stem: int
    brand_max_extra: int
    brand_suffixes: tuple[str, ...]
    brand_confidence: float
    variants: tuple[Variant, ...]
    suffix_types: frozenset[str]
    suffix_min_stem: int
    place_suffixes: tuple[str, ...]
    suffix_confidence: float
    prefix_types: frozenset[str]
    prefix_min_rest: int
    prefix_levels: tuple[str, ...]
    prefix_leads: tuple[str, ...]
    prefix_level_min_rest: int
    prefix_confidence: float
    broad_regions: frozenset[str]
    dropped_types: frozenset[str]
    dropped_words: tuple[str, ...]
    dropped_min_rest: int
    dropped_confidence: float
    programme_types: frozenset[str]
    programme_heads: frozenset[str]
    programme_confidence: float
    paren_types: frozenset[str]
    paren_confidence: float
    paren_lead: re.Pattern[str]
    no_merge_types: frozenset[str]
    accept: float


@lru_cache(maxsize=1)
def rules() -> Rules:
    """kg/data/rules/same_as.json, with the programme heads of programme.json and the broad
    regions of broad_regions.txt."""
    d = json.loads((DATA_DIR / "rules/same_as.json").read_text(encoding="utf-8"))
    heads = json.loads((DATA_DIR / "rules/programme.json").read_text(encoding="utf-8"))["heads"]
    broad = (DATA_DIR / "rules/broad_regions.txt").read_text(encoding="utf-8").splitlines()
    ab, br, su, pre = d["abbreviation"], d["brand"], d["place_suffix"], d["region_prefix"]
    lead = "|".join(map(re.escape, d["parenthesis"]["lead"]))
    return Rules(
        abbr_types=frozenset(ab["types"]),
        abbr_min_len=ab["min_len"],
        abbr_min_gaps=ab["min_gaps"],
        abbr_max_ratio=ab["max_ratio"],
        abbr_confidence=ab["confidence"],
        brand_types=frozenset(br["types"]),
        brand_min_stem=br["min_stem"],
        brand_max_extra=br["max_extra"],
        brand_suffixes=tuple(br["suffixes"]),
        brand_confidence=br["confidence"],
        variants=tuple(
            Variant(
                frozenset(v["types"]),
                tuple(sorted(v["heads"], key=len, reverse=True)),
                v["min_stem"],
                v["confidence"],
            )
            for v in d["variant_heads"]
        ),
        suffix_types=frozenset(su["types"]),
        suffix_min_stem=su["min_stem"],
        place_suffixes=tuple(sorted(su["suffixes"], key=len, reverse=True)),
        suffix_confidence=su["confidence"],
        prefix_types=frozenset(pre["types"]),
        prefix_min_rest=pre["min_rest"],
        prefix_levels=tuple(pre["levels"]),
        prefix_leads=tuple(pre["leads"]),
        prefix_level_min_rest=pre["level_min_rest"],
        prefix_confidence=pre["confidence"],
        broad_regions=frozenset(x.strip() for x in broad if x.strip() and not x.startswith("#")),
        dropped_types=frozenset(d["dropped_word"]["types"]),
        dropped_words=tuple(sorted(d["dropped_word"]["words"], key=len, reverse=True)),
        dropped_min_rest=d["dropped_word"]["min_rest"],
        dropped_confidence=d["dropped_word"]["confidence"],
        programme_types=frozenset(d["programme_full_form"]["types"]),
        programme_heads=frozenset(heads),
        programme_confidence=d["programme_full_form"]["confidence"],
        paren_types=frozenset(d["parenthesis"]["types"]),
        paren_confidence=d["parenthesis"]["confidence"],
        paren_lead=re.compile(rf"^(?:{lead})?"),
        no_merge_types=frozenset(d["no_merge_types"]),
        accept=d["accept"],
    )


def accept_threshold() -> float:
    """Proposals at or above this confidence are taken; the others are kept as rejected."""
    return rules().accept


def same_as(etype: str, a: str, b: str, places: frozenset[str] = frozenset()) -> SameAs | None:
    """Whether names `a` and `b` of type `etype` name one thing, by the first rule that says
    so; `places` are the place names known beside them (for 常州市新北区 / 新北区)."""
    a, b = canonical_name(a), canonical_name(b)
    if a == b:
        return None
    r = rules()
    rules_in_order = (
        _abbreviation, _brand, _variant, _place_suffix, _region_prefix, _dropped_word, _programme
    )  # fmt: skip
    for rule in rules_in_order:
        found = rule(r, etype, a, b, places) or rule(r, etype, b, a, places)
        if found is not None:
            return found
    return None


def _pair(r: Rules, etype: str, name: str, survivor: str, reason: str, conf: float) -> SameAs:
    return SameAs(etype, name, survivor, reason, conf, etype not in r.no_merge_types)


def _abbreviation(
    r: Rules, etype: str, short: str, full: str, places: frozenset[str]
) -> SameAs | None:
    """`short` keeps `full`'s last character and skips at least two inner stretches of it."""
    if etype not in r.abbr_types or len(short) < r.abbr_min_len or short in full:
        return None
    if len(short) > r.abbr_max_ratio * len(full) or short[-1] != full[-1]:
        return None
    gaps = _inner_gaps(short, full)
    if gaps is None or gaps < r.abbr_min_gaps:
        return None
    reason = f"abbreviation: {short} keeps characters of {full} in order, {gaps} stretches out"
    return _pair(r, etype, short, full, reason, r.abbr_confidence)


def _inner_gaps(short: str, full: str) -> int | None:
    """The fewest stretches of `full` a match of `short` as a subsequence must skip between
    kept characters (公立医院 in 县办公立中医医院: one, 公立|医院); None when it is none."""
    inf = len(full) + 1
    prev = [0 if c == short[0] else inf for c in full]
    for ch in short[1:]:
        cur = [inf] * len(full)
        for j, c in enumerate(full):
            if c != ch:
                continue
            cur[j] = min((prev[k] + (k != j - 1) for k in range(j) if prev[k] < inf), default=inf)
        prev = cur
    best = min(prev, default=inf)
    return None if best >= inf else best


def _brand(r: Rules, etype: str, company: str, brand: str, places: frozenset[str]) -> SameAs | None:
    """星宇股份 (stem + corporate suffix) and 星宇车灯 (the stem + a short word, or the stem)."""
    if etype not in r.brand_types:
        return None
    suffix = next((s for s in r.brand_suffixes if company.endswith(s)), None)
    if suffix is None:
        return None
    stem = company[: -len(suffix)]
    if len(stem) < r.brand_min_stem or not brand.startswith(stem):
        return None
    extra = brand[len(stem) :]
    if len(extra) > r.brand_max_extra or any(brand.endswith(s) for s in r.brand_suffixes):
        return None
    reason = f"brand and company: {brand} and {company} share the stem {stem}"
    return _pair(r, etype, brand, company, reason, r.brand_confidence)


def _variant(r: Rules, etype: str, a: str, b: str, places: frozenset[str]) -> SameAs | None:
    """One stem with interchangeable heads (常泰过江通道 / 常泰长江大桥); the longer survives."""
    for v in r.variants:
        if etype not in v.types:
            continue
        ha = next((h for h in v.heads if a.endswith(h)), None)
        hb = next((h for h in v.heads if b.endswith(h)), None)
        if ha is None or hb is None or ha == hb:
            continue
        stem = a[: -len(ha)]
        if stem == b[: -len(hb)] and len(stem) >= v.min_stem:
            survivor, name = sorted((a, b), key=lambda n: (-len(n), n))
            reason = f"variant names: {a} and {b} share the stem {stem}, {ha} and {hb} are one kind"
            return _pair(r, etype, name, survivor, reason, v.confidence)
    return None


def _place_suffix(
    r: Rules, etype: str, full: str, short: str, places: frozenset[str]
) -> SameAs | None:
    """A place with and without its level: 常州市 / 常州, 武进区 / 武进."""
    if etype not in r.suffix_types or not full.startswith(short):
        return None
    level = full[len(short) :]
    if level not in r.place_suffixes or len(short) < r.suffix_min_stem:
        return None
    reason = f"place name without its level: {short} is {full}"
    return _pair(r, etype, short, full, reason, r.suffix_confidence)


def _region_prefix(
    r: Rules, etype: str, full: str, short: str, places: frozenset[str]
) -> SameAs | None:
    """A name after the place that locates it: 常州市新北区 / 新北区, 常州市人民政府 /
    市人民政府 (常州 + 市), 中共常州市委 / 市委, 长三角碳纤维…创新中心 / 碳纤维…创新中心."""
    if etype in r.suffix_types:
        least = r.suffix_min_stem
    elif short[:1] in r.prefix_levels:
        least = r.prefix_level_min_rest  # the region's own body: 市委, 省政府
    else:
        least = r.prefix_min_rest
    if etype not in r.prefix_types or len(short) < least:
        return None
    lead = next((x for x in r.prefix_leads if etype != "Place" and full.startswith(x)), "")
    core = full[len(lead) :]
    if etype == "Place" and not full.endswith(short) and full[-1] in r.prefix_levels:
        core = full[:-1]  # 常州市天宁区 / 天宁: the place and its level after the prefix
    if not core.endswith(short) or core == short:
        return None
    prefix = core[: -len(short)]
    known = places | r.broad_regions
    if not (
        prefix in known
        or (prefix[-1] in r.prefix_levels and prefix[:-1] in known)
        or (short[0] in r.prefix_levels and prefix + short[0] in known)
        or any(prefix + level in known for level in r.prefix_levels)
    ):
        return None
    reason = f"name after its place: {full} is {short} of {prefix}"
    if etype == "Place":  # the division's own name stays (the issuing regions are named so)
        return _pair(r, etype, full, short, reason, r.prefix_confidence)
    return _pair(r, etype, short, full, reason, r.prefix_confidence)


def _dropped_word(
    r: Rules, etype: str, full: str, short: str, places: frozenset[str]
) -> SameAs | None:
    """A name with and without a rank word inside it: 巴彦淖尔国家农高区 / 巴彦淖尔农高区."""
    if etype not in r.dropped_types or len(short) < r.dropped_min_rest:
        return None
    for word in r.dropped_words:
        at = full.find(word)
        if at > 0 and full[:at] + full[at + len(word) :] == short:
            reason = f"name without its rank word: {full} is {short} with {word}"
            return _pair(r, etype, short, full, reason, r.dropped_confidence)
    return None


def _programme(r: Rules, etype: str, code: str, full: str, places: frozenset[str]) -> SameAs | None:
    """A programme's code and its full form, the code + one programme head (精网微格工程)."""
    if etype not in r.programme_types or len(code) < 2 or not full.startswith(code):
        return None
    extra = full[len(code) :]
    if extra not in r.programme_heads:
        return None
    reason = f"programme full form: {full} is the code {code} with the head {extra}"
    return _pair(r, etype, full, code, reason, r.programme_confidence)


def candidate_pairs(names: Iterable[tuple[str, str]]) -> list[SameAs]:
    """Every proposal among (type, name) pairs, each unordered pair once, sorted.

    Pairs are compared within a type only, after a cheap filter (a shared first or last
    character), so a corpus of thousands of names takes well under a second.
    """
    by_type: dict[str, set[str]] = defaultdict(set)
    for etype, name in names:
        by_type[etype].add(canonical_name(name))
    places = frozenset(by_type.get("Place", ()))
    out: list[SameAs] = []
    for etype, pool in sorted(by_type.items()):
        keyed: dict[str, set[str]] = defaultdict(set)
        for n in pool:
            keyed[n[:1]].add(n)
            keyed[n[-1:]].add(n)
        seen: set[tuple[str, str]] = set()
        for group in keyed.values():
            for a, b in combinations(sorted(group), 2):
                if (a, b) in seen:
                    continue
                seen.add((a, b))
                found = same_as(etype, a, b, places)
                if found is not None:
                    out.append(found)
    return sorted(out, key=lambda s: (s.type, s.name, s.same_as))


def parenthesis_pairs(doc: NormalizedDocument, mentions: list[Mention]) -> list[SameAs]:
    """A name and another of the same type filling the brackets right after it:
    新龙湖国际金融广场（星耀CITY）, 苏南国家自主创新示范区（以下简称自创区）."""
    r = rules()
    text = doc.text
    by_start: dict[int, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_start[m.norm_start].append(m)
    out: list[SameAs] = []
    for m in mentions:
        if m.type not in r.paren_types or text[m.norm_end : m.norm_end + 1] not in "（(":
            continue
        close = text.find("）" if text[m.norm_end] == "（" else ")", m.norm_end)
        if close < 0:
            continue
        inner = text[m.norm_end + 1 : close]
        lead = r.paren_lead.match(inner)
        at = m.norm_end + 1 + (lead.end() if lead else 0)
        for other in by_start.get(at, []):
            if other.type == m.type and other.norm_end == close and other.name != m.name:
                reason = f"alias in brackets: {m.name}（{text[m.norm_end + 1 : close]}）"
                out.append(_pair(r, m.type, other.name, m.name, reason, r.paren_confidence))
    return out


def extract_same_as(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """same_as facts between names written in one report for one thing, at or above the
    threshold: every pair of a group the rules join (常州市人民政府, 市人民政府 and 市政府 give
    three facts).

    The fact rests on the later-written name's first mention (the span and wording), read
    after the earlier one; `reason` says which rules joined them.
    """
    first: dict[tuple[str, str], Mention] = {}
    for m in sorted(mentions, key=lambda m: m.norm_start):
        first.setdefault((m.type, canonical_name(m.name)), m)
    found = [*candidate_pairs(first), *parenthesis_pairs(doc, mentions)]
    links: dict[tuple[str, str], list[SameAs]] = defaultdict(list)
    for s in found:
        if s.confidence >= rules().accept:
            links[(s.type, canonical_name(s.name))].append(s)
            links[(s.type, canonical_name(s.same_as))].append(s)
    sents = sentence_spans(doc.text)
    out: list[Fact] = []
    for group in _groups(links):
        for (etype, a), (_, b) in combinations(sorted(group), 2):
            if (etype, a) not in first or (etype, b) not in first:
                continue
            said = {s.reason for s in links[(etype, a)] + links[(etype, b)] if
                    {canonical_name(s.name), canonical_name(s.same_as)} & {a, b}}  # fmt: skip
            conf = min(s.confidence for k in ((etype, a), (etype, b)) for s in links[k])
            later = max(first[(etype, a)], first[(etype, b)], key=lambda m: m.start)
            earlier = b if later is first[(etype, a)] else a
            s_start, s_end = next(
                ((x, y) for x, y in sents if x <= later.norm_start < y),
                (later.norm_start, later.norm_end),
            )
            q_start, q_end, quote = quote_span(doc, s_start, s_end)
            out.append(
                Fact(
                    doc=doc.name,
                    relation="same_as",
                    subject=canonical_name(later.name),
                    object=earlier,
                    start=later.start,
                    end=later.end,
                    sentence_start=q_start,
                    sentence_end=q_end,
                    quote=quote,
                    extractor=EXTRACTOR,
                    confidence=conf,
                    wording=doc.raw[later.start : later.end],
                    reason="; ".join(sorted(said)),
                )
            )
    return out


def _groups(links: dict[tuple[str, str], list[SameAs]]) -> list[set[tuple[str, str]]]:
    """The names the accepted pairs join, as connected groups (a name in one group only)."""
    seen: set[tuple[str, str]] = set()
    out: list[set[tuple[str, str]]] = []
    for start in sorted(links):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            key = todo.pop()
            if key in group:
                continue
            group.add(key)
            for s in links[key]:
                todo += [(s.type, canonical_name(s.name)), (s.type, canonical_name(s.same_as))]
        seen |= group
        out.append(group)
    return out
