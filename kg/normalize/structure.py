"""Document structure: the numbered sections as a tree, and the glossary (名词解释).

Reports number their parts in a fixed hierarchy — 一、 / （一） / 1． / 一是 — and many give a
glossary that defines the programmes they name: at the end or after each part, headed
名词解释 / 注释 / 注 / 【名词解释】, or as footnotes (［1］, ①, 注1) that a marker in the body
points to. How a glossary is written is in kg/data/rules/glossary.json. Offsets are into the
normalised text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from kg.gazetteer import DATA_DIR
from kg.model import GlossaryEntry, Section

_NUM = "一二三四五六七八九十百"
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"[{_NUM}]+、")),
    (2, re.compile(rf"[（(][{_NUM}]+[)）]")),
    (3, re.compile(r"\d{1,2}[.．、](?![\d%])")),
    (4, re.compile(rf"[{_NUM}]+是(?=[\u4e00-\u9fff“])")),
)
_TITLE_END = re.compile("[。；！？]")
_TERM_BAD = re.compile(r"[，,。；;：:！？!?\n]")
_SENTENCE = re.compile(r"[，,。；;！？!?]")
_MARKER_STOP = "，,。；;：:、！？!?（(）)《》\n "


@dataclass(frozen=True)
class GlossaryRules:
    heading: re.Pattern[str]
    number: re.Pattern[str]
    footnote_number: re.Pattern[str]
    separators: tuple[re.Pattern[str], ...]
    word_cues: tuple[str, ...]
    term_max: int
    unnumbered_needs_quote: bool
    closes: re.Pattern[str]
    entry_split: re.Pattern[str]


@lru_cache(maxsize=1)
def glossary_rules() -> GlossaryRules:
    """The layouts of kg/data/rules/glossary.json, read once."""
    d = json.loads((DATA_DIR / "rules/glossary.json").read_text(encoding="utf-8"))
    return GlossaryRules(
        heading=re.compile(d["heading"]),
        number=re.compile(d["number"]),
        footnote_number=re.compile(d["footnote_number"]),
        separators=tuple(re.compile(s) for s in d["separators"]),
        word_cues=tuple(d["word_cues"]),
        term_max=d["term_max"],
        unnumbered_needs_quote=d["unnumbered_needs_quote"],
        closes=re.compile(d["closes"]),
        entry_split=re.compile(d["entry_split"]),
    )


@dataclass(frozen=True)
class _Line:
    """One glossary line split: offsets relative to the line; term None for a footnote that
    names no term, definition '' for a term whose definition is on the next line."""

    term: tuple[int, int] | None
    definition: tuple[int, int]
    marker: str | None


def parse_structure(text: str) -> tuple[list[Section], list[GlossaryEntry]]:
    """The section tree (top-level sections, each with children) and the glossary entries."""
    r = glossary_rules()
    roots: list[Section] = []
    stack: list[Section] = []
    glossary: list[GlossaryEntry] = []
    in_glossary: Section | None = None
    pending: tuple[int, int, int] | None = None  # a term (line start, span) awaiting its definition
    pos = 0
    for raw_line in text.split("\n"):
        start = pos
        pos += len(raw_line) + 1
        line = raw_line.strip()
        if not line:
            continue
        lstart = start + raw_line.index(line[0])
        head = _heading(line, r)
        if head is None and in_glossary is None and _opens_footnotes(line, text[:lstart], r):
            head = 0
        if head is not None:
            _close(stack, lstart)
            stack.clear()
            if in_glossary is not None:
                in_glossary.end = lstart
            in_glossary = Section(0, "", line[:head].strip() or "注", lstart, len(text), "glossary")
            roots.append(in_glossary)
            pending = None
            line, lstart = line[head:].lstrip(), lstart + len(line) - len(line[head:].lstrip())
            if not line:
                continue
        if in_glossary is not None:
            if pending is None and _split_line(line, r) is None and r.closes.match(line):
                in_glossary.end = lstart  # the next part: a glossary written after a part ends
                in_glossary = None
                _add_section(line, lstart, len(text), roots, stack)
                continue
            for seg, sstart in _segments(line, lstart, r):
                if pending is not None and not r.number.match(seg):
                    glossary.append(_entry(text, pending, sstart, sstart + len(seg)))
                    pending = None
                    continue
                pending = None
                parsed = _split_line(seg, r)
                if parsed is None:
                    continue
                d0, d1 = parsed.definition
                if parsed.term is not None:
                    t0, t1 = sstart + parsed.term[0], sstart + parsed.term[1]
                else:
                    span = _marked_term(text, in_glossary.start, parsed.marker or "")
                    if span is None:
                        continue
                    t0, t1 = span
                if d0 == d1:
                    pending = (sstart, t0, t1)
                else:
                    glossary.append(_entry(text, (sstart, t0, t1), sstart + d0, sstart + d1))
            continue
        _add_section(line, lstart, len(text), roots, stack)
    return roots, glossary


def _segments(line: str, lstart: int, r: GlossaryRules) -> list[tuple[str, int]]:
    """A glossary line cut where a numbered entry follows a sentence end: a glossary written
    as one paragraph (1.“A”：…。2.“B”：…)."""
    cuts = [0, *(m.end() for m in r.entry_split.finditer(line)), len(line)]
    return [(line[a:b].rstrip(), lstart + a) for a, b in pairwise(cuts) if line[a:b].strip()]


def _entry(text: str, term: tuple[int, int, int], d0: int, d1: int) -> GlossaryEntry:
    """An entry from its line's start, its term's span and its definition's span."""
    start, t0, t1 = term
    return GlossaryEntry(text[t0:t1].strip(), text[d0:d1].strip(), start, d1, t0, t1)


def _heading(line: str, r: GlossaryRules) -> int | None:
    """Where a glossary heading ends on this line: the whole line, or a heading with a colon
    and a first entry after it (注：“四上”企业是指…); None when the line is no heading."""
    m = r.heading.match(line)
    if not m or not m.group(0).strip():
        return None
    if m.end() == len(line):
        return m.end()
    if m.group(0).rstrip()[-1:] in ":：" and _split_line(line[m.end() :], r) is not None:
        return m.end()
    return None


def _opens_footnotes(line: str, before: str, r: GlossaryRules) -> bool:
    """A footnote (注1：…, ［1］…) whose marker the body wrote: a glossary without a heading."""
    m = r.footnote_number.match(line)
    if not m:
        return False
    if m.group(1):
        return True
    return _marker_at(before, _marker_of(m)) is not None


def _marker_of(m: re.Match[str]) -> str:
    """The marker a footnote number stands for: the digits of ［1］ / [1] / 注1, or ①."""
    return m.group(2) or m.group(4) or m.group(5) or ""


def _marker_at(before: str, marker: str) -> int | None:
    """The last place the body writes the marker after a word (not starting a line)."""
    if not marker:
        return None
    pat = (
        re.escape(marker)
        if not (marker.isascii() and marker.isdigit())
        else rf"[\[［〔]{marker}[\]］〕]|注{marker}(?!\d)"
    )
    found = [
        m.start()
        for m in re.finditer(pat, before)
        if m.start() > 0 and before[m.start() - 1] != "\n"
    ]
    return found[-1] if found else None


def _marked_term(text: str, gloss_start: int, marker: str) -> tuple[int, int] | None:
    """The words a body marker follows: the quoted name (“双一流”建设①), else the run of words
    back to punctuation, at most 12 characters."""
    at = _marker_at(text[:gloss_start], marker)
    if at is None:
        return None
    lo = at
    while lo > 0 and at - lo < 12 and text[lo - 1] not in _MARKER_STOP:
        lo -= 1
    quote = text.rfind("“", lo, at)
    lo = quote if quote >= 0 else lo
    return (lo, at) if at - lo >= 2 else None


def _split_line(line: str, r: GlossaryRules) -> _Line | None:
    """A glossary line as term and definition; None when it is no entry."""
    num = r.number.match(line)
    fn = r.footnote_number.match(line)
    marker = _marker_of(fn) if fn else None
    at = num.end() if num else 0
    body = line[at:]
    if not body:
        return None
    quoted = body[:1] in '“"「『【'
    for i, sep in enumerate(r.separators):
        m = sep.search(body, 0, r.term_max + 4)
        if not m:
            continue
        term = body[: m.start()]
        if not term.strip() or len(term) > r.term_max or _TERM_BAD.search(term):
            if num is not None and marker and body.startswith(m.group(0)):
                break  # ① 指…: a footnote naming no term
            continue
        if i > 0 and num is None and r.unnumbered_needs_quote and not quoted:
            continue
        d0 = at + m.end()
        d0 += len(line[d0:]) - len(line[d0:].lstrip())
        lead = len(term) - len(term.lstrip())
        return _Line((at + lead, at + len(term.rstrip())), (d0, len(line)), marker)
    if num is None:
        return None
    if marker and (any(body.startswith(c) for c in r.word_cues) or len(body) > r.term_max):
        return _Line(None, (at, len(line)), marker)  # ［1］指…: the body's marker names the term
    if len(body) <= r.term_max and not _SENTENCE.search(body):
        return _Line((at, len(line)), (len(line), len(line)), marker)  # 1.“四上”企业
    return None


def _add_section(
    line: str, lstart: int, end: int, roots: list[Section], stack: list[Section]
) -> None:
    for level, pattern in _LEVELS:
        hm = pattern.match(line)
        if not hm:
            continue
        rest = line[hm.end() :]
        end_m = _TITLE_END.search(rest)
        title = rest[: end_m.start()] if end_m else rest
        if level == 3 and (end_m is None and len(rest) > 60):
            return  # a numbered list item that is a whole paragraph, not a heading
        while stack and stack[-1].level >= level:
            stack.pop().end = lstart
        section = Section(level, hm.group(0), title[:60].strip(), lstart, end)
        (stack[-1].children if stack else roots).append(section)
        stack.append(section)
        return


def _close(stack: list[Section], at: int) -> None:
    for s in stack:
        s.end = min(s.end, at)


def flatten(sections: list[Section]) -> list[Section]:
    """Every section, depth first, in text order."""
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(flatten(s.children))
    return out
