"""Report metadata read from the text alone: region, kind, meeting, date, speaker, years.

Many reports lack a title line, and web reposts bury the opening under page furniture, so
each field is looked for where reports put it — the title, the dated line (——2022年1月5日在…
会议上), the signature line (市长 陈金虎), the section headings — and left None when it is
truly absent. A manifest row (file, region, year, title, date, source_url) completes or
overrides what the text gives.
"""

from __future__ import annotations

import csv
import re
from dataclasses import fields, replace
from pathlib import Path

from kg.gazetteer import Division, admin_gazetteer
from kg.model import DocMetadata

GOVERNMENT_WORK_REPORT = "政府工作报告"
PLAN_REPORT = "国民经济和社会发展计划执行情况与计划草案的报告"

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_NUM = r"(?:\d{1,4}|[〇零一二三四五六七八九十]{1,4})"
_DATED = re.compile(
    rf"(?P<y>{_NUM})年(?P<m>{_NUM})月(?P<d>{_NUM})日在(?P<meeting>[^。；！？]{{2,60}}?会议)上?"
)
_MEETING_PARTS = re.compile(
    r"(?P<congress>第?[一二三四五六七八九十]+届).*?(?P<session>第[一二三四五六七八九十]+次会议)"
)
_OFFICES = "省长|市长|区长|县长|主席|旗长|州长|盟长|主任"
_NAME = (
    r"[\u4e00-\u9fff](?:[ \u3000]?[\u4e00-\u9fff]){1,3}|[\u4e00-\u9fff]{2,6}·[\u4e00-\u9fff]{2,8}"
)
_SIGNATURE = re.compile(
    rf"^(?P<office>[^\s，。：:]{{0,24}}?(?:代理)?(?:代)?(?:{_OFFICES}))[ \u3000]+(?P<name>{_NAME})$"
)
_INLINE_OFFICE = re.compile(
    rf"(?P<office>(?:代理)?(?:代)?(?:{_OFFICES}))(?P<name>{_NAME})(?:同志)?作"
)
_TITLE = re.compile(r"^.{0,60}(?:报告|草案的报告)$")
_REVIEW_HEADING = re.compile(
    r"^[一二三四五六七八九十]+、(?P<h>.{0,40}(?:回顾|总结|执行情况|成就).{0,20})$"
)
_PLAN_HEADING = re.compile(
    r"^[一二三四五六七八九十]+、(?P<h>.{0,30}(?:工作安排|重点工作|主要任务|总体要求|目标任务|"
    r"思路和目标|计划草案|主要目标|重点任务).{0,20})$"
)
_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


def _cn_number(text: str) -> int:
    """Arabic or Chinese numerals: 2026, 二〇二六, 二十七, 十."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _CN_DIGITS.get(ones, 0) if ones else 0
        )
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _head(text: str) -> str:
    """The opening of the report, up to the salutation (各位代表) or 3,000 characters."""
    cut = text.find("各位代表")
    return text[: cut if 0 <= cut < 3000 else 3000]


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _title(lines: list[str]) -> str | None:
    for i, line in enumerate(lines):
        if line.startswith(("——", "――", "（", "(")) and "会议" in line:
            continue
        if _TITLE.match(line) and "作政府工作报告" not in line and "：" not in line:
            return re.sub(r"(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff\d])", "", line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        split_title = (
            20 <= len(line) <= 80 and "报告" not in line and ("计划" in line or "政府" in line)
        )
        if split_title and len(nxt) <= 20 and _TITLE.match(nxt) and "在" not in nxt:
            return line + nxt
    return None


def _region_level(d: Division) -> str:
    if d.level == "province":
        return "province"
    if d.level == "prefecture":
        return "city"
    return "district" if d.name.endswith("区") else "county"


def detect_metadata(text: str) -> DocMetadata:
    """Read report metadata from (normalised) text; fields not found stay None."""
    head = _head(text)
    lines = _lines(head)
    title = _title(lines)
    compact = re.sub(r"\s+", "", head)
    dated = _DATED.search(compact)
    date = meeting = congress = session = None
    if dated:
        try:
            y, mo, d = (_cn_number(dated[k]) for k in ("y", "m", "d"))
            if 1949 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
                date = f"{y:04d}-{mo:02d}-{d:02d}"
        except (KeyError, ValueError):
            date = None
        meeting = dated["meeting"]
        parts = _MEETING_PARTS.search(meeting)
        if parts:
            congress, session = parts["congress"], parts["session"]
    speaker, office = _speaker(lines, head)
    kind = _kind(title, text[: len(head) + 300])
    year_reviewed, year_planned = _years(text, title, kind, date)
    region = admin_gazetteer().issuing_region(title or "", (meeting or "") + "\n" + head)
    return DocMetadata(
        title=title,
        region=region.name if region else None,
        region_code=region.code if region else None,
        region_level=_region_level(region) if region else None,
        kind=kind,
        meeting=meeting,
        congress=congress,
        session=session,
        date=date,
        speaker=speaker,
        speaker_office=office,
        year_reviewed=year_reviewed,
        year_planned=year_planned,
    )


def _speaker(lines: list[str], head: str) -> tuple[str | None, str | None]:
    for line in lines:
        tail = re.split(r"会议上[)）]?\s*", line)[-1]  # 陕西: signature on the dated line
        m = _SIGNATURE.match(tail.strip())
        if m and "报告" not in m["office"]:
            return re.sub(r"[ \u3000]", "", m["name"]), m["office"]
    dated = [i for i, line in enumerate(lines) if "会议" in line and "日" in line]
    after = lines[dated[0] + 1] if dated and dated[0] + 1 < len(lines) else ""
    if re.fullmatch(_NAME, after):  # only a name under the dated line; the office from a caption
        name = re.sub(r"[ \u3000]", "", after)
        if name:
            m = re.search(rf"(?P<office>{_OFFICES}){re.escape(name)}", head)
            return name, (m["office"] if m else None)
    m = _INLINE_OFFICE.search(head)
    if m:
        return re.sub(r"[ \u3000]", "", m["name"]), m["office"]
    return None, None


def _kind(title: str | None, head: str) -> str | None:
    for text in (title or "", head):
        if "计划执行情况" in text or "计划草案" in text:
            return PLAN_REPORT
        if "政府工作报告" in text or "报告工作" in text or "报告政府工作" in text:
            return GOVERNMENT_WORK_REPORT
    return None


def _years(
    text: str, title: str | None, kind: str | None, date: str | None
) -> tuple[int | None, int | None]:
    reviewed = planned = None
    if kind == PLAN_REPORT and title:
        years = [int(y) for y in _YEAR.findall(title)]
        if len(years) >= 2:
            reviewed, planned = years[0], years[1]
    for line in _lines(text):
        if reviewed is None and (m := _REVIEW_HEADING.match(line)):
            years = [int(y) for y in _YEAR.findall(m["h"])]
            if years:
                reviewed = max(years)
        if planned is None and (m := _PLAN_HEADING.match(line)):
            years = [int(y) for y in _YEAR.findall(m["h"])]
            if years:
                planned = max(years)
    if planned is None and date:
        planned = int(date[:4])
    if planned is None and title and (years := _YEAR.findall(title)):
        planned = int(years[-1])
    if reviewed is None and planned is not None:
        reviewed = planned - 1
    if planned is None and reviewed is not None:
        planned = reviewed + 1
    return reviewed, planned


# Manifest ----------------------------------------------------------------------------------

_MANIFEST_ALIASES = {"province": "region", "publish_date": "issued", "url": "source_url"}


def read_manifest(path: str | Path) -> dict[str, dict[str, str]]:
    """Rows of a TSV manifest keyed by file name (columns file, region, year, title, date,
    source_url; also province, publish_date and any DocMetadata field)."""
    rows: dict[str, dict[str, str]] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise ValueError(f"{path}: a manifest needs a 'file' column")
        for row in reader:
            clean = {
                _MANIFEST_ALIASES.get(k.strip(), k.strip()): (v or "").strip()
                for k, v in row.items()
                if k
            }
            rows[Path(clean["file"]).name] = {k: v for k, v in clean.items() if v}
    return rows


def manifest_metadata(row: dict[str, str]) -> DocMetadata:
    """A DocMetadata holding only what the manifest row gives."""
    known = {f.name for f in fields(DocMetadata)}
    values: dict[str, object] = {k: v for k, v in row.items() if k in known}
    if "year" in row and row["year"].isdigit():
        values["year_planned"] = int(row["year"])
    for key in ("year_reviewed", "year_planned"):
        if isinstance(values.get(key), str):
            values[key] = int(str(values[key]))
    region = row.get("region")
    if region and "region_code" not in row:
        d = admin_gazetteer().lookup(region, region)
        if d is not None:
            values["region"] = d.name
            values["region_code"] = d.code
            values["region_level"] = _region_level(d)
    return DocMetadata(**values)  # type: ignore[arg-type]


def merge_metadata(detected: DocMetadata, override: DocMetadata) -> DocMetadata:
    """Fields set in `override` win; the others keep what the text said."""
    changes = {f.name: getattr(override, f.name) for f in fields(DocMetadata)}
    merged = replace(detected, **{k: v for k, v in changes.items() if v is not None})
    if override.year_planned is not None and override.year_reviewed is None:
        merged = replace(merged, year_reviewed=override.year_planned - 1)
    return merged
