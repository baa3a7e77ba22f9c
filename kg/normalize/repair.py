"""Encoding damage: repair mojibake where the bytes survive, mark it where they do not.

Two kinds occur in reposted reports:

* UTF-8 shown as Latin-1 / Windows-1252 (`å¸‚æ”¿åºœ` for 市政府). Every byte survived as one
  character, so each run is re-encoded and decoded as UTF-8; each repaired character maps to
  exactly the raw characters that held its bytes. Curly quotes stay curly (unlike ftfy's
  defaults), because they are the main signal for programme names.
* A double-byte text read with its bytes shifted (seed 003's `?!叭筚惖馈`): a byte was lost,
  shown as `?`, and the following characters are garbage until the stream resynchronises at
  the next ASCII byte. Nothing can be recovered; the fragment is replaced by U+FFFD so that no
  entity name can contain it, and counted in the quality report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import ftfy

from kg.normalize.mapped import Edit, Mapped
from kg.normalize.script import simplified_char

DAMAGE = "\ufffd"

_CP1252_SPECIALS = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CONT = f"[\u0080-\u00bf{_CP1252_SPECIALS}]"
_UTF8_SEQ = f"(?:[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}})"
_MOJIBAKE_RUN = re.compile(f"{_UTF8_SEQ}+")
# What is left of a run whose bytes did not all survive: a lead byte and continuation bytes.
_BROKEN_RUN = re.compile(f"[\u00c2-\u00f4]{_CONT}*[\u0080-\u00bf]{_CONT}*")

_PINYIN_TAIL = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# A lost byte shown as '?', then garbled characters until the stream resynchronises: at an
# ASCII byte, at sentence punctuation, or after 20 characters. Trail bytes in the ASCII range
# (an upper-case letter between garbled characters) and pinyin annotations cut off by the damage
# belong to the fragment: ?!叭筚惖馈碑a(chǎn), ?;鶎又卫碓鷮嵱袨椤V腔坻.
_PY = "[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\\)"
_SHIFTED = re.compile(
    rf"\?+[!;?。]*(?:{_PY})?"
    rf"(?:[^\x00-\x7f\n、，。；：]|\?|[A-Z^_`@\[\]](?=[^\x00-\x7f\n]))"
    rf"{{0,20}}(?:[A-Za-z^](?:\({_PY})?(?![A-Za-z]))?"
)
_ODD_SYMBOLS = re.compile("[\u3100-\u312f\u2200-\u22ff\u00a8\u00b4\u02c7\u02c9]")


@dataclass
class RepairReport:
    mojibake_runs_repaired: int = 0
    mojibake_chars_repaired: int = 0
    damaged_fragments: int = 0
    damaged_chars: int = 0
    damaged_samples: tuple[str, ...] = ()


def _byte_of(ch: str) -> int:
    o = ord(ch)
    return o if o < 256 else ch.encode("cp1252")[0]


def _decode_run(run: str, offset: int, m: Mapped) -> Edit | None:
    data = bytes(_byte_of(c) for c in run)
    try:
        fixed = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not any(ord(c) >= 0x800 for c in fixed):
        return None  # too short to be sure: Ã© might be written on purpose
    spans: list[tuple[int, int]] = []
    pos = 0
    for ch in fixed:
        n = len(ch.encode("utf-8"))
        spans.append(m.raw_span(offset + pos, offset + pos + n))
        pos += n
    return Edit(offset, offset + len(run), fixed, spans)


def _ftfy_run(run: str, offset: int) -> Edit | None:
    fixed = ftfy.fix_encoding(run)
    if fixed == run or _BROKEN_RUN.search(fixed) or not re.search("[\u4e00-\u9fff]", fixed):
        return None
    return Edit(offset, offset + len(run), fixed)


# A text encoded twice (UTF-8 shown as Latin-1, saved as UTF-8 and shown again) needs one pass
# per time; a repaired character may also complete a run with its neighbours (á + “ + Œ is
# the UTF-8 of ᓌ). Passes stop when nothing changes, so normalising twice changes nothing.
_MAX_PASSES = 4


def repair_mojibake(m: Mapped, report: RepairReport) -> Mapped:
    """Decode runs of UTF-8-as-Latin-1 back to the characters they were, to a fixed point."""
    for _ in range(_MAX_PASSES):
        edits: list[Edit] = []
        for x in _MOJIBAKE_RUN.finditer(m.text):
            edit = _decode_run(x[0], x.start(), m) or _ftfy_run(x[0], x.start())
            if edit is not None:
                edits.append(edit)
                report.mojibake_runs_repaired += 1
                report.mojibake_chars_repaired += len(edit.new)
        if not edits:
            break
        m = m.apply(edits)
    return m


@lru_cache(maxsize=1)
def _common_chars() -> frozenset[str]:
    """The 3,755 level-1 characters of GB 2312: what ordinary simplified prose is made of."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _looks_garbled(fragment: str) -> bool:
    common = _common_chars()
    body = fragment.lstrip("?")
    if not body or re.fullmatch(r"\?[!;。]", fragment):
        return False  # one ? and a stop with nothing after (什么?!) is punctuation, not a lost byte
    if body[0] in "!;?" or re.match(_PY, body) or re.search(r"[A-Za-z^]\(?.{1,6}\)$", body):
        return True
    cjk = [c for c in body if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
    rare = sum(1 for c in cjk if simplified_char(c) not in common)
    return bool(_ODD_SYMBOLS.search(body)) or (rare >= 1 and rare * 4 >= len(cjk))


def mark_damaged(m: Mapped, report: RepairReport) -> Mapped:
    """Replace unrepairable fragments by U+FFFD, one per character, and count them."""
    edits: list[Edit] = []
    samples: list[str] = list(report.damaged_samples)
    for x in _SHIFTED.finditer(m.text):
        frag = x[0]
        if not _looks_garbled(frag):
            continue
        edits.append(Edit(x.start(), x.end(), DAMAGE * len(frag)))
    for x in _BROKEN_RUN.finditer(m.text):
        if len(x[0]) >= 3 and not any(e.start <= x.start() < e.end for e in edits):
            edits.append(Edit(x.start(), x.end(), DAMAGE * len(x[0])))
    edits.sort(key=lambda e: e.start)
    kept: list[Edit] = []
    for e in edits:
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
        report.damaged_fragments += 1
        report.damaged_chars += e.end - e.start
        if len(samples) < 20:
            samples.append(m.text[e.start : e.end])
    report.damaged_samples = tuple(samples)
    report.damaged_chars += m.text.count(DAMAGE)  # decoding errors already in the input
    return m.apply(kept)
