"""What the relation extractors share: the fact dataclass, sentences, and review vs plan.

A report reviews one year and plans the next; which part a sentence sits in decides whether
a figure is a result (the reviewed year) or a target (the planned year). The part comes from
the report's top-level section headings (kg.normalize.structure), not from fixed offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass

from kg import __version__
from kg.model import NormalizedDocument
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
