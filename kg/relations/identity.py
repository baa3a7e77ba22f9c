"""Names that denote one thing: 省产研院 = 江苏省产业技术研究院, 星宇车灯 = 星宇股份,
常泰过江通道 = 常泰长江大桥 = 常泰大桥, 精网微格 = 精网微格工程.

`same_as` compares two names of one type and says, with a reason and a confidence, which
name survives; `candidate_pairs` runs it over a pool of names (one report for `kg extract
--relations`, the whole build for entity resolution). Rules and thresholds are data
(kg/data/rules/same_as.json); a proposal below `accept` is kept as a rejected candidate, so
an analyst sees what was not merged as well as what was.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR
from kg.model import Mention, NormalizedDocument
from kg.relations.common import EXTRACTOR_VERSION, Fact, quote_span, sentence_spans
from kg.resolve import canonical_name

EXTRACTOR = f"{EXTRACTOR_VERSION}#same_as"


@dataclass(frozen=True)
class SameAs:
    """`name` and `same_as` are one thing of `type`; `same_as` is the name that survives."""

    type: str
    name: str
    same_as: str
    reason: str
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
    variant_types: frozenset[str]
    variant_min_stem: int
    variant_groups: tuple[tuple[str, ...], ...]
    variant_confidence: float
    programme_types: frozenset[str]
    programme_heads: frozenset[str]
    programme_confidence: float
    accept: float


@lru_cache(maxsize=1)
def rules() -> Rules:
    """kg/data/rules/same_as.json, with the programme heads of kg/data/rules/programme.json."""
    d = json.loads((DATA_DIR / "rules/same_as.json").read_text(encoding="utf-8"))
    heads = json.loads((DATA_DIR / "rules/programme.json").read_text(encoding="utf-8"))["heads"]
    ab, br, va, pr = d["abbreviation"], d["brand"], d["variant_heads"], d["programme_full_form"]
    return Rules(
        abbr_types=frozenset(ab["types"]),
        abbr_min_len=ab["min_len"],
        abbr_min_gaps=ab["min_gaps"],
        abbr_max_ratio=ab["max_ratio"],
        abbr_confidence=ab["confidence"],
        brand_types=frozenset(br["types"]),
        brand_min_stem=br["min_stem"],
        brand_max_extra=br["brand_max_extra"],
        brand_suffixes=tuple(br["suffixes"]),
        brand_confidence=br["confidence"],
        variant_types=frozenset(va["types"]),
        variant_min_stem=va["min_stem"],
        variant_groups=tuple(tuple(sorted(g, key=len, reverse=True)) for g in va["groups"]),
        variant_confidence=va["confidence"],
        programme_types=frozenset(pr["types"]),
        programme_heads=frozenset(heads),
        programme_confidence=pr["confidence"],
        accept=d["accept"],
    )


def accept_threshold() -> float:
    """Proposals at or above this confidence are merged; the others are kept as rejected."""
    return rules().accept


def same_as(etype: str, a: str, b: str) -> SameAs | None:
    """Whether names `a` and `b` of type `etype` name one thing, by the first rule that says so."""
    a, b = canonical_name(a), canonical_name(b)
    if a == b:
        return None
    r = rules()
    for rule in (_abbreviation, _brand, _variant, _programme_full_form):
        found = rule(r, etype, a, b) or rule(r, etype, b, a)
        if found is not None:
            return found
    return None


def _abbreviation(r: Rules, etype: str, short: str, full: str) -> SameAs | None:
    """`short` keeps `full`'s last character and skips at least two inner stretches of it."""
    if etype not in r.abbr_types or len(short) < r.abbr_min_len or short in full:
        return None
    if len(short) > r.abbr_max_ratio * len(full) or short[-1] != full[-1]:
        return None
    gaps = _inner_gaps(short, full)
    if gaps is None or gaps < r.abbr_min_gaps:
        return None
    reason = f"abbreviation: {short} keeps characters of {full} in order, {gaps} stretches out"
    return SameAs(etype, short, full, reason, r.abbr_confidence)


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


def _brand(r: Rules, etype: str, company: str, brand: str) -> SameAs | None:
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
    return SameAs(etype, brand, company, reason, r.brand_confidence)


def _variant(r: Rules, etype: str, a: str, b: str) -> SameAs | None:
    """One stem with interchangeable heads (常泰过江通道 / 常泰长江大桥); the longer survives."""
    if etype not in r.variant_types:
        return None
    for group in r.variant_groups:
        ha = next((h for h in group if a.endswith(h)), None)
        hb = next((h for h in group if b.endswith(h)), None)
        if ha is None or hb is None or ha == hb:
            continue
        stem = a[: -len(ha)]
        if stem == b[: -len(hb)] and len(stem) >= r.variant_min_stem:
            survivor, name = sorted((a, b), key=lambda n: (-len(n), n))
            reason = f"variant names: {a} and {b} share the stem {stem}, {ha} and {hb} are one kind"
            return SameAs(etype, name, survivor, reason, r.variant_confidence)
    return None


def _programme_full_form(r: Rules, etype: str, code: str, full: str) -> SameAs | None:
    """A programme's code and its full form, the code + one programme head (精网微格工程)."""
    if etype not in r.programme_types or len(code) < 2 or not full.startswith(code):
        return None
    extra = full[len(code) :]
    if extra not in r.programme_heads:
        return None
    reason = f"programme full form: {full} is the code {code} with the head {extra}"
    return SameAs(etype, full, code, reason, r.programme_confidence)


def candidate_pairs(names: Iterable[tuple[str, str]]) -> list[SameAs]:
    """Every proposal among (type, name) pairs, each unordered pair once, sorted.

    Pairs are compared within a type only, after a cheap filter (a shared first or last
    character), so a corpus of thousands of names takes well under a second.
    """
    by_type: dict[str, set[str]] = defaultdict(set)
    for etype, name in names:
        by_type[etype].add(canonical_name(name))
    out: list[SameAs] = []
    for etype, pool in sorted(by_type.items()):
        keyed: dict[str, set[str]] = defaultdict(set)
        for n in pool:
            keyed[n[:1]].add(n)
            keyed[n[-1:]].add(n)
        seen: set[tuple[str, str]] = set()
        for group in keyed.values():
            ordered = sorted(group)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    if (a, b) in seen:
                        continue
                    seen.add((a, b))
                    found = same_as(etype, a, b)
                    if found is not None:
                        out.append(found)
    return sorted(out, key=lambda s: (s.type, s.name, s.same_as))


def extract_same_as(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """same_as facts between two names written in one report, at or above the threshold.

    The fact rests on the later-written name's first mention (the span and wording), read
    after the earlier one; `reason` says which rule matched.
    """
    first: dict[tuple[str, str], Mention] = {}
    for m in sorted(mentions, key=lambda m: m.norm_start):
        first.setdefault((m.type, canonical_name(m.name)), m)
    sents = sentence_spans(doc.text)
    out: list[Fact] = []
    for s in candidate_pairs(first):
        if s.confidence < rules().accept:
            continue
        later = max(first[(s.type, s.name)], first[(s.type, s.same_as)], key=lambda m: m.start)
        s_start, s_end = next(
            ((x, y) for x, y in sents if x <= later.norm_start < y),
            (later.norm_start, later.norm_end),
        )
        q_start, q_end, quote = quote_span(doc, s_start, s_end)
        out.append(
            Fact(
                doc=doc.name,
                relation="same_as",
                subject=s.name,
                object=s.same_as,
                start=later.start,
                end=later.end,
                sentence_start=q_start,
                sentence_end=q_end,
                quote=quote,
                extractor=EXTRACTOR,
                confidence=s.confidence,
                wording=doc.raw[later.start : later.end],
                reason=s.reason,
            )
        )
    return out
