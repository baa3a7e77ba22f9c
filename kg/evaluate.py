"""Score extraction against gold JSONL (annotation guide format), per type and micro-averaged.

Names compare after NFKC with quotation marks and surrounding brackets removed. Gold entries
marked `optional` are neither required (not missed when absent) nor wrong (a prediction that
matches only an optional entry is not counted). Relaxed match: same type and one name contains
the other.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.model import ENTITY_TYPES

QUOTES = "“”\"'‘’「」《》"  # skipped when names are compared, and between a name's characters
_BRACKETS = ("()", "（）", "[]", "【】", "〔〕")


def name_pattern(name: str) -> re.Pattern[str]:
    """A name as written in a text, quotation marks allowed between its characters (“1115”工程)."""
    skip = "[" + re.escape(QUOTES) + "]*"
    return re.compile(skip.join(re.escape(ch) for ch in name))


def compare_form(name: str) -> str:
    """The form names are compared in (the annotation guide's rule)."""
    s = unicodedata.normalize("NFKC", name)
    s = "".join(c for c in s if c not in QUOTES).strip()
    changed = True
    while changed and len(s) >= 2:
        changed = False
        for o, c in _BRACKETS:
            o, c = unicodedata.normalize("NFKC", o), unicodedata.normalize("NFKC", c)
            if s.startswith(o) and s.endswith(c):
                s = s[1:-1].strip()
                changed = True
    return s


@dataclass
class Gold:
    required: set[tuple[str, str]] = field(default_factory=set)
    optional: set[tuple[str, str]] = field(default_factory=set)


def read_gold(paths: Iterable[Path]) -> dict[str, Gold]:
    """Gold entries per document name."""
    gold: dict[str, Gold] = defaultdict(Gold)
    for p in paths:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                key = (obj["type"], compare_form(obj["name"]))
                doc = obj["doc"]
            except (json.JSONDecodeError, KeyError) as exc:
                raise ValueError(f"{p}:{n}: not a gold entry: {exc}") from exc
            (gold[doc].optional if obj.get("optional") else gold[doc].required).add(key)
    for g in gold.values():
        g.optional -= g.required
    return dict(gold)


@dataclass
class Counts:
    gold: int = 0
    predicted: int = 0
    tp_p: int = 0  # predictions that match a required gold entry
    tp_r: int = 0  # required gold entries matched by a prediction

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.predicted += other.predicted
        self.tp_p += other.tp_p
        self.tp_r += other.tp_r

    def scores(self) -> dict[str, float]:
        p = self.tp_p / self.predicted if self.predicted else 0.0
        r = self.tp_r / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _relaxed(a: str, b: str) -> bool:
    return a in b or b in a


def score_document(pred: set[tuple[str, str]], gold: Gold, relaxed: bool) -> dict[str, Counts]:
    """Counts per type for one document."""
    match = _relaxed if relaxed else str.__eq__
    out: dict[str, Counts] = defaultdict(Counts)
    for t, name in gold.required:
        c = out[t]
        c.gold += 1
        if any(pt == t and match(pn, name) for pt, pn in pred):
            c.tp_r += 1
    for t, name in pred:
        hits_required = any(gt == t and match(name, gn) for gt, gn in gold.required)
        hits_optional = any(gt == t and match(name, gn) for gt, gn in gold.optional)
        if hits_required:
            out[t].predicted += 1
            out[t].tp_p += 1
        elif not hits_optional:
            out[t].predicted += 1
    return out


def evaluate(predictions: dict[str, set[tuple[str, str]]], gold: dict[str, Gold]) -> dict:
    """Per-type and micro scores, exact and relaxed, over the gold's documents."""
    result: dict[str, dict] = {"documents": sorted(gold), "types": {}, "micro": {}}
    for mode in ("exact", "relaxed"):
        totals: dict[str, Counts] = defaultdict(Counts)
        for doc, g in gold.items():
            pred = {(t, compare_form(n)) for t, n in predictions.get(doc, set())}
            for t, c in score_document(pred, g, mode == "relaxed").items():
                totals[t].add(c)
        micro = Counts()
        for t in ENTITY_TYPES:
            c = totals[t]
            micro.add(c)
            row = result["types"].setdefault(t, {"gold": c.gold})
            row[mode] = {"predicted": c.predicted, **c.scores()}
        result["micro"][mode] = {"gold": micro.gold, "predicted": micro.predicted, **micro.scores()}
    return result


def format_table(result: dict) -> str:
    """Aligned per-type table; the last line is `micro-F1 exact X relaxed Y`."""
    cols = f"{'pred':>6s}{'P':>7s}{'R':>7s}{'F1':>7s}"
    head = f"{'type':13s}{'gold':>6s}{cols}  |{cols}"
    lines = [f"{'':13s}{'':6s}{'exact':^27s}  |{'relaxed':^27s}", head, "-" * len(head)]

    def row(name: str, gold: int, ex: dict, rx: dict) -> str:
        return (
            f"{name:13s}{gold:6d}{ex['predicted']:6d}{ex['precision']:7.3f}{ex['recall']:7.3f}"
            f"{ex['f1']:7.3f}  |{rx['predicted']:6d}{rx['precision']:7.3f}{rx['recall']:7.3f}"
            f"{rx['f1']:7.3f}"
        )

    for t, r in result["types"].items():
        lines.append(row(t, r["gold"], r["exact"], r["relaxed"]))
    lines.append("-" * len(head))
    m = result["micro"]
    lines.append(row("micro", m["exact"]["gold"], m["exact"], m["relaxed"]))
    lines.append(f"micro-F1 exact {m['exact']['f1']:.3f} relaxed {m['relaxed']['f1']:.3f}")
    return "\n".join(lines)


def find_documents(names: Iterable[str], search: Iterable[Path]) -> dict[str, Path]:
    """Locate each gold document by base name in the given files and folders."""
    wanted = set(names)
    found: dict[str, Path] = {}
    for root in search:
        candidates = [root] if root.is_file() else sorted(root.rglob("*")) if root.is_dir() else []
        for p in candidates:
            if p.name in wanted and p.name not in found:
                found[p.name] = p
    return found
