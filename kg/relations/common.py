"""What the relation extractors share: the fact dataclass, sentences, and review vs plan.

A report reviews one year and plans the next; which part a sentence sits in decides whether
a figure is a result (the reviewed year) or a target (the planned year). The part comes from
the report's top-level section headings (kg.normalize.structure), not from fixed offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, replace

from kg import __version__
from kg.model import Mention, NormalizedDocument
from kg.normalize.structure import flatten

EXTRACTOR_VERSION = f"kg-relations/{__version__}"

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]*")
_PLAN_TITLE = re.compile(
    r"工作安排|重点工作|主要任务|总体要求|目标任务|思路和目标|计划草案|主要目标|重点任务|"
    r"工作建议|主要工作|任务安排|意见建议|措施"
)
_REVIEW_TITLE = re.compile(r"回顾|总结|执行情况|成就|成绩|过去")
_PERIOD_TITLE = re.compile(r"十三五|十四五|十五五|五年|时期|远景")


@dataclass(frozen=True)
class Fact:
    """One relation between a subject and an object, with its provenance.

    `start`/`end` and the sentence offsets are code-point offsets into the raw file (end
    exclusive); observation fields stay None for other relations.
    """

    doc: str
    relation: str
    subject: str
    object: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    quote: str
    extractor: str
    confidence: float
    year: int | None = None
    status: str | None = None  # achieved or planned (milestones)
    wording: str | None = None
    indicator: str | None = None
    region: str | None = None
    value: float | None = None
    unit: str | None = None
    kind: str | None = None  # target, expected or actual (observations)
    qualifier: str | None = None
    reason: str | None = None  # why two names were taken as one (same_as)

    def to_json(self) -> dict[str, object]:
        """The JSONL line of `kg extract --relations`: the contract keys, then the rest set."""
        data = asdict(self)
        keys = ("doc", "relation", "subject", "object", "start", "end")
        head = {k: data.pop(k) for k in keys}
        return head | {k: v for k, v in data.items() if v is not None}


CLAUSE = re.compile(r"[^，,。；;！？!?：:\n]+")  # a clause: up to a comma, colon or sentence end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences of normalised text as [start, end) spans, ending at 。！？； or a line break."""
    return [m.span() for m in _SENTENCE.finditer(text)]


def report_parts(doc: NormalizedDocument) -> list[tuple[int, str]]:
    """(start, part) for each top-level section: part is review, plan, period or glossary.

    A review heading names the year done (回顾, 执行情况, 成就); a plan heading the work to
    come (重点工作, 目标任务, 计划草案) or the planned year; a period heading a plan period
    (“十五五”时期的主要目标任务), whose targets are not one year's. Text before the first
    heading counts as review.
    """
    parts: list[tuple[int, str]] = [(0, "review")]
    planned = doc.metadata.year_planned
    for s in flatten(doc.sections):
        if s.kind == "glossary":
            parts.append((s.start, "glossary"))
        elif s.level != 1:
            continue
        elif _REVIEW_TITLE.search(s.title):
            parts.append((s.start, "review"))
        elif _PERIOD_TITLE.search(s.title) and not (planned and str(planned) in s.title):
            parts.append((s.start, "period"))
        elif _PLAN_TITLE.search(s.title) or (planned and str(planned) in s.title):
            parts.append((s.start, "plan"))
        elif parts[-1][1] != "review":
            parts.append((s.start, parts[-1][1]))  # an unnamed heading continues its part
    return parts


def part_at(parts: list[tuple[int, str]], pos: int) -> str:
    """The part of the report a normalised offset falls in."""
    return parts[bisect_right([p for p, _ in parts], pos) - 1][1]


def quote_span(doc: NormalizedDocument, start: int, end: int) -> tuple[int, int, str]:
    """Raw span and text of a normalised sentence span, trimmed of surrounding space."""
    a, b = doc.raw_span(start, end)
    while a < b and doc.raw[a].isspace():
        a += 1
    while b > a and doc.raw[b - 1].isspace():
        b -= 1
    return a, b, doc.raw[a:b]


def sentence_at(sents: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span (from `sentence_spans`) holding a normalised offset."""
    i = bisect_right([a for a, _ in sents], pos) - 1
    return sents[max(i, 0)] if sents else (pos, pos)


def span_fact(
    doc: NormalizedDocument,
    sents: list[tuple[int, int]],
    relation: str,
    subject: str,
    obj: str,
    span: tuple[int, int],
    extractor: str,
    confidence: float,
    year: int | None = None,
) -> Fact:
    """A fact resting on the normalised span `span` (the words that state it), with the raw
    offsets of those words, its wording and the sentence it stands in quoted."""
    s_start, s_end = sentence_at(sents, span[0])
    q_start, q_end, _ = quote_span(doc, s_start, max(s_end, span[1]))
    start, end = doc.raw_span(*span)
    return Fact(
        doc=doc.name,
        relation=relation,
        subject=subject,
        object=obj,
        start=start,
        end=end,
        sentence_start=min(q_start, start),
        sentence_end=max(q_end, end),
        quote=doc.raw[min(q_start, start) : max(q_end, end)],
        extractor=extractor,
        confidence=confidence,
        year=year,
        wording=doc.raw[start:end],
    )


def fact_year(doc: NormalizedDocument, part: str, clause: str) -> int | None:
    """The year a reported achievement belongs to: a year the clause names (2022年), else the
    reviewed year in the review part; None in any other part (plans are not achievements)."""
    if part != "review":
        return None
    m = re.search(r"(20\d{2})\s*年", clause)
    return int(m.group(1)) if m else doc.metadata.year_reviewed


def with_known_names(
    doc: NormalizedDocument, mentions: list[Mention], types: set[str]
) -> list[Mention]:
    """The mentions of `types`, plus every other place where the report writes a name it
    elsewhere gives one of those types (the entity stage may miss an occurrence: 聚和材料 named
    in one sentence and not the next). Added ones keep the type of the name's first mention."""
    own = [m for m in mentions if m.type in types]
    first: dict[str, Mention] = {}
    for m in own:
        first.setdefault(m.name, m)
    covered = [(m.norm_start, m.norm_end) for m in mentions]
    extra: list[Mention] = []
    for name, m in first.items():
        if len(name) < 2:
            continue
        for hit in re.finditer(re.escape(name), doc.text):
            a, b = hit.span()
            if any(s <= a and b <= e for s, e in covered):
                continue
            start, end = doc.raw_span(a, b)
            extra.append(replace(m, start=start, end=end, norm_start=a, norm_end=b))
    return sorted(own + extra, key=lambda m: (m.norm_start, -m.norm_end))
