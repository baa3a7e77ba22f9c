"""A corpus report damaged the way reposts damage reports yields the same entities as the
clean original (Jaccard ≥ 0.95 of the (type, name) sets)."""

from __future__ import annotations

import random

import opencc

from kg.extract import extract_mentions
from kg.ingest import read_document
from kg.model import RawDocument
from kg.normalize import normalize_document
from tests.conftest import corpus_file

PINYIN = ["(qū)", "(bào)", "(men)", "(zhōng)", "(guó)", "(shì)"]


def damage(text: str, seed: int = 7) -> str:
    """Traditional characters with pinyin annotations, some UTF-8-as-Latin-1 paragraphs,
    a repeated paragraph and lines broken inside words."""
    rnd = random.Random(seed)
    trad = opencc.OpenCC("s2t").convert(text)
    paragraphs = trad.split("\n")
    out: list[str] = []
    long_ones = [i for i, p in enumerate(paragraphs) if len(p) > 120]
    mojibake = set(rnd.sample(long_ones, 3))
    broken = set(rnd.sample(long_ones, 6))
    repeated = rnd.choice(long_ones)
    for i, p in enumerate(paragraphs):
        chars = []
        for k, ch in enumerate(p):
            chars.append(ch)
            if "\u4e00" <= ch <= "\u9fff" and k % 37 == 11:
                chars.append(rnd.choice(PINYIN))
        p = "".join(chars)
        if i in broken:
            cut = rnd.randrange(40, len(p) - 20)
            while not ("\u4e00" <= p[cut - 1] <= "\u9fff" and "\u4e00" <= p[cut] <= "\u9fff"):
                cut += 1
            p = p[:cut] + "\n\n" + p[cut:]
        if i in mojibake:
            p = p.encode("utf-8").decode("latin-1")
        out.append(p)
        if i == repeated:
            out.append(p)
    return "\n".join(out)


def _entities(raw: RawDocument) -> set[tuple[str, str]]:
    return {(m.type, m.name) for m in extract_mentions(normalize_document(raw))}


def test_damaged_copy_gives_the_same_entities():
    clean = read_document(corpus_file("河南省.txt"))
    broken_text = damage(clean.text)
    assert broken_text != clean.text
    broken = RawDocument("damaged.txt", "damaged.txt", broken_text, "utf-8", "0" * 64)
    doc = normalize_document(broken)
    q = doc.quality
    assert q["traditional_converted_chars"] > 1000
    assert q["pinyin_annotations_removed"] > 100
    assert q["mojibake_runs_repaired"] >= 3
    assert q["repeated_paragraphs_removed"] >= 1
    assert q["broken_lines_joined"] >= 6
    a, b = _entities(clean), _entities(broken)
    jaccard = len(a & b) / len(a | b)
    assert jaccard >= 0.95, (jaccard, sorted(a - b)[:20], sorted(b - a)[:20])
