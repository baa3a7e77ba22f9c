"""Script-level normalisation: pinyin annotations, traditional characters, full-width letters."""

from __future__ import annotations

import re
from functools import lru_cache

import opencc

from kg.normalize.mapped import Mapped

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"

# A pinyin annotation inserted after a character: 區(qū), 報(bào)告, 們(men). Lower-case Latin
# letters with tone marks only, so genuine parentheses such as （连云港）, 户(人)次 or (GDP) stay.
_PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêḿńňǹ"
_PINYIN = re.compile(rf"(?<=[{CJK}])(?:[(（][{_PINYIN_LETTERS}]{{1,7}}[)）])+")

# Full-width digits and Latin letters fold to half-width (１１１５ → 1115); punctuation,
# including the curly quotes that mark programme names, stays as written.
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")


def strip_pinyin(m: Mapped) -> tuple[Mapped, int]:
    """Remove pinyin annotations; returns the text and how many annotations went."""
    count = len(_PINYIN.findall(m.text))
    return m.sub(_PINYIN, lambda x: ""), count


def fold_width(m: Mapped) -> tuple[Mapped, int]:
    """Fold full-width digits and letters; returns the text and the characters folded."""
    count = sum(len(x) for x in _FULLWIDTH_ALNUM.findall(m.text))
    return m.sub(_FULLWIDTH_ALNUM, lambda x: "".join(chr(ord(c) - 0xFEE0) for c in x[0])), count


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def simplified_char(ch: str) -> str:
    """The simplified form of one character (itself when it has none)."""
    out = _t2s().convert(ch)
    return out if len(out) == 1 else ch


def to_simplified(m: Mapped) -> tuple[Mapped, int]:
    """Convert traditional characters to simplified when the text is written in them.

    Returns the new text and the number of characters changed. Text that is already
    simplified (under 1% of its CJK characters would change) is left alone, so that rare
    characters that are also valid simplified forms keep their meaning in names.
    """
    conv = _t2s()
    converted = conv.convert(m.text)
    if len(converted) != len(m.text):  # a phrase conversion changed length: go line by line
        lines = m.text.split("\n")
        out = [conv.convert(line) for line in lines]
        out = [
            c if len(c) == len(o) else "".join(simplified_char(ch) for ch in o)
            for c, o in zip(out, lines, strict=True)
        ]
        converted = "\n".join(out)
    changed = sum(1 for a, b in zip(m.text, converted, strict=True) if a != b)
    cjk = sum(1 for c in m.text if "\u4e00" <= c <= "\u9fff") or 1
    if changed / cjk < 0.01:
        return m, 0
    return m.same_length(converted), changed
