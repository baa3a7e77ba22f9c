"""Report metadata read from the text alone: region, kind, date, years, speaker.

Many reports lack a title line, so each field is looked for where reports usually put it
(title, the dated line under it, the signature line) and left None when it is truly absent.
"""

from __future__ import annotations

import re

from kg.gazetteer import admin_gazetteer
from kg.model import DocMetadata

_HEAD_CHARS = 600
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_KINDS = (
    ("国民经济和社会发展计划执行情况", "国民经济和社会发展计划执行情况与计划草案的报告"),
    ("政府工作报告", "政府工作报告"),
    ("报告工作", "政府工作报告"),
)
_SPEAKER = re.compile(
    r"(?P<office>(?:[\u4e00-\u9fff]{0,12}(?:人民政府|政府|委员会))?[\u4e00-\u9fff、]{0,10}"
    r"(?:省长|市长|区长|县长|主席|主任|旗长|州长))[ \u3000]+(?P<name>[\u4e00-\u9fff]{2,4})(?=\s|$)",
    re.M,
)
_REVIEW = re.compile(r"(\d{4})\s*年\s*(?:工作回顾|以来|主要工作|国民经济和社会发展计划执行情况)")
_PLAN = re.compile(
    r"(\d{4})\s*年\s*(?:工作安排|重点工作|主要任务|的?主要目标|国民经济和社会发展计划草案|工作总体要求)"
)
_TITLE_LINE = re.compile(r"^[^\n]{4,80}(?:报告|草案的报告)\s*$", re.M)


def detect_metadata(text: str) -> DocMetadata:
    """Guess report metadata from normalised text; fields not found stay None."""
    head = text[:_HEAD_CHARS]
    title_m = _TITLE_LINE.search(head)
    title = title_m.group(0).strip() if title_m else None
    kind = next((k for cue, k in _KINDS if cue in (title or head)), None)
    date_m = _DATE.search(head)
    date = f"{int(date_m[1]):04d}-{int(date_m[2]):02d}-{int(date_m[3]):02d}" if date_m else None
    speaker_m = _SPEAKER.search(head)
    review = _REVIEW.search(text)
    plan = _PLAN.search(text)
    year_reviewed = int(review[1]) if review else None
    year_planned = int(plan[1]) if plan else None
    if date_m and year_planned is None:
        year_planned = int(date_m[1])
    if year_planned and year_reviewed is None:
        year_reviewed = year_planned - 1
    region = admin_gazetteer().issuing_region(title or "", head)
    return DocMetadata(
        title=title,
        region=region.name if region else None,
        region_code=region.code if region else None,
        region_level=region.level if region else None,
        kind=kind,
        date=date,
        year_reviewed=year_reviewed,
        year_planned=year_planned,
        speaker=speaker_m["name"] if speaker_m else None,
    )
