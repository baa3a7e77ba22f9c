"""Honours: 星宇车灯获评国家级制造业单项冠军示范企业 → (星宇车灯, honour, 国家级…示范企业, year).

A named recipient (an Enterprise, Zone, Place, Organization or Project mention, or each item of
a list of them: 薛家镇、三井街道成功创成…) stands right before a cue verb (获评, 入选, 认定为,
创成, 荣获, 被评为, 获批), and a named title follows it to the end of the clause; titles joined
by 、 are one fact each. The title is kept as written, less quotation marks, a trailing 称号 and
a count (…示范区3家). Only what the review part reports as done is an honour, in the reviewed
year (or the year the clause names): a clause that pursues one (力争, 争创, 申报) gives none,
and collective recipients (12家企业) are not named, so they give none either. Cue words and
title markers are data: kg/data/rules/honours.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.evaluate import QUOTES
from kg.gazetteer import DATA_DIR, alternation
from kg.model import Mention, NormalizedDocument
from kg.relations.common import (
    CLAUSE,
    EXTRACTOR_VERSION,
    Fact,
    fact_year,
    part_at,
    report_parts,
    sentence_spans,
    span_fact,
    with_known_names,
)

EXTRACTOR = f"{EXTRACTOR_VERSION}#honours"
_LIST_GLUE = re.compile(r"\s*[、和及与]\s*")  # a separator: 盘锦大洼区 is one name, not two
_NAME = r"[\u4e00-\u9fffA-Za-z0-9·]{2,10}"
_NAMES = rf"((?:{_NAME}、)*{_NAME}?)"
_ITEM = re.compile(r"[^、]+")
_AND = re.compile(r"[^和及与]+")
_COUNT = re.compile(r"[0-9一二两三四五六七八九十百]+\s*[家个所项户座条名款批]")
_COUNT_BEFORE = re.compile(r"[0-9一二两三四五六七八九十百]+\s*[家个所项户座条名款批]$")
_SPLIT = re.compile(r"、(?=[^”」]*(?:“|「|$))")  # 、 outside quotation marks


@dataclass(frozen=True)
class HonourRules:
    cue_re: re.Pattern[str]
    glue_re: re.Pattern[str]
    intent_re: re.Pattern[str]
    marker_re: re.Pattern[str]
    tail_re: re.Pattern[str]
    head_re: re.Pattern[str]
    weak: frozenset[str]
    title_heads: tuple[str, ...]
    unnamed_re: re.Pattern[str]
    head_names_re: re.Pattern[str]
    recipient_types: frozenset[str]


@lru_cache(maxsize=1)
def rules() -> HonourRules:
    """The cue verbs and title markers, read once from kg/data/rules/honours.json."""
    cfg = json.loads((DATA_DIR / "rules/honours.json").read_text(encoding="utf-8"))
    return HonourRules(
        cue_re=re.compile(alternation(cfg["cues"] + cfg["weak_cues"])),
        glue_re=re.compile(cfg["glue"]),
        intent_re=re.compile(alternation(cfg["intent"])),
        marker_re=re.compile(alternation(cfg["title_markers"])),
        tail_re=re.compile(cfg["tail"]),
        head_re=re.compile(cfg["head"]),
        weak=frozenset(cfg["weak_cues"]),
        title_heads=tuple(cfg["title_heads"]),
        unnamed_re=re.compile(cfg["unnamed"]),
        head_names_re=re.compile(_NAMES + cfg["glue"]),
        recipient_types=frozenset(cfg["recipient_types"]),
    )


def recipients_before(
    text: str, pos: int, inside: list[Mention], glue: re.Pattern[str]
) -> list[Mention]:
    """The mention ending right before `pos` (past `glue` words) and the earlier items of its
    list (joined by 、/和/及); names nested in a found one are skipped."""
    found: list[Mention] = []
    for m in sorted(inside, key=lambda m: (-m.norm_end, m.norm_start)):
        if m.norm_end > pos or (found and m.norm_start >= found[-1].norm_start):
            continue
        if not (_LIST_GLUE if found else glue).fullmatch(text[m.norm_end : pos]):
            break
        found.append(m)
        pos = m.norm_start
    return found[::-1]


def _clause_head(doc: NormalizedDocument, start: int, at: int, r: HonourRules) -> list[Mention]:
    """Recipients the entity stage missed: the clause before the cue, when it is nothing but
    a list of short names (旭荣针织、亚东科技获评…), none of them collective (12家企业, 我区)."""
    head = r.head_names_re.fullmatch(doc.text, start, at)
    if head is None:
        return []
    spans: list[tuple[int, int]] = []
    for item in _ITEM.finditer(doc.text, start, head.end(1)):
        # 聚盟物流园和达实久信 is two names, 聚和材料 one: split at 和 only into 2+ characters
        parts = [p.span() for p in _AND.finditer(doc.text, *item.span())]
        spans += parts if all(b - a >= 2 for a, b in parts) else [item.span()]
    if any(r.unnamed_re.search(doc.text[a:b]) for a, b in spans):
        return []
    out = []
    for s, e in spans:
        a, b = doc.raw_span(s, e)
        out.append(Mention(doc.name, "", doc.text[s:e], a, b, s, e, a, b, EXTRACTOR))
    return out


def _recipients(
    doc: NormalizedDocument, start: int, at: int, inside: list[Mention], r: HonourRules
) -> list[Mention]:
    """The named recipients before the cue at `at`: the mentions ending there, or the clause
    head's list where it names more and holds them all (三明、石狮、上杭获评: 石狮 unfound).
    A name after a count (16所高职学校) is one of many unnamed ones: no recipient."""
    who = recipients_before(doc.text, at, inside, r.glue_re)
    head = _clause_head(doc, start, at, r)
    spans = {(m.norm_start, m.norm_end) for m in head}
    if len(head) > len(who) and all((m.norm_start, m.norm_end) in spans for m in who):
        who = head
    if who and _COUNT_BEFORE.search(doc.text, max(start, who[0].norm_start - 6), who[0].norm_start):
        return []
    return [m for m in who if not _COUNT.search(m.name)]  # 精细化工2个平台: not one name


def _title(written: str, cue: str, r: HonourRules) -> str | None:
    """The title as the gold writes it, or None where the words name no distinction: no level
    word or title head (获批专项债), or after a weak cue no title head or a rank phrase with
    的 (成为中西部地区首个…的城市)."""
    title = clean_title(written, r)
    if len(title) < 4:
        return None
    if not (r.marker_re.search(written) or title.endswith(r.title_heads)):
        return None  # 福州获评国际湿地城市 is a title without a level word
    if cue in r.weak and (not title.endswith(r.title_heads) or "的" in title):
        return None
    return title


def _shared_tail(titles: list[str], r: HonourRules) -> list[str]:
    """Titles listed before one head they share (入选国家公立医院改革与高质量发展、中医药传承
    创新发展示范城市): an item ending in no title head takes the last item's tail, from its last
    level word on (示范城市)."""
    marks = list(r.marker_re.finditer(titles[-1]))
    tail = titles[-1][marks[-1].start() :] if marks else ""
    if not (2 < len(tail) <= 6 and tail.endswith(r.title_heads)):
        return titles
    return [t if t.endswith(r.title_heads) else t + tail for t in titles[:-1]] + titles[-1:]


def clean_title(title: str, r: HonourRules) -> str:
    """A title as the gold writes it: no rank before it (全市首家; 首批 before a quoted title,
    not in 首批国家级零碳园区, where it is part of the list's name), no quotation marks, no
    trailing 称号 or count."""
    title = r.head_re.sub("", title.strip())
    title = "".join(c for c in title if c not in QUOTES).strip()
    return r.tail_re.sub("", title).strip()


def extract_honours(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """The honours the report says named recipients received, in text order."""
    r = rules()
    text = doc.text
    parts = report_parts(doc)
    sents = sentence_spans(text)
    cands = with_known_names(doc, mentions, set(r.recipient_types))
    out: list[Fact] = []
    for c in CLAUSE.finditer(text):
        clause = c.group(0)
        cue = r.cue_re.search(clause)
        if cue is None or r.intent_re.search(clause[: cue.start()]):
            continue
        year = fact_year(doc, part_at(parts, c.start()), clause)
        if year is None:
            continue
        at = c.start() + cue.start()
        inside = [m for m in cands if c.start() <= m.norm_start and m.norm_end <= at]
        who = _recipients(doc, c.start(), at, inside, r)
        if not who:
            continue
        written_titles = _SPLIT.split(clause[cue.end() :])
        marked = r.marker_re.search(clause[cue.end() :]) is not None
        titles = [t for t in (_title(w, cue.group(0), r) for w in written_titles) if t]
        if cue.group(0) == "分获" and len(who) > 1:
            continue  # 中天钢铁、武进不锈钢分获A和B: who got which is not this rule's to say
        if "分别" in clause[: cue.start()] and len(who) > 1 and len(written_titles) > 1:
            if len(written_titles) != len(who) or cue.group(0) in r.weak:
                continue  # who got which is not this rule's to say
            # 长治、临汾分别入选A、B: the list's level word (全国第一批) covers every item
            paired = _shared_tail([clean_title(w, r) for w in written_titles], r)
            pairs = [(m, t) for m, t in zip(who, paired, strict=True) if marked and len(t) >= 4]
        else:
            pairs = [(m, t) for t in titles for m in who]
        for m, title in pairs:
            out.append(
                span_fact(
                    doc,
                    sents,
                    "honour",
                    m.name,
                    title,
                    (m.norm_start, c.end()),
                    EXTRACTOR,
                    0.8,
                    year,
                )
            )
    return out
