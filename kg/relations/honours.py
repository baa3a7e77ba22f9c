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
from kg.gazetteer import DATA_DIR
from kg.model import Mention, NormalizedDocument
from kg.relations.common import (
    EXTRACTOR_VERSION,
    Fact,
    fact_year,
    part_at,
    report_parts,
    sentence_spans,
    span_fact,
)

EXTRACTOR = f"{EXTRACTOR_VERSION}#honours"
_CLAUSE = re.compile(r"[^，,。；;！？!?：:\n]+")
_LIST_GLUE = re.compile(r"[、和及与\s]*")
_SPLIT = re.compile(r"、(?=[^”」]*(?:“|「|$))")  # 、 outside quotation marks


@dataclass(frozen=True)
class HonourRules:
    cue_re: re.Pattern[str]
    glue_re: re.Pattern[str]
    intent_re: re.Pattern[str]
    marker_re: re.Pattern[str]
    tail_re: re.Pattern[str]
    recipient_types: frozenset[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def rules() -> HonourRules:
    """The cue verbs and title markers, read once from kg/data/rules/honours.json."""
    cfg = json.loads((DATA_DIR / "rules/honours.json").read_text(encoding="utf-8"))
    return HonourRules(
        cue_re=re.compile(_alt(cfg["cues"])),
        glue_re=re.compile(cfg["glue"]),
        intent_re=re.compile(_alt(cfg["intent"])),
        marker_re=re.compile(_alt(cfg["title_markers"])),
        tail_re=re.compile(cfg["tail"]),
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


def clean_title(title: str, tail: re.Pattern[str]) -> str:
    """A title as the gold writes it: no quotation marks, no trailing 称号 or count."""
    title = "".join(c for c in title if c not in QUOTES).strip()
    return tail.sub("", title).strip()


def extract_honours(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """The honours the report says named recipients received, in text order."""
    r = rules()
    text = doc.text
    parts = report_parts(doc)
    sents = sentence_spans(text)
    cands = sorted((m for m in mentions if m.type in r.recipient_types), key=lambda m: m.norm_start)
    out: list[Fact] = []
    for c in _CLAUSE.finditer(text):
        clause = c.group(0)
        cue = r.cue_re.search(clause)
        if cue is None or r.intent_re.search(clause[: cue.start()]):
            continue
        year = fact_year(doc, part_at(parts, c.start()), clause)
        if year is None:
            continue
        at = c.start() + cue.start()
        inside = [m for m in cands if c.start() <= m.norm_start and m.norm_end <= at]
        who = recipients_before(text, at, inside, r.glue_re)
        if not who:
            continue
        titles = [clean_title(t, r.tail_re) for t in _SPLIT.split(clause[cue.end() :])]
        for title in titles:
            if len(title) < 4 or not r.marker_re.search(title):
                continue
            for m in who:
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
