"""Score extraction against gold JSONL (annotation guide format), per type and micro-averaged.

Names compare after NFKC with quotation marks and surrounding brackets removed. Gold entries
marked `optional` are neither required (not missed when absent) nor wrong (a prediction that
matches only an optional entry is not counted). Relaxed match: same type and one name contains
the other. Relation facts (`kg eval --relations`) are scored on the key the gold README gives
each relation.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher
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


def _gold_lines(
    paths: Iterable[Path], key_of: Callable[[dict], Hashable], what: str
) -> Iterator[tuple[str, Hashable, bool]]:
    """(document, key, optional) of each line of JSONL gold files; a bad line names its place."""
    for p in paths:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                yield obj["doc"], key_of(obj), bool(obj.get("optional"))
            except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{p}:{n}: not a {what}: {exc!r}") from exc


def _entity_key(obj: dict) -> tuple[str, str]:
    return obj["type"], compare_form(obj["name"])


def read_gold(paths: Iterable[Path]) -> dict[str, Gold]:
    """Gold entries per document name."""
    gold: dict[str, Gold] = defaultdict(Gold)
    for doc, key, optional in _gold_lines(paths, _entity_key, "gold entry"):
        (gold[doc].optional if optional else gold[doc].required).add(key)
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


# Relation gold (tests/gold/README.md, "Gold relation data"): the fields each relation is
# scored on. `defines` compares its subject here and its object by overlap (_defines_match).
RELATION_KEYS: dict[str, tuple[str, ...]] = {
    "located_in": ("subject", "object"),
    "undertakes": ("subject", "object"),
    "milestone": ("subject", "object", "year", "status"),
    "honour": ("subject", "object", "year"),
    "listing": ("subject", "object", "year"),
    "defines": ("subject",),
    "has_component": ("subject", "object"),
    "plan_period": ("subject", "object"),
    "covers": ("subject", "object"),
    "same_as": ("subject", "object"),
    "observation": ("indicator", "region", "year", "value", "unit", "kind"),
}
_NAME_FIELDS = {"subject", "object", "indicator", "region", "unit"}
_HONOUR_TAIL = re.compile(r"(?:(?:荣誉)?称号|(?:建设|培育|创建)?名单)$")

RelationKey = tuple[object, ...]


def relation_key(fact: dict[str, object]) -> RelationKey:
    """What two facts must share to count as one: the relation and its scored fields, names
    in compare_form (honour titles without a trailing 称号, nor a trailing 名单: 入选…建设名单
    lists the title's holders), values rounded, `same_as` pairs unordered. Raises KeyError
    when a scored field is missing."""
    rel = str(fact["relation"])
    fields = RELATION_KEYS.get(rel, ("subject", "object"))
    values: list[object] = []
    for f in fields:
        v = fact[f]
        if f in _NAME_FIELDS and v is not None:
            v = compare_form(str(v))
            if rel == "honour" and f == "object":
                v = _HONOUR_TAIL.sub("", str(v))
        elif f == "value" and v is not None:
            v = round(float(v), 6)
        elif f == "year" and v is not None:
            v = int(v)  # type: ignore[call-overload]
        values.append(v)
    if rel == "same_as":
        values = sorted(values, key=str)
    if rel == "defines":
        values.append(compare_form(str(fact["object"])))
    return (rel, *values)


def _defines_match(pred: RelationKey, gold: RelationKey) -> bool:
    """Same programme, and the predicted definition covers at least half the gold's text."""
    if pred[:-1] != gold[:-1]:
        return False
    p, g = str(pred[-1]), str(gold[-1])
    if not g:
        return not p
    common = sum(b.size for b in SequenceMatcher(None, p, g, autojunk=False).get_matching_blocks())
    return common * 2 >= len(g)


def _relation_match(pred: RelationKey, gold: RelationKey) -> bool:
    return _defines_match(pred, gold) if pred[0] == "defines" else pred == gold


@dataclass
class RelationGold:
    required: set[RelationKey] = field(default_factory=set)
    optional: set[RelationKey] = field(default_factory=set)


def read_relation_gold(paths: Iterable[Path]) -> dict[str, RelationGold]:
    """Relation gold facts per document name, as distinct keys."""
    gold: dict[str, RelationGold] = defaultdict(RelationGold)
    for doc, key, optional in _gold_lines(paths, relation_key, "relation gold entry"):
        (gold[doc].optional if optional else gold[doc].required).add(key)
    for g in gold.values():
        g.optional -= g.required
    return dict(gold)


def score_relations(pred: set[RelationKey], gold: RelationGold) -> dict[str, Counts]:
    """Counts per relation for one document (same rule for optional gold as for entities)."""
    out: dict[str, Counts] = defaultdict(Counts)
    for g in gold.required:
        out[str(g[0])].gold += 1
        if any(_relation_match(p, g) for p in pred):
            out[str(g[0])].tp_r += 1
    for p in pred:
        c = out[str(p[0])]
        if any(_relation_match(p, g) for g in gold.required):
            c.predicted += 1
            c.tp_p += 1
        elif not any(_relation_match(p, g) for g in gold.optional):
            c.predicted += 1
    return out


def evaluate_relations(
    predictions: dict[str, list[dict[str, object]]], gold: dict[str, RelationGold]
) -> dict:
    """Per-relation and micro P/R/F1 over the gold's documents; predictions are fact dicts
    (`Fact.to_json()`), keyed like the gold."""
    totals: dict[str, Counts] = defaultdict(Counts)
    for doc, g in gold.items():
        pred = {relation_key(f) for f in predictions.get(doc, [])}
        for rel, c in score_relations(pred, g).items():
            totals[rel].add(c)
    order = [r for r in RELATION_KEYS if r in totals] + sorted(set(totals) - set(RELATION_KEYS))
    result: dict = {"documents": sorted(gold), "relations": {}}
    micro = Counts()
    for rel in order:
        c = totals[rel]
        micro.add(c)
        result["relations"][rel] = {"gold": c.gold, "predicted": c.predicted, **c.scores()}
    result["micro"] = {"gold": micro.gold, "predicted": micro.predicted, **micro.scores()}
    return result


def format_relation_table(result: dict) -> str:
    """Aligned per-relation table; the last line is `micro-F1 X`."""
    head = f"{'relation':15s}{'gold':>6s}{'pred':>6s}{'P':>7s}{'R':>7s}{'F1':>7s}"
    lines = [head, "-" * len(head)]

    def row(name: str, r: dict) -> str:
        return (
            f"{name:15s}{r['gold']:6d}{r['predicted']:6d}{r['precision']:7.3f}"
            f"{r['recall']:7.3f}{r['f1']:7.3f}"
        )

    lines += [row(rel, r) for rel, r in result["relations"].items()]
    lines += ["-" * len(head), row("micro", result["micro"])]
    lines.append(f"micro-F1 {result['micro']['f1']:.3f}")
    return "\n".join(lines)
