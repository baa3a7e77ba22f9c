"""Programme facts: what a programme is (`defines`), its parts (`has_component`), its plan
period (`plan_period`) and the enterprises, projects and zones it takes in (`covers`).

A programme is usually known by a code (“两特三新一智能”, “1115”) whose meaning the report
gives once: in its glossary (名词解释, parsed by normalisation), after a cue (“链式改造”是指…),
or in a parenthesis after the quoted code (“两特三新一智能”（智慧能源、新材料…）). The parts
are read from that definition by splitting its enumeration; the numerals of the code
(两特三新一智能: 2 + 3 + 1) say how many parts to expect, which decides whether 和/及 join
two parts or sit inside one. Cue words and thresholds are in kg/data/rules/programme_facts.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from kg.gazetteer import DATA_DIR, alternation
from kg.model import Mention, NormalizedDocument
from kg.relations.common import EXTRACTOR_VERSION, Fact, quote_span, sentence_spans
from kg.resolve import canonical_name

EXTRACTOR = f"{EXTRACTOR_VERSION}#programmes"
COVERED_TYPES = frozenset({"Enterprise", "Project", "Zone"})
_CLAUSE_STOP = re.compile(r"[，,。；;！？!?\n]")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』\n]{1,20})[”\"」』]")
_QUOTED_LIST = re.compile(r"[“\"「『]([^”\"」』\n]{3,120})[”\"」』]")
_NUMERALS = {"一": 1, "两": 2, "二": 2, "双": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "十": 10}  # fmt: skip
_GROUPS = re.compile(r"([一两二双三四五六七八九十])([^一两二双三四五六七八九十]{1,2})")
_PLUS_CODE = re.compile(r"^\d{1,2}(?:\+\d{1,2})+$")
_EACH_ONE = re.compile(r"^([两二三四五六七八九十])个一")
_CLAUSE_END = re.compile(r"[。；;！？!?\n]")
_QUOTED_ITEM = r"[“\"][^”\"、]{2,20}[”\"]"
_QUOTED_RUN = re.compile(rf"{_QUOTED_ITEM}(?:(?:、|和|及|与|以及){_QUOTED_ITEM})+")
_STOP = "。；;\n"
_COUNTED_HEAD = re.compile(
    r"([三四五六七八九十])[大个项类条]?([^\d一两二双三四五六七八九十“”\"]{2,6})$"
)
_PART_CLAUSE = re.compile(r"[^，,。；;：:！？!?\n]+")


@dataclass(frozen=True)
class Rules:
    define_cues: tuple[str, ...]
    define_lead: re.Pattern[str]
    paren_needs: tuple[str, ...]
    part_split: re.Pattern[str]
    part_split_more: re.Pattern[str]
    part_heads: tuple[str, ...]
    part_tail: re.Pattern[str]
    part_last_tail: re.Pattern[str]
    part_min_len: int
    part_max_len: int
    periods: dict[str, tuple[int, int]]
    period_re: re.Pattern[str]
    period_glue: re.Pattern[str]
    period_plan_words: tuple[str, ...]
    cover_cues: re.Pattern[str]
    cover_max_gap: int
    cover_glue: re.Pattern[str]
    list_count: re.Pattern[str]
    list_last_join: re.Pattern[str]
    quoted_split: re.Pattern[str]  # between quoted parts: 、 or a last join (“A”、“B”和“C”)
    list_cues: re.Pattern[str]
    preceding_glue: re.Pattern[str]
    preceding_lead: re.Pattern[str]
    preceding_max_len: int


@lru_cache(maxsize=1)
def rules() -> Rules:
    """The cues of kg/data/rules/programme_facts.json, read once."""
    d = json.loads((DATA_DIR / "rules/programme_facts.json").read_text(encoding="utf-8"))
    lead = "|".join(map(re.escape, sorted(d["define_lead"], key=len, reverse=True)))
    return Rules(
        define_cues=tuple(d["define_cues"]),
        define_lead=re.compile(rf"^(?:{lead})[:：]?"),
        paren_needs=tuple(d["paren_needs"]),
        part_split=re.compile(d["part_split"]),
        part_split_more=re.compile(d["part_split_more"]),
        part_heads=tuple(sorted(d["part_heads"], key=len, reverse=True)),
        part_tail=re.compile(d["part_tail"]),
        part_last_tail=re.compile(d["part_last_tail"]),
        part_min_len=d["part_min_len"],
        part_max_len=d["part_max_len"],
        periods={k: (v[0], v[1]) for k, v in d["periods"].items()},
        period_re=re.compile("|".join(map(re.escape, d["periods"]))),
        period_glue=re.compile(d["period_glue"]),
        period_plan_words=tuple(d["period_plan_words"]),
        cover_cues=re.compile("|".join(map(re.escape, d["cover_cues"]))),
        cover_max_gap=d["cover_max_gap"],
        cover_glue=re.compile(d["cover_glue"]),
        list_count=re.compile(d["list_count"]),
        list_last_join=re.compile(d["list_last_join"]),
        quoted_split=re.compile(f"、|{d['list_last_join']}"),
        list_cues=re.compile("|".join(map(re.escape, d["list_cues"]))),
        preceding_glue=re.compile(d["preceding_glue"]),
        preceding_lead=re.compile(alternation(d["preceding_lead"])),
        preceding_max_len=d["preceding_max_len"],
    )


def plan_period_years() -> dict[str, tuple[int, int]]:
    """Each plan period (十四五) with its first and last year, both inclusive."""
    return rules().periods


@dataclass(frozen=True)
class Definition:
    """A programme's definition found in the text: normalised spans of the name and the text."""

    subject: str
    code: str  # the quoted code, whose numerals say how many parts to expect
    text: str
    name_start: int
    start: int
    end: int


def extract_programme_facts(doc: NormalizedDocument, mentions: list[Mention]) -> list[Fact]:
    """defines, has_component, plan_period and covers facts of one document."""
    periods = rules().periods
    progs = sorted(
        (m for m in mentions if m.type == "Programme" and canonical_name(m.name) not in periods),
        key=lambda m: m.norm_start,
    )  # a plan period written alone (“十四五”) is a time, not a programme
    defs = definitions(doc, progs)
    out: list[Fact] = []
    seen: set[tuple[str, str, str]] = set()

    def add(fact: Fact) -> None:
        key = (fact.relation, canonical_name(fact.subject), canonical_name(fact.object))
        if key not in seen:
            seen.add(key)
            out.append(fact)

    for d in defs:
        add(_fact(doc, "defines", d.subject, d.text, d.name_start, d.end, 0.9))
        for part, a, b in components(d.code, doc.text, d.start, d.end):
            add(_fact(doc, "has_component", d.subject, part, a, b, 0.75))
    body = [m for m in progs if not _in_glossary(doc, m.norm_start)]
    for m, parts in _preceding_parts(doc.text, body):
        for part, a, _ in parts:
            add(_fact(doc, "has_component", m.name, part, a, m.norm_end, 0.7))
    # parts written after the code: quoted from the code to the part
    for after, confidence in (
        (_numbered_parts, 0.65),
        (_spelled_after, 0.6),
        (_following_parts, 0.65),
    ):
        for m, parts in after(doc.text, body):
            for part, _, b in parts:
                add(_fact(doc, "has_component", m.name, part, m.norm_start, b, confidence))
    for fact in _plan_periods(doc, progs, defs):
        add(fact)
    for fact in _covers(doc, progs, mentions):
        add(fact)
    return out


def programme_code(name: str) -> str:
    """The quoted code of a programme name (“1115”大企业集团 → 1115), else the name."""
    m = _QUOTED.search(name)
    return canonical_name(m.group(1) if m else name)


def expected_parts(code: str) -> int | None:
    """How many parts a code announces: 两特三新一智能 → 6, 四项指标 → 4, 双一流 → 2, 1115 → 4."""
    if code.isdigit() and len(code) > 1:
        return len(code)  # each digit one tier: 1115 → four
    if _PLUS_CODE.match(code):
        return sum(int(n) for n in code.split("+"))  # 5+1 → five and one
    each = _EACH_ONE.match(code)
    if each:
        return _NUMERALS[each.group(1)]  # 三个一批 → three 一批
    subcodes = re.split(r"[、，,]", code)
    if len(subcodes) > 1:  # 五统一、一开放 → 5 + 1
        counts = [expected_parts(c) for c in subcodes]
        return sum(c for c in counts if c) if all(counts) else None
    groups = _GROUPS.findall(code)
    if groups and "".join(n + rest for n, rest in groups) == code:
        return sum(_NUMERALS[n] for n, _ in groups)
    return _NUMERALS.get(code[:1]) if code[:1] in _NUMERALS and len(code) > 1 else None


def definitions(doc: NormalizedDocument, progs: list[Mention]) -> list[Definition]:
    """Definitions from the glossary, from cue words and from parentheses after a code; a
    cue inside a glossary entry defines a part the entry names (“供应链改造”是指…)."""
    text = doc.text
    out: list[Definition] = []
    for g in doc.glossary:
        # the glossary's own term: its quoted code (“1115”大企业集团 → 1115), else the
        # programme named in it, else the term as written (三区三线, QFLP)
        inside = [m for m in progs if g.term_start <= m.norm_start and m.norm_end <= g.term_end]
        if _QUOTED.search(g.term):
            subject = programme_code(g.term)
        elif inside:
            subject = max(inside, key=lambda m: m.norm_end - m.norm_start).name
        else:
            subject = canonical_name(g.term)
        start = text.find(g.definition, g.term_end, g.end)
        if start >= 0:
            end = start + len(g.definition.rstrip("。"))
            code = programme_code(g.term)
            out.append(Definition(subject, code, text[start:end], g.term_start, start, end))
    r = rules()
    for m in progs:
        in_glossary = _in_glossary(doc, m.norm_start)
        if in_glossary and any(g.term_start <= m.norm_start < g.term_end for g in doc.glossary):
            continue  # a glossary term: its entry defines it above
        after = m.norm_end + (1 if text[m.norm_end : m.norm_end + 1] in '”"」』' else 0)
        paren = text[after : after + 1]
        if paren in "（(" and not in_glossary:
            close = text.find("）" if paren == "（" else ")", after, after + 200)
            body = text[after + 1 : close] if close > 0 else ""
            if body and any(c in body for c in r.paren_needs) and _CLAUSE_END.search(body) is None:
                written = text[m.norm_start : after]
                out.append(
                    Definition(
                        programme_code(written),
                        programme_code(written),
                        body,
                        m.norm_start,
                        after + 1,
                        close,
                    )
                )
            continue
        rest = text[after : after + 3].lstrip("，,")
        cue = next((c for c in r.define_cues if rest.startswith(c)), None)
        if cue is None or not text[after:].lstrip("，,").startswith(cue):
            continue
        start = after + (len(text[after:]) - len(text[after:].lstrip("，,"))) + len(cue)
        end_m = _CLAUSE_END.search(text, start)
        end = end_m.start() if end_m else len(text)
        if end - start >= 4:
            written = text[m.norm_start : after]
            out.append(
                Definition(
                    programme_code(written),
                    programme_code(written),
                    text[start:end],
                    m.norm_start,
                    start,
                    end,
                )
            )
    return out


def components(
    code: str, text: str, start: int, end: int, want: int | None = None
) -> list[tuple[str, int, int]]:
    """The parts a definition enumerates, as (part, normalised start, end).

    A definition that spells out each group of its code (“三区”指…；“三线”指…) gives the
    parts of each group. A quoted enumeration inside the definition (“重大项目攻坚突破、…和长江
    大保护”三大工程) is taken as the list; otherwise the first sentence of the definition.
    Parts are split on 、，； and, when the code announces more parts than that gives, on
    和/及/与, as are quoted parts joined by them (包括“供应链改造”和“产业链改造”). `want` is
    the count of parts when the caller knows it better than the code.
    """
    r = rules()
    grouped = _group_components(code, text, start, end)
    if grouped is not None:
        return grouped
    span = text[start:end]
    quoted = _QUOTED_LIST.search(span)
    if quoted and r.part_split.search(quoted.group(1)):
        base = start + quoted.start(1)
        span = quoted.group(1)
    else:
        lead = r.define_lead.match(span)
        base = start + (lead.end() if lead else 0)
        span = span[lead.end() if lead else 0 :]
        stop = re.search(r"[。；;]", span)
        span = span[: stop.start()] if stop else span
    want = want or expected_parts(code)
    pieces = _split(span, base, r.part_split)
    listed = [("、" in _clause_of(span, a, base)) for _, a in pieces]
    while want and any(listed) and len(pieces) > want and not listed[0]:
        # a preamble before the list: 到“十四五”期末，全区拥有…
        pieces, listed = pieces[1:], listed[1:]
    if want and len(pieces) < want:
        more = [q for p in pieces for q in _split(p[0], p[1], r.part_split_more)]
        if len(more) == want:
            pieces = more
    if want is None:
        # no count to check against: only a list that is the whole first clause, closed
        # (…等 opens a list of examples of something else) or closed by its count (A、B等2个)
        first, at = _list_clause(span, r)
        base += at
        counted = r.list_count.search(first)
        if counted and "、" in first[: counted.start()]:
            first, want = first[: counted.start()], _count(counted.group(1))
        pieces = _split(first, base, r.part_split)
        if _QUOTED_RUN.fullmatch(first):  # 包括“供应链改造”和“产业链改造”
            pieces = [(p[1:-1], a + 1) for p, a in _split(first, base, r.quoted_split)]
        elif "、" in first and len(pieces) >= 2 and (want is None or len(pieces) < want):
            *head, (last, at) = pieces
            pieces = [*head, *_split(last, at, r.list_last_join)]  # A、B和C
        if any("等" in p for p, _ in pieces):
            return []
    if len(pieces) < 2 or (want and len(pieces) != want):
        return []
    if any(r.list_count.search(p) and "等" in p for p, _ in pieces[:-1]):
        return []  # A、B等12条产业链，实施6大行动: examples of a count, not the code's parts
    parts = [_clean_part(p, a, r, first=i == 0) for i, (p, a) in enumerate(pieces)]
    parts = [(p, a) for p, a in parts if p]  # a part that is only a count (两个中心) names none
    if len(parts) < 2:
        return []
    last, at = parts[-1]
    parts[-1] = (_code_word_tail(r.part_last_tail.sub("", last), code, parts[:-1]), at)
    parts = _shared_head(_shared_tail(parts))
    parts = [q for run in _runs(parts, text) for q in _aligned_first(_shared_part_head(run, r))]
    out = [(p, a, a + len(p)) for p, a in parts if r.part_min_len <= len(p) <= r.part_max_len]
    return out if len(out) >= 2 else []


def _group_components(
    code: str, text: str, start: int, end: int
) -> list[tuple[str, int, int]] | None:
    """The parts of a definition that spells out each group of its code in turn (“三区”指A、
    B、C；“三线”指D、E、F; “5”指A…5个支柱产业，“1”指B), or None when it does not: the
    groups must all be written, in order, each followed by a cue (指, 是指, 即, ：)."""
    plus = _PLUS_CODE.match(code)
    groups = code.split("+") if plus else ["".join(g) for g in _GROUPS.findall(code)]
    if len(groups) < 2 or (not plus and "".join(groups) != code):
        return None
    span = text[start:end]
    heads: list[tuple[int, int, int]] = []  # (group start, list start, count) in the definition
    pos = 0
    for g in groups:
        m = re.compile(rf"[“\"]?{re.escape(g)}[”\"]?\s*(?:是指|指|即|为|：|:)\s*").search(span, pos)
        if not m or (heads and span[m.start() - 1 : m.start()] not in "，,；;。 "):
            return None
        count = int(g) if g.isdigit() else expected_parts(g)
        heads.append((m.start(), m.end(), count or 0))
        pos = m.end()
    out: list[tuple[str, int, int]] = []
    ends = [h[0] for h in heads[1:]] + [len(span)]
    for (_, a, count), b in zip(heads, ends, strict=True):
        clause = span[a:b]
        stop = re.search(r"[。；;]", clause)
        b = a + (stop.start() if stop else len(clause.rstrip("，,")))
        if count == 1:
            part, at = _clean_part(span[a:b], start + a, rules(), first=True)
            if part:
                out.append((part, at, at + len(part)))
        else:
            out += components("", text, start + a, start + b, want=count or None)
    return out if len(out) >= 2 else None


def _code_word_tail(last: str, code: str, others: list[tuple[str, int]]) -> str:
    """The last part cut before the word its code ends with, when the other parts lack it:
    医疗、医保、医药联动改革 of 三医联动 → 医药 (联动 is the whole list's, not the last part's)."""
    word = code[2:] if code[:1] in _NUMERALS else ""  # 三医联动 → 联动
    if len(word) < 2 or any(word in p for p, _ in others):
        return last
    cut = last.find(word)
    return last[:cut] if cut >= 2 else last


def _list_clause(span: str, r: Rules) -> tuple[str, int]:
    """The clause of a definition's first sentence that holds its list, with its offset: the
    first clause, else a later one after a list cue (…，包括A、B和C) or closed by a count
    (…，重点发展A、B、C等3个…), else the first clause."""
    clauses = [(m.group(0), m.start()) for m in re.finditer(r"[^，,]+", span)]
    if not clauses or "、" in clauses[0][0]:
        return clauses[0] if clauses else ("", 0)
    for clause, at in clauses[1:]:
        cue = r.list_cues.search(clause)
        rest = clause[cue.end() :] if cue else ""
        if cue and "、" in rest:
            lead = len(rest) - len(rest.lstrip("：:"))
            return rest[lead:], at + cue.end() + lead
        counted = r.list_count.search(clause)
        if counted and "、" in clause[: counted.start()]:
            return clause, at
    return clauses[0]


def _count(numeral: str) -> int | None:
    """A list's count as written: 3, 三, 十二."""
    if numeral.isdigit():
        return int(numeral)
    if len(numeral) == 1:
        return _NUMERALS.get(numeral)
    return None


def _runs(parts: list[tuple[str, int]], text: str) -> list[list[tuple[str, int]]]:
    """The parts in runs joined by 、 (a ， or ； starts a new run)."""
    runs: list[list[tuple[str, int]]] = []
    for p, a in parts:
        if runs and text[a - 1 : a] == "、":
            runs[-1].append((p, a))
        else:
            runs.append([(p, a)])
    return runs


def _aligned_first(run: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Cut the first part of a run to the form of the others when they all have one length
    and one ending (根据农业空间、生态空间、城镇空间 → 农业空间): what it has more is the
    sentence leading into the list."""
    rest = run[1:]
    if len(rest) < 2 or len({len(p) for p, _ in rest}) != 1:
        return run
    size = len(rest[0][0])
    first, at = run[0]
    shared = {p[-1] for p, _ in rest}
    if len(shared) == 1 and first.endswith(shared.pop()) and len(first) > size:
        return [(first[-size:], at + len(first) - size), *rest]
    return run


def _in_glossary(doc: NormalizedDocument, at: int) -> bool:
    """Whether an offset lies in a glossary, at the end or after any part: its entries are
    read as definitions, not as body text."""
    return any(s.kind == "glossary" and s.start <= at < s.end for s in doc.sections)


def _preceding_parts(
    text: str, progs: list[Mention]
) -> list[tuple[Mention, list[tuple[str, int, int]]]]:
    """A list written right before a programme's code, as many items as the code announces:
    名校长、名教师、名班主任“三名工程”; A、B、C等“十大工程”.

    Either the items look alike (one first or last character shared by all) and each holds a
    letter of the code it spells out, so that a clause that merely ends before the code
    (坚定四个自信、做到“两个维护”) or members of the programme (郑州大学、河南大学“双一流”) give
    nothing; or the list has exactly the code's count of three or more items and is bounded:
    it fills its clause after a lead verb (加快发展算力、数据、人工智能、电子信息“四大产业”; with
    等: 推动实现A、…、H等“八个显著提升”), or starts at a 和 that ends an earlier list (…改革和A、
    B、C、D“四评”改革), or is of one kind, every item ending in the same word (做好科技金融、…、
    数字金融“五篇大文章”). Taking the last items of any longer list, as many as the count, cost
    the dev reports more precision (0.60 → 0.46) than it gave recall (0.24 → 0.28); a list
    that fills its clause raised has_component on nine training reports the rule was not
    written on from 0.000 to 0.262 and on the dev reports from 0.481 to 0.508.
    """
    r = rules()
    out: list[tuple[Mention, list[tuple[str, int, int]]]] = []
    for m in progs:
        code = programme_code(m.name)
        want = None if "、" in code else expected_parts(code)  # 一表清、一网控 lists itself
        end = m.norm_start - (1 if text[m.norm_start - 1 : m.norm_start] in '“"「' else 0)
        lo = max(text.rfind(c, 0, end) for c in "，,。；;：:\n") + 1
        glue = r.preceding_glue.search(text, lo, end)
        end = glue.start() if glue else end
        pieces = _split(text[lo:end], lo, re.compile("、"))
        if not want or want < 2 or len(pieces) < want or "、" not in text[lo:end]:
            continue
        if "、" in _clause_of(text, m.norm_end, 0):
            continue  # the code is itself an item: 毛泽东思想、“三个代表”重要思想、科学发展观
        whole = len(pieces) == want  # the list fills its clause, from the clause's start
        counted = whole and glue is not None and glue.group(0) == "等"
        if not counted:
            first, at = pieces[-want]
            join = list(r.list_last_join.finditer(first))
            if join:
                pieces[-want] = (first[join[-1].end() :], at + join[-1].end())
                counted = True
        pieces = pieces[-want:]
        if any(re.search(r"[“”\"]", p) for p, _ in pieces[1:]):
            continue  # item lengths are checked below, on each way of taking the list
        parts = _aligned_first(_shared_head([(p, a) for p, a in pieces]))
        alike = len({p[0] for p, _ in parts}) == 1 or len({p[-1] for p, _ in parts}) == 1
        letters = set(code) - set(_NUMERALS)
        spelled = all(letters & set(p) for p, _ in parts)
        if alike and spelled and all(2 <= len(p) <= 8 for p, _ in parts):
            out.append((m, [(p, a, a + len(p)) for p, a in parts]))
        elif want >= 3 and (counted or whole or _share_a_word(parts)):
            (first, at), rest = parts[0], parts[1:]
            lead = r.preceding_lead.search(first)
            if lead:
                first, at = first[lead.end() :], at + lead.end()
            parts = [(first, at), *rest]
            if all(2 <= len(p) <= r.preceding_max_len for p, _ in parts):
                out.append((m, [(p, a, a + len(p)) for p, a in parts]))
    return out


def _following_parts(
    text: str, progs: list[Mention]
) -> list[tuple[Mention, list[tuple[str, int, int]]]]:
    """Parts a counted code announces and its paragraph then takes up one by one, each a clause
    of its own ending in the code's head word: 全力打造“六大产业集群”。…打造新能源新材料产业集群。
    …打造新型综合能源产业集群。 Only when the paragraph holds exactly as many such clauses as the
    code counts (three or more): a head shared by chance rarely fills the count."""
    r = rules()
    out: list[tuple[Mention, list[tuple[str, int, int]]]] = []
    for m in progs:
        hm = _COUNTED_HEAD.search(programme_code(m.name))
        if not hm:
            continue
        want, head = _NUMERALS[hm.group(1)], hm.group(2)
        parts: dict[str, tuple[int, int]] = {}
        for c in _PART_CLAUSE.finditer(text, m.norm_end, _paragraph_end(text, m.norm_end)):
            part, at = c.group(0).strip(), c.start()
            lead = r.preceding_lead.match(part)
            if lead:
                part, at = part[lead.end() :], at + lead.end()
            name = _balanced(part)
            if (
                name.endswith(head)
                and len(head) + 2 <= len(name) <= r.part_max_len
                and not _COUNTED_HEAD.search(name)
            ):
                parts.setdefault(name, (at, c.end()))
        if len(parts) == want:
            out.append((m, [(p, a, b) for p, (a, b) in parts.items()]))
    return out


_CN_ORDINALS = "一二三四五六七八九十"
_SENTENCE_OR_COLON = re.compile(r"[。：:]")


def _paragraph_end(text: str, at: int) -> int:
    """Where the paragraph holding offset `at` ends (its line break, or the text's end)."""
    end = text.find("\n", at)
    return len(text) if end < 0 else end


@lru_cache(maxsize=16)
def _markers(i: int) -> re.Pattern[str]:
    """The ways a report numbers the i-th item of a list: （1）, (1), 1., 一是, 其一."""
    cn = _CN_ORDINALS[i - 1] if i <= 10 else str(i)
    return re.compile(rf"[（(]{i}[）)]|(?<!\d){i}[.．、](?!\d)|{cn}是|其{cn}[，,]?")


def _numbered_parts(
    text: str, progs: list[Mention]
) -> list[tuple[Mention, list[tuple[str, int, int]]]]:
    """Parts a counted code announces at the end of its sentence and the text then numbers:
    办好“十件民生实事”。（1）做好重点群体高质量就业，…（2）持续改善…; 一是…，二是…. The first
    marker must open the next sentence, the markers run 1 to the code's count in order within the
    paragraph, and none numbered one more follows; each part is its marker's first clause."""
    r = rules()
    out: list[tuple[Mention, list[tuple[str, int, int]]]] = []
    for m in progs:
        want = expected_parts(programme_code(m.name))
        if not want or not 2 <= want <= 10:
            continue
        end = _paragraph_end(text, m.norm_end)
        stop = _SENTENCE_OR_COLON.search(text, m.norm_end, end)
        if stop is None or not re.fullmatch(r"[”\"」]?", text[m.norm_end : stop.start()]):
            continue  # the code must close its sentence: the list follows it
        pos, parts = stop.end(), []
        for i in range(1, want + 1):
            mk = _markers(i).search(text, pos, end)
            if mk is None or (i == 1 and mk.start() != pos):
                break
            clause = _CLAUSE_STOP.search(text, mk.end(), end)
            b = clause.start() if clause else end
            parts.append((text[mk.end() : b], mk.end(), b))
            pos = b
        if (
            len(parts) == want
            and not _markers(want + 1).search(text, pos, end)
            and all(r.part_min_len <= len(p) <= r.part_max_len for p, _, _ in parts)
        ):
            out.append((m, parts))
    return out


def _spelled_after(
    text: str, progs: list[Mention]
) -> list[tuple[Mention, list[tuple[str, int, int]]]]:
    """Parts a code of counted letters spells, each then opening a sentence of its own after the
    code's: “一圈一带两区”发展格局加快构建。沈阳都市圈…。沿海经济带…。辽西先导区…。辽东绿色
    经济区…. The sentences right after the code's must use up its letters exactly (一圈 one
    name ending in 圈, 两区 two in 区), each name ending at its letter within its first
    `preceding_max_len` characters."""
    r = rules()
    out: list[tuple[Mention, list[tuple[str, int, int]]]] = []
    for m in progs:
        code = programme_code(m.name)
        groups = _GROUPS.findall(code)
        if len(groups) < 2 or "".join(n + rest for n, rest in groups) != code:
            continue
        if any(len(rest) != 1 for _, rest in groups):
            continue
        left = {rest: _NUMERALS[n] for n, rest in groups}
        stop = _CLAUSE_END.search(text, m.norm_end)
        pos, parts = (stop.end() if stop else len(text)), []
        while sum(left.values()) and pos < len(text) and text[pos] != "\n":
            at = [text.find(ch, pos + 2, pos + r.preceding_max_len + 1) for ch in left]
            hits = [(a, ch) for a, ch in zip(at, left, strict=True) if a >= 0 and left[ch]]
            if not hits:
                break
            a, ch = min(hits)
            if _CLAUSE_STOP.search(text, pos, a):
                break
            parts.append((text[pos : a + 1], pos, a + 1))
            left[ch] -= 1
            nxt = _CLAUSE_END.search(text, a)
            pos = nxt.end() if nxt else len(text)
        if parts and not sum(left.values()):
            out.append((m, parts))
    return out


def _balanced(part: str) -> str:
    """A part without a quotation mark left unpaired when its clause was cut out: 实施“三创”
    盘活…行动 keeps its pair, “六大产业集群” loses both."""
    for mark, pair, cut in (("“", "”", slice(1, None)), ("”", "“", slice(None, -1))):
        if part.count(mark) > part.count(pair) and (part[:1] == mark or part[-1:] == mark):
            part = part[cut]
    return part.strip('"') if part.count('"') == 1 else part


def _share_a_word(parts: list[tuple[str, int]]) -> bool:
    """Whether every item ends in the same two characters (科技金融、绿色金融、…、数字金融): a
    list of one kind, open as it may be, that its count may close."""
    return len({p[-2:] for p, _ in parts}) == 1 and all(len(p) >= 3 for p, _ in parts)


def _clause_of(span: str, at: int, base: int) -> str:
    """The clause (up to ， or a sentence end) of `span` from normalised offset `at` (`span` at
    `base`)."""
    stop = _CLAUSE_STOP.search(span, at - base)
    return span[at - base : stop.start() if stop else len(span)]


def _split(span: str, base: int, sep: re.Pattern[str]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    pos = 0
    for m in [*sep.finditer(span), None]:
        cut = m.start() if m else len(span)
        piece = span[pos:cut]
        lead = len(piece) - len(piece.lstrip())
        if piece.strip():
            out.append((piece.strip(), base + pos + lead))
        pos = m.end() if m else pos
    return out


def _clean_part(part: str, at: int, r: Rules, first: bool) -> tuple[str, int]:
    """A part without a lead cue (包括：; on the first part only: 指挥网 is a part) or trailing
    count (各10家以上)."""
    lead = r.define_lead.match(part) if first else None
    if lead:
        part, at = part[lead.end() :], at + lead.end()
    return r.part_tail.sub("", part), at


def _shared_part_head(run: list[tuple[str, int]], r: Rules) -> list[tuple[str, int]]:
    """Drop a generic head (产业) that one item writes for its whole run (智慧能源、新材料产业 →
    新材料); where several items write it (文旅会展商贸产业、现代金融产业), each keeps its own."""
    heads = [next((h for h in r.part_heads if p.endswith(h)), "") for p, _ in run]
    out = []
    for (part, at), head in zip(run, heads, strict=True):
        if head and heads.count(head) == 1 and len(part) - len(head) >= r.part_min_len:
            part = part[: -len(head)]
        out.append((part, at))
    return out


def _shared_head(parts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Cut the first part where the others start (全区拥有100亿、50亿、30亿 → 100亿): the
    head before it introduces the whole list."""
    if len(parts) < 3:
        return parts
    first, at = parts[0]
    kinds = {_kind(p[0]) for p, _ in parts[1:]}
    if len(kinds) == 1:
        kind = kinds.pop()
        cut = next((i for i, c in enumerate(first) if _kind(c) == kind), 0)
        if 0 < cut < len(first) - 1:
            return [(first[cut:], at + cut), *parts[1:]]
    return parts


def _kind(ch: str) -> str:
    """A digit stands for any digit; any other character for itself."""
    return "0" if ch.isdigit() else ch


def _shared_tail(parts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Cut the last part where the others end (建好、管好、护好、运营好农村公路 → 运营好):
    the tail after it is shared by the whole list, not the last item's own."""
    if len(parts) < 3:
        return parts
    ends = {p[-1] for p, _ in parts[:-1]}
    last, at = parts[-1]
    if len(ends) == 1 and last[-1] not in ends:  # 规模以上服务业企业 ends like the others
        ch = ends.pop()
        cut = last.find(ch)
        if 0 < cut < len(last) - 1:
            return [*parts[:-1], (last[: cut + 1], at)]
    return parts


def _plan_periods(
    doc: NormalizedDocument, progs: list[Mention], defs: list[Definition]
) -> list[Fact]:
    """A programme written after a plan period (“十四五”…规划, 十五五时期的…), named with
    one, or whose definition sets its goals in one (到“十四五”期末…)."""
    r = rules()
    text = doc.text
    out: list[Fact] = []
    for m in progs:
        name = canonical_name(m.name)
        inside = r.period_re.search(name)
        if inside:
            rest = name.replace(inside.group(0), "", 1)
            if rest and rest not in r.period_plan_words:
                out.append(_fact(doc, "plan_period", m.name, inside.group(0),
                                 m.norm_start, m.norm_end, 0.85))  # fmt: skip
            continue
        before = text[max(0, m.norm_start - 12) : m.norm_start]
        found = [p for p in r.period_re.finditer(before)]
        if found and r.period_glue.match(before[found[-1].end() :]):
            p = found[-1]
            start = m.norm_start - len(before) + p.start()
            out.append(_fact(doc, "plan_period", m.name, p.group(0),
                             start, m.norm_end, 0.8))  # fmt: skip
    for d in defs:
        p = r.period_re.search(text, d.start, d.end)
        if p:
            out.append(_fact(doc, "plan_period", d.subject, p.group(0),
                             d.name_start, p.end(), 0.7))  # fmt: skip
    return out


def _covers(doc: NormalizedDocument, progs: list[Mention], mentions: list[Mention]) -> list[Fact]:
    """入选/纳入/列入 a programme: the entity before the cue (天合光能入选“1115”) or after the
    programme and 的 (入选“1115”大企业集团的天合光能), with the other items of its list; or a
    list the programme names as its instances (A、B等“1231”项目8个, A、B等4家企业实现“五星上云”,
    打造A、B等5个秋白书苑, A“拿地即开工”,)."""
    r = rules()
    text = doc.text
    ents = sorted((m for m in mentions if m.type in COVERED_TYPES), key=lambda m: m.norm_start)
    ents = [e for e in ents if not any(_inside(e, o) for o in ents)]  # 中车 of 株洲中车…制造
    out: list[Fact] = []
    for p in progs:
        if any(o is not p and p.norm_start <= o.norm_start and o.norm_end <= p.norm_end
               for o in progs):  # fmt: skip
            continue  # the quoted code inside stands for it (“1231”项目 → 1231)
        lo = max(text.rfind(c, 0, p.norm_start) for c in _STOP) + 1
        for e in _instances(ents, text, p, lo):
            a, b = e.norm_start, p.norm_end
            out.append(_fact(doc, "covers", p.name, e.name, a, b, 0.7))
        cue = None
        near = max(lo, p.norm_start - r.cover_max_gap - 2)
        for c in r.cover_cues.finditer(text, near, p.norm_start):
            if len(text[c.end() : p.norm_start].strip('“"「')) <= r.cover_max_gap:
                cue = c
        if cue is None:
            continue
        ends = (text.find(c, p.norm_end) for c in _STOP)
        hi = min((i for i in ends if i >= 0), default=len(text))
        after = text[p.norm_end : p.norm_end + 8]
        de = re.match(r"[”\"」]?[^，,、的]{0,6}的", after)
        if de:  # 入选“1115”大企业集团的A、B
            covered = _list_from(ents, text, p.norm_end + de.end(), hi)
        else:  # A、B入选“1115”
            covered = _list_to(ents, text, lo, cue.start())
        for e in covered:
            a, b = min(e.norm_start, p.norm_start), max(e.norm_end, p.norm_end)
            out.append(_fact(doc, "covers", p.name, e.name, a, b, 0.75))
    return out


def _inside(e: Mention, o: Mention) -> bool:
    """Whether `e` lies inside the longer mention `o`: a list item is the outer name."""
    return (
        o.norm_start <= e.norm_start
        and e.norm_end <= o.norm_end
        and o.norm_end - o.norm_start > e.norm_end - e.norm_start
    )


def _instances(ents: list[Mention], text: str, p: Mention, lo: int) -> list[Mention]:
    """The list right before a programme that names its instances: the words between them
    match `cover_glue` (等4家企业实现“); with nothing but a quote between, the programme must
    end its clause (源普智能装备“拿地即开工”, not 高新区“532”发展战略)."""
    r = rules()
    ents = [e for e in ents if lo <= e.norm_start and e.norm_end <= p.norm_start]
    if not ents:
        return []
    last = ents[-1]
    gap = text[last.norm_end : p.norm_start]
    if not r.cover_glue.fullmatch(gap):
        return []
    if not gap.strip('“"「') and not re.match(r"[”\"」]?(?:[，,。；;]|$)", text[p.norm_end :]):
        return []
    return _list_to(ents, text, lo, last.norm_end)


_GLUE = re.compile(r"[、和及与\s]*")
_GLUE_BEFORE = re.compile(r"[、和及与\s]*(?:等\d*[家个项]?)?")


def _list_from(ents: list[Mention], text: str, pos: int, hi: int) -> list[Mention]:
    """Entities listed from `pos` on: A、B和C, nothing else between."""
    out: list[Mention] = []
    for e in ents:
        if e.norm_start < pos or e.norm_end > hi:
            continue
        if not _GLUE.fullmatch(text[pos : e.norm_start]):
            break
        out.append(e)
        pos = e.norm_end
    return out


def _list_to(ents: list[Mention], text: str, lo: int, end: int) -> list[Mention]:
    """Entities listed just before `end`: A、B和C(等)入选…, read backwards."""
    out: list[Mention] = []
    for e in reversed(ents):
        if e.norm_end > end or e.norm_start < lo:
            continue
        if not (_GLUE_BEFORE if not out else _GLUE).fullmatch(text[e.norm_end : end]):
            break
        out.append(e)
        end = e.norm_start
    return out[::-1]


def _fact(
    doc: NormalizedDocument,
    relation: str,
    subject: str,
    obj: str,
    start: int,
    end: int,
    confidence: float,
) -> Fact:
    """A fact over the normalised span [start, end), quoted in its sentence."""
    sents = sentence_spans(doc.text)
    s_start, s_end = next(((a, b) for a, b in sents if a <= start < b), (start, end))
    s_end = max(s_end, end)
    q_start, q_end, quote = quote_span(doc, s_start, s_end)
    raw_start, raw_end = doc.raw_span(start, end)
    return Fact(
        doc=doc.name,
        relation=relation,
        subject=canonical_name(subject),
        object=obj,
        start=raw_start,
        end=raw_end,
        sentence_start=q_start,
        sentence_end=q_end,
        quote=quote,
        extractor=EXTRACTOR,
        confidence=confidence,
        wording=doc.raw[raw_start:raw_end],
    )
