"""Layout clean-up: web and newspaper furniture, repeated paragraphs, lines broken in words.

Each step only deletes text (or a line break), so every kept character keeps its raw offset;
what was removed is counted, with short samples, for the quality report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from kg.gazetteer import DATA_DIR
from kg.normalize.mapped import Mapped

_SAMPLES = 20
MIN_REPEAT_CHARS = 20
MIN_BROKEN_LINE_CHARS = 30
SENTENCE_END = "。！？；：!?;:）)…"


@dataclass
class CleanupReport:
    boilerplate_lines: Counter[str] = field(default_factory=Counter)
    boilerplate_chars: int = 0
    boilerplate_samples: list[str] = field(default_factory=list)
    repeated_paragraphs: int = 0
    repeated_chars: int = 0
    repeated_samples: list[str] = field(default_factory=list)
    broken_lines_joined: int = 0


@dataclass(frozen=True)
class BoilerplateRule:
    category: str
    scope: str  # "line" or "tail"
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def boilerplate_rules() -> tuple[BoilerplateRule, ...]:
    """The rules in kg/data/rules/boilerplate.tsv (category, scope, regex)."""
    rules = []
    path = DATA_DIR / "rules" / "boilerplate.tsv"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, scope, pattern = line.split("\t", 2)
        rules.append(BoilerplateRule(category, scope, re.compile(pattern)))
    return tuple(rules)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end at the newline (excluded)."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _line_and_break(text: str, a: int, b: int) -> tuple[int, int]:
    """A line's span including its newline, so that removing it leaves no blank line."""
    return (a, b + 1) if b < len(text) else (max(a - 1, 0), b)


def remove_boilerplate(m: Mapped, report: CleanupReport) -> Mapped:
    """Drop furniture lines, and everything after a 'related reports' line."""
    text = m.text
    rules = boilerplate_rules()
    lines = [(a, b) for a, b in _lines(text) if text[a:b].strip()]
    categories: list[str | None] = []
    tail_at: int | None = None
    title_lines: set[str] = set()
    for i, (a, b) in enumerate(lines):
        line = text[a:b].strip()
        rule = next((r for r in rules if r.pattern.fullmatch(line)), None)
        category = rule.category if rule else None
        if rule is not None and rule.scope == "tail":
            tail_at = i
            break
        if rule is None and len(line) <= 40 and line.endswith("报告"):
            if line in title_lines:
                category = "page_header"  # a newspaper repeats the title at each page top
            title_lines.add(line)
        categories.append(category)
    # Breadcrumb items sit one per line next to the separators: 首页 / > / 云南要闻.
    for i in range(1, len(categories)):
        if categories[i] is None and categories[i - 1] == "navigation":
            line = text[slice(*lines[i])].strip()
            if _NAV_ITEM.fullmatch(line):
                categories[i] = "navigation"
    drops: list[tuple[int, int]] = []
    for (a, b), category in zip(lines, categories, strict=False):
        if category:
            drops.append(_line_and_break(text, a, b))
            _count(report, category, text[a:b])
    if tail_at is not None:
        a = lines[tail_at][0]
        drops.append((max(a - 1, 0), len(text)))
        _count(report, "related", text[a:])
    return m.delete(_merge(drops))


_NAV_ITEM = re.compile(r"[^\d\s，。；！？、,.;:：]{2,8}")


def _count(report: CleanupReport, category: str, removed: str) -> None:
    report.boilerplate_lines[category] += 1
    report.boilerplate_chars += len(removed.strip())
    if len(report.boilerplate_samples) < _SAMPLES:
        report.boilerplate_samples.append(f"{category}: {removed.strip()[:40]}")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


def remove_repeats(m: Mapped, report: CleanupReport) -> Mapped:
    """Remove every later copy of a paragraph already seen (copy errors repeat whole blocks)."""
    text = m.text
    seen: set[str] = set()
    drops: list[tuple[int, int]] = []
    for a, b in _lines(text):
        key = _key(text[a:b])
        if len(key) < MIN_REPEAT_CHARS:
            continue
        if key in seen:
            drops.append(_line_and_break(text, a, b))
            report.repeated_paragraphs += 1
            report.repeated_chars += len(key)
            if len(report.repeated_samples) < _SAMPLES:
                report.repeated_samples.append(key[:40])
        else:
            seen.add(key)
    return m.delete(_merge(drops))


_HEADING = re.compile(
    r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、]|[一二三四五六七八九十]+是)"
)


_CONTINUATION = re.compile(r"[^\s•·●■□◆★※]")


def looks_like_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) and len(line) < 40


def join_broken_lines(m: Mapped, report: CleanupReport) -> Mapped:
    """Join a line break that cuts a word (养老服 / 务体系).

    A break is joined when the text before it, on its (already joined) line, is long and
    does not end a sentence, and the next non-blank line is not a heading or a bullet. Going
    line by line over the joined result makes the step idempotent.
    """
    text = m.text
    drops: list[tuple[int, int]] = []
    current = ""
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            break
        current += text[pos:nl]
        line = current.strip()
        nxt = nl
        while nxt < n and text[nxt] in " \t\r\n\u3000":
            nxt += 1
        line_end = text.find("\n", nxt)
        nxt_line = text[nxt : n if line_end < 0 else line_end]
        if (
            nxt < n
            and _CONTINUATION.match(text[nxt])
            and not looks_like_heading(nxt_line)
            and len(line) >= MIN_BROKEN_LINE_CHARS
            and line[-1] not in SENTENCE_END
            and not looks_like_heading(line)
        ):
            start = nl
            while start > pos and text[start - 1] in " \t\r\u3000":
                start -= 1
            drops.append((start, nxt))
            report.broken_lines_joined += 1
        else:
            current = ""
        pos = nxt if nxt > nl else nl + 1
    return m.delete(drops)
