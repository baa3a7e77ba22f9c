"""Project milestones: 比亚迪二期建成投产 → (比亚迪二期, milestone, 投产, year, achieved).

A milestone phrase (kg/data/rules/milestones.tsv) in the same clause as a Project mention from
the entity stage, after it (领航大厦顺利封顶; 溧高、常宜高速建成通车 — every item of the list)
or leading the clause before it (开工建设常泰铁路、盐泰锡常宜铁路). In the review part it is
achieved in the reviewed year; in the plan part, or with an intent word (确保, 力争, 加快),
planned for the planned year. Plan-period sections (“十五五”时期) give no year and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR
from kg.model import Mention, NormalizedDocument
from kg.relations.common import (
    EXTRACTOR_VERSION,
    Fact,
    part_at,
    quote_span,
    report_parts,
    sentence_spans,
)

EXTRACTOR = f"{EXTRACTOR_VERSION}#milestones"
_CLAUSE = re.compile(r"[^，,。；;！？!?：:\n]+")
_INTENT = re.compile(r"确保|力争|争取|计划|推动|推进|加快|启动|谋划|前期")
_MAX_BETWEEN = 12  # characters between the project and its phrase: 等重点项目, 年内
_LIST_GLUE = re.compile(r"[、和及与\s]*")


@dataclass(frozen=True)
class Phrases:
    after: dict[str, str]  # phrase → stage
    before: dict[str, str]
    after_re: re.Pattern[str]
    before_re: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def phrases() -> Phrases:
    """The milestone stages and their phrases, read once from kg/data/rules/milestones.tsv."""
    after: dict[str, str] = {}
    before: dict[str, str] = {}
    for line in (DATA_DIR / "rules/milestones.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [*line.split("\t"), "", ""]
        for p in filter(None, cols[1].split("|")):
            after[p] = cols[0]
        for p in filter(None, cols[2].split("|")):
            before[p] = cols[0]
    return Phrases(
        after, before, re.compile(_alt(list(after))), re.compile(rf"^(?:{_alt(list(before))})")
    )


def extract_milestones(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """The milestones of the document's Project mentions, in text order."""
    ph = phrases()
    text = doc.text
    parts = report_parts(doc)
    projects = sorted((m for m in mentions if m.type == "Project"), key=lambda m: m.norm_start)
    sents = sentence_spans(text)
    out: list[Fact] = []
    for c in _CLAUSE.finditer(text):
        inside = [m for m in projects if c.start() <= m.norm_start and m.norm_end <= c.end()]
        if not inside:
            continue
        part = part_at(parts, c.start())
        if part not in ("review", "plan"):
            continue
        for m in inside:
            found = _after(ph, text, m, inside, c.end()) or _before(ph, text, m, inside, c.start())
            if found is None:
                continue
            stage, p_start, p_end = found
            intent = _INTENT.search(text[c.start() : c.end()])
            if part == "review" and intent:
                continue  # pursued, not reached: no year can be given
            planned = part == "plan"
            year = doc.metadata.year_planned if planned else doc.metadata.year_reviewed
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


def _after(
    ph: Phrases, text: str, m: Mention, inside: list[Mention], limit: int
) -> tuple[str, int, int] | None:
    """The phrase after the project, past any later items of its list (、 or 等…项目)."""
    pos = m.norm_end
    for other in inside:  # skip the rest of an enumeration: 溧高、常宜高速建成通车
        if other.norm_start >= pos and _LIST_GLUE.fullmatch(text[pos : other.norm_start]):
            pos = other.norm_end
    p = ph.after_re.search(text, pos, min(limit, pos + _MAX_BETWEEN + 6))
    if p is None or p.start() - pos > _MAX_BETWEEN:
        return None
    if any(pos <= o.norm_start < p.start() for o in inside):
        return None  # another project stands between: the phrase is its
    return ph.after[p.group(0)], p.start(), p.end()


def _before(
    ph: Phrases, text: str, m: Mention, inside: list[Mention], clause_start: int
) -> tuple[str, int, int] | None:
    """The phrase leading the clause, followed only by list items: 开工建设A、B、C."""
    lead = text[clause_start : m.norm_start]
    p = ph.before_re.match(lead.lstrip())
    if p is None:
        return None
    at = clause_start + len(lead) - len(lead.lstrip())
    pos = at + p.end()
    for other in inside:
        if other is m:
            break
        if other.norm_start >= pos and _LIST_GLUE.fullmatch(text[pos : other.norm_start]):
            pos = other.norm_end
    if not _LIST_GLUE.fullmatch(text[pos : m.norm_start]):
        return None
    return ph.before[p.group(0)], at, at + p.end()
