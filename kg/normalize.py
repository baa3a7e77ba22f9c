"""Stage 2: normalise decoded text for extraction while keeping an exact offset map.

Every normalised character remembers the raw span it was made from, so any span found by a
later stage maps back to the original file (``raw[start:end]`` is the mention as written).
Each step is a pure function ``Mapped -> Mapped``; steps compose and are idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import opencc

from kg.model import DocMetadata, NormalizedDocument, RawDocument

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


@dataclass(frozen=True)
class Mapped:
    """Text plus the raw span [starts[i], ends[i]) of each character."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def identity(cls, text: str) -> Mapped:
        n = len(text)
        return cls(text, tuple(range(n)), tuple(range(1, n + 1)))

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> Mapped:
        """Replace each match; new characters inherit the raw span of what they replace."""
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for m in pattern.finditer(self.text):
            a, b = m.span()
            new = repl(m)
            if new == m.group(0):
                continue
            parts.append(self.text[pos:a])
            starts.extend(self.starts[pos:a])
            ends.extend(self.ends[pos:a])
            parts.append(new)
            if len(new) == b - a:
                starts.extend(self.starts[a:b])
                ends.extend(self.ends[a:b])
            elif new:
                s = self.starts[a] if a < b else (self.ends[a - 1] if a else 0)
                e = self.ends[b - 1] if a < b else s
                starts.extend([s] * len(new))
                ends.extend([e] * len(new))
            pos = b
        if pos == 0 and not parts:
            return self
        parts.append(self.text[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        return Mapped("".join(parts), tuple(starts), tuple(ends))

    def translate_same_length(self, converted: str) -> Mapped:
        """Swap in a character-for-character conversion of the text (same length)."""
        assert len(converted) == len(self.text)
        return Mapped(converted, self.starts, self.ends)


# Full-width digits and Latin letters fold to half-width (１１１５ → 1115); punctuation,
# including the curly quotes that mark programme names, stays as written.
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")

# A pinyin annotation inserted after a character: 區(qū), 報(bào)告, 們(men). Lower-case Latin
# letters with tone marks only, so genuine parentheses such as （连云港） or (GDP) stay.
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêḿńňǹ"
_PINYIN = re.compile(rf"(?<=[{CJK}])[(（][{_PINYIN_LETTERS}]{{1,7}}[)）]")

# A line break inside a word (养老服\n\n务体系): a body line that does not end a sentence,
# followed by a line that continues it.
_BROKEN_LINE = re.compile(rf"(?<=[{CJK}a-zA-Z0-9、，])[ \t]*\n[\s]*(?=[{CJK}])")
_SENTENCE_END = "。！？；：!?;:”」』）)"


def fold_width(m: Mapped) -> Mapped:
    return m.sub(_FULLWIDTH_ALNUM, lambda x: "".join(chr(ord(c) - 0xFEE0) for c in x.group(0)))


def strip_pinyin(m: Mapped) -> Mapped:
    return m.sub(_PINYIN, lambda x: "")


def join_broken_lines(m: Mapped) -> Mapped:
    """Join a line break that cuts a word, judged by the line it ends: long and unfinished."""
    text = m.text

    def repl(x: re.Match[str]) -> str:
        line_start = text.rfind("\n", 0, x.start()) + 1
        line = text[line_start : x.start()].strip()
        if len(line) < 30 or line[-1] in _SENTENCE_END or _looks_like_heading(line):
            return x.group(0)
        return ""

    return m.sub(_BROKEN_LINE, repl)


_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")


def _looks_like_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) and len(line) < 40


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(m: Mapped) -> tuple[Mapped, int]:
    """Convert traditional characters to simplified when the text is written in them.

    Returns the new text and the number of characters changed. Simplified text is left alone
    so that rare characters that are also valid simplified forms keep their meaning.
    """
    conv = _t2s()
    converted = conv.convert(m.text)
    if len(converted) != len(m.text):  # a phrase conversion changed length: go line by line
        lines = m.text.split("\n")
        out = [conv.convert(line) for line in lines]
        out = [
            c if len(c) == len(o) else "".join(conv.convert(ch) for ch in o)
            for c, o in zip(out, lines, strict=True)
        ]
        converted = "\n".join(out)
    changed = sum(1 for a, b in zip(m.text, converted, strict=True) if a != b)
    cjk = sum(1 for c in m.text if "\u4e00" <= c <= "\u9fff") or 1
    if changed / cjk < 0.01:
        return m, 0
    return m.translate_same_length(converted), changed


def normalize_text(raw: str) -> tuple[Mapped, dict[str, object]]:
    """Run every normalisation step; return the mapped text and a quality report."""
    m = Mapped.identity(raw)
    report: dict[str, object] = {"raw_chars": len(raw)}
    n0 = len(m.text)
    m = strip_pinyin(m)
    report["pinyin_annotations_removed_chars"] = n0 - len(m.text)
    m, changed = to_simplified(m)
    report["traditional_converted_chars"] = changed
    before = m.text
    m = fold_width(m)
    report["fullwidth_folded_chars"] = sum(1 for a, b in zip(before, m.text, strict=True) if a != b)
    n1 = len(m.text)
    m = join_broken_lines(m)
    report["broken_lines_joined"] = n1 - len(m.text)
    report["normalized_chars"] = len(m.text)
    return m, report


def normalize_document(doc: RawDocument, metadata: DocMetadata | None = None) -> NormalizedDocument:
    """Normalise one decoded report (plain data in, plain data out)."""
    m, report = normalize_text(doc.text)
    report["encoding"] = doc.encoding
    from kg.metadata import detect_metadata

    meta = metadata or detect_metadata(m.text)
    return NormalizedDocument(
        name=doc.name,
        raw=doc.text,
        text=m.text,
        starts=list(m.starts),
        ends=list(m.ends),
        sha256=doc.sha256,
        encoding=doc.encoding,
        quality=report,
        metadata=meta,
    )
