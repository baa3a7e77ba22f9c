"""Enterprise → Project: 比亚迪 → 比亚迪二期; 药明康德投资建设的药明康德高端创新药…基地.

Two ways a project is an enterprise's (tests/gold/README.md, `undertakes`): its name starts
with the name of an enterprise of the report or of the enterprise gazetteer, maybe after a
place (比亚迪二期 holds 比亚迪; a name ending like a site, 科创水镇 in 科创水镇三期, is a phase,
not a firm); or the clause says
the enterprise invests in, builds or runs it: the enterprise, a cue verb (投资建设, 承建, 运营;
an amount may stand between: 投资50亿元建设的) and the project, or the project, 由, the
enterprise and the verb. Cue verbs are data: kg/data/rules/undertakes.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR, alternation, read_list
from kg.model import Mention, NormalizedDocument
from kg.relations.common import (
    CLAUSE,
    EXTRACTOR_VERSION,
    Fact,
    sentence_spans,
    span_fact,
    with_known_names,
)
from kg.relations.located_in import _division_names, _features

EXTRACTOR = f"{EXTRACTOR_VERSION}#undertakes"
_PHASE = re.compile(r"[一二三四五六七八九十]期")


@dataclass(frozen=True)
class UndertakesRules:
    between_re: re.Pattern[str]
    passive_before_re: re.Pattern[str]
    passive_after_re: re.Pattern[str]
    site_tails: tuple[str, ...]
    descriptor_re: re.Pattern[str]
    brand_min: int
    brand_max: int
    not_brand_re: re.Pattern[str]


@lru_cache(maxsize=1)
def rules() -> UndertakesRules:
    """The cue verbs, read once from kg/data/rules/undertakes.json."""
    cfg = json.loads((DATA_DIR / "rules/undertakes.json").read_text(encoding="utf-8"))
    gap = rf"[^，,。；;、]{{0,{int(cfg['max_gap'])}}}?"
    return UndertakesRules(
        between_re=re.compile(
            rf"{gap}(?:{alternation(cfg['between'])}){gap}的?(?:[^，,。；;、]{{0,4}})"
        ),
        passive_before_re=re.compile(rf"(?:{alternation(cfg['passive_before'])})"),
        passive_after_re=re.compile(rf"{gap}(?:{alternation(cfg['passive_after'])})"),
        site_tails=tuple(cfg["site_tails"]),
        descriptor_re=re.compile(alternation(cfg["descriptors"])),
        brand_min=int(cfg["brand_min"]),
        brand_max=int(cfg["brand_max"]),
        not_brand_re=re.compile(cfg["not_brand"]),
    )


@lru_cache(maxsize=1)
def known_firms() -> frozenset[str]:
    """The enterprise gazetteer (rules/enterprises/names.txt): a project named after one of
    these (奇瑞乘用车技改) is its, whether or not the report names the firm alone."""
    return frozenset(n for n in read_list("rules/enterprises/names.txt") if len(n) >= 2)


def _known_owner(project: str, owners: list[str], places: set[str]) -> str | None:
    """The longest of `owners` (the report's enterprises and the gazetteer's) that starts the
    project's name (after a place, maybe: 常州比亚迪…)."""
    found = [
        firm
        for firm in owners
        if firm in project and (lambda head: not head or head in places)(project.partition(firm)[0])
    ]
    return max(found, key=len) if found else None


def _brand(project: str, r: UndertakesRules, places: set[str]) -> str | None:
    """The brand opening a project's name: what stands before the first descriptor word
    (智芯|储能电池项目, 药明康德|高端创新药…), if it is no place, no natural feature and no
    site, without a division written after it (亿纬锂能沈阳工厂 and 国电投大安, a name that is
    brand and site only, give 亿纬锂能 and 国电投). A place before the brand stays (深汕比亚迪
    二期 gives 深汕比亚迪): cutting it (上海|产业转型升级, 长江|存储) went wrong more often than
    right on the provincial reports."""
    d = r.descriptor_re.search(project, r.brand_min)
    if d is None and project.endswith(r.site_tails):
        return None
    brand = project[: d.start()] if d else project
    site = next(
        (k for k in range(r.brand_min, len(brand) - 1) if _division_names().fullmatch(brand, k)),
        None,
    )  # the site after the brand: 亿纬锂能|沈阳|工厂, 国电投|大安; not before a phase,
    # which names the local firm's plant (国能常州|二期)
    if site is not None and not (d and _PHASE.fullmatch(d.group(0))):
        brand = brand[:site]
    elif d is None:
        return None
    if r.descriptor_re.match(brand):
        return None  # 高性能玻纤 names a product, not a firm
    if not r.brand_min <= len(brand) <= r.brand_max or brand in places or brand in _features():
        return None
    if r.not_brand_re.search(brand) or brand.endswith(r.site_tails):
        return None
    return None if _division_names().match(brand) else brand


def extract_undertakes(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """Every (enterprise, project) pair the report ties, first evidence of each kept."""
    r = rules()
    text = doc.text
    sents = sentence_spans(text)
    firms = with_known_names(doc, mentions, {"Enterprise"})
    names = {m.name for m in firms if len(m.name) >= 2}
    projects = sorted((m for m in mentions if m.type == "Project"), key=lambda m: m.norm_start)
    out: dict[tuple[str, str], Fact] = {}

    def add(firm: str, project: Mention, span: tuple[int, int], confidence: float) -> None:
        if firm != project.name and (firm, project.name) not in out:
            out[(firm, project.name)] = span_fact(
                doc, sents, "undertakes", firm, project.name, span, EXTRACTOR, confidence
            )

    places = {m.name for m in mentions if m.type == "Place"}
    owners = [n for n in names | known_firms() if not n.endswith(r.site_tails)]
    for p in projects:
        firm = _brand(p.name, r, places) or _known_owner(p.name, owners, places)
        if firm:
            add(firm, p, (p.norm_start, p.norm_end), 0.8)
    for c in CLAUSE.finditer(text):
        inside_f = [m for m in firms if c.start() <= m.norm_start and m.norm_end <= c.end()]
        inside_p = [m for m in projects if c.start() <= m.norm_start and m.norm_end <= c.end()]
        for f in inside_f:
            for p in inside_p:
                if p.norm_start >= f.norm_end:
                    if r.between_re.fullmatch(text, f.norm_end, p.norm_start):
                        add(f.name, p, (f.norm_start, p.norm_end), 0.75)
                elif p.norm_end <= f.norm_start:
                    lead = text[p.norm_end : f.norm_start]
                    if r.passive_before_re.fullmatch(lead.strip()) and r.passive_after_re.match(
                        text, f.norm_end, c.end()
                    ):
                        add(f.name, p, (p.norm_start, f.norm_end), 0.75)
    return sorted(out.values(), key=lambda f: (f.start, f.end, f.object))
