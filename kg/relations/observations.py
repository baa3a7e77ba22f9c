"""Indicator observations: 地区生产总值增长5.5%左右 → (地区生产总值增长, region, year, 5.5, %).

An indicator name (from kg/data/rules/indicators.tsv) followed closely by a number with a unit
is an observation. Values are normalised so they compare across reports: 1.3万亿元 → 13000
亿元, 两万亿元 → 20000 亿元, 5.9万元 → 59000 元; 左右/以上/以内 are kept as the qualifier, and a
range (4.5-5%) gives its low end with the high end as qualifier (至5). A percentage after a
growth cue (增长, 同比增长) is the growth rate, named indicator + 增长. The kind and year come
from where the sentence sits: 预计 → expected (reviewed year); target cues (预期目标, 力争) or
the plan part → target (planned year); otherwise actual (reviewed year). Multi-year figures
(年均, 累计, 十四五, 是2015年的1.46倍) are not one year's observation and are skipped.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR, alternation
from kg.model import NormalizedDocument
from kg.relations.common import (
    EXTRACTOR_VERSION,
    Fact,
    part_at,
    quote_span,
    report_parts,
    sentence_spans,
)

EXTRACTOR = f"{EXTRACTOR_VERSION}#observations"
_CN = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_YEAR = re.compile(r"(20\d{2})\s*年")
_SHARE = re.compile(r"比重|占比|能耗|强度|贡献")
_RATIO_NAME = re.compile(r"占比|率|涨幅|比重|强度")
_SENTENCE_PERIOD = re.compile(r"十三五|十四五|十五五|五年|今后|以来")


@dataclass(frozen=True)
class Indicator:
    name: str
    split: tuple[str, ...]  # where 分别 sends the values, in order


@dataclass(frozen=True)
class Rules:
    aliases: dict[str, Indicator]
    alias_re: re.Pattern[str]
    value_re: re.Pattern[str]
    units: dict[str, tuple[str, float]]
    after: dict[str, str]
    before: dict[str, str]
    growth: tuple[str, ...]
    decline: tuple[str, ...]
    expected: tuple[str, ...]
    target: tuple[str, ...]
    period: tuple[str, ...]
    not_after: tuple[str, ...]


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The indicator list and cue words, read once from kg/data/rules/."""
    cfg = json.loads((DATA_DIR / "rules/observations.json").read_text(encoding="utf-8"))
    aliases: dict[str, Indicator] = {}
    for line in (DATA_DIR / "rules/indicators.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [*line.split("\t"), "", ""]
        ind = Indicator(cols[0], tuple(s for s in cols[2].split("|") if s))
        for alias in [cols[0], *cols[1].split("|")]:
            if alias:
                aliases.setdefault(alias, ind)
    units = {k: (v[0], float(v[1])) for k, v in cfg["units"].items()}
    gap = r"[^，。；;,:：、\d]{0,10}?"
    number = r"\d+(?:\.\d+)?|[一二两三四五六七八九十]+(?=\s*(?:万|亿))"
    value_re = re.compile(
        rf"(?P<gap>{gap})(?P<num>{number})(?:\s*[-—~～至到]\s*(?P<hi>\d+(?:\.\d+)?))?"
        rf"\s*(?P<unit>{alternation(units)})\s*(?P<q>{alternation(cfg['qualifiers_after'])})?"
    )
    return Rules(
        aliases=aliases,
        alias_re=re.compile(alternation(aliases)),
        value_re=value_re,
        units=units,
        after=cfg["qualifiers_after"],
        before=cfg["qualifiers_before"],
        growth=tuple(cfg["growth_cues"]),
        decline=tuple(cfg["decline_cues"]),
        expected=tuple(cfg["expected_cues"]),
        target=tuple(cfg["target_cues"]),
        period=tuple(cfg["period_cues"]),
        not_after=tuple(cfg["not_after"]),
    )


def parse_number(text: str) -> float:
    """Arabic (6.5) or simple Chinese (两, 十二, 三十) numerals."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return float((_CN[tens] if tens else 1) * 10 + (_CN[ones] if ones else 0))
    value = 0
    for ch in text:
        value = value * 10 + _CN[ch]
    return float(value)


def extract_observations(doc: NormalizedDocument) -> list[Fact]:
    """Every indicator observation of one normalised report, in text order."""
    meta = doc.metadata
    if meta.region is None:
        return []  # an observation without its region compares with nothing
    r = rules()
    text = doc.text
    parts = report_parts(doc)
    sents = sentence_spans(text)
    starts = [s for s, _ in sents]
    out: list[Fact] = []
    for m in r.alias_re.finditer(text):
        ind = r.aliases[m.group(0)]
        if text[max(0, m.start() - 4) : m.start()].endswith(r.not_after):
            continue  # 占地区生产总值比重, 单位GDP能耗, 县域经济增长: another indicator
        k = bisect_right(starts, m.start()) - 1
        if k < 0:
            continue
        s_start, s_end = sents[k]
        values = _values(r, text, m.end(), s_end)
        if not values:
            continue
        cue_gap = None
        if "分别" in text[m.end() : values[0].start("num")] and len(values) == len(ind.split) > 1:
            names = list(ind.split)
            cue_gap = values[0].group("gap")  # 分别增长4.3%、5.5%: the cue holds for both
        else:
            names = [ind.name] * len(values)
            values = [v for i, v in enumerate(values) if i == 0 or v.group("gap").strip()]
        context = text[_context_start(text, m.start()) : values[0].end()]
        part = part_at(parts, m.start())
        if part == "period" and _this_year(context, meta.year_planned):
            part = "plan"  # 今年…预期目标 under a heading named for the plan period
        if part in ("period", "glossary"):
            continue
        kind = _kind(r, context, part == "plan")
        year = meta.year_planned if kind == "target" else meta.year_reviewed
        if year is None or _SENTENCE_PERIOD.search(text[s_start : m.start()]):
            continue
        q_start, q_end, quote = quote_span(doc, s_start, s_end)
        for name, v in zip(names, values, strict=False):
            cues = m.group(0) + (v.group("gap") if cue_gap is None else cue_gap)
            fact = _fact(doc, r, name, v, cues, m.start(), kind, year, (q_start, q_end, quote))
            if fact is not None:
                out.append(fact)
    return out


def _context_start(text: str, pos: int) -> int:
    """Start of the passage whose cue words (预计, 预期目标是：…；…) hold for `pos`: the
    sentence up to 。, across the ； that separate the items of a target list."""
    return max(text.rfind(c, 0, pos) for c in "。！？\n") + 1


def _this_year(context: str, planned: int | None) -> bool:
    return "今年" in context or (planned is not None and f"{planned}年" in context)


def _values(r: Rules, text: str, pos: int, limit: int) -> list[re.Match[str]]:
    """The values following an indicator name: the first close by, then those chained with
    、 or ， and a cue (实现…亿元，增长5.5%; 分别增长4.3%、5.5%)."""
    out: list[re.Match[str]] = []
    while pos < limit:
        v = r.value_re.match(text, pos, limit)
        if v is None or r.alias_re.search(v.group("gap")):
            break  # the value belongs to the next indicator named
        out.append(v)
        pos = v.end()
        if pos < limit and text[pos] in "、，,和" and r.value_re.match(text, pos + 1, limit):
            nxt = r.value_re.match(text, pos + 1, limit)
            if nxt is not None and r.alias_re.search(nxt.group("gap")):
                break
            joined = text[pos] in "、和" and not nxt.group("gap").strip() if nxt else False
            if nxt is not None and (joined or _is_growth(r, nxt.group("gap"))):
                pos += 1
                continue
        break
    return out


def _is_growth(r: Rules, gap: str) -> bool:
    return any(c in gap for c in r.growth + r.decline)


def _kind(r: Rules, before: str, in_plan: bool) -> str:
    if any(c in before for c in r.expected):
        return "expected"
    if in_plan or any(c in before for c in r.target):
        return "target"
    return "actual"


def _fact(
    doc: NormalizedDocument,
    r: Rules,
    indicator: str,
    v: re.Match[str],
    cues: str,
    ind_start: int,
    kind: str,
    year: int,
    quote: tuple[int, int, str],
) -> Fact | None:
    gap = v.group("gap")
    if any(c in gap + cues for c in r.period) or _SHARE.search(gap):
        return None  # a period's figure, or a share of the indicator rather than its value
    clause_years = {int(y) for y in _YEAR.findall(gap)}
    if clause_years and year not in clause_years:
        return None
    unit_written = v.group("unit")
    unit, factor = r.units[unit_written]
    value = round(parse_number(v.group("num")) * factor, 6)
    if any(c in cues for c in r.decline) and unit in ("%", "个百分点"):
        indicator += "下降"
    elif any(c in cues for c in r.growth) and unit in ("%", "个百分点"):
        indicator += "增长"
    if (
        unit == "%"
        and not indicator.endswith(("增长", "下降"))
        and not _RATIO_NAME.search(indicator)
    ):
        return None  # a percentage of an amount that is not a rate: some share of it
    qualifier = r.after.get(v.group("q") or "")
    if v.group("hi"):  # a range, 4.5-5%: the value is its low end, the qualifier its high end
        qualifier = f"至{round(parse_number(v.group('hi')) * factor, 6):g}"
    if qualifier is None:
        qualifier = next((q for cue, q in r.before.items() if gap.endswith(cue)), None)
    start, end = doc.raw_span(ind_start, v.end())
    region = doc.metadata.region or ""
    return Fact(
        doc=doc.name,
        relation="observation",
        subject=region,
        object=indicator,
        start=start,
        end=end,
        sentence_start=quote[0],
        sentence_end=quote[1],
        quote=quote[2],
        extractor=EXTRACTOR,
        confidence=0.9 if kind != "actual" or "增长" in indicator else 0.8,
        year=year,
        wording=doc.raw[start:end],
        indicator=indicator,
        region=region,
        value=value,
        unit=unit,
        kind=kind,
        qualifier=qualifier,
    )
