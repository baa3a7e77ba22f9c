"""Document structure: the numbered sections as a tree, and the glossary (名词解释).

Reports number their parts in a fixed hierarchy — 一、 / （一） / 1． / 一是 — and some end with
a glossary that defines the programmes they name. Offsets are into the normalised text.
"""

from __future__ import annotations

import re

from kg.model import GlossaryEntry, Section

_NUM = "一二三四五六七八九十百"
_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"[{_NUM}]+、")),
    (2, re.compile(rf"[（(][{_NUM}]+[)）]")),
    (3, re.compile(r"\d{1,2}[.．、](?![\d%])")),
    (4, re.compile(rf"[{_NUM}]+是(?=[\u4e00-\u9fff“])")),
)
_GLOSSARY = re.compile(r"(?:附[:：]?\s*)?(?:名词解释|名词注释|注释|附注)\s*[:：]?")
_ENTRY = re.compile(
    r"(?:\d{1,3}[.．、]|[（(]\d{1,3}[)）])?\s*(?P<term>[^：:，,。；\n]{1,40}?)\s*[：:]\s*(?P<definition>\S.*)"
)
# a term alone on its line (1.“四上”企业：), its definition on the next line
_TERM_LINE = re.compile(
    r"(?:\d{1,3}[.．、]|[（(]\d{1,3}[)）])\s*(?P<term>[^：:，,。；\n]{1,40}?)\s*[：:]"
)
_TITLE_END = re.compile("[。；！？]")


def parse_structure(text: str) -> tuple[list[Section], list[GlossaryEntry]]:
    """The section tree (top-level sections, each with children) and the glossary entries."""
    roots: list[Section] = []
    stack: list[Section] = []
    glossary: list[GlossaryEntry] = []
    in_glossary: Section | None = None
    term: tuple[re.Match[str], int] | None = None  # a term line waiting for its definition
    pos = 0
    for raw_line in text.split("\n"):
        start = pos
        pos += len(raw_line) + 1
        line = raw_line.strip()
        if not line:
            continue
        lstart = start + raw_line.index(line[0])
        if _GLOSSARY.fullmatch(line):
            _close(stack, lstart)
            stack.clear()
            in_glossary = Section(0, "", line, lstart, len(text), "glossary")
            roots.append(in_glossary)
            continue
        if in_glossary is not None:
            if term is not None:
                t, tstart = term
                term = None
                glossary.append(
                    GlossaryEntry(
                        term=t["term"].strip(),
                        definition=line,
                        start=tstart,
                        end=lstart + len(line),
                        term_start=tstart + t.start("term"),
                        term_end=tstart + t.end("term"),
                    )
                )
                continue
            t = _TERM_LINE.fullmatch(line)
            if t:
                term = (t, lstart)
                continue
            m = _ENTRY.fullmatch(line)
            if m:
                glossary.append(
                    GlossaryEntry(
                        term=m["term"].strip(),
                        definition=m["definition"].strip(),
                        start=lstart,
                        end=lstart + len(line),
                        term_start=lstart + m.start("term"),
                        term_end=lstart + m.end("term"),
                    )
                )
            continue
        for level, pattern in _LEVELS:
            hm = pattern.match(line)
            if not hm:
                continue
            rest = line[hm.end() :]
            end_m = _TITLE_END.search(rest)
            title = rest[: end_m.start()] if end_m else rest
            if level == 3 and (end_m is None and len(rest) > 60):
                break  # a numbered list item that is a whole paragraph, not a heading
            while stack and stack[-1].level >= level:
                stack.pop().end = lstart
            section = Section(level, hm.group(0), title[:60].strip(), lstart, len(text))
            (stack[-1].children if stack else roots).append(section)
            stack.append(section)
            break
    return roots, glossary


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
