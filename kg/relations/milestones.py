"""Project milestones: 比亚迪二期建成投产 → (比亚迪二期, milestone, 投产, year, achieved).

A milestone phrase (kg/data/rules/milestones.tsv) in the same clause as a Project mention from
the entity stage, after it (领航大厦顺利封顶; 溧高、常宜高速建成通车 — every item of the list)
or leading the clause before it (开工建设常泰铁路、盐泰锡常宜铁路). In the review part it is
achieved in the reviewed year; in the plan part, or with an intent word (确保, 力争, 加快),
planned for the planned year; a year the clause names (2023年建成通车) overrides either.
Plan-period sections (“十五五”时期) give no year and are skipped.
A 、-list closed by 等…项目 names projects even where the entity stage missed or typed an item
otherwise (新龙实验学校、文体中心（一期）等项目竣工交付), and stages joined by 、
(当年开工、当年封顶) each give a fact. List words are data: kg/data/rules/milestone_lists.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR, alternation, read_stage_phrases
from kg.model import Mention, NormalizedDocument
from kg.relations.common import (
    CLAUSE,
    EXTRACTOR_VERSION,
    Fact,
    part_at,
    quote_span,
    report_parts,
    sentence_spans,
)

EXTRACTOR = f"{EXTRACTOR_VERSION}#milestones"
_INTENT = re.compile(r"确保|力争|争取|计划|推动|推进|加快|启动|谋划|前期")
_MAX_BETWEEN = 12  # characters between the project and its phrase: 等重点项目, 年内
_LIST_GLUE = re.compile(r"[、和及与\s]*")
_JOINED = re.compile(r"、[^、]{0,3}")  # between two stages of one project: 、当年
_MAX_JOINED = 4
_YEAR = re.compile(r"(20\d{2})\s*年(?!度|均|以来|来|前)")


@dataclass(frozen=True)
class Phrases:
    after: dict[str, str]  # phrase → stage
    before: dict[str, str]
    after_re: re.Pattern[str]
    before_re: re.Pattern[str]
    lead_re: re.Pattern[str]
    tail_re: re.Pattern[str]
    list_re: re.Pattern[str]
    head_items_re: re.Pattern[str]
    led_list_re: re.Pattern[str]
    weak_before: frozenset[str]
    weak_rest_re: re.Pattern[str]
    unnamed_re: re.Pattern[str]


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The milestone stages and their phrases, read once from kg/data/rules/milestones.tsv."""
    after, before = read_stage_phrases("rules/milestones.tsv")
    lists = json.loads((DATA_DIR / "rules/milestone_lists.json").read_text(encoding="utf-8"))
    item = lists["item"]
    return Phrases(
        after,
        before,
        re.compile(alternation(list(after))),
        re.compile(rf"^(?:{alternation(list(before))})"),
        re.compile(rf"^(?:{alternation(lists['lead'])})"),
        re.compile(lists["list_tail"]),
        re.compile(rf"((?:{item}、)*{item})(?={lists['list_tail']})"),
        re.compile(rf"(?:{item}、)+$"),
        re.compile(
            rf"\s*(?:{alternation(lists['lead'])})*({alternation(list(before))})((?:{item}、)*{item}?)"
            r"(?:等[^，,。；;]*|(?:项目)?建设)?"
        ),
        frozenset(lists["weak_before"]),
        re.compile(lists["weak_rest"]),
        re.compile(lists["unnamed"]),
    )


def _project_lists(
    ph: Phrases, text: str, start: int, end: int, mentions: list[Mention]
) -> list[tuple[int, int]]:
    """The clause's 、-lists of projects: one closed by 等…项目, one whose last item is a
    Project mention right before a milestone phrase (盛天传动、界达零部件项目竣工即投产), or one
    led by a milestone phrase to the clause end that holds a Project mention."""
    spans = [f.span(1) for f in ph.list_re.finditer(text, start, end)]
    for m in mentions:
        if m.type != "Project" or not ph.after_re.match(text, m.norm_end, end):
            continue
        head = ph.head_items_re.search(text, start, m.norm_start)
        if head is not None:
            spans.append((head.start(), m.norm_end))
    led = ph.led_list_re.fullmatch(text, start, end)  # 启动青洋路高架北延、大明路北延改造
    if (
        led is not None
        and led.group(1) not in ph.weak_before
        and any(m.type == "Project" and led.start(2) <= m.norm_start for m in mentions)
    ):
        spans.append(led.span(2))
    return spans


def _listed_projects(
    doc: NormalizedDocument, ph: Phrases, start: int, end: int, mentions: list[Mention]
) -> list[Mention]:
    """The clause's mentions, with each item of a list of projects made a Project: the
    sentence says they are projects, whatever the entity stage found there."""
    text = doc.text
    items: list[tuple[int, int]] = []
    for list_start, list_end in _project_lists(ph, text, start, end, mentions):
        pos = list_start
        for name in text[list_start:list_end].split("、"):
            a, b = pos, pos + len(name)
            pos = b + 1
            # 实现创智大厦, 建成通车济南至宁津: the clause's opening words are no part of the name
            while lead := ph.lead_re.match(text[a:b]) or ph.before_re.match(text[a:b]):
                a += lead.end()
            if ph.unnamed_re.match(text, a, b) or b - a < 2:
                continue  # 一批小公园: no name
            if (a, b) not in items:
                items.append((a, b))
    if not items:
        return mentions
    kept = [m for m in mentions if not any(a < m.norm_end and m.norm_start < b for a, b in items)]
    for a, b in items:
        ra, rb = doc.raw_span(a, b)
        kept.append(Mention(doc.name, "Project", text[a:b], ra, rb, a, b, ra, rb, EXTRACTOR))
    return sorted(kept, key=lambda m: m.norm_start)


def extract_milestones(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """The milestones of the document's Project mentions, in text order."""
    ph = phrases()
    text = doc.text
    parts = report_parts(doc)
    sents = sentence_spans(text)
    out: list[Fact] = []
    for c in CLAUSE.finditer(text):
        inside = [m for m in mentions if c.start() <= m.norm_start and m.norm_end <= c.end()]
        inside = _listed_projects(doc, ph, c.start(), c.end(), inside)
        inside = _outermost([m for m in inside if m.type == "Project"])
        if not inside:
            continue
        part = part_at(parts, c.start())
        if part not in ("review", "plan"):
            continue
        for m, (stage, p_start, p_end) in (
            (project, f)
            for project in inside
            for f in _after(ph, text, project, inside, c.end())
            or _before(ph, text, project, inside, c.span())
        ):
            intent = _INTENT.search(text[c.start() : c.end()])
            if part == "review" and intent:
                continue  # pursued, not reached: no year can be given
            planned = part == "plan"
            year = doc.metadata.year_planned if planned else doc.metadata.year_reviewed
            if named := _YEAR.search(text, c.start(), c.end()):  # 2023年建成通车: that year
                year = int(named.group(1))
            if year is None:
                continue
            s_start, s_end = next(((a, b) for a, b in sents if a <= m.norm_start < b), c.span())
            q_start, q_end, quote = quote_span(doc, s_start, s_end)
            start, end = doc.raw_span(min(m.norm_start, p_start), max(m.norm_end, p_end))
            out.append(
                Fact(
                    doc=doc.name,
                    relation="milestone",
                    subject=m.name,
                    object=stage,
                    start=start,
                    end=end,
                    sentence_start=q_start,
                    sentence_end=q_end,
                    quote=quote,
                    extractor=EXTRACTOR,
                    confidence=0.8 if planned else 0.85,
                    year=year,
                    status="planned" if planned else "achieved",
                    wording=doc.raw[start:end],
                )
            )
    return out


def _outermost(projects: list[Mention]) -> list[Mention]:
    """Projects not inside a longer one: 广州白云机场三期建成投用 is the phase's milestone, not
    the airport's (the work inside the phase's name is a mention of its own)."""
    return [
        m
        for m in projects
        if not any(
            o.norm_start <= m.norm_start
            and m.norm_end <= o.norm_end
            and o.norm_end - o.norm_start > m.norm_end - m.norm_start
            for o in projects
        )
    ]


def _after(
    ph: Phrases, text: str, m: Mention, inside: list[Mention], limit: int
) -> list[tuple[str, int, int]]:
    """The phrases after the project, past any later items of its list (、 or 等…项目), and
    the stages joined to the first by 、 (当年开工、当年封顶)."""
    pos = m.norm_end
    for other in inside:  # skip the rest of an enumeration: 溧高、常宜高速建成通车
        if other.norm_start >= pos and _LIST_GLUE.fullmatch(text[pos : other.norm_start]):
            pos = other.norm_end
    if tail := ph.tail_re.match(text, pos, limit):  # 等4个超100亿元或10亿美元项目成功签约
        pos = tail.end()
    p = ph.after_re.search(text, pos, min(limit, pos + _MAX_BETWEEN + 6))
    if p is None or p.start() - pos > _MAX_BETWEEN:
        return []
    if any(pos <= o.norm_start < p.start() for o in inside):
        return []  # another project stands between: the phrase is its
    found = [(ph.after[p.group(0)], p.start(), p.end())]
    while (
        p := ph.after_re.search(text, p.end(), min(limit, p.end() + _MAX_JOINED + 1))
    ) and _JOINED.fullmatch(text, found[-1][2], p.start()):
        found.append((ph.after[p.group(0)], p.start(), p.end()))
    return found


def _before(
    ph: Phrases, text: str, m: Mention, inside: list[Mention], clause: tuple[int, int]
) -> list[tuple[str, int, int]]:
    """The phrase leading the clause (past lead words: 加快启动…), followed only by list
    items: 开工建设A、B、C. A weak phrase (完成) needs the list to close the clause."""
    clause_start, clause_end = clause
    lead = text[clause_start : m.norm_start]
    at = clause_start + len(lead) - len(lead.lstrip())
    while (p := ph.before_re.match(text[at : m.norm_start])) is None:
        if (word := ph.lead_re.match(text[at : m.norm_start])) is None:
            return []
        at += word.end()
    pos = at + p.end()
    for other in inside:
        if other is m:
            break
        if other.norm_start >= pos and _LIST_GLUE.fullmatch(text[pos : other.norm_start]):
            pos = other.norm_end
    if not _LIST_GLUE.fullmatch(text[pos : m.norm_start]):
        return []
    if p.group(0) in ph.weak_before:
        pos = m.norm_end
        for other in inside:
            if other.norm_start >= pos and _LIST_GLUE.fullmatch(text[pos : other.norm_start]):
                pos = other.norm_end
        if tail := ph.tail_re.match(text, pos, clause_end):
            pos = tail.end()
        if not ph.weak_rest_re.fullmatch(text, pos, clause_end):
            return []
    return [(ph.before[p.group(0)], at, at + p.end())]
