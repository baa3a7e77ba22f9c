"""Listings: 聚和材料、特瑞斯分别在科创板和北交所挂牌上市 → (聚和材料, listing, 科创板, year), ….

A clause that names a board (kg/data/rules/boards.tsv: 科创板, 创业板, 北交所, 新三板; 上交所,
深交所 and 港交所 are their main boards, 主板) and says an enterprise was listed (上市, 挂牌, 过会)
gives each Enterprise mention of the clause that board; with 分别 and as many boards as
enterprises, they pair in order; several boards otherwise are ambiguous and give none. Only
the review part reports listings (the reviewed year, or the year the clause names); plans and
preparations (力争, 推动, 后备, 辅导) give none. Cue words: kg/data/rules/listings.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR, alternation
from kg.link import boards
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

EXTRACTOR = f"{EXTRACTOR_VERSION}#listings"
_SUBJECT = re.compile(
    r"\s*((?:[\u4e00-\u9fff]{2,8}?、)*[\u4e00-\u9fff]{2,8}?)(?:分别|先后|成功)*(?:在|于|登陆)"
)
_ITEM = re.compile(r"[^、]+")


@dataclass(frozen=True)
class ListingRules:
    board_re: re.Pattern[str]
    board_of: dict[str, str]  # alias → board (科创板, 主板, …)
    verb_re: re.Pattern[str]
    intent_re: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> ListingRules:
    """Board aliases with a board, and the cue words, read once from kg/data/rules/."""
    cfg = json.loads((DATA_DIR / "rules/listings.json").read_text(encoding="utf-8"))
    board_of = {alias: board for alias, (_, board) in boards().items() if board}
    return ListingRules(
        board_re=re.compile(alternation(list(board_of))),
        board_of=board_of,
        verb_re=re.compile(alternation(cfg["verbs"])),
        intent_re=re.compile(alternation(cfg["intent"])),
    )


def _boards_in(r: ListingRules, clause: str) -> list[tuple[str, int, int]]:
    """Boards named in the clause, in order; an exchange followed by its board (上交所科创板)
    counts once, as the board."""
    found: list[tuple[str, int, int]] = []
    for b in r.board_re.finditer(clause):
        board = r.board_of[b.group(0)]
        if found and found[-1][0] == "主板" and found[-1][2] == b.start() and board != "主板":
            found.pop()
        found.append((board, b.start(), b.end()))
    return found


def _listed_names(doc: NormalizedDocument, start: int, board_at: int) -> list[Mention]:
    """Names the entity stage missed, from the subject of a listing clause: the items of
    `X、Y(分别)在…` before the board, each a short name without digits."""
    head = _SUBJECT.match(doc.text, start, board_at)
    if head is None:
        return []
    out: list[Mention] = []
    for item in _ITEM.finditer(doc.text, head.start(1), head.end(1)):
        a, b = item.span()
        raw_a, raw_b = doc.raw_span(a, b)
        out.append(
            Mention(
                doc.name, "Enterprise", item.group(0), raw_a, raw_b, a, b, raw_a, raw_b, EXTRACTOR
            )
        )
    return out


def _nested(m: Mention, others: list[Mention]) -> bool:
    return any(
        o is not m and o.norm_start <= m.norm_start and m.norm_end <= o.norm_end for o in others
    )


def extract_listings(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """The listings the report says named enterprises achieved, in text order."""
    r = rules()
    text = doc.text
    parts = report_parts(doc)
    sents = sentence_spans(text)
    firms = with_known_names(doc, mentions, {"Enterprise"})
    out: list[Fact] = []
    for c in CLAUSE.finditer(text):
        clause = c.group(0)
        verb = r.verb_re.search(clause)
        if verb is None or r.intent_re.search(clause):
            continue
        found = _boards_in(r, clause)
        if not found:
            continue
        year = fact_year(doc, part_at(parts, c.start()), clause)
        end = c.start() + max(verb.end(), found[-1][2])
        named = [m for m in firms if c.start() <= m.norm_start and m.norm_end <= end]
        named = [m for m in named if not _nested(m, named)]
        if not named or ("分别" in clause and len(named) != len(found)):
            named = _listed_names(doc, c.start(), c.start() + found[0][1]) or named
        if year is None or not named:
            continue
        if "分别" in clause and len(found) == len(named):
            pairs = list(zip(named, [b for b, _, _ in found], strict=True))
        elif len({b for b, _, _ in found}) == 1:
            pairs = [(m, found[0][0]) for m in named]
        else:
            continue  # several boards, no way to tell which is whose
        for m, board in pairs:
            out.append(
                span_fact(
                    doc, sents, "listing", m.name, board, (m.norm_start, end), EXTRACTOR, 0.85, year
                )
            )
    return out
